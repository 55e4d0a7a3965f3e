import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dockerFixedCidr, podAddressRange } from '../network/ipam.js';
import { hostInterfaceName, macFor, PodAddresses, PodNetwork, vethPlan } from './pod-network.js';
import { namespaceDir, pinnedIp } from './pod-runtime.js';

describe('pod address range', () => {
  it('gives pods the lower half of the podCIDR after the bridge, and dockerd the upper half', () => {
    const r = podAddressRange('10.244.3.0/24');
    expect(r).toMatchObject({ gateway: '10.244.3.1', prefix: 24 });
    expect(r.last - r.first + 1).toBe(126);
    expect(dockerFixedCidr('10.244.3.0/24')).toBe('10.244.3.128/25');
  });
});

describe('PodAddresses', () => {
  const range = podAddressRange('10.244.1.0/29'); // pods: .2 and .3
  it('hands out free addresses round-robin and keeps one per pod', () => {
    const a = new PodAddresses(podAddressRange('10.244.1.0/24'));
    expect(a.allocate('u1')).toBe('10.244.1.2');
    expect(a.allocate('u1')).toBe('10.244.1.2');
    expect(a.allocate('u2')).toBe('10.244.1.3');
    a.release('u1');
    // The address just released is not the next one handed out.
    expect(a.allocate('u3')).toBe('10.244.1.4');
    expect(a.addressOf('u2')).toBe('10.244.1.3');
    expect(a.addressOf('u1')).toBeUndefined();
  });

  it('skips addresses held by sandboxes found running, wraps around, and says when none is left', () => {
    const a = new PodAddresses(range);
    a.hold('old', '10.244.1.2');
    expect(a.allocate('n1')).toBe('10.244.1.3');
    expect(() => a.allocate('n2')).toThrow('no free pod address: all 2 addresses of 10.244.1.2-10.244.1.3 are in use');
    a.release('old');
    expect(a.allocate('n2')).toBe('10.244.1.2');
  });

  it('ignores held addresses outside the pod range (dockerd\'s half)', () => {
    const a = new PodAddresses(range);
    a.hold('docker', '10.244.1.5');
    expect(a.addressOf('docker')).toBeUndefined();
  });
});

describe('veth wiring', () => {
  it('names the node end within 15 characters, stable per sandbox', () => {
    const n = hostInterfaceName('k8s_POD_web_default_1234abcd_0');
    expect(n).toMatch(/^kl[0-9a-f]{11}$/);
    expect(hostInterfaceName('k8s_POD_web_default_1234abcd_0')).toBe(n);
    expect(hostInterfaceName('k8s_POD_web_default_1234abcd_1')).not.toBe(n);
  });

  it('derives a locally administered MAC from the address', () => {
    expect(macFor('10.244.1.7')).toBe('0a:6b:0a:f4:01:07');
  });

  it('plans the node side (veth into the pod namespace, bridge port with hairpin) and the pod side (address, route)', () => {
    const plan = vethPlan({ netns: 4242, ip: '10.244.1.7', range: podAddressRange('10.244.1.0/24'), bridge: 'docker0', hostIf: 'klabc' });
    expect(plan.node.split('\n')).toEqual([
      'link add klabc type veth peer name eth0 address 0a:6b:0a:f4:01:07 netns 4242',
      'link set klabc master docker0',
      'link set dev klabc type bridge_slave hairpin on',
      'link set klabc up',
      '',
    ]);
    expect(plan.pod.split('\n')).toEqual(['link set lo up', 'addr add 10.244.1.7/24 dev eth0', 'link set eth0 up', 'route add default via 10.244.1.1 dev eth0', '']);
  });

  it('runs the node side, then the pod side inside the sandbox\'s network namespace, from one shell', async () => {
    const calls: Array<[string, string[]]> = [];
    const net = new PodNetwork('10.244.2.0/24', 'docker0', async (cmd, args) => {
      calls.push([cmd, args]);
      return '';
    });
    await net.attach(99, '10.244.2.9', 'k8s_POD_a_b_c_0');
    expect(calls).toHaveLength(1);
    const [cmd, args] = calls[0]!;
    expect([cmd, args[0]]).toEqual(['sh', '-ec']);
    const script = args[1]!;
    expect(script).toMatch(/^ip -batch - <<'NODE'\nlink add kl[0-9a-f]{11} type veth peer name eth0 address 0a:6b:0a:f4:02:09 netns 99\n/);
    expect(script).toContain("NODE\nnsenter --net=/proc/99/ns/net ip -batch - <<'POD'\nlink set lo up\naddr add 10.244.2.9/24 dev eth0\n");
    expect(script.endsWith('route add default via 10.244.2.1 dev eth0\nPOD\n')).toBe(true);
    await expect(net.attach(0, '10.244.2.9', 'x')).rejects.toThrow('the sandbox has no running process');
  });

  it('pins a pod\'s namespaces with one unshare running one shell, and takes them down with one shell', async () => {
    const calls: Array<[string, string[]]> = [];
    const uid = `test-${process.pid}-recorded`;
    const net = new PodNetwork('10.244.2.0/24', 'docker0', async (cmd, args) => {
      calls.push([cmd, args]);
      return '';
    });
    const dir = namespaceDir(uid);
    try {
      await net.pin(uid, '10.244.2.5');
      expect(calls).toHaveLength(1);
      const [cmd, args] = calls[0]!;
      expect([cmd, args[0], args[1], args[2]]).toEqual(['unshare', `--ipc=${dir}/ipc`, 'sh', '-ec']);
      const script = args[3]!;
      expect(script).toMatch(new RegExp(`^ip -batch - <<'NODE'\\nnetns add kl-${uid}\\nlink add kl[0-9a-f]{11} type veth peer name eth0 address 0a:6b:0a:f4:02:05 netns kl-${uid}\\n`));
      expect(script).toContain(`NODE\nip -n kl-${uid} -batch - <<'POD'\nlink set lo up\naddr add 10.244.2.5/24 dev eth0\n`);
      expect(script).toContain(`mount -t tmpfs -o size=65536k,mode=1777,nosuid,nodev,noexec shm ${dir}/shm`);
      expect(await pinnedIp(uid)).toBe('10.244.2.5');
      expect(await net.pinnedUids()).toContain(uid);
      await net.unpin(uid);
      expect(calls).toHaveLength(2);
      expect(calls[1]![1][1]).toContain(`netns delete kl-${uid}`);
      expect(existsSync(dir)).toBe(false);
      // Nothing pinned, nothing run.
      await net.unpin(uid);
      expect(calls).toHaveLength(2);
    } finally {
      await net.unpin(uid);
    }
  });

  it('leaves nothing when pinning fails', async () => {
    const uid = `test-${process.pid}-failing`;
    const net = new PodNetwork('10.244.2.0/24', 'docker0', async (cmd) => {
      if (cmd === 'unshare') throw new Error('ip: RTNETLINK answers: File exists');
      return '';
    });
    await expect(net.pin(uid, '10.244.2.6')).rejects.toThrow('File exists');
    expect(existsSync(namespaceDir(uid))).toBe(false);
    expect(await pinnedIp(uid)).toBeUndefined();
  });

  it('pins real namespaces: eth0 on the bridge with the address, loopback up, IPC and /dev/shm (as root)', async () => {
    if (process.getuid?.() !== 0) return;
    const { execFileSync, spawn } = await import('node:child_process');
    // A throwaway "node" network namespace with its own bridge, so nothing touches the host's network.
    const node = spawn('unshare', ['--net', 'sleep', '30'], { stdio: 'ignore' });
    const nodeNs = `/proc/${node.pid}/ns/net`;
    const uid = `test-${process.pid}-real`;
    const net = new PodNetwork('10.250.1.0/24', 'br-pin', (cmd, args) => Promise.resolve(execFileSync('nsenter', [`--net=${nodeNs}`, cmd, ...args]).toString()));
    try {
      await new Promise((r) => setTimeout(r, 200));
      execFileSync('nsenter', [`--net=${nodeNs}`, 'sh', '-ec', 'ip link add br-pin type bridge && ip addr add 10.250.1.1/24 dev br-pin && ip link set br-pin up']);
      await net.pin(uid, '10.250.1.2');
      const inPod = (args: string[]) => execFileSync('ip', ['-n', `kl-${uid}`, ...args]).toString();
      expect(inPod(['-4', 'addr', 'show', 'eth0'])).toContain('inet 10.250.1.2/24');
      expect(inPod(['link', 'show', 'lo'])).toMatch(/state UNKNOWN|LOWER_UP/);
      expect(inPod(['route'])).toContain('default via 10.250.1.1 dev eth0');
      // A TCP round trip from the node's namespace to a server in the pod's.
      const server = spawn('ip', ['netns', 'exec', `kl-${uid}`, process.execPath, '-e', "require('net').createServer((s) => s.end('pinned')).listen(8080, '10.250.1.2', () => console.log('up'))"], { stdio: ['ignore', 'pipe', 'ignore'] });
      try {
        await new Promise((r) => server.stdout!.once('data', r));
        const client = "const s = require('net').connect(8080, '10.250.1.2'); s.on('data', (d) => process.stdout.write(d)); s.on('error', (e) => { console.error(e.message); process.exit(1); });";
        expect(execFileSync('nsenter', [`--net=${nodeNs}`, process.execPath, '-e', client], { timeout: 10_000 }).toString()).toBe('pinned');
      } finally {
        server.kill('SIGKILL');
      }
      const mounts = readFileSync('/proc/self/mountinfo', 'utf8');
      expect(mounts).toMatch(new RegExp(`ipc:\\[\\d+\\] ${namespaceDir(uid)}/ipc `));
      expect(mounts).toMatch(new RegExp(`${namespaceDir(uid)}/shm .* - tmpfs shm .*size=65536k`));
      await net.unpin(uid);
      expect(existsSync(namespaceDir(uid))).toBe(false);
      expect(existsSync(`/run/netns/kl-${uid}`)).toBe(false);
      expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(namespaceDir(uid));
      expect(execFileSync('nsenter', [`--net=${nodeNs}`, 'ip', '-br', 'link']).toString()).not.toContain(hostInterfaceName(uid));
    } finally {
      await net.unpin(uid).catch(() => undefined);
      node.kill('SIGKILL');
    }
  });

  it('wires a real network namespace with the script (when run as root with ip and unshare)', async () => {
    if (process.getuid?.() !== 0) return;
    // A throwaway namespace pair: a "node" namespace with a bridge, and a sleeping "pod" process in its own.
    const { execFileSync, spawn } = await import('node:child_process');
    // The process unshare forks into the new namespace (it needs a moment to appear).
    const childOf = async (parent: number | undefined) => {
      for (let i = 0; i < 100; i++) {
        const out = execFileSync('sh', ['-c', `pgrep -P ${parent} || true`]).toString().trim();
        if (out) return Number(out.split('\n').pop());
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no child of ${parent}`);
    };
    const node = spawn('unshare', ['--net', '--fork', 'sleep', '30'], { stdio: 'ignore' });
    const nodePid = await childOf(node.pid);
    const inNode = (script: string) => execFileSync('nsenter', [`--net=/proc/${nodePid}/ns/net`, 'sh', '-ec', script]).toString();
    const pod = spawn('nsenter', [`--net=/proc/${nodePid}/ns/net`, 'unshare', '--net', '--fork', 'sleep', '30'], { stdio: 'ignore' });
    try {
      // nsenter execs unshare in place, which forks the sleeping process.
      const podPid = await childOf(pod.pid);
      inNode('ip link add br-test type bridge && ip addr add 10.250.0.1/24 dev br-test && ip link set br-test up');
      const net = new PodNetwork('10.250.0.0/24', 'br-test', (cmd, args) => Promise.resolve(inNode(args[1]!)));
      await net.attach(podPid, '10.250.0.2', 'k8s_POD_t_t_t_0');
      const inPod = execFileSync('nsenter', [`--net=/proc/${podPid}/ns/net`, 'ip', '-4', 'addr', 'show', 'eth0']).toString();
      expect(inPod).toContain('inet 10.250.0.2/24');
      expect(execFileSync('nsenter', [`--net=/proc/${podPid}/ns/net`, 'ip', 'route']).toString()).toContain('default via 10.250.0.1 dev eth0');
      expect(inNode('bridge -d link show')).toMatch(/kl[0-9a-f]{11}.*master br-test[\s\S]*hairpin on/);
      // A TCP round trip from the node's namespace to a server on the pod's address.
      const server = spawn('nsenter', [`--net=/proc/${podPid}/ns/net`, process.execPath, '-e', "require('net').createServer((s) => s.end('hi')).listen(8080, '10.250.0.2', () => console.log('up'))"], { stdio: ['ignore', 'pipe', 'ignore'] });
      try {
        await new Promise((r) => server.stdout!.once('data', r));
        const client = "const s = require('net').connect(8080, '10.250.0.2'); s.on('data', (d) => process.stdout.write(d)); s.on('error', (e) => { console.error(e.message); process.exit(1); });";
        expect(execFileSync('nsenter', [`--net=/proc/${nodePid}/ns/net`, process.execPath, '-e', client], { timeout: 10_000 }).toString()).toBe('hi');
      } finally {
        server.kill('SIGKILL');
      }
    } finally {
      pod.kill('SIGKILL');
      node.kill('SIGKILL');
    }
  });
});
