// The apiserver (core/v1 namespaces, configmaps, secrets) on a real etcd, driven by real kubectl 1.34.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyPair } from '../engine/certs/x509.js';
import { startTestApiServer, type TestApiServer } from './helpers/apiserver.js';
import { kubectl, kubectlStream } from './helpers/kubectl.js';

let api: TestApiServer;
let kc: string;
let outsider: KeyPair;
let admin: KeyPair;
const raw: TestApiServer['raw'] = (method, path, opts = {}) => api.raw(method, path, { cert: null, ...opts });

describe.sequential('apiserver with real kubectl', () => {
  beforeAll(async () => {
    api = await startTestApiServer({ namespaceDefaults: false }); // raw apiserver semantics: no kube-root-ca.crt or default accounts appearing
    kc = api.kubeconfig;
    admin = api.admin;
    outsider = api.clientCert('jane', ['developers']);
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('answers kubectl version and api-resources', async () => {
    const v = await kubectl(kc, ['version']);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toMatch(/Server Version: v1\.34\.0\+kubelab\.0\.1\.0/);
    const r = await kubectl(kc, ['api-resources']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^configmaps\s+cm\s+v1\s+true\s+ConfigMap$/m);
    expect(r.stdout).toMatch(/^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
    expect(r.stdout).toMatch(/^secrets\s+v1\s+true\s+Secret$/m);
  });

  it('creates and lists namespaces as kubectl users know them', async () => {
    const c = await kubectl(kc, ['create', 'namespace', 'demo']);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout.trim()).toBe('namespace/demo created');
    const g = await kubectl(kc, ['get', 'ns']);
    expect(g.stdout).toMatch(/^NAME\s+STATUS\s+AGE$/m);
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'demo']) expect(g.stdout).toMatch(new RegExp(`^${ns}\\s+Active\\s+\\d+s$`, 'm'));
  });

  it('creates ConfigMaps and Secrets and prints them in every output format', async () => {
    const c = await kubectl(kc, ['-n', 'demo', 'create', 'configmap', 'app', '--from-literal=a=1', '--from-literal=b=2']);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout.trim()).toBe('configmap/app created');
    const g = await kubectl(kc, ['-n', 'demo', 'get', 'cm']);
    expect(g.stdout).toMatch(/^NAME\s+DATA\s+AGE\napp\s+2\s+\d+s$/m);
    const y = await kubectl(kc, ['-n', 'demo', 'get', 'configmap', 'app', '-o', 'yaml']);
    expect(y.stdout).toMatch(/^ {2}a: "1"$/m);
    expect(y.stdout).toMatch(/^ {2}uid: [0-9a-f-]{36}$/m);
    expect(y.stdout).toMatch(/^ {2}resourceVersion: "\d+"$/m);
    expect(y.stdout).toMatch(/^ {2}creationTimestamp: "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"$/m);
    const j = await kubectl(kc, ['-n', 'demo', 'get', 'cm', 'app', '-o', 'jsonpath={.data.b}']);
    expect(j.stdout).toBe('2');
    const again = await kubectl(kc, ['-n', 'demo', 'create', 'configmap', 'app']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('configmaps "app" already exists');

    const s = await kubectl(kc, ['-n', 'demo', 'create', 'secret', 'generic', 'db', '--from-literal=password=hunter2']);
    expect(s.code, s.stderr).toBe(0);
    const sj = JSON.parse((await kubectl(kc, ['-n', 'demo', 'get', 'secret', 'db', '-o', 'json'])).stdout);
    expect(sj.type).toBe('Opaque');
    expect(Buffer.from(sj.data.password, 'base64').toString()).toBe('hunter2');
    expect((await kubectl(kc, ['-n', 'demo', 'get', 'secrets'])).stdout).toMatch(/^db\s+Opaque\s+1\s+\d+s$/m);
  });

  it('applies manifests with kubectl apply, validated by the server', async () => {
    const manifest = (value: string, extra = '') =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\n  namespace: demo\ndata:\n  key: "${value}"\n${extra}`;
    const first = await kubectl(kc, ['apply', '-f', '-'], manifest('1'));
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trim()).toBe('configmap/applied created');
    const same = await kubectl(kc, ['apply', '-f', '-'], manifest('1'));
    expect(same.stdout.trim()).toBe('configmap/applied unchanged');
    const changed = await kubectl(kc, ['apply', '-f', '-'], manifest('2'));
    expect(changed.stdout.trim()).toBe('configmap/applied configured');
    expect((await kubectl(kc, ['-n', 'demo', 'get', 'cm', 'applied', '-o', 'jsonpath={.data.key}'])).stdout).toBe('2');
    const bad = await kubectl(kc, ['apply', '-f', '-'], manifest('3', 'colour: blue\n'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('unknown field "colour"');
    expect((await kubectl(kc, ['-n', 'demo', 'get', 'cm', 'applied', '-o', 'jsonpath={.data.key}'])).stdout).toBe('2');
  });

  it('serves coordination.k8s.io Leases', async () => {
    const r = await kubectl(kc, ['api-resources', '--api-group=coordination.k8s.io']);
    expect(r.stdout).toMatch(/^leases\s+coordination\.k8s\.io\/v1\s+true\s+Lease$/m);
    const lease = 'apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata:\n  name: node-a\n  namespace: kube-node-lease\nspec:\n  holderIdentity: node-a\n  leaseDurationSeconds: 40\n  renewTime: "2026-11-22T04:00:00.123456Z"\n';
    const a = await kubectl(kc, ['apply', '-f', '-'], lease);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout.trim()).toBe('lease.coordination.k8s.io/node-a created');
    expect((await kubectl(kc, ['-n', 'kube-node-lease', 'get', 'leases'])).stdout).toMatch(/^NAME\s+HOLDER\s+AGE\nnode-a\s+node-a\s+\d+s$/m);
    const bad = await kubectl(kc, ['apply', '-f', '-'], lease.replace('40', '-5'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('spec.leaseDurationSeconds: Invalid value: -5: must be greater than 0');
  });

  it('explains fields from its OpenAPI schemas', async () => {
    const e = await kubectl(kc, ['explain', 'configmap.data']);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toMatch(/KIND:\s+ConfigMap/);
    expect(e.stdout).toMatch(/FIELD:\s+data <map\[string\]string>/);
    expect(e.stdout).toContain('Configuration values as UTF-8 strings');
    const meta = await kubectl(kc, ['explain', 'secret.metadata.labels']);
    expect(meta.stdout).toContain('Key-value pairs for selecting and grouping objects.');
  });

  it('labels objects and selects by label', async () => {
    const l = await kubectl(kc, ['-n', 'demo', 'label', 'cm', 'app', 'tier=web']);
    expect(l.code, l.stderr).toBe(0);
    expect(l.stdout.trim()).toBe('configmap/app labeled');
    expect((await kubectl(kc, ['-n', 'demo', 'get', 'cm', '-l', 'tier=web', '-o', 'name'])).stdout.trim()).toBe('configmap/app');
    const none = await kubectl(kc, ['-n', 'demo', 'get', 'cm', '-l', 'tier=db']);
    expect(none.stderr.trim()).toBe('No resources found in demo namespace.');
    const a = await kubectl(kc, ['-n', 'demo', 'annotate', 'cm', 'app', 'owner=ops']);
    expect(a.code, a.stderr).toBe(0);
    expect((await kubectl(kc, ['-n', 'demo', 'get', 'cm', 'app', '-o', 'jsonpath={.metadata.annotations.owner}'])).stdout).toBe('ops');
  });

  it('streams changes to kubectl get -w', async () => {
    const w = await kubectlStream(kc, ['-n', 'demo', 'get', 'cm', '-w']);
    try {
      await expect.poll(w.output, { timeout: 10_000 }).toMatch(/^app\s+2\s+/m);
      await kubectl(kc, ['-n', 'demo', 'create', 'configmap', 'late', '--from-literal=x=y']);
      await expect.poll(w.output, { timeout: 10_000 }).toMatch(/^late\s+1\s+/m);
      expect(w.output().match(/^NAME\s+DATA\s+AGE$/gm)).toHaveLength(1);
    } finally {
      w.child.kill();
    }
  });

  it('rejects invalid objects with 422 and stores nothing', async () => {
    const r = await kubectl(kc, ['-n', 'demo', 'create', 'configmap', 'Bad_Name']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ConfigMap "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
    const missing = await kubectl(kc, ['-n', 'nope', 'create', 'configmap', 'x']);
    expect(missing.stderr).toContain('namespaces "nope" not found');
  });

  it('deletes objects, and a namespace with everything in it', async () => {
    const d = await kubectl(kc, ['-n', 'demo', 'delete', 'cm', 'late']);
    expect(d.code, d.stderr).toBe(0);
    expect(d.stdout.trim()).toBe('configmap "late" deleted from demo namespace');
    const ns = await kubectl(kc, ['delete', 'namespace', 'demo', '--timeout=30s']);
    expect(ns.code, ns.stderr).toBe(0);
    expect((await kubectl(kc, ['get', 'ns', 'demo'])).stderr).toContain('namespaces "demo" not found');
    const { items } = await api.storage.list({ resource: 'configmaps', namespace: 'demo' });
    expect(items).toHaveLength(0);
  });

  it('answers 401 without credentials except for health and version, 403 without rights', async () => {
    for (const path of ['/api', '/api/v1/namespaces', '/api/v1/namespaces/default/configmaps']) {
      const r = await raw('GET', path);
      expect(r.code).toBe(401);
      expect(JSON.parse(r.body)).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
    }
    for (const path of ['/healthz', '/livez', '/readyz', '/version']) expect((await raw('GET', path)).code).toBe(200);
    const f = await raw('GET', '/api/v1/namespaces/default/configmaps', { cert: outsider });
    expect(f.code).toBe(403);
    expect(JSON.parse(f.body).message).toContain('User "jane" cannot list');
  });

  it('turns bad bodies into clear Status errors and keeps serving', async () => {
    const post = (body: string | Buffer, query = '') => raw('POST', `/api/v1/namespaces/default/configmaps${query}`, { body, cert: admin });
    const malformed = await post('{"metadata": ');
    expect(malformed.code).toBe(400);
    expect(JSON.parse(malformed.body).message).toMatch(/not valid JSON/);
    const strict = await post(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, bogus: 1 }), '?fieldValidation=Strict');
    expect(strict.code).toBe(400);
    expect(JSON.parse(strict.body).message).toBe('strict decoding error: unknown field "bogus"');
    const wrongKind = await post(JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }));
    expect(wrongKind.code).toBe(400);
    const noName = await post(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }));
    expect(noName.code).toBe(422);
    expect(JSON.parse(noName.body).details.causes[0]).toMatchObject({ reason: 'FieldValueRequired', field: 'metadata.name' });
    const huge = await post(Buffer.alloc(10 * 1024 * 1024, 'a'));
    expect(huge.code).toBe(413);
    const unknownKind = await raw('GET', '/api/v1/namespaces/default/widgets', { cert: admin });
    expect(unknownKind.code).toBe(404);
    expect((await api.storage.list({ resource: 'configmaps', namespace: 'default' })).items).toHaveLength(0);
    expect((await kubectl(kc, ['get', 'ns', 'default'])).code).toBe(0);
  });

  it('answers 409 Conflict to an update from a stale resourceVersion', async () => {
    const created = JSON.parse((await raw('POST', '/api/v1/namespaces/default/configmaps', { body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cas' }, data: { v: '1' } }), cert: admin })).body);
    const put = (data: Record<string, string>) =>
      raw('PUT', '/api/v1/namespaces/default/configmaps/cas', { body: JSON.stringify({ ...created, data }), cert: admin });
    expect((await put({ v: '2' })).code).toBe(200);
    const stale = await put({ v: '3' });
    expect(stale.code).toBe(409);
    expect(JSON.parse(stale.body).reason).toBe('Conflict');
  });
});
