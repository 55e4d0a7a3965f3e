import { mkdtempSync, rmSync, statSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Claim, PersistentVolume } from '../scheduler/volume-types.js';
import { claimMount, claimProblem, unprocessable, type ClaimSource } from './claim-volumes.js';
import type { Pod } from './pod-types.js';
import { PodVolumes, VolumeError } from './volumes.js';

const boundClaim = (extra: Partial<Claim['metadata']> = {}): Claim => ({
  metadata: { name: 'data', namespace: 'app', uid: 'claim-uid', ...extra },
  spec: { volumeName: 'pv-1', accessModes: ['ReadWriteOnce'] },
  status: { phase: 'Bound' },
});
const pvFor = (spec: PersistentVolume['spec'], annotations: Record<string, string> = {}): PersistentVolume => ({
  metadata: { name: 'pv-1', annotations },
  spec: { claimRef: { kind: 'PersistentVolumeClaim', namespace: 'app', name: 'data', uid: 'claim-uid' }, ...spec },
});
const PREFIX = 'error processing PVC app/data';

describe('claimProblem', () => {
  it.each<[string, Claim | undefined, Error | undefined, string | undefined]>([
    ['a bound claim', boundClaim(), undefined, undefined],
    ['a missing claim', undefined, undefined, `${PREFIX}: failed to fetch PVC from API server: persistentvolumeclaims "data" not found`],
    ['the apiserver failing', undefined, new Error('connection refused'), `${PREFIX}: failed to fetch PVC from API server: connection refused`],
    ['a claim being deleted', boundClaim({ deletionTimestamp: '2025-01-01T00:00:00Z' }), undefined, `${PREFIX}: PVC is being deleted`],
    ['a pending claim', { ...boundClaim(), spec: {}, status: { phase: 'Pending' } }, undefined, `${PREFIX}: PVC is not bound`],
    ['a claim naming a volume before it is Bound', { ...boundClaim(), status: { phase: 'Pending' } }, undefined, `${PREFIX}: PVC is not bound`],
  ])('%s', (_name, claim, err, want) => {
    expect(claimProblem('app', 'data', claim, err)).toBe(want);
  });

  it('is worded as kubelet words a volume it cannot process', () => {
    expect(unprocessable('vol', `${PREFIX}: PVC is not bound`)).toBe(
      `Unable to attach or mount volumes: unmounted volumes=[vol], unattached volumes=[], failed to process volumes=[vol]: ${PREFIX}: PVC is not bound`,
    );
  });
});

describe('claimMount', () => {
  it.each<[string, PersistentVolume | undefined, unknown]>([
    ['a local-path hostPath volume', pvFor({ hostPath: { path: '/var/lib/kubelab/storage/pvc-1_app_data', type: 'DirectoryOrCreate' } }, { 'pv.kubernetes.io/provisioned-by': 'kubelab.io/local-path' }), { pv: 'pv-1', path: '/var/lib/kubelab/storage/pvc-1_app_data', source: 'hostPath', hostPathType: 'DirectoryOrCreate', dirMode: 0o777 }],
    ['a hand-made hostPath volume', pvFor({ hostPath: { path: '/srv/x' } }), { pv: 'pv-1', path: '/srv/x', source: 'hostPath', hostPathType: '', dirMode: 0o755 }],
    ['a local volume', pvFor({ local: { path: '/mnt/disk' } }), { pv: 'pv-1', path: '/mnt/disk', source: 'local', hostPathType: '', dirMode: 0o755 }],
    ['a missing volume', undefined, { problem: `${PREFIX}: failed to fetch PV pv-1 from API server: persistentvolumes "pv-1" not found` }],
    ['a volume not bound back', { ...pvFor({ hostPath: { path: '/x' } }), spec: { hostPath: { path: '/x' } } }, { problem: `${PREFIX}: found PV object pv-1 but it has a nil pv.Spec.ClaimRef indicating it is not yet bound to the claim` }],
    ['a volume bound to an earlier claim of that name', pvFor({ hostPath: { path: '/x' }, claimRef: { name: 'data', namespace: 'app', uid: 'old-uid' } }), { problem: `${PREFIX}: found PV object pv-1 but its pv.Spec.ClaimRef.UID old-uid does not point to claim.UID claim-uid` }],
    ['a block volume', pvFor({ local: { path: '/dev/sdb' }, volumeMode: 'Block' }), { problem: `${PREFIX}: volume pv-1 has volumeMode Block, which this node agent cannot mount` }],
    ['an NFS volume', pvFor({ nfs: { server: 'nas', path: '/export' } }), { problem: `${PREFIX}: volume pv-1 has no source this node agent can mount (it mounts hostPath and local volumes)` }],
  ])('%s', (_name, pv, want) => {
    expect(claimMount('app', boundClaim(), pv)).toEqual(want);
  });

  it("refuses a local-path volume whose directory is on another node", () => {
    const pv = pvFor({ hostPath: { path: '/var/lib/kubelab/storage/pvc-1_app_data', type: 'DirectoryOrCreate' } }, { 'pv.kubernetes.io/provisioned-by': 'kubelab.io/local-path', 'kubelab.io/node': 'w2' });
    expect(claimMount('app', boundClaim(), pv, undefined, 'w1')).toEqual({ problem: `${PREFIX}: volume pv-1 keeps its data on node w2, not on this node (w1)` });
    expect(claimMount('app', boundClaim(), pv, undefined, 'w2')).toMatchObject({ path: '/var/lib/kubelab/storage/pvc-1_app_data' });
  });
});

describe('PodVolumes with persistentVolumeClaim volumes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubelab-claims-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const noConfig = { configMap: async () => undefined, secret: async () => undefined };
  const noTokens = async () => ({ token: '', expiresAt: 0 });
  const facts = { allocatableMilliCpu: 1000, allocatableMemory: 1 << 30 };
  const source = (claims: Record<string, Claim>, pvs: Record<string, PersistentVolume>): ClaimSource => ({
    claim: async (ns, name) => claims[`${ns}/${name}`],
    volume: async (name) => pvs[name],
  });
  const pod = (uid: string, readOnly?: boolean): Pod =>
    ({
      metadata: { name: 'web', namespace: 'app', uid },
      spec: {
        containers: [{ name: 'c', volumeMounts: [{ name: 'store', mountPath: '/data' }, { name: 'store', mountPath: '/logs', subPath: 'logs' }] }],
        volumes: [{ name: 'store', persistentVolumeClaim: { claimName: 'data', readOnly } }],
      },
    }) as Pod;

  it('creates a local-path directory world-writable and bind-mounts it (subPath made inside it)', async () => {
    const path = join(dir, 'pvc-1_app_data');
    const pv = pvFor({ hostPath: { path, type: 'DirectoryOrCreate' } }, { 'pv.kubernetes.io/provisioned-by': 'kubelab.io/local-path' });
    const volumes = new PodVolumes(noConfig, noTokens, facts, source({ 'app/data': boundClaim() }, { 'pv-1': pv }));
    await volumes.setUp(pod('u1'));
    expect(statSync(path).isDirectory()).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o777);
    const mounts = await volumes.mountsFor(pod('u1'), pod('u1').spec.containers[0]!, new Map());
    expect(mounts).toEqual([
      { source: path, target: '/data', readOnly: false },
      { source: join(path, 'logs'), target: '/logs', readOnly: false },
    ]);
    expect(statSync(join(path, 'logs')).isDirectory()).toBe(true);
    // Tearing the pod down leaves the data where it is.
    await volumes.tearDown('u1');
    expect(statSync(path).isDirectory()).toBe(true);
    await expect(volumes.mountsFor(pod('u1'), pod('u1').spec.containers[0]!, new Map())).rejects.toThrow('is not set up yet');
  });

  it('honours readOnly on the claim volume', async () => {
    const path = join(dir, 'ro');
    const volumes = new PodVolumes(noConfig, noTokens, facts, source({ 'app/data': boundClaim() }, { 'pv-1': pvFor({ hostPath: { path, type: 'DirectoryOrCreate' } }) }));
    await volumes.setUp(pod('u2', true));
    expect(statSync(path).mode & 0o777).not.toBe(0o777);
    const [first] = await volumes.mountsFor(pod('u2', true), pod('u2', true).spec.containers[0]!, new Map());
    expect(first).toEqual({ source: path, target: '/data', readOnly: true });
  });

  it('mounts a local volume whose path exists, and refuses one whose path does not', async () => {
    const disk = join(dir, 'disk');
    mkdirSync(disk);
    const ok = new PodVolumes(noConfig, noTokens, facts, source({ 'app/data': boundClaim() }, { 'pv-1': pvFor({ local: { path: disk } }) }));
    await ok.setUp(pod('u3'));
    expect((await ok.mountsFor(pod('u3'), pod('u3').spec.containers[0]!, new Map()))[0]?.source).toBe(disk);
    const gone = join(dir, 'gone');
    const bad = new PodVolumes(noConfig, noTokens, facts, source({ 'app/data': boundClaim() }, { 'pv-1': pvFor({ local: { path: gone } }) }));
    const err = await bad.setUp(pod('u4')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VolumeError);
    expect((err as Error).message).toBe(`MountVolume.NewMounter initialization failed for volume "pv-1" : path "${gone}" does not exist`);
  });

  it('fails with FailedMount text while the claim is unbound, and works once it is bound', async () => {
    const path = join(dir, 'later');
    const claims: Record<string, Claim> = { 'app/data': { ...boundClaim(), spec: {}, status: { phase: 'Pending' } } };
    const volumes = new PodVolumes(noConfig, noTokens, facts, source(claims, { 'pv-1': pvFor({ hostPath: { path, type: 'DirectoryOrCreate' } }) }));
    const err = await volumes.setUp(pod('u5')).catch((e: unknown) => e);
    expect((err as Error).message).toBe(unprocessable('store', `${PREFIX}: PVC is not bound`));
    claims['app/data'] = boundClaim();
    await volumes.setUp(pod('u5'));
    expect(statSync(path).isDirectory()).toBe(true);
  });

  it('checks the hostPath type of the volume', async () => {
    const volumes = new PodVolumes(noConfig, noTokens, facts, source({ 'app/data': boundClaim() }, { 'pv-1': pvFor({ hostPath: { path: join(dir, 'absent'), type: 'Directory' } }) }));
    await expect(volumes.setUp(pod('u6'))).rejects.toThrow(`MountVolume.SetUp failed for volume "pv-1" : hostPath type check failed: ${join(dir, 'absent')} is not a directory`);
  });
});
