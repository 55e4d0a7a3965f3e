// The storage layer against a real etcd: keys, resourceVersions, optimistic concurrency, paging,
// watches from a revision and 410-style expiry after compaction, crash safety of acknowledged writes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EtcdClient } from '../engine/store/etcd-client.js';
import { StoreError } from '../engine/store/errors.js';
import { Storage, type WatchEvent } from '../engine/store/storage.js';
import { startEtcd, type TestEtcd } from './helpers/etcd.js';

let etcd: TestEtcd;
let client: EtcdClient;
let store: Storage;
const cm = (name: string, data: Record<string, string> = {}, namespace = 'default') => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data });
const ref = (namespace = 'default') => ({ resource: 'configmaps', namespace });

const reason = async (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => (e instanceof StoreError ? e.reason : `other: ${String(e)}`));

describe.sequential('Storage on etcd', () => {
  beforeAll(async () => {
    etcd = await startEtcd();
    client = new EtcdClient(etcd.endpoint);
    store = new Storage(client);
  });
  afterAll(async () => {
    client?.close();
    await etcd?.stop();
  });

  it('creates, reads and refuses duplicates; resourceVersion is the etcd revision', async () => {
    const created = await store.create(ref(), cm('a', { k: 'v' }));
    expect(created.metadata.resourceVersion).toMatch(/^\d+$/);
    const read = await store.get(ref(), 'a');
    expect(read).toEqual(created);
    const { kvs } = await client.range({ key: '/registry/configmaps/default/a' });
    expect(String(kvs[0]?.modRevision)).toBe(created.metadata.resourceVersion);
    // stored without its resourceVersion, as Kubernetes does
    expect(JSON.parse(kvs[0]!.value.toString()).metadata.resourceVersion).toBeUndefined();
    expect(await reason(store.create(ref(), cm('a')))).toBe('AlreadyExists');
    expect(await reason(store.get(ref(), 'missing'))).toBe('NotFound');
  });

  it('updates with optimistic concurrency', async () => {
    const cur = await store.get(ref(), 'a');
    const next = await store.update(ref(), { ...cur, data: { k: 'v2' } });
    expect(Number(next.metadata.resourceVersion)).toBeGreaterThan(Number(cur.metadata.resourceVersion));
    // a writer holding the old version loses
    expect(await reason(store.update(ref(), { ...cur, data: { k: 'stale' } }))).toBe('Conflict');
    expect((await store.get(ref(), 'a')).data).toEqual({ k: 'v2' });
    // no version: last write wins, but the object must exist
    const { resourceVersion: _drop, ...meta } = cur.metadata;
    expect((await store.update(ref(), { ...cur, metadata: meta, data: { k: 'v3' } })).data).toEqual({ k: 'v3' });
    expect(await reason(store.update(ref(), cm('ghost')))).toBe('NotFound');
  });

  it('loses no concurrent change through guaranteedUpdate', async () => {
    await store.create(ref(), cm('counter', { n: '0' }));
    await Promise.all(
      Array.from({ length: 20 }, () =>
        store.guaranteedUpdate(ref(), 'counter', (o) => ({ ...o, data: { n: String(Number((o.data as { n: string }).n) + 1) } })),
      ),
    );
    expect((await store.get(ref(), 'counter')).data).toEqual({ n: '20' });
  });

  it('deletes with and without a precondition', async () => {
    const obj = await store.create(ref(), cm('gone'));
    await store.update(ref(), { ...obj, data: { x: '1' } });
    expect(await reason(store.delete(ref(), 'gone', obj.metadata.resourceVersion))).toBe('Conflict');
    const last = await store.delete(ref(), 'gone');
    expect(last.data).toEqual({ x: '1' });
    expect(await reason(store.delete(ref(), 'gone'))).toBe('NotFound');
  });

  it('pages a list consistently at the first page\'s revision', async () => {
    const ns = ref('paging');
    for (let i = 0; i < 25; i++) await store.create(ns, cm(`item-${String(i).padStart(2, '0')}`, {}, 'paging'));
    const first = await store.list(ns, { limit: 10 });
    expect(first.items).toHaveLength(10);
    expect(first.remainingItemCount).toBe(15);
    // a change after the first page must not show in later pages
    await store.create(ns, cm('item-99', {}, 'paging'));
    const second = await store.list(ns, { limit: 10, continue: first.continue });
    const third = await store.list(ns, { limit: 10, continue: second.continue });
    expect(third.continue).toBeUndefined();
    const names = [...first.items, ...second.items, ...third.items].map((o) => o.metadata.name);
    expect(names).toEqual(Array.from({ length: 25 }, (_, i) => `item-${String(i).padStart(2, '0')}`));
    expect(second.resourceVersion).toBe(first.resourceVersion);
    expect((await store.list(ns)).items).toHaveLength(26);
    // namespaces are separate, and an all-namespaces list sees both
    expect((await store.list(ref('other'))).items).toHaveLength(0);
    expect((await store.list({ resource: 'configmaps' })).items.length).toBeGreaterThanOrEqual(27);
  });

  it('watches from a resourceVersion, in order, with the last state of deleted objects', async () => {
    const ns = ref('watch');
    const start = await store.create(ns, cm('w', { step: '0' }, 'watch'));
    const events: WatchEvent[] = [];
    const w = store.watch(ns, start.metadata.resourceVersion, (e) => events.push(e), () => undefined);
    const cur = await store.update(ns, { ...start, data: { step: '1' } });
    await store.create(ns, cm('w2', {}, 'watch'));
    await store.delete(ns, 'w', cur.metadata.resourceVersion);
    await expect.poll(() => events.length).toBe(3);
    w.cancel();
    expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([['MODIFIED', 'w'], ['ADDED', 'w2'], ['DELETED', 'w']]);
    expect(events[2]?.object.data).toEqual({ step: '1' });
    const rvs = events.map((e) => Number(e.object.metadata.resourceVersion));
    expect([...rvs].sort((a, b) => a - b)).toEqual(rvs);
  });

  it('starts a watch without a resourceVersion with the current objects', async () => {
    const events: WatchEvent[] = [];
    const w = store.watch(ref('watch'), undefined, (e) => events.push(e), () => undefined);
    await expect.poll(() => events.length).toBe(1);
    await store.create(ref('watch'), cm('w3', {}, 'watch'));
    await expect.poll(() => events.length).toBe(2);
    w.cancel();
    expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([['ADDED', 'w2'], ['ADDED', 'w3']]);
  });

  it('answers Expired for a watch or continue token from before a compaction', async () => {
    const ns = ref('compact');
    const old = await store.create(ns, cm('c', {}, 'compact'));
    await store.create(ns, cm('d', {}, 'compact'));
    const page = await store.list(ns, { limit: 1 });
    const latest = await store.update(ns, { ...old, data: { a: 'b' } });
    await client.compact(Number(latest.metadata.resourceVersion));
    const err = await new Promise<StoreError>((resolve) => store.watch(ns, old.metadata.resourceVersion, () => undefined, resolve));
    expect(err.reason).toBe('Expired');
    expect(await reason(store.list(ns, { limit: 1, continue: page.continue }))).toBe('Expired');
  });

  it('keeps every acknowledged write across a kill -9 of etcd in the middle of a write burst', async () => {
    const ns = ref('crash');
    const acked = new Map<string, string>();
    let failed = 0;
    const burst = Array.from({ length: 400 }, async (_, i) => {
      await new Promise((r) => setTimeout(r, i));
      try {
        const o = await store.create(ns, cm(`k${i}`, { i: String(i) }, 'crash'));
        acked.set(o.metadata.name, o.metadata.resourceVersion!);
      } catch (err) {
        expect(err).toBeInstanceOf(StoreError);
        failed++;
      }
    });
    await new Promise((r) => setTimeout(r, 150));
    await etcd.crash();
    await Promise.all(burst);
    expect(acked.size).toBeGreaterThan(0);
    expect(failed).toBeGreaterThan(0); // the crash really hit writes in flight
    const after = await store.list(ns);
    const stored = new Map(after.items.map((o) => [o.metadata.name, o.metadata.resourceVersion]));
    for (const [name, rv] of acked) expect(stored.get(name), name).toBe(rv);
    // Nothing beyond what was attempted; an unacknowledged write may or may not have landed.
    expect(after.items.length).toBeLessThanOrEqual(400);
    expect(acked.size + failed).toBe(400);
  });

  it('turns an oversize object into TooLarge and stores nothing', async () => {
    const big = cm('big', { blob: 'x'.repeat(2 * 1024 * 1024) });
    expect(await reason(store.create(ref(), big))).toBe('TooLarge');
    expect(await reason(store.get(ref(), 'big'))).toBe('NotFound');
  });
});
