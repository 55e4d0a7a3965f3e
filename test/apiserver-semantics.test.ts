// Object lifecycle semantics of the apiserver on real etcd, through real kubectl and raw requests:
// garbage collection by owner references (background, foreground, orphan), deletecollection,
// strategic merge patches, delete preconditions and dry runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from './helpers/apiserver.js';
import { kubectl } from './helpers/kubectl.js';

let api: TestApiServer;
const CM = '/api/v1/namespaces/default/configmaps';

async function make(name: string, extra: Record<string, unknown> = {}): Promise<{ metadata: { uid: string; resourceVersion: string } }> {
  const r = await api.raw('POST', CM, { body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...extra }, data: { v: name } }) });
  expect(r.code, r.body).toBe(201);
  return JSON.parse(r.body);
}

const ownedBy = (name: string, uid: string, block = false) => ({ ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name, uid, ...(block ? { blockOwnerDeletion: true } : {}) }] });
const exists = async (name: string) => (await api.raw('GET', `${CM}/${name}`)).code === 200;

async function eventually(check: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting until ${what}`);
}

describe.sequential('object lifecycle semantics', () => {
  beforeAll(async () => {
    api = await startTestApiServer();
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('ends watches at their timeout while events and bookmarks keep coming, and stays up', async () => {
    // Twenty watches time out after 1 s while ConfigMaps are written as fast as the server takes them:
    // events arriving around each end must be dropped, not written after it.
    const writing = { on: true };
    let n = 0;
    const writer = (async () => {
      while (writing.on) await make(`churn-${n++}`);
    })();
    const watches = await Promise.all(Array.from({ length: 20 }, () => api.raw('GET', `${CM}?watch=1&timeoutSeconds=1&allowWatchBookmarks=true`)));
    writing.on = false;
    await writer;
    for (const w of watches) {
      expect(w.code).toBe(200);
      const lines = w.body.trim().split('\n').map((l) => JSON.parse(l) as { type: string });
      expect(lines.some((l) => l.type === 'ADDED')).toBe(true);
    }
    expect((await api.raw('GET', '/healthz')).code).toBe(200);
    expect(n).toBeGreaterThan(0);
  });

  it('collects dependents whose owner is deleted (background, the default)', async () => {
    const owner = await make('owner-bg');
    await make('dep-bg-1', ownedBy('owner-bg', owner.metadata.uid));
    await make('dep-bg-2', ownedBy('owner-bg', owner.metadata.uid));
    const d = await kubectl(api.kubeconfig, ['delete', 'configmap', 'owner-bg']);
    expect(d.code, d.stderr).toBe(0);
    await eventually(async () => !(await exists('dep-bg-1')) && !(await exists('dep-bg-2')), 'both dependents are collected');
  });

  it('collects an object created with a reference to an owner that never existed', async () => {
    await make('dangling', ownedBy('ghost', '00000000-0000-0000-0000-000000000000'));
    await eventually(async () => !(await exists('dangling')), 'the dangling dependent is collected');
  });

  it('keeps dependents but drops their reference with --cascade=orphan', async () => {
    const owner = await make('owner-orphan');
    await make('dep-orphan', ownedBy('owner-orphan', owner.metadata.uid));
    const d = await kubectl(api.kubeconfig, ['delete', 'configmap', 'owner-orphan', '--cascade=orphan']);
    expect(d.code, d.stderr).toBe(0);
    await eventually(async () => !(await exists('owner-orphan')), 'the owner is gone');
    const dep = JSON.parse((await api.raw('GET', `${CM}/dep-orphan`)).body);
    expect(dep.metadata.ownerReferences).toBeUndefined();
  });

  it('deletes blocking dependents before the owner with --cascade=foreground', async () => {
    const owner = await make('owner-fg');
    // A finalizer holds the dependent, so the owner must wait visibly.
    await make('dep-fg', { ...ownedBy('owner-fg', owner.metadata.uid, true), finalizers: ['example.com/hold'] });
    const del = kubectl(api.kubeconfig, ['delete', 'configmap', 'owner-fg', '--cascade=foreground', '--wait=false']);
    expect((await del).code).toBe(0);
    await eventually(async () => JSON.parse((await api.raw('GET', `${CM}/dep-fg`)).body).metadata.deletionTimestamp !== undefined, 'the dependent is being deleted');
    const waiting = JSON.parse((await api.raw('GET', `${CM}/owner-fg`)).body);
    expect(waiting.metadata.finalizers).toContain('foregroundDeletion');
    expect(waiting.metadata.deletionTimestamp).toBeDefined();
    // Releasing the dependent's finalizer lets both go.
    const p = await api.raw('PATCH', `${CM}/dep-fg`, { body: JSON.stringify({ metadata: { finalizers: null } }), contentType: 'application/merge-patch+json' });
    expect(p.code, p.body).toBe(200);
    await eventually(async () => !(await exists('dep-fg')) && !(await exists('owner-fg')), 'dependent and owner are gone');
  });

  it('deletes a collection by label selector, and only that', async () => {
    for (const n of ['col-a', 'col-b']) await make(n, { labels: { batch: 'one' } });
    await make('col-c', { labels: { batch: 'two' } });
    const r = await api.raw('DELETE', `${CM}?labelSelector=batch%3Done`);
    expect(r.code, r.body).toBe(200);
    expect(JSON.parse(r.body).items.map((i: { metadata: { name: string } }) => i.metadata.name).sort()).toEqual(['col-a', 'col-b']);
    expect([await exists('col-a'), await exists('col-b'), await exists('col-c')]).toEqual([false, false, true]);
  });

  it('honours delete preconditions and dry runs', async () => {
    const cm = await make('pre');
    const stale = await api.raw('DELETE', `${CM}/pre`, { body: JSON.stringify({ preconditions: { uid: 'not-it' } }) });
    expect(stale.code).toBe(409);
    expect(JSON.parse(stale.body).message).toMatch(/Precondition failed: UID in precondition: not-it/);
    const dry = await api.raw('DELETE', `${CM}/pre?dryRun=All`);
    expect(dry.code).toBe(200);
    expect(await exists('pre')).toBe(true);
    const ok = await api.raw('DELETE', `${CM}/pre`, { body: JSON.stringify({ preconditions: { uid: cm.metadata.uid, resourceVersion: cm.metadata.resourceVersion } }) });
    expect(ok.code, ok.body).toBe(200);
    expect(await exists('pre')).toBe(false);
  });

  it('merges finalizers and owner references with strategic merge patches', async () => {
    await make('smp', { finalizers: ['a.example/one'], ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'x', uid: 'u1' }, { apiVersion: 'v1', kind: 'ConfigMap', name: 'y', uid: 'u2' }] });
    const p = await kubectl(api.kubeconfig, ['patch', 'configmap', 'smp', '--type=strategic', '-p', JSON.stringify({ metadata: { finalizers: ['b.example/two'], ownerReferences: [{ uid: 'u2', $patch: 'delete' }] } })]);
    expect(p.code, p.stderr).toBe(0);
    const got = JSON.parse((await api.raw('GET', `${CM}/smp`)).body);
    expect(got.metadata.finalizers).toEqual(['a.example/one', 'b.example/two']);
    expect(got.metadata.ownerReferences.map((r: { uid: string }) => r.uid)).toEqual(['u1']);
    // Clean up: the finalizers would hold the object forever.
    await api.raw('PATCH', `${CM}/smp`, { body: JSON.stringify({ metadata: { finalizers: null, ownerReferences: null } }), contentType: 'application/merge-patch+json' });
  });

  it('does not write (or change resourceVersion) when an update changes nothing', async () => {
    const cm = await make('same');
    const p = await api.raw('PATCH', `${CM}/same`, { body: JSON.stringify({ data: { v: 'same' } }), contentType: 'application/merge-patch+json' });
    expect(JSON.parse(p.body).metadata.resourceVersion).toBe(cm.metadata.resourceVersion);
  });

  it('serves server-side apply: ownership, conflicts, --force-conflicts, and removal of dropped fields', async () => {
    const manifest = (data: Record<string, string>) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\n  namespace: default\ndata:\n${Object.entries(data).map(([k, v]) => `  ${k}: "${v}"`).join('\n')}\n`;
    const first = await kubectl(api.kubeconfig, ['apply', '--server-side', '-f', '-'], manifest({ a: '1', b: '2' }));
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trim()).toBe('configmap/ssa serverside-applied');
    const yaml = await kubectl(api.kubeconfig, ['get', 'cm', 'ssa', '-o', 'json', '--show-managed-fields']);
    const mf = JSON.parse(yaml.stdout).metadata.managedFields;
    expect(mf).toEqual([expect.objectContaining({ manager: 'kubectl', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {}, 'f:b': {} } } })]);
    // Someone else changes a: now applying a different a conflicts.
    const edit = await kubectl(api.kubeconfig, ['patch', 'cm', 'ssa', '--type=merge', '-p', '{"data":{"a":"edited"}}']);
    expect(edit.code, edit.stderr).toBe(0);
    const conflict = await kubectl(api.kubeconfig, ['apply', '--server-side', '-f', '-'], manifest({ a: 'mine', b: '2' }));
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toMatch(/Apply failed with 1 conflict: conflict with "kubectl-patch"/);
    expect(conflict.stderr).toMatch(/\.data\.a/);
    const forced = await kubectl(api.kubeconfig, ['apply', '--server-side', '--force-conflicts', '-f', '-'], manifest({ a: 'mine' }));
    expect(forced.code, forced.stderr).toBe(0);
    const after = JSON.parse((await kubectl(api.kubeconfig, ['get', 'cm', 'ssa', '-o', 'json', '--show-managed-fields'])).stdout);
    expect(after.data).toEqual({ a: 'mine' });
    expect(after.metadata.managedFields.map((e: { manager: string }) => e.manager)).toEqual(['kubectl']);
  });

  it('records who created and changed an object in managedFields', async () => {
    const c = await kubectl(api.kubeconfig, ['create', 'configmap', 'mf', '--from-literal=k=v']);
    expect(c.code, c.stderr).toBe(0);
    const l = await kubectl(api.kubeconfig, ['label', 'configmap', 'mf', 'tier=web']);
    expect(l.code, l.stderr).toBe(0);
    const obj = JSON.parse((await kubectl(api.kubeconfig, ['get', 'cm', 'mf', '-o', 'json', '--show-managed-fields'])).stdout);
    expect(obj.metadata.managedFields.map((e: { manager: string; operation: string }) => `${e.manager}/${e.operation}`)).toEqual(['kubectl-create/Update', 'kubectl-label/Update']);
    const plain = JSON.parse((await kubectl(api.kubeconfig, ['get', 'cm', 'mf', '-o', 'json'])).stdout);
    expect(plain.metadata.managedFields).toBeUndefined();
  });
});
