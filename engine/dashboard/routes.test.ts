import { describe, expect, it } from 'vitest';
import { isApiRoute, matchRoute } from './routes.js';

describe('matchRoute', () => {
  it.each([
    ['GET', '/?token=abc', { kind: 'launch', token: 'abc' }],
    ['GET', '/?token=', { kind: 'launch', token: '' }],
    ['HEAD', '/?token=abc', { kind: 'static', path: '/' }],
    ['GET', '/', { kind: 'static', path: '/' }],
    ['HEAD', '/app.js', { kind: 'static', path: '/app.js' }],
    ['GET', '/pods?token=abc', { kind: 'static', path: '/pods' }],
    ['GET', '/api/engine', { kind: 'engine' }],
    ['GET', '/api/clusters', { kind: 'list-clusters' }],
    ['POST', '/api/clusters', { kind: 'create-cluster' }],
    ['POST', '/api/clusters/dev/start', { kind: 'cluster-action', cluster: 'dev', action: 'start' }],
    ['POST', '/api/clusters/dev/stop', { kind: 'cluster-action', cluster: 'dev', action: 'stop' }],
    ['DELETE', '/api/clusters/dev', { kind: 'cluster-action', cluster: 'dev', action: 'delete' }],
    ['GET', '/api/clusters/dev/docker-env', { kind: 'docker-env', cluster: 'dev' }],
    ['GET', '/api/operations/x1', { kind: 'operation', id: 'x1' }],
    ['POST', '/api/clusters/dev/nodes/dev-worker2/stop', { kind: 'node-action', cluster: 'dev', node: 'dev-worker2', action: 'stop' }],
    ['POST', '/api/clusters/dev/nodes/dev-worker2/start', { kind: 'node-action', cluster: 'dev', node: 'dev-worker2', action: 'start' }],
    ['GET', '/api/clusters/dev/nodes/dev-worker2/stop', { kind: 'method-not-allowed', allow: ['POST'] }],
    ['POST', '/api/clusters/dev/nodes/a%2Fb/start', { kind: 'node-action', cluster: 'dev', node: 'a/b', action: 'start' }],
    ['POST', '/api/clusters/dev/nodes/x/reboot', { kind: 'not-found' }],
    ['POST', '/api/clusters/dev/use-context', { kind: 'use-context', cluster: 'dev' }],
    ['GET', '/api/clusters/dev/use-context', { kind: 'method-not-allowed', allow: ['POST'] }],
    ['GET', '/api/clusters/a%20b/docker-env', { kind: 'docker-env', cluster: 'a b' }],
    ['GET', '/api/clusters/%E0%A4%A/docker-env', { kind: 'not-found' }],
    ['GET', '/api/nope', { kind: 'not-found' }],
    ['GET', '/api', { kind: 'not-found' }],
    ['GET', '/api/clusters/dev/start', { kind: 'method-not-allowed', allow: ['POST'] }],
    ['PUT', '/api/clusters', { kind: 'method-not-allowed', allow: ['GET', 'POST'] }],
    ['GET', '/api/clusters/dev', { kind: 'method-not-allowed', allow: ['DELETE'] }],
    ['GET', '/ws', { kind: 'socket' }],
    ['POST', '/ws', { kind: 'method-not-allowed', allow: ['GET'] }],
    ['POST', '/index.html', { kind: 'method-not-allowed', allow: ['GET', 'HEAD'] }],
    ['GET', '/k8s/dev/api/v1/pods', { kind: 'k8s', cluster: 'dev', path: '/api/v1/pods' }],
    ['GET', '/k8s/dev/api/v1/namespaces/default/pods?watch=1&resourceVersion=5', { kind: 'k8s', cluster: 'dev', path: '/api/v1/namespaces/default/pods?watch=1&resourceVersion=5' }],
    ['PATCH', '/k8s/dev/apis/apps/v1/namespaces/a/deployments/b?fieldManager=kubelab', { kind: 'k8s', cluster: 'dev', path: '/apis/apps/v1/namespaces/a/deployments/b?fieldManager=kubelab' }],
    ['DELETE', '/k8s/dev/api/v1/namespaces/a/pods/p', { kind: 'k8s', cluster: 'dev', path: '/api/v1/namespaces/a/pods/p' }],
    ['GET', '/k8s/dev', { kind: 'k8s', cluster: 'dev', path: '/' }],
    ['GET', '/k8s/dev?x=1', { kind: 'k8s', cluster: 'dev', path: '/?x=1' }],
    ['GET', '/k8s/', { kind: 'not-found' }],
    ['GET', '/k8s', { kind: 'not-found' }],
  ])('%s %s', (method, url, route) => {
    expect(matchRoute(method, url)).toEqual(route);
  });
});

describe('isApiRoute', () => {
  it.each([
    ['/api/clusters', true],
    ['/api', true],
    ['/k8s/dev/api', true],
    ['/ws', true],
    ['/', false],
    ['/apis', false],
    ['/app.js', false],
  ])('%s → %s', (path, api) => {
    expect(isApiRoute(path)).toBe(api);
  });
});
