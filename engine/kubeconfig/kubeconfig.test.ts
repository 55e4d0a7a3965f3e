import { existsSync } from 'node:fs';
import { chmod, lstat, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useAccess } from '../cluster/access.js';
import {
  contextName,
  kubeconfigContextsOf,
  kubeconfigPath,
  mergeAccess,
  MissingContextError,
  removeAccess,
  setCurrentContext,
  standaloneKubeconfig,
  updateKubeconfigFile,
} from './kubeconfig.js';

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

describe('current context', () => {
  const two = mergeAccess(mergeAccess(theirs, access, false), { ...access, name: 'kubelab-lab' }, false);

  it('switches to another context and keeps every context, cluster, user and preference', () => {
    const before = parse(two);
    const after = parse(setCurrentContext(two, 'kubelab-lab'));
    expect(before['current-context']).toBe('prod');
    expect(after['current-context']).toBe('kubelab-lab');
    expect(after.contexts).toEqual(before.contexts);
    expect(after.clusters).toEqual(before.clusters);
    expect(after.users).toEqual(before.users);
    expect(kubeconfigContextsOf(setCurrentContext(two, 'kubelab-dev'))).toEqual({ names: new Set(['prod', 'kubelab-dev', 'kubelab-lab']), current: 'kubelab-dev' });
  });

  it('leaves the text alone when the context already is current', () => {
    expect(setCurrentContext(theirs, 'prod')).toBe(theirs);
  });

  it.each([
    ['a context not in the file', theirs],
    ['an empty file', ''],
  ])('refuses %s', (_n, text) => {
    expect(() => setCurrentContext(text, 'kubelab-dev')).toThrow(MissingContextError);
  });

  it('reads contexts and current-context (none set → no current)', () => {
    expect(kubeconfigContextsOf('')).toEqual({ names: new Set() });
    expect(kubeconfigContextsOf(theirs.replace('current-context: prod\n', ''))).toEqual({ names: new Set(['prod']) });
    expect(kubeconfigContextsOf(`${theirs.replace('current-context: prod', 'current-context: ""')}`)).toEqual({ names: new Set(['prod']) });
  });
});

describe('kubeconfig file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubelab-kubeconfig-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('use: switches the file with several contexts, keeping the others and the file mode', async () => {
    const file = join(dir, 'config');
    await writeFile(file, mergeAccess(mergeAccess(theirs, access, false), { ...access, name: 'kubelab-lab' }, false));
    await chmod(file, 0o640);
    expect(await useAccess('lab', file)).toBe('kubelab-lab');
    const doc = parse(await readFile(file, 'utf8'));
    expect(doc['current-context']).toBe('kubelab-lab');
    expect(doc.contexts.map((c: { name: string }) => c.name)).toEqual(['prod', 'kubelab-dev', 'kubelab-lab']);
    expect(doc.contexts[0].context.namespace).toBe('payments');
    expect(doc.users[0].user.token).toBe('secret-token');
    expect((await stat(file)).mode & 0o777).toBe(0o640);
    expect((await readdir(dir)).sort()).toEqual(['config']); // no temporary file left behind
  });

  it('use: a missing context says to run `kubelab start`, and the file is unchanged', async () => {
    const file = join(dir, 'config');
    await writeFile(file, theirs);
    await expect(useAccess('dev', file)).rejects.toThrow(/context "kubelab-dev" is not in the kubeconfig/);
    await expect(useAccess('dev', file)).rejects.toMatchObject({ hint: expect.stringMatching(/kubelab start --name dev/) });
    expect(await readFile(file, 'utf8')).toBe(theirs);
  });

  it('use: a missing file says to run `kubelab start` and creates nothing', async () => {
    const file = join(dir, 'nested', 'config');
    await expect(useAccess('dev', file)).rejects.toMatchObject({ message: expect.stringMatching(/not in the kubeconfig/), hint: expect.stringMatching(/kubelab start --name dev/) });
    expect(existsSync(file)).toBe(false);
  });

  it('update: a new file is made 0600 (it holds credentials), its folder too', async () => {
    const file = join(dir, 'nested', 'config');
    await updateKubeconfigFile(file, (text) => mergeAccess(text, access, true));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(parse(await readFile(file, 'utf8'))['current-context']).toBe('kubelab-dev');
  });

  it('update: a symlinked kubeconfig stays a symlink and its target is rewritten', async () => {
    const real = join(dir, 'real-config');
    const link = join(dir, 'config');
    await writeFile(real, theirs, { mode: 0o600 });
    await symlink(real, link);
    await updateKubeconfigFile(link, (text) => mergeAccess(text, access, false));
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(parse(await readFile(real, 'utf8')).contexts).toHaveLength(2);
  });
});
