import { describe, expect, it } from 'vitest';
import { resourceList } from './discovery.js';
import { nodeAddress, nodePort } from './node-client.js';
import { nodeAnswerHeaders, nodeProxyHeaders, nodeProxyPath } from './node-proxy.js';

describe('nodes/proxy paths', () => {
  it.each([
    ['/api/v1/nodes/n1/proxy', '/'],
    ['/api/v1/nodes/n1/proxy/', '/'],
    ['/api/v1/nodes/n1/proxy/stats/history', '/stats/history'],
    ['/api/v1/nodes/n1/proxy/stats/history?since=1700000000000', '/stats/history?since=1700000000000'],
    ['/api/v1/nodes/n1/proxy?since=5', '/?since=5'],
    ['/api/v1/nodes/n1/proxy/containerLogs/kube-system/etcd-cp/etcd?tailLines=3', '/containerLogs/kube-system/etcd-cp/etcd?tailLines=3'],
    // Kept as sent: the node decodes its own path.
    ['/api/v1/nodes/n1/proxy/a%2Fb/c%20d', '/a%2Fb/c%20d'],
    ['/api/v1/nodes/n1/proxy//double', '//double'],
  ])('%s goes to %s on the node', (url, expected) => {
    expect(nodeProxyPath(url)).toBe(expected);
  });
});

describe('nodes/proxy headers', () => {
  it('passes content headers to the node, never the caller credentials', () => {
    const h = nodeProxyHeaders({ accept: 'application/json', authorization: 'Bearer x', cookie: 'a=b', 'impersonate-user': 'u', 'content-type': 'text/plain', 'content-length': '3', connection: 'keep-alive' });
    expect(h).toEqual({ accept: 'application/json', 'content-type': 'text/plain', 'content-length': '3' });
    expect(nodeProxyHeaders({ 'transfer-encoding': 'chunked' })).toEqual({ 'transfer-encoding': 'chunked' });
  });

  it('passes the answer type and length back, nothing else', () => {
    expect(nodeAnswerHeaders({ 'content-type': 'application/json', 'content-length': '10', 'set-cookie': ['x'], connection: 'close' })).toEqual({ 'content-type': 'application/json', 'content-length': '10' });
  });
});

describe('reaching a node endpoint', () => {
  it('uses the InternalIP, else the Hostname, else nothing', () => {
    expect(nodeAddress({ status: { addresses: [{ type: 'Hostname', address: 'cp' }, { type: 'InternalIP', address: '172.18.0.2' }] } })).toBe('172.18.0.2');
    expect(nodeAddress({ status: { addresses: [{ type: 'Hostname', address: 'cp' }] } })).toBe('cp');
    expect(nodeAddress({ status: { addresses: [{ type: 'ExternalIP', address: '1.2.3.4' }] } })).toBeUndefined();
    expect(nodeAddress({})).toBeUndefined();
  });

  it('uses the configured port, else the kubelet port', () => {
    expect(nodePort({ cert: '', key: '', ca: '', port: 12345 })).toBe(12345);
    expect(nodePort({ cert: '', key: '', ca: '' })).toBe(10250);
  });
});

describe('nodes/proxy in discovery', () => {
  it('is listed between nodes and nodes/status with the verbs of a connect subresource', () => {
    const list = resourceList('', 'v1') as { resources: Array<{ name: string; kind: string; namespaced: boolean; verbs: string[] }> };
    const names = list.resources.map((r) => r.name);
    expect(names.slice(names.indexOf('nodes'), names.indexOf('nodes') + 3)).toEqual(['nodes', 'nodes/proxy', 'nodes/status']);
    expect(list.resources.find((r) => r.name === 'nodes/proxy')).toEqual({ name: 'nodes/proxy', singularName: '', namespaced: false, kind: 'NodeProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] });
  });
});
