// nodes/NAME/proxy through a real apiserver (real etcd) to a real node endpoint on 127.0.0.1 (the
// node agent's HTTPS server with its client-certificate check), driven by real kubectl 1.34. The
// endpoint's figures come from a fixed history instead of a sampler, so no Docker is needed.
import type { Server } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCertificate, issuerFrom } from '../engine/certs/x509.js';
import { DockerApi } from '../engine/kubelet/docker-api.js';
import { createNodeEndpoint } from '../engine/kubelet/node-endpoint.js';
import type { HistoryPoint } from '../engine/kubelet/resource-stats.js';
import { startTestApiServer, type TestApiServer } from './helpers/apiserver.js';
import { freePort } from './helpers/etcd.js';
import { kubectl } from './helpers/kubectl.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const POINTS: HistoryPoint[] = [0, 1, 2].map((i) => ({
  at: T0 + i * 5000,
  node: { cpu: 250_000_000 + i * 1_000_000, memory: 512 * 2 ** 20 },
  pods: { 'default/busy': { cpu: 900_000_000 + i, memory: 3 * 2 ** 20 } },
}));

let api: TestApiServer;
let endpoint: Server;

function node(name: string, addresses: Array<{ type: string; address: string }>) {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { addresses } });
}

async function createNode(name: string, addresses: Array<{ type: string; address: string }>): Promise<void> {
  expect((await api.raw('POST', '/api/v1/nodes', { body: node(name, addresses) })).code).toBe(201);
  const current = JSON.parse((await api.raw('GET', `/api/v1/nodes/${name}`)).body);
  const r = await api.raw('PUT', `/api/v1/nodes/${name}/status`, { body: JSON.stringify({ ...current, status: { addresses } }) });
  expect(r.code, r.body).toBe(200);
}

describe.sequential('nodes/proxy through the apiserver to a node endpoint', () => {
  beforeAll(async () => {
    const port = await freePort();
    api = await startTestApiServer({ nodeEndpointPort: port, namespaceDefaults: false });
    const serving = createCertificate({ commonName: 'n1', usage: 'server', altNames: ['127.0.0.1', 'localhost'] }, issuerFrom(api.ca, 'kubelab-ca'));
    endpoint = createNodeEndpoint({
      node: 'n1',
      tls: { key: serving.key, cert: serving.cert, ca: api.ca.cert },
      docker: new DockerApi('/nonexistent/docker.sock'),
      stats: { report: () => ({ node: 'n1', pods: [] }), history: (since = 0) => POINTS.filter((p) => p.at > since) },
    });
    await new Promise<void>((r) => endpoint.listen(port, '127.0.0.1', r));
    await createNode('n1', [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: 'n1' }]);
    // 127.0.0.2 is loopback too, but nothing listens there: the endpoint of a node that is down.
    await createNode('down', [{ type: 'InternalIP', address: '127.0.0.2' }]);
    await createNode('bare', []);
  });

  afterAll(async () => {
    endpoint?.close();
    await api?.stop();
  });

  it('serves the node history to kubectl get --raw, with the query passed through', async () => {
    const all = await kubectl(api.kubeconfig, ['get', '--raw', '/api/v1/nodes/n1/proxy/stats/history']);
    expect(all.code, all.stderr).toBe(0);
    expect(JSON.parse(all.stdout)).toEqual({ node: 'n1', points: POINTS });
    const since = await kubectl(api.kubeconfig, ['get', '--raw', `/api/v1/nodes/n1/proxy/stats/history?since=${T0 + 5000}`]);
    expect(since.code, since.stderr).toBe(0);
    expect(JSON.parse(since.stdout).points).toEqual([POINTS[2]]);
  });

  it('passes the node answer through: status, type and body', async () => {
    const ok = await api.raw('GET', '/api/v1/nodes/n1/proxy/stats/resource');
    expect(ok.code).toBe(200);
    expect(ok.headers['content-type']).toBe('application/json');
    expect(JSON.parse(ok.body)).toEqual({ node: 'n1', pods: [] });
    const missing = await api.raw('GET', '/api/v1/nodes/n1/proxy/no/such/path');
    expect(missing.code).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^text\/plain/);
    expect(missing.body).toBe('not found: /no/such/path\n');
    // The bare proxy path is the node's root.
    expect((await api.raw('GET', '/api/v1/nodes/n1/proxy')).body).toBe('not found: /\n');
  });

  it('answers 404 NotFound for a node that does not exist', async () => {
    const r = await api.raw('GET', '/api/v1/nodes/ghost/proxy/stats/history');
    expect(r.code).toBe(404);
    expect(JSON.parse(r.body)).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'nodes "ghost" not found', details: { name: 'ghost', kind: 'nodes' } });
    const k = await kubectl(api.kubeconfig, ['get', '--raw', '/api/v1/nodes/ghost/proxy/stats/history']);
    expect(k.code).not.toBe(0);
    expect(k.stderr).toContain('Error from server (NotFound): nodes "ghost" not found');
  });

  it('answers 503 ServiceUnavailable when the node endpoint does not answer or the node has no address', async () => {
    const down = await api.raw('GET', '/api/v1/nodes/down/proxy/stats/history');
    expect(down.code).toBe(503);
    const status = JSON.parse(down.body);
    expect(status).toMatchObject({ kind: 'Status', reason: 'ServiceUnavailable' });
    expect(status.message).toMatch(/^error trying to reach node "down" at 127\.0\.0\.2:\d+: .*ECONNREFUSED/);
    const bare = await api.raw('GET', '/api/v1/nodes/bare/proxy/stats/history');
    expect(bare.code).toBe(503);
    expect(JSON.parse(bare.body).message).toBe('node "bare" has no InternalIP or Hostname address to reach its endpoint at');
  });

  it('authorizes as nodes/proxy: reading nodes is not enough', async () => {
    const alice = api.clientCert('alice', []);
    const rules = (resources: string[]) => JSON.stringify({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: `r-${resources.join('-').replace('/', '-')}` }, rules: [{ apiGroups: [''], resources, verbs: ['get'] }] });
    const bind = (role: string) => JSON.stringify({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: `alice-${role}` }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role }, subjects: [{ kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' }] });
    expect((await api.raw('POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', { body: rules(['nodes']) })).code).toBe(201);
    expect((await api.raw('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', { body: bind('r-nodes') })).code).toBe(201);
    const canGetNode = async () => (await api.raw('GET', '/api/v1/nodes/n1', { cert: alice })).code === 200;
    for (let i = 0; i < 50 && !(await canGetNode()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await canGetNode()).toBe(true);
    const denied = await api.raw('GET', '/api/v1/nodes/n1/proxy/stats/history', { cert: alice });
    expect(denied.code).toBe(403);
    expect(JSON.parse(denied.body).message).toBe('nodes "n1" is forbidden: User "alice" cannot get resource "nodes/proxy" in API group "" at the cluster scope');

    expect((await api.raw('POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', { body: rules(['nodes/proxy']) })).code).toBe(201);
    expect((await api.raw('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', { body: bind('r-nodes-proxy') })).code).toBe(201);
    const proxied = async () => api.raw('GET', '/api/v1/nodes/n1/proxy/stats/history', { cert: alice });
    let r = await proxied();
    for (let i = 0; i < 50 && r.code !== 200; i++) {
      await new Promise((res) => setTimeout(res, 100));
      r = await proxied();
    }
    expect(r.code, r.body).toBe(200);
    expect(JSON.parse(r.body).points).toHaveLength(3);
  });

  it('lists nodes/proxy in discovery, as kubectl api-resources reads it', async () => {
    const r = await api.raw('GET', '/api/v1');
    const proxy = JSON.parse(r.body).resources.find((x: { name: string }) => x.name === 'nodes/proxy');
    expect(proxy).toEqual({ name: 'nodes/proxy', singularName: '', namespaced: false, kind: 'NodeProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] });
  });
});
