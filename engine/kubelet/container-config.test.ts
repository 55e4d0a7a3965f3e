import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tarOf } from './builtin-images.js';
import { containerConfig, needsSandboxContainer, podHostname, resourceSettings, sandboxConfig, specHash, userOf } from './container-config.js';
import type { Pod } from './pod-types.js';

const pod: Pod = { metadata: { name: 'web-0', namespace: 'shop', uid: 'uid-1' }, spec: { containers: [{ name: 'c', image: 'img:1' }], securityContext: { runAsUser: 1000, supplementalGroups: [5, 6] } } };

describe('container configuration', () => {
  it.each([
    [{}, {}, undefined],
    [{ runAsUser: 7 }, {}, '7'],
    [{}, { runAsUser: 1, runAsGroup: 2 }, '1:2'],
    [{ runAsUser: 7 }, { runAsUser: 1, runAsGroup: 2 }, '1:2'],
    [{ runAsGroup: 9 }, {}, '0:9'],
  ])('runs as pod %j container %j → %s', (podSc, containerSc, want) => {
    expect(userOf({ ...pod, spec: { ...pod.spec, securityContext: podSc } }, { name: 'c', securityContext: containerSc })).toBe(want);
  });

  it.each([
    [{}, { CpuShares: 2 }],
    [{ requests: { cpu: '250m' } }, { CpuShares: 256 }],
    [{ limits: { cpu: '500m', memory: '64Mi' } }, { CpuPeriod: 100000, CpuQuota: 50000, CpuShares: 512, Memory: 67108864, MemorySwap: 67108864 }],
    [{ limits: { cpu: '2' }, requests: { cpu: '100m' } }, { CpuPeriod: 100000, CpuQuota: 200000, CpuShares: 102 }],
  ])('limits %j become %j', (resources, want) => {
    expect(resourceSettings({ name: 'c', resources })).toEqual(want);
  });

  it('joins the sandbox, mounts read-only where asked and maps the security context', () => {
    const cfg = containerConfig(pod, {
      container: { name: 'c', image: 'img:1', workingDir: '/w', tty: true, stdin: true, securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] } } },
      kind: 'app',
      attempt: 3,
      env: new Map([['A', '1']]),
      entrypoint: ['sh'],
      cmd: ['-c', 'true'],
      mounts: [{ source: '/var/lib/kubelab/pods/uid-1/volumes/v', target: '/data', readOnly: false }, { source: '/etc/x', target: '/x', readOnly: true }],
      sandboxId: 'sbx',
    }) as Record<string, any>;
    expect(cfg).toMatchObject({ Image: 'img:1', Entrypoint: ['sh'], Cmd: ['-c', 'true'], Env: ['A=1'], WorkingDir: '/w', User: '1000', Tty: true, OpenStdin: true });
    expect(cfg.Labels).toMatchObject({ 'io.kubernetes.pod.name': 'web-0', 'io.kubernetes.pod.namespace': 'shop', 'io.kubernetes.pod.uid': 'uid-1', 'io.kubernetes.container.name': 'c', 'io.kubelab.restart-count': '3', 'io.kubelab.container-kind': 'app' });
    expect(cfg.HostConfig).toMatchObject({
      NetworkMode: 'container:sbx',
      IpcMode: 'container:sbx',
      Binds: ['/var/lib/kubelab/pods/uid-1/volumes/v:/data', '/etc/x:/x:ro'],
      ReadonlyRootfs: true,
      CapAdd: ['NET_ADMIN'],
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      GroupAdd: ['5', '6'],
    });
  });

  it('puts a container of a pod without sandbox container into the pod\'s pinned namespaces through the kubelab-pod runtime', () => {
    const cfg = containerConfig(pod, { container: { name: 'c', image: 'img:1' }, kind: 'app', attempt: 0, env: new Map(), mounts: [] }) as Record<string, any>;
    expect(cfg).toMatchObject({ NetworkDisabled: true, Hostname: 'web-0', HostConfig: { Runtime: 'kubelab-pod', IpcMode: 'none' } });
    expect(cfg.HostConfig.NetworkMode).toBeUndefined();
    expect(cfg.HostConfig.PidMode).toBeUndefined();
    expect(needsSandboxContainer(pod)).toBe(false);
    expect(needsSandboxContainer({ ...pod, spec: { ...pod.spec, hostNetwork: true } })).toBe(true);
    expect(needsSandboxContainer({ ...pod, spec: { ...pod.spec, shareProcessNamespace: true } })).toBe(true);
  });

  it('gives the sandbox the pod name as host name and leaves its network to the agent, or the node network', () => {
    const own = sandboxConfig(pod, 0, { ip: '10.244.1.7', dns: { servers: ['10.96.0.10'], searches: [], options: [] } }) as { Hostname: string; NetworkDisabled: boolean; Labels: Record<string, string>; HostConfig: Record<string, unknown> };
    expect(own).toMatchObject({ Hostname: 'web-0', NetworkDisabled: true, Labels: { 'io.kubelab.pod-ip': '10.244.1.7', 'io.kubelab.container-kind': 'sandbox' } });
    // Docker's networking and resolver settings stay out: the agent wires the sandbox and writes resolv.conf.
    expect(own.HostConfig.NetworkMode).toBeUndefined();
    expect(own.HostConfig.Dns).toBeUndefined();
    const host = sandboxConfig({ ...pod, spec: { ...pod.spec, hostNetwork: true } }, 1, { dns: { servers: ['1.1.1.1'], searches: ['x'], options: [] } });
    expect(host).toMatchObject({ HostConfig: { NetworkMode: 'host', Dns: ['1.1.1.1'], DnsSearch: ['x'] } });
    expect(host).not.toHaveProperty('Hostname');
    expect(host).not.toHaveProperty('NetworkDisabled');
    expect(podHostname({ ...pod, metadata: { name: `${'a'.repeat(62)}-b` } })).toBe('a'.repeat(62));
    expect(podHostname({ ...pod, spec: { ...pod.spec, hostname: 'custom' } })).toBe('custom');
  });

  it('changes the spec hash with the image but not with resources', () => {
    const base = { name: 'c', image: 'img:1', resources: { limits: { cpu: '1' } } };
    expect(specHash(base)).toBe(specHash({ ...base, resources: { limits: { cpu: '2' } } }));
    expect(specHash(base)).not.toBe(specHash({ ...base, image: 'img:2' }));
  });
});

describe('tar archives of the built-in images', () => {
  it('are read by tar with the right names, types, modes and sizes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubelab-tar-'));
    try {
      const file = join(dir, 'x.tar');
      writeFileSync(file, tarOf([
        { path: 'bin', dir: true, mode: 0o755 },
        { path: 'bin/tool', data: Buffer.alloc(1000, 1), mode: 0o755 },
        { path: 'bin/alias', link: 'tool' },
        { path: 'tmp', dir: true, mode: 0o1777 },
        { path: 'etc/passwd', data: Buffer.from('root:x:0:0::/root:/bin/sh\n'), mode: 0o644 },
      ]));
      const listing = execFileSync('tar', ['-tvf', file], { encoding: 'utf8' }).trim().split('\n');
      expect(listing.map((l) => l.split(/\s+/)[0])).toEqual(['drwxr-xr-x', '-rwxr-xr-x', 'lrwxrwxrwx', 'drwxrwxrwt', '-rw-r--r--']);
      expect(listing[1]).toMatch(/ 1000 .* bin\/tool$/);
      expect(listing[2]).toMatch(/bin\/alias -> tool$/);
      execFileSync('tar', ['-xf', file, '-C', dir]);
      expect(execFileSync('cat', [join(dir, 'etc/passwd')], { encoding: 'utf8' })).toBe('root:x:0:0::/root:/bin/sh\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
