// The node agent on a real 3-node cluster, driven by real kubectl: Node registration, pods as
// containers on the nested runtimes (sandbox IP from the node's podCIDR, env, volumes, limits),
// restarts and probes, bad specs as kubectl users know them, graceful deletion, and recovery
// after the agent, the nested dockerd or the whole cluster restarts — without duplicates or orphans.
import { eventually } from './helpers/eventually.js';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../engine/index.js';
import { clusterName, engineFor, forceRemove, kubelab, testHome } from './helpers/kubelab.js';
import { kubectl, kubectlStream } from './helpers/kubectl.js';
import { nested } from './helpers/pods.js';

const home = testHome();
const name = clusterName('agent');
const kubeconfig = join(home, 'kube', 'config');
const env = { KUBECONFIG: kubeconfig };
const cp = `${name}-control-plane`;
const w1 = `${name}-worker`;
const w2 = `${name}-worker2`;
const IMAGE = 'kubelab/busybox:1';
let engine: Engine;

async function k(args: string[], input?: string): Promise<string> {
  const r = await kubectl(kubeconfig, args, input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

async function jsonpath(kind: string, obj: string, path: string, ns = 'agent'): Promise<string> {
  const r = await kubectl(kubeconfig, ['get', '-n', ns, kind, obj, '-o', `jsonpath=${path}`]);
  return r.code === 0 ? r.stdout : '';
}

/** Names of the pod containers (running or not) a node's runtime holds, sorted. */
async function podContainers(node: string): Promise<string[]> {
  const out = await nested(engine, node, ['ps', '-a', '--filter', 'label=io.kubelab.managed=true', '--format', '{{.Names}}']);
  return out.split('\n').filter(Boolean).sort();
}

/** Waits until `check` says yes (for hooks, where expect.poll is not available). */
const until = async (check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> => void (await eventually(what, check, timeoutMs, 500));

const pod = (podName: string, spec: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: podName, namespace: 'agent', ...extra }, spec });

describe.sequential('node agent', () => {
  beforeAll(async () => {
    engine = engineFor(home);
    const r = await kubelab(['start', '--name', name, '--nodes', '3'], { home, env });
    expect(r.code, r.stderr).toBe(0);
    await until(async () => ((await kubectl(kubeconfig, ['get', 'nodes', '--no-headers'])).stdout.match(/ Ready /g)?.length ?? 0) === 3, 60_000, 'three Ready nodes');
    await k(['create', 'namespace', 'agent']);
    await until(async () => (await jsonpath('serviceaccount', 'default', '{.metadata.name}')) === 'default', 20_000, 'the default ServiceAccount');
  }, 240_000);
  afterAll(async () => {
    await forceRemove(name);
  });

  it('registers every node with capacity, addresses, system info and a Lease', async () => {
    const nodes = JSON.parse(await k(['get', 'nodes', '-o', 'json'])) as { items: Array<{ metadata: { name: string; labels: Record<string, string> }; spec: { podCIDR: string; taints?: unknown[] }; status: Record<string, any> }> };
    expect(nodes.items.map((n) => n.metadata.name).sort()).toEqual([cp, w1, w2].sort());
    for (const n of nodes.items) {
      expect(Number(n.status.capacity.cpu)).toBeGreaterThan(0);
      expect(n.status.capacity.memory).toMatch(/^\d+Ki$/);
      expect(n.status.capacity.pods).toBe('110');
      expect(n.status.nodeInfo.containerRuntimeVersion).toMatch(/^docker:\/\/\d+/);
      expect(n.status.nodeInfo.osImage).toContain('Debian');
      expect(n.status.addresses).toContainEqual({ type: 'Hostname', address: n.metadata.name });
      expect(n.spec.podCIDR).toMatch(/^10\.244\.\d+\.0\/24$/);
      expect(n.status.conditions.map((c: { type: string; status: string }) => `${c.type}=${c.status}`).sort()).toEqual(['DiskPressure=False', 'MemoryPressure=False', 'PIDPressure=False', 'Ready=True']);
    }
    const control = nodes.items.find((n) => n.metadata.name === cp)!;
    expect(control.metadata.labels).toHaveProperty('node-role.kubernetes.io/control-plane', '');
    expect(control.spec.taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
    const leases = await k(['get', 'leases', '-n', 'kube-node-lease', '-o', 'name']);
    expect(leases.split('\n').filter(Boolean).sort()).toEqual([cp, w1, w2].map((n) => `lease.coordination.k8s.io/${n}`).sort());
    const describe = await k(['describe', 'node', w1]);
    for (const text of ['Capacity:', 'Allocatable:', 'System Info:', 'Container Runtime Version:', 'KubeletReady', 'PodCIDR:']) expect(describe).toContain(text);
  });

  it('runs a pod with its IP from the node podCIDR, env, downward API, volumes and limits', async () => {
    await k(['create', 'configmap', 'settings', '-n', 'agent', '--from-literal=greeting=hello', '--from-literal=color=blue']);
    await k(['create', 'secret', 'generic', 'creds', '-n', 'agent', '--from-literal=password=s3cret']);
    await k(['apply', '-f', '-'], pod('full', {
      nodeName: w1,
      terminationGracePeriodSeconds: 1,
      hostAliases: [{ ip: '10.1.2.3', hostnames: ['db.example', 'db'] }],
      initContainers: [{ name: 'prep', image: IMAGE, command: ['sh', '-c', 'echo prepared > /shared/marker'], volumeMounts: [{ name: 'shared', mountPath: '/shared' }] }],
      containers: [{
        name: 'main',
        image: IMAGE,
        command: ['sh', '-c', 'sleep 3600'],
        env: [
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
          { name: 'MEM_MI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
          { name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'settings', key: 'greeting' } } },
          { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } },
          { name: 'COMBINED', value: '$(GREETING)-$(POD_NAME)' },
        ],
        envFrom: [{ prefix: 'CFG_', configMapRef: { name: 'settings' } }],
        resources: { limits: { cpu: '500m', memory: '64Mi' }, requests: { cpu: '100m', memory: '32Mi' } },
        securityContext: { runAsUser: 1000, runAsGroup: 3000, capabilities: { add: ['NET_ADMIN'] } },
        volumeMounts: [
          { name: 'shared', mountPath: '/shared' },
          { name: 'mem', mountPath: '/mem' },
          { name: 'settings', mountPath: '/etc/settings' },
          { name: 'creds', mountPath: '/etc/creds' },
          { name: 'info', mountPath: '/etc/info' },
        ],
      }],
      volumes: [
        { name: 'shared', emptyDir: {} },
        { name: 'mem', emptyDir: { medium: 'Memory' } },
        { name: 'settings', configMap: { name: 'settings' } },
        { name: 'creds', secret: { secretName: 'creds' } },
        { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
      ],
    }, { labels: { app: 'full', tier: 'test' } }));
    await k(['wait', '-n', 'agent', '--for=condition=Ready', 'pod/full', '--timeout=60s']);
    const ip = await jsonpath('pod', 'full', '{.status.podIP}');
    expect(ip).toMatch(/^10\.244\.\d+\.\d+$/);
    const nodeCidr = await jsonpath('node', w1, '{.spec.podCIDR}', '');
    expect(ip.split('.').slice(0, 3).join('.')).toBe(nodeCidr.split('.').slice(0, 3).join('.'));
    expect(await jsonpath('pod', 'full', '{.status.hostIP}')).toBe(await jsonpath('node', w1, '{.status.addresses[0].address}', ''));
    expect(await jsonpath('pod', 'full', '{.status.qosClass}')).toBe('Burstable');

    const id = await nested(engine, w1, ['ps', '-q', '--filter', 'label=io.kubernetes.pod.name=full', '--filter', 'label=io.kubernetes.container.name=main']);
    const inPod = (cmd: string) => nested(engine, w1, ['exec', id, 'sh', '-c', cmd]);
    const envText = await inPod('env');
    expect(envText).toContain('POD_NAME=full');
    expect(envText).toContain(`POD_IP=${ip}`);
    expect(envText).toContain(`NODE=${w1}`);
    expect(envText).toContain('MEM_MI=64');
    expect(envText).toContain('GREETING=hello');
    expect(envText).toContain('PASSWORD=s3cret');
    expect(envText).toContain('COMBINED=hello-full');
    expect(envText).toContain('CFG_color=blue');
    expect(await inPod('cat /shared/marker')).toBe('prepared');
    // The agent's hosts file and resolver: the pod's own name and address, its hostAliases, cluster DNS first.
    const hosts = (await inPod('cat /etc/hosts')).split('\n');
    expect(hosts).toContain(`${ip}\tfull`);
    expect(hosts).toContain('10.1.2.3\tdb.example\tdb');
    expect(await inPod('hostname')).toBe('full');
    expect(await inPod('cat /etc/resolv.conf')).toContain('nameserver 10.96.0.10');
    expect(await inPod('ip -4 addr show eth0')).toContain(`inet ${ip}/24`);
    expect(await inPod('cat /etc/settings/greeting')).toBe('hello');
    expect(await inPod('cat /etc/creds/password')).toBe('s3cret');
    expect(await inPod('cat /etc/info/labels')).toContain('app="full"');
    expect(await inPod('id -u; id -g')).toBe('1000\n3000');
    expect(await inPod('hostname')).toBe('full');
    expect(await inPod('grep -c " /mem tmpfs" /proc/mounts')).toBe('1');
    expect(await inPod('cat /var/run/secrets/kubernetes.io/serviceaccount/namespace')).toBe('agent');
    expect(await inPod('ip -4 addr show eth0 | grep -o "inet [0-9.]*"')).toBe(`inet ${ip}`);
    // Limits are the runtime's: CPU quota and memory limit on the container's cgroup.
    const limits = await nested(engine, w1, ['inspect', id, '--format', '{{.HostConfig.Memory}} {{.HostConfig.CpuQuota}} {{.HostConfig.CpuPeriod}}']);
    expect(limits).toBe(`${64 * 1024 * 1024} 50000 100000`);
  });

  it('connects pods across nodes by their pod IPs', async () => {
    await k(['apply', '-f', '-'], pod('server', { nodeName: w2, terminationGracePeriodSeconds: 1, containers: [{ name: 'web', image: IMAGE, command: ['sh', '-c', 'echo pong > /var/www/index.html; exec httpd -f -p 8080 -h /var/www'] }] }));
    await k(['wait', '-n', 'agent', '--for=condition=Ready', 'pod/server', '--timeout=60s']);
    const ip = await jsonpath('pod', 'server', '{.status.podIP}');
    const id = await nested(engine, w1, ['ps', '-q', '--filter', 'label=io.kubernetes.pod.name=full', '--filter', 'label=io.kubernetes.container.name=main']);
    expect(await nested(engine, w1, ['exec', id, 'wget', '-qO-', `http://${ip}:8080/`])).toBe('pong');
  });

  it('gives a pod\'s containers one network, IPC and /dev/shm without a sandbox container, and port-forwards to its loopback and to a pod on the node\'s network', async () => {
    await k(['apply', '-f', '-'], pod('pair', { nodeName: w1, terminationGracePeriodSeconds: 1, containers: [
      { name: 'a', image: IMAGE, command: ['sh', '-c', 'echo local > /tmp/i; echo from-a > /dev/shm/note; exec httpd -f -p 127.0.0.1:8081 -h /tmp'] },
      { name: 'b', image: IMAGE, command: ['sleep', '3600'] },
    ] }));
    await k(['apply', '-f', '-'], pod('hostnet', { nodeName: w2, hostNetwork: true, terminationGracePeriodSeconds: 1, containers: [{ name: 'web', image: IMAGE, command: ['sh', '-c', 'echo on-node > /tmp/i; exec httpd -f -p 18089 -h /tmp'] }] }));
    await k(['wait', '-n', 'agent', '--for=condition=Ready', 'pod/pair', 'pod/hostnet', '--timeout=60s']);
    const inB = (cmd: string) => k(['exec', '-n', 'agent', 'pair', '-c', 'b', '--', 'sh', '-c', cmd]);
    expect((await inB('wget -qO- http://127.0.0.1:8081/i')).trim()).toBe('local');
    expect((await inB('cat /dev/shm/note')).trim()).toBe('from-a');
    expect((await inB('hostname')).trim()).toBe('pair');
    const ns = (c: string) => k(['exec', '-n', 'agent', 'pair', '-c', c, '--', 'sh', '-c', 'for n in net ipc uts; do readlink /proc/self/ns/$n; done']);
    const [nsA, nsB] = [(await ns('a')).split('\n'), (await ns('b')).split('\n')];
    expect(nsA.slice(0, 2)).toEqual(nsB.slice(0, 2));
    const running = await nested(engine, w1, ['ps', '--filter', 'label=io.kubernetes.pod.name=pair', '--format', '{{.Label "io.kubernetes.container.name"}}']);
    expect(running.split('\n').sort()).toEqual(['a', 'b']);
    // port-forward reaches a server on the pod's loopback only (as kubelet's does), and a pod on the node's network on the node itself.
    for (const [target, remote, want] of [['pod/pair', '8081', 'local'], ['pod/hostnet', '18089', 'on-node']]) {
      const forward = await kubectlStream(kubeconfig, ['-n', 'agent', 'port-forward', target!, `:${remote}`]);
      try {
        await until(async () => /127\.0\.0\.1:(\d+) ->/.test(forward.output()), 20_000, 'port-forward to listen');
        const port = /127\.0\.0\.1:(\d+) ->/.exec(forward.output())![1];
        const answers = await Promise.all([1, 2, 3].map(async () => (await (await fetch(`http://127.0.0.1:${port}/i`)).text()).trim()));
        expect(answers, forward.output()).toEqual([want, want, want]);
      } finally {
        forward.child.kill();
      }
    }
    const uid = await jsonpath('pod', 'pair', '{.metadata.uid}');
    const pinned = async () => (await engine.provider.exec(w1, ['sh', '-c', `ls -d /run/kubelab/pods/${uid} /run/netns/kl-${uid} 2>/dev/null | wc -l`])).stdout.trim();
    expect(await pinned()).toBe('2');
    await k(['delete', 'pod', '-n', 'agent', 'pair', 'hostnet']);
    // Its containers and pinned namespaces go with the pod.
    await expect.poll(async () => [await pinned(), await nested(engine, w1, ['ps', '-a', '--filter', 'label=io.kubernetes.pod.name=pair', '--format', '{{.Names}}'])], { timeout: 20_000 }).toEqual(['0', '']);
  }, 120_000);

  it('restarts crashing containers with back-off and shows CrashLoopBackOff', async () => {
    await k(['apply', '-f', '-'], pod('crash', { nodeName: w1, containers: [{ name: 'c', image: IMAGE, command: ['sh', '-c', 'echo dying; exit 3'] }] }));
    await expect.poll(() => jsonpath('pod', 'crash', '{.status.containerStatuses[0].state.waiting.reason}'), { timeout: 60_000, interval: 500 }).toBe('CrashLoopBackOff');
    expect(Number(await jsonpath('pod', 'crash', '{.status.containerStatuses[0].restartCount}'))).toBeGreaterThanOrEqual(1);
    expect(await jsonpath('pod', 'crash', '{.status.containerStatuses[0].lastState.terminated.exitCode}')).toBe('3');
    expect(await jsonpath('pod', 'crash', '{.status.containerStatuses[0].lastState.terminated.reason}')).toBe('Error');
    expect(await k(['get', 'pod', '-n', 'agent', 'crash'])).toContain('CrashLoopBackOff');
    // The log of the attempt before the current one.
    expect((await k(['logs', '-n', 'agent', 'crash', '--previous'])).trim()).toBe('dying');
    const events = await k(['describe', 'pod', '-n', 'agent', 'crash']);
    expect(events).toMatch(/BackOff .*Back-off restarting failed container c in pod crash_agent/);
    // Only the current and the previous attempt are kept.
    await expect.poll(async () => Number(await jsonpath('pod', 'crash', '{.status.containerStatuses[0].restartCount}')), { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
    expect((await podContainers(w1)).filter((n) => n.startsWith('k8s_c_crash_')).length).toBe(2);
  }, 90_000);

  it('restarts a container whose liveness probe fails and keeps a pod with a failing readiness probe NotReady', async () => {
    await k(['apply', '-f', '-'], pod('liveness', {
      nodeName: w2,
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'c', image: IMAGE, command: ['sh', '-c', 'touch /tmp/healthy; sleep 3600'], livenessProbe: { exec: { command: ['test', '-f', '/tmp/healthy'] }, periodSeconds: 1, failureThreshold: 2 } }],
    }));
    await k(['apply', '-f', '-'], pod('unready', {
      nodeName: w2,
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'c', image: IMAGE, command: ['sleep', '3600'], readinessProbe: { httpGet: { path: '/', port: 9999 }, periodSeconds: 1 } }],
    }));
    await k(['wait', '-n', 'agent', '--for=condition=Ready', 'pod/liveness', '--timeout=60s']);
    const id = await nested(engine, w2, ['ps', '-q', '--filter', 'label=io.kubernetes.pod.name=liveness', '--filter', 'label=io.kubernetes.container.name=c']);
    await nested(engine, w2, ['exec', id, 'rm', '/tmp/healthy']);
    await expect.poll(async () => Number(await jsonpath('pod', 'liveness', '{.status.containerStatuses[0].restartCount}')), { timeout: 30_000, interval: 500 }).toBeGreaterThanOrEqual(1);
    const described = await k(['describe', 'pod', '-n', 'agent', 'liveness']);
    expect(described).toContain('Liveness probe failed');
    expect(described).toContain('Container c failed liveness probe, will be restarted');
    // The restarted container has the file again and stays up.
    await k(['wait', '-n', 'agent', '--for=condition=Ready', 'pod/liveness', '--timeout=60s']);

    expect(await jsonpath('pod', 'unready', '{.status.phase}')).toBe('Running');
    expect(await jsonpath('pod', 'unready', '{.status.conditions[?(@.type=="Ready")].status}')).toBe('False');
    expect(await jsonpath('pod', 'unready', '{.status.containerStatuses[0].ready}')).toBe('false');
    await expect.poll(async () => k(['describe', 'pod', '-n', 'agent', 'unready']), { timeout: 15_000 }).toMatch(/Readiness probe failed: Get "http:\/\/[\d.]+:9999\/": dial tcp [\d.]+:9999: connect: connection refused/);
  }, 90_000);

  it('reports bad specs as kubectl users know them, without disturbing other pods', async () => {
    await k(['apply', '-f', '-'], pod('noimage', { nodeName: w1, containers: [{ name: 'c', image: '127.0.0.1:5999/kubelab/missing:1.0' }] }));
    await k(['apply', '-f', '-'], pod('nocm', { nodeName: w1, containers: [{ name: 'c', image: IMAGE, command: ['sleep', '3600'], envFrom: [{ configMapRef: { name: 'does-not-exist' } }] }] }));
    await k(['apply', '-f', '-'], pod('never', { nodeName: w1, containers: [{ name: 'c', image: 'kubelab/absent:2', imagePullPolicy: 'Never' }] }));
    await k(['apply', '-f', '-'], pod('fails', { nodeName: w1, restartPolicy: 'Never', containers: [{ name: 'c', image: IMAGE, command: ['sh', '-c', 'exit 1'] }] }));
    await k(['apply', '-f', '-'], pod('completes', { nodeName: w1, restartPolicy: 'OnFailure', containers: [{ name: 'c', image: IMAGE, command: ['true'] }] }));
    await expect.poll(() => jsonpath('pod', 'noimage', '{.status.containerStatuses[0].state.waiting.reason}'), { timeout: 60_000 }).toMatch(/^(ErrImagePull|ImagePullBackOff)$/);
    await expect.poll(() => jsonpath('pod', 'noimage', '{.status.containerStatuses[0].state.waiting.reason}'), { timeout: 60_000 }).toBe('ImagePullBackOff');
    await expect.poll(() => jsonpath('pod', 'nocm', '{.status.containerStatuses[0].state.waiting.reason}'), { timeout: 30_000 }).toBe('CreateContainerConfigError');
    expect(await jsonpath('pod', 'nocm', '{.status.containerStatuses[0].state.waiting.message}')).toBe('configmap "does-not-exist" not found');
    await expect.poll(() => jsonpath('pod', 'never', '{.status.containerStatuses[0].state.waiting.reason}'), { timeout: 30_000 }).toBe('ErrImageNeverPull');
    await expect.poll(() => jsonpath('pod', 'fails', '{.status.phase}'), { timeout: 30_000 }).toBe('Failed');
    await expect.poll(() => jsonpath('pod', 'completes', '{.status.phase}'), { timeout: 30_000 }).toBe('Succeeded');
    const table = await k(['get', 'pods', '-n', 'agent']);
    expect(table).toMatch(/noimage +0\/1 +(ErrImagePull|ImagePullBackOff)/);
    expect(table).toMatch(/nocm +0\/1 +CreateContainerConfigError/);
    expect(table).toMatch(/fails +0\/1 +Error/);
    expect(table).toMatch(/completes +0\/1 +Completed/);
    expect(table).toMatch(/full +1\/1 +Running/);
    const pull = await k(['describe', 'pod', '-n', 'agent', 'noimage']);
    expect(pull).toContain('Failed to pull image "127.0.0.1:5999/kubelab/missing:1.0"');
    expect(pull).toContain('Back-off pulling image');
  }, 120_000);

  it('shows ContainerCreating with the pod IP while the image is being pulled', async () => {
    // A registry on the worker's loopback that takes connections and never answers: the nested
    // dockerd's pull waits on it until the server is stopped.
    const pidFile = '/run/kubelab-test-registry.pid';
    const server = `require("net").createServer(() => {}).listen(5998, "127.0.0.1", () => require("fs").writeFileSync("${pidFile}", String(process.pid)))`;
    await engine.provider.exec(w1, ['sh', '-c', `node -e '${server}' >/dev/null 2>&1 &`]);
    await until(async () => (await engine.provider.exec(w1, ['test', '-s', pidFile])).exitCode === 0, 10_000, 'the hanging registry');
    try {
      await k(['apply', '-f', '-'], pod('slowpull', { nodeName: w1, containers: [{ name: 'c', image: '127.0.0.1:5998/kubelab/slow:1' }] }));
      await expect.poll(() => jsonpath('pod', 'slowpull', '{.status.containerStatuses[0].state.waiting.reason} {.status.podIP}'), { timeout: 30_000 }).toMatch(/^ContainerCreating 10\.244\.\d+\.\d+$/);
      expect(await k(['get', 'pod', '-n', 'agent', 'slowpull'])).toMatch(/slowpull +0\/1 +ContainerCreating/);
      expect(await k(['describe', 'pod', '-n', 'agent', 'slowpull'])).toContain('Pulling image "127.0.0.1:5998/kubelab/slow:1"');
    } finally {
      await engine.provider.exec(w1, ['sh', '-c', `kill $(cat ${pidFile}); rm -f ${pidFile}`]);
    }
    // With the registry gone the pull fails, as with any registry that cannot be reached.
    await expect.poll(() => jsonpath('pod', 'slowpull', '{.status.containerStatuses[0].state.waiting.reason}'), { timeout: 60_000 }).toMatch(/^(ErrImagePull|ImagePullBackOff)$/);
    await k(['delete', 'pod', '-n', 'agent', 'slowpull', '--wait=false']);
  }, 120_000);

  it('stops a pod gracefully on delete: preStop, SIGTERM, then its containers are gone', async () => {
    await k(['apply', '-f', '-'], pod('graceful', {
      nodeName: w2,
      terminationGracePeriodSeconds: 20,
      containers: [{
        name: 'c',
        image: IMAGE,
        command: ['sh', '-c', 'trap "echo got TERM >> /data/log; exit 0" TERM; while true; do sleep 0.2; done'],
        lifecycle: { preStop: { exec: { command: ['sh', '-c', 'echo prestop >> /data/log'] } } },
        volumeMounts: [{ name: 'data', mountPath: '/data' }],
      }],
      volumes: [{ name: 'data', hostPath: { path: '/var/lib/kubelab-test/graceful', type: 'DirectoryOrCreate' } }],
    }));
    await k(['wait', '-n', 'agent', '--for=condition=Ready', 'pod/graceful', '--timeout=60s']);
    const began = Date.now();
    await k(['delete', 'pod', '-n', 'agent', 'graceful', '--timeout=60s']);
    expect(Date.now() - began).toBeLessThan(15_000);
    const log = await engine.provider.exec(w2, ['cat', '/var/lib/kubelab-test/graceful/log']);
    expect(log.stdout.trim().split('\n')).toEqual(['prestop', 'got TERM']);
    await expect.poll(async () => (await podContainers(w2)).filter((n) => n.includes('_graceful_')), { timeout: 20_000 }).toEqual([]);
  }, 90_000);

  it('comes back to the truth after its own restart and a restart of the nested dockerd', async () => {
    const before = await podContainers(w1);
    const restarts = await jsonpath('pod', 'full', '{.status.containerStatuses[0].restartCount}');
    // kill -9 the node agent; its supervisor starts a new one
    expect((await engine.provider.exec(w1, ['pkill', '-9', '-f', 'cluster.cjs node-agent'])).exitCode).toBe(0);
    await new Promise((r) => setTimeout(r, 5000));
    expect(await jsonpath('pod', 'full', '{.status.containerStatuses[0].restartCount}')).toBe(restarts);
    expect(await jsonpath('pod', 'full', '{.status.phase}')).toBe('Running');
    const after = await podContainers(w1);
    expect(after.filter((n) => n.includes('_full_'))).toEqual(before.filter((n) => n.includes('_full_')));

    // The nested dockerd dies (its containers with it): the supervisor restarts it, the agent starts the containers again in the pod's pinned namespaces.
    expect((await engine.provider.exec(w1, ['pkill', '-9', '-x', 'dockerd'])).exitCode).toBe(0);
    await expect.poll(async () => Number(await jsonpath('pod', 'full', '{.status.containerStatuses[0].restartCount}')), { timeout: 90_000, interval: 1000 }).toBeGreaterThan(Number(restarts));
    await k(['wait', '-n', 'agent', '--for=condition=Ready', 'pod/full', '--timeout=90s']);
    const running = await nested(engine, w1, ['ps', '--filter', 'label=io.kubernetes.pod.name=full', '--format', '{{.Label "io.kubernetes.container.name"}}']);
    // No sandbox container: the agent pins the pod's namespaces itself.
    expect(running.split('\n').sort()).toEqual(['main']);
  }, 150_000);

  it('brings every pod back after kubelab stop and start, with no duplicate or orphan containers', async () => {
    await k(['delete', 'pod', '-n', 'agent', 'crash', 'noimage', 'nocm', 'never', 'unready', '--wait=false']);
    await expect.poll(async () => (await k(['get', 'pods', '-n', 'agent', '-o', 'name'])).split('\n').filter(Boolean).length, { timeout: 60_000 }).toBe(5);
    expect((await kubelab(['stop', name], { home, env })).code).toBe(0);
    const r = await kubelab(['start', '--name', name], { home, env });
    expect(r.code, r.stderr).toBe(0);
    for (const p of ['full', 'server', 'liveness']) await k(['wait', '-n', 'agent', '--for=condition=Ready', `pod/${p}`, '--timeout=120s']);
    expect(await jsonpath('pod', 'completes', '{.status.phase}')).toBe('Succeeded');
    // One running container per pod container; nothing of deleted pods.
    for (const node of [w1, w2]) {
      const running = (await nested(engine, node, ['ps', '--filter', 'label=io.kubelab.managed=true', '--format', '{{.Label "io.kubernetes.pod.name"}}/{{.Label "io.kubernetes.container.name"}}'])).split('\n').filter(Boolean);
      expect(new Set(running).size).toBe(running.length);
      const all = await podContainers(node);
      for (const gone of ['crash', 'noimage', 'nocm', 'never', 'unready']) expect(all.filter((n) => n.includes(`_${gone}_agent_`))).toEqual([]);
    }
  }, 240_000);

  it('deleting the namespace stops its pods on the nodes before the namespace goes', async () => {
    const r = await kubectl(kubeconfig, ['delete', 'namespace', 'agent', '--timeout=120s']);
    expect(r.code, r.stderr).toBe(0);
    for (const node of [w1, w2]) {
      await expect.poll(() => nested(engine, node, ['ps', '-a', '--filter', 'label=io.kubernetes.pod.namespace=agent', '--format', '{{.Names}}']), { timeout: 20_000 }).toBe('');
    }
  }, 180_000);
});
