// The control plane in a real cluster: etcd started and restarted by the supervisor with its data
// on the node's volume; the apiserver in the node, reached by real kubectl through the kubeconfig
// context that `kubelab start` merges (and `delete` removes) without touching other contexts.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../engine/index.js';
import { clusterName, engineFor, forceRemove, kubelab, testHome } from './helpers/kubelab.js';
import { kubectl } from './helpers/kubectl.js';
import { b64, etcdInNode } from './helpers/node-etcd.js';

/** A GET to the apiserver on loopback without client credentials (its certificate is not what is tested here). */
function fetchInsecure(url: string): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    request(url, { rejectUnauthorized: false }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    })
      .on('error', reject)
      .end();
  });
}

const home = testHome();
const name = clusterName('cp');
const kubeconfig = join(home, 'kube', 'config');
const env = { KUBECONFIG: kubeconfig };
const cp = `${name}-control-plane`;
let engine: Engine;

async function readKey(key: string): Promise<string | undefined> {
  const res = (await etcdInNode(engine, cp, '/v3/kv/range', { key: b64(key) })) as { kvs?: Array<{ value: string }> };
  const v = res.kvs?.[0]?.value;
  return v === undefined ? undefined : Buffer.from(v, 'base64').toString();
}

describe.sequential('etcd on the control plane', () => {
  beforeAll(async () => {
    engine = engineFor(home);
    // Someone else's context is already there and must survive.
    mkdirSync(join(home, 'kube'), { recursive: true });
    writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\nclusters:\n- name: other\n  cluster:\n    server: https://other.example:6443\ncontexts:\n- name: other\n  context:\n    cluster: other\n    user: other\nusers:\n- name: other\n  user:\n    token: abc\ncurrent-context: other\n');
    const r = await kubelab(['start', '--name', name, '--nodes', '2'], { home, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`kubectl now uses context "kubelab-${name}"`);
  });
  afterAll(async () => {
    await forceRemove(name);
  });

  it('answers on the control plane, and only there', async () => {
    await expect.poll(() => etcdInNode(engine, cp, '/health').catch(() => ({})), { timeout: 20_000 }).toMatchObject({ health: 'true' });
    const worker = await engine.provider.exec(`${name}-worker`, ['pgrep', '-x', 'etcd']);
    expect(worker.exitCode).toBe(1);
    const put = (await etcdInNode(engine, cp, '/v3/kv/put', { key: b64('/registry/test/kept'), value: b64('yes') })) as { header: { revision: string } };
    expect(Number(put.header.revision)).toBeGreaterThan(1);
    // its data lives on the node's volume
    expect((await engine.provider.exec(cp, ['test', '-d', '/var/lib/etcd/member'])).exitCode).toBe(0);
  });

  it('is restarted by the supervisor after kill -9, with its data', async () => {
    const before = (await engine.provider.exec(cp, ['pgrep', '-x', 'etcd'])).stdout.trim();
    expect(before).toMatch(/^\d+$/);
    await engine.provider.exec(cp, ['pkill', '-9', '-x', 'etcd']);
    await expect.poll(async () => (await engine.provider.exec(cp, ['pgrep', '-x', 'etcd'])).stdout.trim(), { timeout: 15_000 }).toMatch(/^\d+$/);
    expect((await engine.provider.exec(cp, ['pgrep', '-x', 'etcd'])).stdout.trim()).not.toBe(before);
    await expect.poll(() => readKey('/registry/test/kept').catch(() => undefined), { timeout: 15_000 }).toBe('yes');
    const logs = await engine.docker.getContainer(cp).logs({ stdout: true, stderr: true });
    expect(logs.toString()).toMatch(/etcd exited \(SIGKILL\); restarting in 1s/);
  });

  it('keeps its data across kubelab stop and start', async () => {
    expect((await kubelab(['stop', name], { home, env })).code).toBe(0);
    const start = await kubelab(['start', '--name', name], { home, env });
    expect(start.code, start.stderr).toBe(0);
    await expect.poll(() => readKey('/registry/test/kept').catch(() => undefined), { timeout: 20_000 }).toBe('yes');
  });

  it('serves the API to real kubectl through the merged context', async () => {
    const v = await kubectl(kubeconfig, ['version']);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toContain('Server Version: v1.34.0+kubelab.0.1.0');
    expect((await kubectl(kubeconfig, ['config', 'current-context'])).stdout.trim()).toBe(`kubelab-${name}`);
    expect((await kubectl(kubeconfig, ['config', 'get-contexts', '-o', 'name'])).stdout.split('\n').sort()).toEqual(['', `kubelab-${name}`, 'other']);
    expect((await kubectl(kubeconfig, ['create', 'namespace', 'demo'])).code).toBe(0);
    const cm = await kubectl(kubeconfig, ['-n', 'demo', 'create', 'configmap', 'kept', '--from-literal=a=1']);
    expect(cm.code, cm.stderr).toBe(0);
    expect((await kubectl(kubeconfig, ['get', 'ns'])).stdout).toMatch(/^demo\s+Active/m);
  });

  it('publishes the API on 127.0.0.1 only, and refuses anonymous requests', async () => {
    const info = await engine.docker.getContainer(cp).inspect();
    const bindings = info.HostConfig.PortBindings as Record<string, Array<{ HostIp: string }>>;
    for (const list of Object.values(bindings)) for (const b of list) expect(b.HostIp).toBe('127.0.0.1');
    const port = (info.NetworkSettings.Ports['6443/tcp'] ?? [])[0]?.HostPort;
    const anon = await fetchInsecure(`https://127.0.0.1:${port}/api/v1/namespaces`);
    expect(anon.status).toBe(401);
    expect((await fetchInsecure(`https://127.0.0.1:${port}/version`)).status).toBe(200);
  });

  it('keeps API objects across stop and start, and rewrites the context\'s port', async () => {
    const before = JSON.parse((await kubectl(kubeconfig, ['-n', 'demo', 'get', 'cm', 'kept', '-o', 'json'])).stdout);
    expect((await kubelab(['stop', name], { home, env })).code).toBe(0);
    const start = await kubelab(['start', '--name', name], { home, env });
    expect(start.code, start.stderr).toBe(0);
    const after = JSON.parse((await kubectl(kubeconfig, ['-n', 'demo', 'get', 'cm', 'kept', '-o', 'json'])).stdout);
    expect(after.metadata.uid).toBe(before.metadata.uid);
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect(after.data).toEqual({ a: '1' });
  });

  it('prints a kubeconfig of its own with `kubelab kubeconfig`', async () => {
    const r = await kubelab(['kubeconfig', name], { home, env });
    expect(r.code, r.stderr).toBe(0);
    const own = join(home, 'own.kubeconfig');
    writeFileSync(own, r.stdout);
    expect((await kubectl(own, ['get', 'ns', 'demo', '-o', 'name'])).stdout.trim()).toBe('namespace/demo');
  });

  it('runs kubectl against the cluster with `kubelab kubectl`, whatever the current context', async () => {
    expect((await kubectl(kubeconfig, ['config', 'use-context', 'other'])).code).toBe(0);
    const r = await kubelab(['kubectl', '--name', name, '--', 'get', 'configmap', 'kept', '-n', 'demo', '-o', 'name'], { home, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('configmap/kept');
    const missing = await kubelab(['kubectl', '--name', name, '--', 'get', 'configmap', 'nope', '-n', 'demo'], { home, env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('configmaps "nope" not found');
  });

  it('keeps every acknowledged write through kill -9 of etcd and of the apiserver, and a resuming watcher misses none', async () => {
    const kc = parseYaml((await kubelab(['kubeconfig', name], { home, env })).stdout) as {
      clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }>;
      users: Array<{ user: { 'client-certificate-data': string; 'client-key-data': string } }>;
    };
    const url = new URL(kc.clusters[0]!.cluster.server);
    const tls = {
      ca: Buffer.from(kc.clusters[0]!.cluster['certificate-authority-data'], 'base64'),
      cert: Buffer.from(kc.users[0]!.user['client-certificate-data'], 'base64'),
      key: Buffer.from(kc.users[0]!.user['client-key-data'], 'base64'),
    };
    const call = (method: string, path: string, body?: unknown, onLine?: (line: string) => void): Promise<{ code: number; body: string }> =>
      new Promise((resolve) => {
        const req = request({ host: '127.0.0.1', port: url.port, method, path, ...tls, servername: 'localhost', headers: { 'content-type': 'application/json' }, timeout: 5000 }, (res) => {
          let text = '';
          res.on('data', (d: Buffer) => {
            text += d.toString();
            if (!onLine) return;
            let nl: number;
            while ((nl = text.indexOf('\n')) >= 0) {
              onLine(text.slice(0, nl));
              text = text.slice(nl + 1);
            }
          });
          res.on('end', () => resolve({ code: res.statusCode ?? 0, body: text }));
          res.on('error', () => resolve({ code: 0, body: '' }));
        });
        req.on('error', () => resolve({ code: 0, body: '' }));
        req.on('timeout', () => req.destroy());
        req.end(body === undefined ? undefined : JSON.stringify(body));
      });
    expect((await kubectl(kubeconfig, ['--context', `kubelab-${name}`, 'create', 'namespace', 'burst'])).code).toBe(0);
    const base = '/api/v1/namespaces/burst/configmaps';

    // A watcher that behaves as informers do: resume from the last resourceVersion, list again on 410.
    const seen = new Set<string>();
    let stopWatching = false;
    const watcher = (async () => {
      let rv = JSON.parse((await call('GET', base)).body).metadata.resourceVersion as string;
      while (!stopWatching) {
        let expired = false;
        await call('GET', `${base}?watch=1&resourceVersion=${rv}&timeoutSeconds=5`, undefined, (line) => {
          const e = JSON.parse(line) as { type: string; object: { code?: number; metadata: { name: string; resourceVersion: string } } };
          if (e.type === 'ERROR') expired = e.object.code === 410;
          else {
            seen.add(e.object.metadata.name);
            rv = e.object.metadata.resourceVersion;
          }
        });
        if (expired) {
          const list = await call('GET', base);
          if (list.code === 200) {
            const l = JSON.parse(list.body) as { metadata: { resourceVersion: string }; items: Array<{ metadata: { name: string } }> };
            for (const i of l.items) seen.add(i.metadata.name);
            rv = l.metadata.resourceVersion;
          }
        }
        if (!stopWatching) await new Promise((r) => setTimeout(r, 100));
      }
    })();

    const acked = new Map<string, { uid: string; resourceVersion: string }>();
    let attempts = 0;
    const deadline = Date.now() + 90_000;
    const killed = { etcd: false, apiserver: false };
    while (acked.size < 240 && Date.now() < deadline) {
      const n = `w-${attempts++}`;
      const r = await call('POST', base, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n }, data: { n } });
      if (r.code === 201) {
        const o = JSON.parse(r.body) as { metadata: { uid: string; resourceVersion: string } };
        acked.set(n, { uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion });
      } else await new Promise((res) => setTimeout(res, 50));
      if (acked.size === 60 && !killed.etcd) {
        killed.etcd = true;
        void engine.provider.exec(cp, ['pkill', '-9', '-x', 'etcd']);
      }
      if (acked.size === 150 && !killed.apiserver) {
        killed.apiserver = true;
        void engine.provider.exec(cp, ['pkill', '-9', '-f', 'cluster.cjs apiserver']);
      }
    }
    expect(killed).toEqual({ etcd: true, apiserver: true });
    expect(acked.size).toBe(240);
    const list = JSON.parse((await call('GET', base)).body) as { items: Array<{ metadata: { name: string; uid: string; resourceVersion: string } }> };
    const stored = new Map(list.items.map((i) => [i.metadata.name, i.metadata]));
    for (const [n, meta] of acked) {
      expect(stored.get(n)?.uid, n).toBe(meta.uid);
      expect(stored.get(n)?.resourceVersion, n).toBe(meta.resourceVersion);
    }
    await expect.poll(() => [...acked.keys()].filter((n) => !seen.has(n)), { timeout: 20_000 }).toEqual([]);
    stopWatching = true;
    await watcher;
  }, 180_000);

  it('shows the control plane as pods in kube-system whose restarts and logs are the real processes\'', async () => {
    const k = (args: string[]) => kubectl(kubeconfig, ['--context', `kubelab-${name}`, '-n', 'kube-system', ...args]);
    // etcd and the apiserver were both killed once in the previous test.
    await expect
      .poll(async () => (await k(['get', 'pods'])).stdout, { timeout: 30_000 })
      .toMatch(new RegExp(`^etcd-${cp}\\s+1/1\\s+Running\\s+1 \\([0-9a-z]+ ago\\)[\\s\\S]*^kube-apiserver-${cp}\\s+1/1\\s+Running\\s+1 \\([0-9a-z]+ ago\\)`, 'm'));
    const pod = JSON.parse((await k(['get', 'pod', `etcd-${cp}`, '-o', 'json'])).stdout);
    expect(pod.metadata.labels).toEqual({ component: 'etcd', tier: 'control-plane' });
    expect(pod.metadata.annotations['kubernetes.io/config.mirror']).toMatch(/^[0-9a-f]{32}$/);
    expect(pod.spec.nodeName).toBe(cp);
    expect(pod.status.containerStatuses[0].lastState.terminated).toMatchObject({ exitCode: 137, signal: 9, reason: 'Error' });
    const etcdLog = await k(['logs', `etcd-${cp}`, '--tail=20']);
    expect(etcdLog.code, etcdLog.stderr).toBe(0);
    expect(etcdLog.stdout.trim().split('\n')).toHaveLength(20);
    expect(etcdLog.stdout).toMatch(/raft|etcdserver|"level"/);
    const apiLog = await k(['logs', `kube-apiserver-${cp}`]);
    expect(apiLog.stdout).toMatch(/apiserver listening on :6443/);
    const cs = await k(['get', 'componentstatuses']);
    expect(cs.stdout).toMatch(/^etcd-0\s+Healthy\s+ok/m);
  });

  it('runs the controller-manager: every namespace gets its default ServiceAccount and CA ConfigMap', async () => {
    const k = (args: string[]) => kubectl(kubeconfig, ['--context', `kubelab-${name}`, ...args]);
    expect((await k(['create', 'namespace', 'fresh'])).code).toBe(0);
    await expect.poll(async () => (await k(['-n', 'fresh', 'get', 'serviceaccount', 'default', '-o', 'name'])).stdout.trim(), { timeout: 30_000 }).toBe('serviceaccount/default');
    const ca = JSON.parse((await k(['-n', 'fresh', 'get', 'configmap', 'kube-root-ca.crt', '-o', 'json'])).stdout);
    expect(ca.data['ca.crt']).toMatch(/^-----BEGIN CERTIFICATE-----/);
    // Deleted, it comes back.
    expect((await k(['-n', 'fresh', 'delete', 'serviceaccount', 'default'])).code).toBe(0);
    await expect.poll(async () => (await k(['-n', 'fresh', 'get', 'serviceaccount', 'default', '-o', 'name'])).stdout.trim(), { timeout: 30_000 }).toBe('serviceaccount/default');
    const lease = JSON.parse((await k(['-n', 'kube-system', 'get', 'lease', 'kube-controller-manager', '-o', 'json'])).stdout);
    expect(lease.spec.holderIdentity).toMatch(/^.+_[0-9a-f-]{36}$/);
    await expect.poll(async () => (await k(['-n', 'kube-system', 'get', 'pods'])).stdout, { timeout: 30_000 }).toMatch(new RegExp(`^kube-controller-manager-${cp}\\s+1/1\\s+Running`, 'm'));
    expect((await k(['get', 'componentstatuses'])).stdout).toMatch(/^controller-manager\s+Healthy\s+ok/m);
  });

  it('removes its context on delete and leaves the others', async () => {
    expect((await kubelab(['delete', name], { home, env })).code).toBe(0);
    const text = readFileSync(kubeconfig, 'utf8');
    expect(text).not.toContain(`kubelab-${name}`);
    expect(text).toContain('https://other.example:6443');
  });
});
