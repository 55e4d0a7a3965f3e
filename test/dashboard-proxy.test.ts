// The dashboard's /k8s proxy against a real apiserver on a real etcd (in-process, no Docker): the
// dashboard reaches it as its admin with the cluster's client certificate, as it reaches a
// cluster's apiserver. Bodies, codes and Status errors pass through; watches stream; a client that
// goes away closes the upstream connection; the browser's headers do not reach the apiserver.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { createServer, connect, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProxyRefusal, type ApiTarget } from '../engine/dashboard/k8s-proxy.js';
import { startDashboard, type Dashboard } from '../engine/dashboard/server.js';
import { createEngine } from '../engine/index.js';
import { startTestApiServer, type TestApiServer } from './helpers/apiserver.js';
import { raw, signIn } from './helpers/dashboard.js';
import { eventually } from './helpers/eventually.js';

let api: TestApiServer;
let dir: string;
let dash: Dashboard;
let cookie: string;
let closedPort: number;
/** A TCP relay in front of the apiserver that counts the dashboard's open upstream connections. */
let relay: { server: Server; port: number; open: () => number };

function startRelay(target: number): Promise<typeof relay> {
  let open = 0;
  const server = createServer((client) => {
    open++;
    const upstream = connect(target, '127.0.0.1');
    client.pipe(upstream).pipe(client);
    let gone = false;
    const done = () => {
      if (gone) return;
      gone = true;
      open--;
      client.destroy();
      upstream.destroy();
    };
    client.on('close', done);
    upstream.on('close', done);
    client.on('error', done);
    upstream.on('error', done);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port, open: () => open })));
}

beforeAll(async () => {
  api = await startTestApiServer({ namespaceDefaults: false });
  dir = mkdtempSync(join(tmpdir(), 'kubelab-dashboard-proxy-'));
  relay = await startRelay(api.port);
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
  closedPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  const target = (port: number): ApiTarget => ({ server: `https://127.0.0.1:${port}`, ca: api.ca.cert, cert: api.admin.cert, key: api.admin.key });
  dash = await startDashboard({
    engine: createEngine({ home: join(dir, 'home') }),
    rendererDir: join(dir, 'renderer'),
    resolveApi: async (cluster) => {
      if (cluster === 'lab') return target(api.port);
      if (cluster === 'relayed') return target(relay.port);
      if (cluster === 'gone') return target(closedPort);
      throw new ProxyRefusal(503, `cluster "${cluster}" is stopped`, 'start it');
    },
  });
  cookie = await signIn(dash.port, dash.launchUrl);
});

afterAll(async () => {
  await dash?.close();
  relay?.server.close();
  await api?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const origin = () => ({ origin: `http://127.0.0.1:${dash.port}` });
const json = (text: string) => JSON.parse(text) as Record<string, any>;

describe('/k8s proxy', () => {
  it('reads through to the apiserver as its admin', async () => {
    const res = await raw(dash.port, 'GET', '/k8s/lab/api/v1/namespaces', { cookie, accept: 'application/json' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(json(res.body).items.map((n: { metadata: { name: string } }) => n.metadata.name)).toContain('default');
  });

  it('passes table requests (the Accept header) through', async () => {
    const res = await raw(dash.port, 'GET', '/k8s/lab/api/v1/namespaces', { cookie, accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    expect(json(res.body)).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1' });
  });

  it('creates, applies, updates and deletes with bodies and status codes unchanged', async () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', namespace: 'default' }, data: { a: '1' } };
    const created = await raw(dash.port, 'POST', '/k8s/lab/api/v1/namespaces/default/configmaps', { cookie, ...origin(), 'content-type': 'application/json' }, JSON.stringify(cm));
    expect(created.status).toBe(201);
    const applyBody = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: default\ndata:\n  a: "2"\n';
    const applied = await raw(dash.port, 'PATCH', '/k8s/lab/api/v1/namespaces/default/configmaps/web?fieldManager=kubelab-dashboard&force=true', { cookie, ...origin(), 'content-type': 'application/apply-patch+yaml' }, applyBody);
    expect(applied.status).toBe(200);
    expect(json(applied.body).data).toEqual({ a: '2' });
    const current = json(applied.body);
    current.data = { a: '3' };
    const put = await raw(dash.port, 'PUT', '/k8s/lab/api/v1/namespaces/default/configmaps/web', { cookie, ...origin(), 'content-type': 'application/json' }, JSON.stringify(current));
    expect([put.status, json(put.body).data]).toEqual([200, { a: '3' }]);
    const stored = await api.raw('GET', '/api/v1/namespaces/default/configmaps/web');
    expect(json(stored.body).data).toEqual({ a: '3' });
    const del = await raw(dash.port, 'DELETE', '/k8s/lab/api/v1/namespaces/default/configmaps/web', { cookie, ...origin() });
    expect(del.status).toBe(200);
  });

  it('passes Kubernetes Status errors through (404, 409, 422)', async () => {
    const missing = await raw(dash.port, 'GET', '/k8s/lab/api/v1/namespaces/default/configmaps/nope', { cookie });
    expect(missing.status).toBe(404);
    expect(json(missing.body)).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404 });
    const bad = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Not_Valid' } };
    const invalid = await raw(dash.port, 'POST', '/k8s/lab/api/v1/namespaces/default/configmaps', { cookie, ...origin(), 'content-type': 'application/json' }, JSON.stringify(bad));
    expect(invalid.status).toBe(422);
    expect(json(invalid.body)).toMatchObject({ kind: 'Status', reason: 'Invalid' });
    const stale = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', resourceVersion: '1' } };
    const conflict = await raw(dash.port, 'PUT', '/k8s/lab/api/v1/namespaces/default', { cookie, ...origin(), 'content-type': 'application/json' }, JSON.stringify(stale));
    expect(conflict.status).toBe(409);
    expect(json(conflict.body)).toMatchObject({ kind: 'Status', reason: 'Conflict' });
  });

  it('drops the browser\'s cookie, Authorization and impersonation headers', async () => {
    const user = 'nobody-without-rights';
    const direct = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: api.port, path: '/api/v1/namespaces', ca: api.ca.cert, cert: api.admin.cert, key: api.admin.key, headers: { 'impersonate-user': user } },
        (res) => (res.resume(), resolve(res.statusCode ?? 0)),
      );
      req.on('error', reject);
      req.end();
    });
    expect(direct).toBe(403); // the header would matter
    const proxied = await raw(dash.port, 'GET', '/k8s/lab/api/v1/namespaces', { cookie, 'impersonate-user': user, 'impersonate-group': 'nobody', authorization: 'Bearer made-up' });
    expect(proxied.status).toBe(200);
  });

  it('streams a watch as the apiserver writes it', async () => {
    const list = json((await raw(dash.port, 'GET', '/k8s/lab/api/v1/namespaces/default/configmaps', { cookie })).body);
    const events: Array<{ type: string; object: { metadata: { name: string } } }> = [];
    let buffered = '';
    const req = httpRequest({
      host: '127.0.0.1',
      port: dash.port,
      path: `/k8s/lab/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${list.metadata.resourceVersion}`,
      agent: false,
      headers: { host: `127.0.0.1:${dash.port}`, cookie },
    });
    const response = new Promise<{ status: number; chunked: boolean }>((resolve) =>
      req.on('response', (res) => {
        res.on('data', (c: Buffer) => {
          buffered += c.toString();
          let nl;
          while ((nl = buffered.indexOf('\n')) >= 0) {
            events.push(JSON.parse(buffered.slice(0, nl)));
            buffered = buffered.slice(nl + 1);
          }
        });
        resolve({ status: res.statusCode ?? 0, chunked: res.headers['transfer-encoding'] === 'chunked' });
      }),
    );
    req.end();
    expect(await response).toEqual({ status: 200, chunked: true });
    for (const name of ['w1', 'w2']) {
      await api.raw('POST', '/api/v1/namespaces/default/configmaps', { body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } }) });
      await eventually(`the ADDED event of ${name}`, async () => events.some((e) => e.type === 'ADDED' && e.object.metadata.name === name), 5000, 50);
    }
    req.destroy();
  });

  it('closes the upstream connection when the client goes away mid-watch', async () => {
    expect(relay.open()).toBe(0);
    const req = httpRequest({ host: '127.0.0.1', port: dash.port, path: '/k8s/relayed/api/v1/namespaces?watch=1', agent: false, headers: { host: `127.0.0.1:${dash.port}`, cookie } });
    req.on('error', () => {});
    const answered = new Promise<number>((resolve) => req.on('response', (res) => resolve(res.statusCode ?? 0)));
    req.end();
    const status = await answered;
    expect(status).toBe(200);
    expect(relay.open()).toBe(1);
    req.destroy();
    await eventually('the upstream watch connection to close', async () => relay.open() === 0, 5000, 50);
  });

  it('answers 503 with what to do when the cluster is stopped or its apiserver does not answer', async () => {
    const stopped = await raw(dash.port, 'GET', '/k8s/stopped/api/v1/pods', { cookie });
    expect([stopped.status, json(stopped.body)]).toEqual([503, { error: 'cluster "stopped" is stopped', hint: 'start it' }]);
    const gone = await raw(dash.port, 'GET', '/k8s/gone/api/v1/pods', { cookie });
    expect(gone.status).toBe(503);
    expect(json(gone.body)).toMatchObject({ error: expect.stringContaining('does not answer'), hint: expect.stringContaining('kubelab status gone') });
  });

  it('sends no CORS header on proxied answers', async () => {
    const res = await raw(dash.port, 'GET', '/k8s/lab/api/v1/namespaces', { cookie });
    expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });
});
