// The watch cache on a real etcd: consistent lists right after writes, watches resuming from a
// resourceVersion, 410 for versions older than its window, and initial events with a bookmark.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EtcdClient } from '../engine/store/etcd-client.js';
import { StoreError } from '../engine/store/errors.js';
import { Storage, type WatchEvent } from '../engine/store/storage.js';
import { WatchCache } from '../engine/store/watch-cache.js';
import { startTestApiServer, type TestApiServer } from './helpers/apiserver.js';
import { startEtcd, type TestEtcd } from './helpers/etcd.js';

let etcd: TestEtcd;
let client: EtcdClient;
let store: Storage;
let cache: WatchCache;
const cm = (name: string, v = '1') => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { v } });
const ref = { resource: 'configmaps', namespace: 'default' };

function collect(from: string | undefined): { events: WatchEvent[]; errors: StoreError[]; cancel(): void } {
  const events: WatchEvent[] = [];
  const errors: StoreError[] = [];
  const w = cache.watch(ref, from, (e) => events.push(e), (e) => errors.push(e));
  return { events, errors, cancel: w.cancel };
}

const until = async (check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  expect(check()).toBe(true);
};

describe.sequential('watch cache', () => {
  beforeAll(async () => {
    etcd = await startEtcd();
    client = new EtcdClient(etcd.endpoint);
    store = new Storage(client);
    await store.create(ref, cm('before'));
    cache = new WatchCache(store, () => {}, 5);
    await cache.start();
  });
  afterAll(async () => {
    cache?.stop();
    client?.close();
    await etcd?.stop();
  });

  it('lists what was written just before, consistently', async () => {
    for (let i = 0; i < 20; i++) {
      const created = await store.create(ref, cm(`c${i}`));
      const list = await cache.list(ref);
      expect(list.items.map((o) => o.metadata.name)).toContain(`c${i}`);
      expect(Number(list.resourceVersion)).toBeGreaterThanOrEqual(Number(created.metadata.resourceVersion));
    }
    expect((await cache.list({ resource: 'configmaps', namespace: 'other' })).items).toEqual([]);
  });

  it('resumes a watch from a resourceVersion with every later change, in order', async () => {
    const a = await store.create(ref, cm('w1'));
    await store.update(ref, { ...cm('w1', '2'), metadata: { ...a.metadata } });
    await store.delete(ref, 'w1');
    await until(() => cache.revision >= Number(a.metadata.resourceVersion) + 2);
    const w = collect(a.metadata.resourceVersion);
    await until(() => w.events.length === 2);
    expect(w.events.map((e) => `${e.type}:${e.object.metadata.name}`)).toEqual(['MODIFIED:w1', 'DELETED:w1']);
    await store.create(ref, cm('w2'));
    await until(() => w.events.length === 3);
    w.cancel();
  });

  it('answers Expired for a resourceVersion older than its window', async () => {
    const old = await store.create(ref, cm('old'));
    for (let i = 0; i < 8; i++) await store.create(ref, cm(`churn${i}`));
    await until(() => cache.revision >= Number(old.metadata.resourceVersion) + 8);
    const w = collect(old.metadata.resourceVersion);
    await until(() => w.errors.length === 1);
    expect(w.errors[0]!.reason).toBe('Expired');
  });
});

describe.sequential('watch bookmarks over HTTP', () => {
  let api: TestApiServer;
  beforeAll(async () => {
    api = await startTestApiServer({ namespaceDefaults: false }); // raw apiserver semantics: no kube-root-ca.crt or default accounts appearing
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('sends initial events and then a bookmark marking their end', async () => {
    await api.raw('POST', '/api/v1/namespaces/default/configmaps', { body: JSON.stringify({ metadata: { name: 'seen' } }) });
    const r = await api.raw('GET', '/api/v1/namespaces/default/configmaps?watch=1&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&timeoutSeconds=1');
    const events = r.body.trim().split('\n').map((l) => JSON.parse(l) as { type: string; object: { metadata: { name?: string; annotations?: Record<string, string> } } });
    expect(events[0]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'seen' } } });
    expect(events[1]).toMatchObject({ type: 'BOOKMARK', object: { metadata: { annotations: { 'k8s.io/initial-events-end': 'true' } } } });
  });

  it('answers 410 Expired to a watch from a compacted or unknown past', async () => {
    const r = await api.raw('GET', '/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=1&timeoutSeconds=1');
    expect(r.code).toBe(200);
    const first = JSON.parse(r.body.trim().split('\n')[0]!);
    expect(first).toMatchObject({ type: 'ERROR', object: { code: 410, reason: 'Expired' } });
  });

  it('tells a selector watch when an object leaves or enters its selection', async () => {
    const base = '/api/v1/namespaces/default/configmaps';
    const made = JSON.parse((await api.raw('POST', base, { body: JSON.stringify({ metadata: { name: 'moving', labels: { app: 'a' } } }) })).body);
    const watching = api.raw('GET', `${base}?watch=1&labelSelector=app%3Da&resourceVersion=${made.metadata.resourceVersion}&timeoutSeconds=2`);
    await new Promise((r) => setTimeout(r, 300));
    const relabel = (app: string) => api.raw('PATCH', `${base}/moving`, { body: JSON.stringify({ metadata: { labels: { app } } }), contentType: 'application/merge-patch+json' });
    await relabel('b');
    await relabel('c');
    await relabel('a');
    const events = (await watching).body.trim().split('\n').map((l) => JSON.parse(l) as { type: string; object: { metadata: { labels: Record<string, string> } } });
    expect(events.map((e) => `${e.type}:${e.object.metadata.labels.app}`)).toEqual(['DELETED:b', 'ADDED:a']);
  });
});
