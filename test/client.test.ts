// The client library against a real apiserver on a real etcd: the REST client's lists, patches
// and watch streams; informers following ConfigMaps through changes, watch ends and a watch-cache
// restart (410 Expired); leader election between two candidates; a controller on a work queue.
import { globalAgent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiObject } from '../engine/api/resource-type.js';
import { leaderElection, runController, type LeaderElector } from '../engine/client/controller.js';
import { Informer, type InformerTarget, type ListerWatcher } from '../engine/client/informer.js';
import { ApiRequestError, RestClient, type WatchEvent } from '../engine/client/rest-client.js';
import { WorkQueue } from '../engine/client/work-queue.js';
import { createLogger } from '../engine/log/logger.js';
import { startTestApiServer, type TestApiServer } from './helpers/apiserver.js';

let api: TestApiServer;
const clients: RestClient[] = [];
const client = () => {
  const c = new RestClient({ server: `https://127.0.0.1:${api.port}`, ca: api.ca.cert, cert: api.admin.cert, key: api.admin.key, userAgent: 'client-test' });
  clients.push(c);
  return c;
};

const until = async (check: () => boolean, ms = 10_000, what = 'condition') => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

let nsCount = 0;
/** A fresh namespace for one test. */
async function namespace(): Promise<string> {
  const ns = `client-${++nsCount}`;
  const r = await api.raw('POST', '/api/v1/namespaces', { body: JSON.stringify({ metadata: { name: ns } }) });
  expect(r.code).toBe(201);
  return ns;
}

/** ConfigMap writes as a client without our library would make them; each must succeed. */
const cms = (ns: string) => {
  const base = `/api/v1/namespaces/${ns}/configmaps`;
  const ok = async (p: Promise<{ code: number; body: string }>) => {
    const r = await p;
    expect(r.code, r.body).toBeLessThan(300);
    return JSON.parse(r.body) as ApiObject;
  };
  return {
    create: (name: string, data: Record<string, string> = {}, labels?: Record<string, string>) =>
      ok(api.raw('POST', base, { body: JSON.stringify({ metadata: { name, labels }, data }) })),
    patch: (name: string, patch: unknown) =>
      ok(api.raw('PATCH', `${base}/${name}`, { body: JSON.stringify(patch), contentType: 'application/merge-patch+json' })),
    delete: (name: string) => ok(api.raw('DELETE', `${base}/${name}`)),
  };
};

const configMaps = (ns: string): InformerTarget => ({ group: '', version: 'v1', resource: 'configmaps', namespace: ns });

/** Every change an informer's handlers see, as "add a v=1", "update a v=2", "delete a". */
function record(informer: Informer): string[] {
  const seen: string[] = [];
  const text = (o: ApiObject) => `${o.metadata.name}${Object.entries((o.data as Record<string, string>) ?? {}).map(([k, v]) => ` ${k}=${v}`).join('')}`;
  informer.addHandler({
    onAdd: (o) => seen.push(`add ${text(o)}`),
    onUpdate: (_, o) => seen.push(`update ${text(o)}`),
    onDelete: (o) => seen.push(`delete ${o.metadata.name}`),
  });
  return seen;
}

beforeAll(async () => {
  api = await startTestApiServer({ namespaceDefaults: false }); // raw apiserver semantics: no kube-root-ca.crt or default accounts appearing
});
afterAll(async () => {
  for (const c of clients) c.close();
  await api?.stop();
});

describe('REST client', () => {
  it('lists, patches in every format, and streams a watch until the server ends it', async () => {
    const ns = await namespace();
    const rest = client();
    const path = `/api/v1/namespaces/${ns}/configmaps`;
    await cms(ns).create('a', { v: '1' }, { app: 'web' });
    await cms(ns).create('b', { v: '1' });
    const list = await rest.list(path, { labelSelector: 'app=web' });
    expect(list.items.map((o) => o.metadata.name)).toEqual(['a']);
    expect(Number(list.metadata.resourceVersion)).toBeGreaterThan(0);

    const events: Array<{ type: string; name: string; data: unknown }> = [];
    let ended: ApiRequestError | undefined | 'open' = 'open';
    rest.watch(path, { resourceVersion: list.metadata.resourceVersion, timeoutSeconds: 2 }, (e: WatchEvent) => events.push({ type: e.type, name: e.object.metadata.name, data: e.object.data }), (err) => (ended = err));
    await rest.patch(`${path}/a`, { data: { v: '2' } });
    await rest.patch(`${path}/a`, { data: { w: 'x' } }, 'strategic');
    await rest.patch(`${path}/a`, [{ op: 'replace', path: '/data/v', value: '3' }], 'json');
    await rest.patch(`${path}/b`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' }, data: { v: 'applied' } }, 'apply', { fieldManager: 'client-test', force: true });
    await expect(rest.patch(`${path}/b`, {}, 'apply')).rejects.toThrow(/fieldManager/);
    await until(() => ended !== 'open', 5000, 'the watch to end');
    expect(ended).toBeUndefined();
    expect(events).toEqual([
      { type: 'MODIFIED', name: 'a', data: { v: '2' } },
      { type: 'MODIFIED', name: 'a', data: { v: '2', w: 'x' } },
      { type: 'MODIFIED', name: 'a', data: { v: '3', w: 'x' } },
      { type: 'MODIFIED', name: 'b', data: { v: 'applied' } },
    ]);
  });

  it('ends a watch from a forgotten resourceVersion with 410 Expired, and a refused one with its status', async () => {
    const rest = client();
    const end = (path: string, rv: string) =>
      new Promise<ApiRequestError | undefined>((resolve) => rest.watch(path, { resourceVersion: rv }, () => {}, resolve));
    const expired = await end('/api/v1/configmaps', '1');
    expect(expired).toMatchObject({ code: 410, reason: 'Expired' });
    const missing = await end('/api/v1/nosuchthings', '0');
    expect(missing).toMatchObject({ code: 404 });
  });
});

describe('informer', () => {
  it('delivers creates, updates and deletes in order, and keeps the cache equal to the server', async () => {
    const ns = await namespace();
    const cm = cms(ns);
    await cm.create('before', { v: '0' });
    const informer = new Informer(client(), configMaps(ns));
    const seen = record(informer);
    await informer.start().waitForSync();
    await cm.create('a', { v: '1' });
    await cm.patch('a', { data: { v: '2' } });
    await cm.create('b', { v: '1' });
    await cm.delete('a');
    await cm.patch('b', { data: { v: '2' } });
    await cm.delete('before');
    await until(() => seen.length === 7, 10_000, 'seven changes');
    expect(seen).toEqual(['add before v=0', 'add a v=1', 'update a v=2', 'add b v=1', 'delete a', 'update b v=2', 'delete before']);
    expect(informer.list().map((o) => o.metadata.name)).toEqual(['b']);
    expect(informer.get(`${ns}/b`)?.data).toEqual({ v: '2' });
    await informer.stop();
  });

  it('lists again whenever a watch ends, delivering only real changes', async () => {
    const ns = await namespace();
    const cm = cms(ns);
    await cm.create('steady', { v: '1' });
    const rest = client();
    let lists = 0;
    const counting: ListerWatcher = { list: (path, query) => (lists++, rest.list(path, query)), watch: rest.watch.bind(rest) };
    const informer = new Informer(counting, configMaps(ns), { watchTimeoutSeconds: 1 });
    const seen = record(informer);
    await informer.start().waitForSync();
    for (let i = 1; i <= 4; i++) {
      await cm.create(`c${i}`, { v: '1' });
      await new Promise((r) => setTimeout(r, 700));
    }
    await until(() => seen.length === 5, 10_000, 'five adds');
    expect(lists).toBeGreaterThanOrEqual(3);
    expect(seen).toEqual(['add steady v=1', 'add c1 v=1', 'add c2 v=1', 'add c3 v=1', 'add c4 v=1']);
    await informer.stop();
  });

  it('survives 410 Expired after the apiserver watch cache restarts, catching up on what changed meanwhile', async () => {
    const ns = await namespace();
    const cm = cms(ns);
    const lines: string[] = [];
    const informer = new Informer(client(), configMaps(ns), { log: createLogger((_, m) => lines.push(m), 2) });
    const seen = record(informer);
    await informer.start().waitForSync();
    // Changes arriving through the watch show that it is open before the cut.
    for (const name of ['keep', 'gone', 'changed']) await cm.create(name, { v: '1' });
    await until(() => seen.length === 3, 10_000, 'the watch');
    seen.length = 0;
    // Break the apiserver's watch on etcd (its only plain-HTTP connections in this process), as an
    // etcd hiccup would: the watch cache starts over and ends every open watch with 410 Expired.
    const sockets = Object.values(globalAgent.sockets).flat();
    expect(sockets.length).toBeGreaterThan(0);
    for (const s of sockets) s?.destroy();
    await cm.delete('gone');
    await cm.patch('changed', { data: { v: '2' } });
    await cm.create('new', { v: '1' });
    await until(() => lines.some((l) => /410|watch cache was restarted/.test(l)), 10_000, 'the 410');
    await until(() => seen.length === 3, 15_000, 'three changes');
    expect([...seen].sort()).toEqual(['add new v=1', 'delete gone', 'update changed v=2']);
    expect(informer.list().map((o) => o.metadata.name).sort()).toEqual(['changed', 'keep', 'new']);
    // And it keeps following after the re-list.
    await cm.patch('keep', { data: { v: '2' } });
    await until(() => seen.length === 4, 10_000, 'the change after the re-list');
    expect(seen[3]).toBe('update keep v=2');
    await informer.stop();
  });

  it('answers secondary index lookups through creates, relabels and deletes', async () => {
    const ns = await namespace();
    const cm = cms(ns);
    await cm.create('w1', {}, { app: 'web' });
    const informer = new Informer(client(), configMaps(ns)).start();
    informer.addIndex('app', (o) => (o.metadata.labels?.app ? [o.metadata.labels.app] : []));
    await informer.waitForSync();
    const names = (app: string) => informer.byIndex('app', app).map((o) => o.metadata.name).sort().join(',');
    expect(names('web')).toBe('w1');
    await cm.create('w2', {}, { app: 'web' });
    await cm.create('d1', {}, { app: 'db' });
    await until(() => names('web') === 'w1,w2' && names('db') === 'd1', 10_000, 'the creates');
    await cm.patch('w1', { metadata: { labels: { app: 'db' } } });
    await until(() => names('web') === 'w2', 10_000, 'the relabel');
    expect(names('db')).toBe('d1,w1');
    await cm.delete('d1');
    await until(() => names('db') === 'w1', 10_000, 'the delete');
    await informer.stop();
  });
});

describe('leader election', () => {
  const timing = { leaseDurationSeconds: 2, renewDeadline: 1.5, retryPeriod: 0.25 };
  const leasePath = (ns: string) => `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/ctl`;
  const readLease = async (ns: string) => JSON.parse((await api.raw('GET', leasePath(ns))).body) as { metadata: { resourceVersion: string }; spec: Record<string, unknown> };

  async function candidates(ns: string) {
    const events: Array<{ who: string; what: 'started' | 'stopped'; at: number }> = [];
    const make = (who: string) =>
      leaderElection({
        client: client(), namespace: ns, name: 'ctl', identity: who, ...timing,
        onStartedLeading: () => events.push({ who, what: 'started', at: Date.now() }),
        onStoppedLeading: () => events.push({ who, what: 'stopped', at: Date.now() }),
      });
    const all: Record<string, LeaderElector> = { one: make('one'), two: make('two') };
    await until(() => events.length > 0, 10_000, 'a leader');
    const leader = events[0]!.who;
    const other = leader === 'one' ? 'two' : 'one';
    return { events, all, leader, other };
  }

  it('lets exactly one lead; the other takes over about a lease duration after the leader stops renewing', async () => {
    const ns = await namespace();
    const { events, all, leader, other } = await candidates(ns);
    const first = await readLease(ns);
    expect(first.spec).toMatchObject({ holderIdentity: leader, leaseDurationSeconds: 2, leaseTransitions: 0 });
    expect(first.spec.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    for (let i = 0; i < 30; i++) {
      expect([all.one!.isLeader(), all.two!.isLeader()].filter(Boolean)).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(events.map((e) => `${e.who} ${e.what}`)).toEqual([`${leader} started`]);
    const renewed = await readLease(ns);
    expect(renewed.spec.renewTime).not.toBe(first.spec.renewTime);
    expect(renewed.spec.acquireTime).toBe(first.spec.acquireTime);

    const crashed = Date.now();
    await all[leader]!.stop({ release: false });
    await until(() => all[other]!.isLeader(), 10_000, 'the takeover');
    const took = events.find((e) => e.who === other && e.what === 'started')!.at - crashed;
    expect(took).toBeGreaterThan(1500);
    expect(took).toBeLessThan(3500);
    const taken = await readLease(ns);
    expect(taken.spec).toMatchObject({ holderIdentity: other, leaseTransitions: 1 });
    expect(taken.spec.acquireTime).not.toBe(first.spec.acquireTime);
    await all[other]!.stop();
  });

  it('stops leading as soon as someone else holds the lease, and hands over at once on a clean stop', async () => {
    const ns = await namespace();
    const { events, all, leader, other } = await candidates(ns);
    const lease = await readLease(ns);
    const intruder = { ...lease, spec: { ...lease.spec, holderIdentity: 'intruder', renewTime: new Date().toISOString().replace('Z', '000Z') } };
    expect((await api.raw('PUT', leasePath(ns), { body: JSON.stringify(intruder) })).code).toBe(200);
    await until(() => !all[leader]!.isLeader(), 5000, 'the leader to step down');
    expect(all[other]!.isLeader()).toBe(false);
    // The intruder never renews: after its lease runs out one candidate takes over.
    await until(() => all.one!.isLeader() || all.two!.isLeader(), 10_000, 'a takeover from the intruder');
    const next = all.one!.isLeader() ? 'one' : 'two';
    const rest = next === 'one' ? 'two' : 'one';
    const handed = Date.now();
    await all[next]!.stop();
    expect((await readLease(ns)).spec.holderIdentity).toBe('');
    await until(() => all[rest]!.isLeader(), 5000, 'the hand-over');
    expect(Date.now() - handed).toBeLessThan(1500);
    expect(events.filter((e) => e.what === 'started').length - events.filter((e) => e.what === 'stopped').length).toBe(1);
    await all[rest]!.stop();
  });
});

describe('controller', () => {
  it('reconciles each key once per burst of changes, from the informer cache', async () => {
    const ns = await namespace();
    const cm = cms(ns);
    const informer = new Informer(client(), configMaps(ns));
    const queue = new WorkQueue();
    const enqueue = (o: ApiObject) => queue.add(`${o.metadata.namespace}/${o.metadata.name}`);
    informer.addHandler({ onAdd: enqueue, onUpdate: (_, o) => enqueue(o), onDelete: enqueue });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const runs: string[] = [];
    const active = new Set<string>();
    let overlap = false;
    const done = runController({
      name: 'burst',
      queue,
      workers: 2,
      reconcile: async (key) => {
        if (active.has(key)) overlap = true;
        active.add(key);
        await gate;
        const obj = informer.get(key);
        runs.push(`${key.split('/')[1]} ${obj ? (obj.data as Record<string, string>).v : 'gone'}`);
        active.delete(key);
      },
    });
    await informer.start().waitForSync();
    // A burst while both workers are busy with the first two keys: five versions of four objects.
    for (const name of ['k1', 'k2', 'k3', 'k4']) await cm.create(name, { v: '1' });
    for (let v = 2; v <= 5; v++) for (const name of ['k1', 'k2', 'k3', 'k4']) await cm.patch(name, { data: { v: String(v) } });
    await cm.delete('k4');
    await until(() => informer.list().length === 3 && informer.list().every((o) => (o.data as Record<string, string>).v === '5'), 10_000, 'the burst to reach the cache');
    release();
    await until(() => runs.length >= 6 && queue.len() === 0 && active.size === 0, 10_000, 'the reconciles');
    await new Promise((r) => setTimeout(r, 300));
    // k1 and k2 were taken before the burst and come back once; k3 and k4 waited and run once.
    expect([...runs].sort()).toEqual(['k1 5', 'k1 5', 'k2 5', 'k2 5', 'k3 5', 'k4 gone']);
    expect(overlap).toBe(false);
    queue.shutDown();
    await done;
    await informer.stop();
  });
});
