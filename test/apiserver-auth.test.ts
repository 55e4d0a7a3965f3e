// Authentication and RBAC on a real apiserver and etcd, driven by real kubectl: anonymous
// requests, service-account tokens from `kubectl create token`, roles and bindings, can-i.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from './helpers/apiserver.js';
import { kubectl, writeKubeconfig } from './helpers/kubectl.js';

let api: TestApiServer;
let robot: string;

describe.sequential('authentication and authorization', () => {
  beforeAll(async () => {
    api = await startTestApiServer();
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('answers 401 to anonymous and badly authenticated requests, except health and version', async () => {
    for (const path of ['/api', '/apis', '/api/v1/namespaces', '/apis/rbac.authorization.k8s.io/v1/clusterroles', '/openapi/v3']) {
      expect((await api.raw('GET', path, { cert: null })).code, path).toBe(401);
    }
    for (const path of ['/healthz', '/livez', '/readyz', '/version']) expect((await api.raw('GET', path, { cert: null })).code).toBe(200);
    const bogus = writeKubeconfig(api.dir, `https://127.0.0.1:${api.port}`, api.ca.cert, { token: 'not.a.token' }, 'bogus');
    const r = await kubectl(bogus, ['get', 'configmaps']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Unauthorized|must be logged in/);
  });

  it('issues service-account tokens that authenticate, but grant nothing without a binding', async () => {
    expect((await kubectl(api.kubeconfig, ['create', 'serviceaccount', 'robot'])).code).toBe(0);
    const t = await kubectl(api.kubeconfig, ['create', 'token', 'robot', '--duration=1h']);
    expect(t.code, t.stderr).toBe(0);
    const token = t.stdout.trim();
    expect(token.split('.')).toHaveLength(3);
    robot = writeKubeconfig(api.dir, `https://127.0.0.1:${api.port}`, api.ca.cert, { token }, 'robot');
    const who = await kubectl(robot, ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']);
    expect(who.stdout).toBe('system:serviceaccount:default:robot');
    const denied = await kubectl(robot, ['get', 'configmaps']);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain('configmaps is forbidden: User "system:serviceaccount:default:robot" cannot list resource "configmaps" in API group "" in the namespace "default"');
  });

  it('grants what a Role bound to the account allows, in its namespace only', async () => {
    expect((await kubectl(api.kubeconfig, ['create', 'role', 'cm-reader', '--verb=get,list,watch', '--resource=configmaps'])).code).toBe(0);
    expect((await kubectl(api.kubeconfig, ['create', 'rolebinding', 'robot-reads', '--role=cm-reader', '--serviceaccount=default:robot'])).code).toBe(0);
    const list = await kubectl(robot, ['get', 'configmaps']);
    expect(list.code, list.stderr).toBe(0);
    expect((await kubectl(robot, ['auth', 'can-i', 'list', 'configmaps'])).stdout.trim()).toBe('yes');
    const no = await kubectl(robot, ['auth', 'can-i', 'delete', 'configmaps']);
    expect(no.stdout.trim()).toBe('no');
    expect((await kubectl(robot, ['-n', 'kube-system', 'get', 'configmaps'])).code).not.toBe(0);
    expect((await kubectl(api.kubeconfig, ['auth', 'can-i', 'get', 'configmaps', '--as=system:serviceaccount:default:robot'])).stdout.trim()).toBe('yes');
    expect((await kubectl(api.kubeconfig, ['auth', 'can-i', '*', '*'])).stdout.trim()).toBe('yes');
  });

  it('gives the default view role through a ClusterRole aggregation', async () => {
    expect((await kubectl(api.kubeconfig, ['create', 'clusterrolebinding', 'robot-views', '--clusterrole=view', '--serviceaccount=default:robot'])).code).toBe(0);
    expect((await kubectl(robot, ['auth', 'can-i', 'list', 'deployments.apps', '-n', 'kube-system'])).stdout.trim()).toBe('yes');
    expect((await kubectl(robot, ['auth', 'can-i', 'get', 'secrets'])).stdout.trim()).toBe('no');
  });

  it('stops accepting a token once its service account is deleted', async () => {
    expect((await kubectl(api.kubeconfig, ['delete', 'serviceaccount', 'robot'])).code).toBe(0);
    const r = await kubectl(robot, ['get', 'configmaps']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Unauthorized|must be logged in/);
  });
});
