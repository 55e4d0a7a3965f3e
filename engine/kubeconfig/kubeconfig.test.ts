import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { contextName, kubeconfigPath, mergeAccess, removeAccess, standaloneKubeconfig } from './kubeconfig.js';

const access = { name: 'kubelab-dev', server: 'https://127.0.0.1:41234', caCert: 'CA', clientCert: 'CERT', clientKey: 'KEY' };
const theirs = `apiVersion: v1
kind: Config
clusters:
- name: prod
  cluster:
    server: https://prod.example:6443
users:
- name: prod-admin
  user:
    token: secret-token
contexts:
- name: prod
  context:
    cluster: prod
    user: prod-admin
    namespace: payments
current-context: prod
`;

describe('kubeconfig', () => {
  it('adds a context without touching the others, and makes it current', () => {
    const doc = parse(mergeAccess(theirs, access, true));
    expect(doc['current-context']).toBe('kubelab-dev');
    expect(doc.contexts.map((c: { name: string }) => c.name)).toEqual(['prod', 'kubelab-dev']);
    expect(doc.contexts[0]).toEqual({ name: 'prod', context: { cluster: 'prod', user: 'prod-admin', namespace: 'payments' } });
    expect(doc.users[0].user.token).toBe('secret-token');
    expect(doc.clusters[1]).toEqual({ name: 'kubelab-dev', cluster: { server: 'https://127.0.0.1:41234', 'certificate-authority-data': Buffer.from('CA').toString('base64') } });
    expect(doc.users[1].user['client-key-data']).toBe(Buffer.from('KEY').toString('base64'));
  });

  it('replaces its own entries on a second merge (a new port after a restart)', () => {
    const once = mergeAccess(theirs, access, true);
    const twice = parse(mergeAccess(once, { ...access, server: 'https://127.0.0.1:5555' }, false));
    expect(twice.clusters.filter((c: { name: string }) => c.name === 'kubelab-dev')).toHaveLength(1);
    expect(twice.clusters[1].cluster.server).toBe('https://127.0.0.1:5555');
  });

  it('removes only its own entries, and the current context if it was its', () => {
    const doc = parse(removeAccess(mergeAccess(theirs, access, true), 'kubelab-dev'));
    expect(doc.contexts.map((c: { name: string }) => c.name)).toEqual(['prod']);
    expect(doc.users.map((c: { name: string }) => c.name)).toEqual(['prod-admin']);
    expect(doc['current-context']).toBe('');
    expect(parse(removeAccess(theirs, 'kubelab-dev'))['current-context']).toBe('prod');
  });

  it('starts a file from nothing', () => {
    const doc = parse(standaloneKubeconfig(access));
    expect(doc).toMatchObject({ apiVersion: 'v1', kind: 'Config', 'current-context': 'kubelab-dev' });
  });

  it('refuses a kubeconfig that is not a mapping', () => {
    expect(() => mergeAccess('- a\n- b\n', access, true)).toThrow(/not a YAML mapping/);
  });

  it('writes to the first KUBECONFIG file, else ~/.kube/config', () => {
    expect(kubeconfigPath({ KUBECONFIG: '/a/one:/b/two' })).toBe('/a/one');
    expect(kubeconfigPath({})).toMatch(/\.kube\/config$/);
    expect(contextName('dev')).toBe('kubelab-dev');
  });
});
