// The storage controllers (PV binder, kubelab.io/local-path provisioner, pvc/pv protection) and
// the apiserver's storage admission, run in-process on a real apiserver and etcd and driven with
// real kubectl. The test plays the scheduler (it sets volume.kubernetes.io/selected-node) and the
// node agent's deleter of local-path volumes (it deletes a Released volume as a node would); the
// real ones are tested end-to-end elsewhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiObject } from '../engine/api/resource-type.js';
import { standardStorageClass } from '../engine/controllers/local-path-plan.js';
import { startTestApiServer, type TestApiServer } from './helpers/apiserver.js';
import { apiShorthands, readyNode, startControllers, type InProcessControllers } from './helpers/in-process.js';

let api: TestApiServer;
let controllers: InProcessControllers;
const NS = 'store';

const { ok, getJson, until, eventsIn } = apiShorthands(() => api, { untilMs: 15_000 });
const exists = async (path: string) => (await api.raw('GET', path)).code === 200;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Claim = ApiObject & { spec: { storageClassName?: string; volumeName?: string }; status: { phase: string; capacity?: Record<string, string>; accessModes?: string[] } };
type Volume = ApiObject & { spec: Record<string, unknown> & { claimRef?: { name: string; uid?: string } }; status: { phase: string; message?: string; lastPhaseTransitionTime?: string } };
const claim = (name: string) => getJson<Claim>(`/api/v1/namespaces/${NS}/persistentvolumeclaims/${name}`);
const volume = (name: string) => getJson<Volume>(`/api/v1/persistentvolumes/${name}`);
const eventsAbout = async (ns: string, name: string) => (await eventsIn(ns)).filter((e) => e.involvedObject.name === name);
const hasEvent = (ns: string, name: string, reason: string, message?: string) =>
  until(`${reason} event about ${name}`, async () => (await eventsAbout(ns, name)).find((e) => e.reason === reason && (message === undefined || e.message === message)));

const claimYaml = (name: string, o: { cls?: string; size?: string } = {}) => `
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: ${name}, namespace: ${NS}}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: ${o.size ?? '1Gi'}}}
${o.cls !== undefined ? `  storageClassName: "${o.cls}"\n` : ''}`;
const staticPv = (name: string, size: string, policy = 'Retain') => `
apiVersion: v1
kind: PersistentVolume
metadata: {name: ${name}}
spec:
  storageClassName: manual
  capacity: {storage: ${size}}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: ${policy}
  hostPath: {path: /mnt/${name}}
`;

beforeAll(async () => {
  api = await startTestApiServer();
  // No heartbeats here: the node must not be marked unreachable while the test runs.
  controllers = await startControllers(api, { nodeGraceMs: 600_000 });
  await ok(['create', 'namespace', NS]);
  await controllers.client.create('/api/v1/nodes', readyNode('worker-1'));
});

afterAll(async () => {
  await controllers?.stop();
  await api?.stop();
});

describe.sequential('storage', () => {
  it('gives classless claims the default class: waiting ones when it appears, new ones at admission', async () => {
    await ok(['apply', '-f', '-'], claimYaml('early'));
    await hasEvent(NS, 'early', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
    expect((await claim('early')).spec.storageClassName).toBeUndefined();
    await ok(['create', '-f', '-'], JSON.stringify(standardStorageClass()));
    expect(await ok(['get', 'sc'])).toMatch(/^standard \(default\)\s+kubelab\.io\/local-path\s+Delete\s+WaitForFirstConsumer\s+false\s+\d+s$/m);
    await until('early gets standard', async () => (await claim('early')).spec.storageClassName === 'standard');
    // The create's answer is the object as admitted, before any controller saw it.
    const late = JSON.parse(await ok(['create', '-f', '-', '-o', 'json'], claimYaml('late'))) as Claim;
    expect(late.spec.storageClassName).toBe('standard');
    expect(late.metadata.finalizers).toEqual(['kubernetes.io/pvc-protection']);
    // An explicit "" means "no class" and stays so.
    await ok(['apply', '-f', '-'], claimYaml('none', { cls: '' }));
    expect((await claim('none')).spec.storageClassName).toBe('');
  });

  let uid = '';
  it('waits for the first consumer, then provisions a local-path volume on the selected node and binds it', async () => {
    await ok(['apply', '-f', '-'], claimYaml('data', { size: '2Gi' }));
    await hasEvent(NS, 'data', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
    uid = String((await claim('data')).metadata.uid);
    expect(await exists(`/api/v1/persistentvolumes/pvc-${uid}`)).toBe(false);
    expect(await ok(['-n', NS, 'get', 'pvc', 'data'])).toMatch(/^data\s+Pending\s+standard\s+<unset>\s+\d+s$/m);

    await ok(['-n', NS, 'annotate', 'pvc', 'data', 'volume.kubernetes.io/selected-node=worker-1']);
    const bound = await until('data Bound', async () => {
      const c = await claim('data');
      return c.status.phase === 'Bound' && c;
    });
    const name = `pvc-${uid}`;
    expect(bound.spec.volumeName).toBe(name);
    expect(bound.metadata.annotations).toMatchObject({
      'pv.kubernetes.io/bind-completed': 'yes',
      'pv.kubernetes.io/bound-by-controller': 'yes',
      'volume.kubernetes.io/storage-provisioner': 'kubelab.io/local-path',
      'volume.beta.kubernetes.io/storage-provisioner': 'kubelab.io/local-path',
      'volume.kubernetes.io/selected-node': 'worker-1',
    });
    expect(bound.status).toMatchObject({ phase: 'Bound', capacity: { storage: '2Gi' }, accessModes: ['ReadWriteOnce'] });
    const pv = await until('volume Bound', async () => {
      const v = await volume(name);
      return v.status.phase === 'Bound' && v;
    });
    expect(pv.metadata.annotations).toEqual({ 'pv.kubernetes.io/provisioned-by': 'kubelab.io/local-path', 'kubelab.io/node': 'worker-1' });
    expect(pv.metadata.finalizers).toEqual(['kubernetes.io/pv-protection']);
    expect(pv.spec).toMatchObject({
      capacity: { storage: '2Gi' },
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'standard',
      persistentVolumeReclaimPolicy: 'Delete',
      volumeMode: 'Filesystem',
      hostPath: { path: `/var/lib/kubelab/storage/pvc-${uid}_${NS}_data`, type: 'DirectoryOrCreate' },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['worker-1'] }] }] } },
      claimRef: { kind: 'PersistentVolumeClaim', namespace: NS, name: 'data', uid, apiVersion: 'v1' },
    });
    expect(Date.parse(pv.status.lastPhaseTransitionTime ?? '')).toBeGreaterThan(0);

    await hasEvent(NS, 'data', 'ExternalProvisioning');
    await hasEvent(NS, 'data', 'Provisioning', `External provisioner is provisioning volume for claim "${NS}/data"`);
    const done = await hasEvent(NS, 'data', 'ProvisioningSucceeded', `Successfully provisioned volume ${name}`);
    expect(done.source?.component).toBe('kubelab.io/local-path');
    expect(await ok(['-n', NS, 'get', 'pvc', 'data'])).toMatch(new RegExp(`^data\\s+Bound\\s+${name}\\s+2Gi\\s+RWO\\s+standard\\s+<unset>\\s+\\d+s$`, 'm'));
    expect(await ok(['get', 'pv', name])).toMatch(new RegExp(`^${name}\\s+2Gi\\s+RWO\\s+Delete\\s+Bound\\s+${NS}/data\\s+standard\\s+<unset>\\s+\\d+s$`, 'm'));
  });

  it('provisions an Immediate local-path claim on a node it picks', async () => {
    await ok(['create', '-f', '-'], JSON.stringify({ ...standardStorageClass(), metadata: { name: 'now' }, volumeBindingMode: 'Immediate', reclaimPolicy: 'Retain' }));
    await ok(['apply', '-f', '-'], claimYaml('quick', { cls: 'now' }));
    const c = await until('quick Bound', async () => {
      const x = await claim('quick');
      return x.status.phase === 'Bound' && x;
    });
    const pv = await volume(String(c.spec.volumeName));
    expect(pv.metadata.annotations?.['kubelab.io/node']).toBe('worker-1');
    expect(pv.spec.persistentVolumeReclaimPolicy).toBe('Retain');
  });

  it('binds an Immediate claim to the smallest static volume that fits; pv-protection holds a bound volume', async () => {
    await ok(['apply', '-f', '-'], [staticPv('big', '5Gi'), staticPv('small', '1Gi'), staticPv('tiny', '100Mi')].join('---\n'));
    await until('static volumes Available', async () => (await Promise.all(['big', 'small', 'tiny'].map(volume))).every((v) => v.status.phase === 'Available'));
    await ok(['apply', '-f', '-'], claimYaml('static', { cls: 'manual', size: '500Mi' }));
    const c = await until('static Bound', async () => {
      const x = await claim('static');
      return x.status.phase === 'Bound' && x;
    });
    expect(c.spec.volumeName).toBe('small');
    expect(c.status.capacity).toEqual({ storage: '1Gi' });
    const pv = await until('small Bound', async () => {
      const v = await volume('small');
      return v.status.phase === 'Bound' && v;
    });
    expect(pv.spec.claimRef).toMatchObject({ name: 'static', uid: c.metadata.uid });
    expect(pv.metadata.annotations?.['pv.kubernetes.io/bound-by-controller']).toBe('yes');

    // Deleting a bound volume only marks it while it is bound.
    await ok(['delete', 'pv', 'small', '--wait=false']);
    await sleep(1000);
    const held = await volume('small');
    expect(held.metadata.deletionTimestamp).toBeTruthy();
    expect(await ok(['get', 'pv', 'small'])).toMatch(/^small\s+1Gi\s+RWO\s+Retain\s+Terminating\s+store\/static\s+manual/m);
    // Once its claim goes it is Released, and pv-protection lets it go.
    await ok(['-n', NS, 'delete', 'pvc', 'static']);
    await until('small gone', async () => !(await exists('/api/v1/persistentvolumes/small')));
  });

  it('keeps a released Retain volume Released, and fails a Delete volume nobody can delete', async () => {
    await ok(['apply', '-f', '-'], [staticPv('kept', '1Gi'), staticPv('doomed', '3Gi', 'Delete')].join('---\n'));
    await ok(['apply', '-f', '-'], [claimYaml('keep-me', { cls: 'manual' }), claimYaml('drop-me', { cls: 'manual', size: '3Gi' })].join('---\n'));
    await until('both bound', async () => (await claim('keep-me')).status.phase === 'Bound' && (await claim('drop-me')).status.phase === 'Bound');
    expect((await claim('keep-me')).spec.volumeName).toBe('kept');
    expect((await claim('drop-me')).spec.volumeName).toBe('doomed');
    await ok(['-n', NS, 'delete', 'pvc', 'keep-me', 'drop-me']);
    await until('kept Released', async () => (await volume('kept')).status.phase === 'Released');
    const failed = await until('doomed Failed', async () => {
      const v = await volume('doomed');
      return v.status.phase === 'Failed' && v;
    });
    const message = 'error getting deleter volume plugin for volume "doomed": no deletable volume plugin matched';
    expect(failed.status.message).toBe(message);
    await hasEvent('default', 'doomed', 'VolumeFailedDelete', message);
    await sleep(1000);
    const kept = await volume('kept');
    expect(kept.status.phase).toBe('Released');
    expect(kept.spec.claimRef).toMatchObject({ name: 'keep-me' });
    expect(await ok(['get', 'pv', 'kept'])).toMatch(/^kept\s+1Gi\s+RWO\s+Retain\s+Released\s+store\/keep-me\s+manual/m);
  });

  it('reports ProvisioningFailed for a claim of a class that does not exist', async () => {
    await ok(['apply', '-f', '-'], claimYaml('ghost', { cls: 'fast' }));
    const e = await hasEvent(NS, 'ghost', 'ProvisioningFailed', 'storageclass.storage.k8s.io "fast" not found');
    expect(e.type).toBe('Warning');
    expect(await ok(['-n', NS, 'describe', 'pvc', 'ghost'])).toMatch(/Warning\s+ProvisioningFailed\s+.*persistentvolume-controller\s+storageclass\.storage\.k8s\.io "fast" not found/);
    expect((await claim('ghost')).status.phase).toBe('Pending');
  });

  it('releases a deleted claim\'s local-path volume and leaves its deletion to the node agent', async () => {
    const name = `pvc-${uid}`;
    await ok(['-n', NS, 'delete', 'pvc', 'data']);
    await until('volume Released', async () => (await volume(name)).status.phase === 'Released');
    await sleep(1000);
    expect((await volume(name)).status.phase).toBe('Released');
    // The node agent of worker-1 (group system:nodes) deletes the directory, then the volume.
    const node = api.clientCert('system:node:worker-1', ['system:nodes']);
    const del = await api.raw('DELETE', `/api/v1/persistentvolumes/${name}`, { cert: node });
    expect(del.code, del.body).toBe(200);
    await until('volume gone', async () => !(await exists(`/api/v1/persistentvolumes/${name}`)));
  });

  it('keeps a claim a pod uses until the pod is gone', async () => {
    await ok(['apply', '-f', '-'], claimYaml('busy', { cls: '' }));
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'user', namespace: NS },
      spec: { nodeName: 'worker-1', containers: [{ name: 'c', image: 'busybox' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'busy' } }] },
    };
    await ok(['apply', '-f', '-'], JSON.stringify(pod));
    await ok(['-n', NS, 'delete', 'pvc', 'busy', '--wait=false']);
    await sleep(1500);
    const held = await claim('busy');
    expect(held.metadata.deletionTimestamp).toBeTruthy();
    expect(held.metadata.finalizers).toEqual(['kubernetes.io/pvc-protection']);
    expect(await ok(['-n', NS, 'get', 'pvc', 'busy'])).toMatch(/^busy\s+Terminating\s+/m);
    await ok(['-n', NS, 'delete', 'pod', 'user', '--grace-period=0', '--force']);
    await until('claim gone', async () => !(await exists(`/api/v1/namespaces/${NS}/persistentvolumeclaims/busy`)));
  });
});
