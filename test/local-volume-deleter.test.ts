// The node agent's deleter of local-path volumes against a real apiserver on real etcd, acting as
// the node (system:node:w1 in system:nodes, so its RBAC is what a node has), on a scratch storage
// root: Released Delete volumes of its node lose their directory and their object; Retain,
// Bound, other nodes' volumes and paths outside the root are left alone.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventRecorder } from '../engine/client/event-recorder.js';
import { SharedInformers } from '../engine/client/informer.js';
import type { RestClient } from '../engine/client/rest-client.js';
import { startLocalVolumeDeleter } from '../engine/kubelet/local-volumes.js';
import { nullLogger } from '../engine/log/logger.js';
import { startTestApiServer, type TestApiServer } from './helpers/apiserver.js';
import { apiShorthands, clientOf } from './helpers/in-process.js';
import { kubectl } from './helpers/kubectl.js';

let api: TestApiServer;
let admin: RestClient;
let nodeClient: RestClient;
let informers: SharedInformers;
let deleter: { stop(): void };
const scratch = mkdtempSync(join(tmpdir(), 'kubelab-deleter-'));
const root = join(scratch, 'storage');
const outside = join(scratch, 'outside');
const { until } = apiShorthands(() => api, { untilMs: 10_000, pollMs: 50 });

type Obj = { metadata: { name: string; deletionTimestamp?: string; finalizers?: string[] }; spec?: Record<string, any>; status?: Record<string, any> };

/** A local-path volume as the provisioner makes it, with its directory (holding a file) made too. */
async function volume(name: string, opts: { node?: string; policy?: string; phase?: string; path?: string } = {}): Promise<string> {
  const path = opts.path ?? join(root, `${name}_default_data`);
  mkdirSync(path, { recursive: true });
  writeFileSync(join(path, 'data.txt'), 'hello');
  await admin.create('/api/v1/persistentvolumes', {
    metadata: { name, annotations: { 'pv.kubernetes.io/provisioned-by': 'kubelab.io/local-path', 'kubelab.io/node': opts.node ?? 'w1' } },
    spec: {
      capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: 'standard', persistentVolumeReclaimPolicy: opts.policy ?? 'Delete',
      hostPath: { path, type: 'DirectoryOrCreate' },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [opts.node ?? 'w1'] }] }] } },
    },
  });
  await admin.patch(`/api/v1/persistentvolumes/${name}/status`, { status: { phase: opts.phase ?? 'Released' } });
  return path;
}

const getPv = (name: string) => admin.get<Obj>(`/api/v1/persistentvolumes/${name}`).catch((err) => (err.code === 404 ? undefined : Promise.reject(err)));
/** Gone, or being deleted (its pv-protection finalizer is for the PV controller to lift). */
const deleted = async (name: string) => {
  const pv = await getPv(name);
  return !pv || Boolean(pv.metadata.deletionTimestamp);
};

describe.sequential('the node agent deleting local-path volumes', () => {
  beforeAll(async () => {
    mkdirSync(root, { recursive: true });
    mkdirSync(outside, { recursive: true });
    api = await startTestApiServer({ namespaceDefaults: false });
    admin = clientOf(api, 'deleter-test');
    nodeClient = clientOf(api, 'kubelet/w1', api.clientCert('system:node:w1', ['system:nodes']));
    informers = new SharedInformers(nodeClient);
    deleter = startLocalVolumeDeleter({ client: nodeClient, informers, node: 'w1', events: new EventRecorder(nodeClient, { component: 'kubelet', host: 'w1' }), log: nullLogger, root });
    await informers.waitForSync();
  }, 60_000);

  afterAll(async () => {
    deleter?.stop();
    await informers?.stop();
    nodeClient?.close();
    admin?.close();
    await api?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('lets a node delete volumes and record events about them', async () => {
    for (const verb of ['delete', 'get', 'list', 'watch']) {
      const r = await kubectl(api.kubeconfig, ['auth', 'can-i', verb, 'persistentvolumes', '--as=system:node:w1', '--as-group=system:nodes']);
      expect(r.stdout.trim(), verb).toBe('yes');
    }
    const r = await kubectl(api.kubeconfig, ['auth', 'can-i', 'create', 'events', '-n', 'default', '--as=system:node:w1', '--as-group=system:nodes']);
    expect(r.stdout.trim()).toBe('yes');
  });

  it('removes the directory and the object of a Released volume with reclaimPolicy Delete', async () => {
    const path = await volume('pvc-released');
    await until('directory removed and volume deleted', async () => !existsSync(path) && (await deleted('pvc-released')));
    expect(existsSync(root)).toBe(true);
  });

  it('keeps Retain volumes, volumes still Bound, and volumes of other nodes', async () => {
    const retained = await volume('pvc-retain', { policy: 'Retain' });
    const bound = await volume('pvc-bound', { phase: 'Bound' });
    const elsewhere = await volume('pvc-w2', { node: 'w2' });
    // A volume that is deleted shows the deleter has looked at everything created before it.
    const marker = await volume('pvc-marker');
    await until('marker removed', async () => !existsSync(marker));
    for (const p of [retained, bound, elsewhere]) expect(existsSync(join(p, 'data.txt')), p).toBe(true);
    for (const n of ['pvc-retain', 'pvc-bound', 'pvc-w2']) expect(await deleted(n), n).toBe(false);
    // Level-triggered: once the bound volume is released, it goes too.
    await admin.patch('/api/v1/persistentvolumes/pvc-bound/status', { status: { phase: 'Released' } });
    await until('released volume removed', async () => !existsSync(bound) && (await deleted('pvc-bound')));
  });

  it('refuses to remove a path outside the storage root, with a VolumeFailedDelete event', async () => {
    const path = await volume('pvc-outside', { path: outside });
    const events = await until('VolumeFailedDelete', async () => {
      const { items } = await admin.list<{ message?: string; type?: string; source?: { component?: string } }>('/api/v1/namespaces/default/events', {
        fieldSelector: 'involvedObject.name=pvc-outside,reason=VolumeFailedDelete',
      });
      return items.length ? items : undefined;
    });
    expect(events[0]).toMatchObject({ type: 'Warning', source: { component: 'kubelet' }, message: `refusing to delete "${outside}": only directories directly under ${root}/ are removed` });
    expect(existsSync(join(path, 'data.txt'))).toBe(true);
    expect(await deleted('pvc-outside')).toBe(false);
  });
});
