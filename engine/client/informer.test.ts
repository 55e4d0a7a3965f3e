import { describe, expect, it, vi } from 'vitest';
import type { ApiObject } from '../api/resource-type.js';
import { applyWatchEvent, Informer, keyOf, relistChanges, resourcePath, SharedInformers, type ListerWatcher } from './informer.js';
import { ApiRequestError, type WatchEvent, type WatchOptions } from './rest-client.js';

const cm = (name: string, rv: string, data: Record<string, string> = {}, labels?: Record<string, string>): ApiObject => ({
  metadata: { name, namespace: 'ns', resourceVersion: rv, ...(labels ? { labels } : {}) },
  data,
});
const storeOf = (...objs: ApiObject[]) => new Map(objs.map((o) => [keyOf(o), o]));

describe('applyWatchEvent', () => {
  const a1 = cm('a', '1');
  const a2 = cm('a', '2');
  it.each([
    ['ADDED of a new object adds it', storeOf(), { type: 'ADDED', object: a1 }, { type: 'add', obj: a1 }],
    ['MODIFIED of an unknown object adds it', storeOf(), { type: 'MODIFIED', object: a2 }, { type: 'add', obj: a2 }],
    ['MODIFIED with a newer version updates', storeOf(a1), { type: 'MODIFIED', object: a2 }, { type: 'update', old: a1, obj: a2 }],
    ['ADDED of a known object with a newer version updates', storeOf(a1), { type: 'ADDED', object: a2 }, { type: 'update', old: a1, obj: a2 }],
    ['the same version again changes nothing', storeOf(a2), { type: 'MODIFIED', object: cm('a', '2') }, undefined],
    ['an older version changes nothing', storeOf(a2), { type: 'MODIFIED', object: a1 }, undefined],
    ['DELETED of a known object deletes it', storeOf(a1), { type: 'DELETED', object: a2 }, { type: 'delete', obj: a2 }],
    ['DELETED of an unknown object changes nothing', storeOf(), { type: 'DELETED', object: a1 }, undefined],
    ['a bookmark changes nothing', storeOf(a1), { type: 'BOOKMARK', object: cm('', '9') }, undefined],
    ['versions that are not numbers always update', storeOf(cm('a', 'x')), { type: 'MODIFIED', object: cm('a', 'w') }, { type: 'update', old: cm('a', 'x'), obj: cm('a', 'w') }],
  ] as const)('%s', (_, store, event, want) => {
    const before = [...store.entries()];
    expect(applyWatchEvent(store, event as WatchEvent)).toEqual(want);
    expect([...store.entries()]).toEqual(before);
  });
});

describe('relistChanges', () => {
  it('deletes what vanished, adds what is new, updates what changed, leaves the rest', () => {
    const [a, b, c, d] = [cm('a', '1'), cm('b', '2'), cm('c', '3'), cm('d', '9')];
    const b2 = cm('b', '7');
    expect(relistChanges(storeOf(a, b, c), [b2, c, d])).toEqual([
      { type: 'delete', obj: a },
      { type: 'update', old: b, obj: b2 },
      { type: 'add', obj: d },
    ]);
  });
  it('finds nothing to do when the list matches', () => {
    expect(relistChanges(storeOf(cm('a', '1')), [cm('a', '1')])).toEqual([]);
  });
});

it('builds collection paths for core and named groups, with and without a namespace', () => {
  expect(resourcePath({ group: '', version: 'v1', resource: 'configmaps', namespace: 'ns' })).toBe('/api/v1/namespaces/ns/configmaps');
  expect(resourcePath({ group: 'apps', version: 'v1', resource: 'deployments' })).toBe('/apis/apps/v1/deployments');
});

/** A pretend apiserver: a map of objects, a revision counter, and the watches open on it. */
function fakeApi() {
  const objects = new Map<string, ApiObject>();
  let rv = 10;
  const watches: Array<{ opts: WatchOptions; onEvent(e: WatchEvent): void; onEnd(err?: ApiRequestError): void; stopped: boolean }> = [];
  const api = {
    objects,
    watches,
    lists: 0,
    put(name: string, data: Record<string, string> = {}, labels?: Record<string, string>) {
      const obj = cm(name, String(++rv), data, labels);
      const type = objects.has(keyOf(obj)) ? 'MODIFIED' : 'ADDED';
      objects.set(keyOf(obj), obj);
      return { type, object: obj } as WatchEvent;
    },
    remove(name: string) {
      const obj = { ...objects.get(`ns/${name}`)!, metadata: { ...objects.get(`ns/${name}`)!.metadata, resourceVersion: String(++rv) } };
      objects.delete(`ns/${name}`);
      return { type: 'DELETED', object: obj } as WatchEvent;
    },
    /** The open watch. */
    get live() {
      const w = watches.at(-1);
      if (!w || w.stopped) throw new Error('no open watch');
      return w;
    },
    client: {
      list: async () => {
        api.lists++;
        return { metadata: { resourceVersion: String(rv) }, items: [...objects.values()] };
      },
      watch: (_path: string, opts: WatchOptions, onEvent: (e: WatchEvent) => void, onEnd: (err?: ApiRequestError) => void) => {
        const w = { opts, onEvent, onEnd, stopped: false };
        watches.push(w);
        return { stop: () => void (w.stopped = true) };
      },
    } as unknown as ListerWatcher,
  };
  return api;
}

function recorder(informer: Informer) {
  const seen: string[] = [];
  informer.addHandler({
    onAdd: (o) => seen.push(`add ${o.metadata.name}@${o.metadata.resourceVersion}`),
    onUpdate: (old, o) => seen.push(`update ${o.metadata.name}@${old.metadata.resourceVersion}->${o.metadata.resourceVersion}`),
    onDelete: (o) => seen.push(`delete ${o.metadata.name}`),
  });
  return seen;
}

describe('Informer', () => {
  const target = { group: '', version: 'v1', resource: 'configmaps', namespace: 'ns', labelSelector: 'app=x' };

  it('lists, then watches from the list with bookmarks, the selector and a timeout', async () => {
    const api = fakeApi();
    api.put('a');
    const informer = new Informer(api.client, target, { watchTimeoutSeconds: 42 });
    const seen = recorder(informer);
    informer.start();
    await informer.waitForSync();
    expect(informer.hasSynced()).toBe(true);
    await vi.waitFor(() => api.live);
    expect(api.live.opts).toMatchObject({ resourceVersion: '11', allowWatchBookmarks: true, timeoutSeconds: 42, labelSelector: 'app=x' });
    api.live.onEvent(api.put('b'));
    api.live.onEvent(api.put('a', { k: 'v' }));
    api.live.onEvent({ type: 'BOOKMARK', object: cm('', '13') });
    api.live.onEvent(api.remove('b'));
    expect(seen).toEqual(['add a@11', 'add b@12', 'update a@11->13', 'delete b']);
    expect(informer.list().map((o) => o.metadata.name)).toEqual(['a']);
    expect(informer.get('ns/a')?.data).toEqual({ k: 'v' });
    await informer.stop();
  });

  it('lists again after a 410 and turns the difference into deletes, updates and adds', async () => {
    const api = fakeApi();
    api.put('keep');
    api.put('gone');
    api.put('changed');
    const informer = new Informer(api.client, target).start();
    const seen = recorder(informer);
    await vi.waitFor(() => api.live);
    seen.length = 0;
    const first = api.live;
    api.remove('gone');
    api.put('changed', { v: '2' });
    api.put('new');
    first.onEnd(new ApiRequestError(410, 'Expired', 'too old resource version'));
    await vi.waitFor(() => expect(api.watches).toHaveLength(2));
    expect(api.lists).toBe(2);
    expect(seen).toEqual(['delete gone', 'update changed@13->15', 'add new@16']);
    expect(api.live.opts.resourceVersion).toBe('16');
    await informer.stop();
  });

  it('lists again when a watch ends cleanly, and after errors with back-off', async () => {
    const api = fakeApi();
    const informer = new Informer(api.client, target).start();
    await vi.waitFor(() => api.live);
    api.live.onEnd();
    await vi.waitFor(() => expect(api.watches).toHaveLength(2));
    const failing = { ...api.client, list: vi.fn().mockRejectedValue(new ApiRequestError(0, 'Unreachable', 'down')) };
    const flaky = new Informer(failing as unknown as ListerWatcher, target).start();
    await new Promise((r) => setTimeout(r, 750));
    // 100 + 200 + 400 ms of back-off: four tries, not hundreds.
    expect(failing.list.mock.calls.length).toBeGreaterThanOrEqual(3);
    expect(failing.list.mock.calls.length).toBeLessThanOrEqual(5);
    await Promise.all([informer.stop(), flaky.stop()]);
  });

  it('gives handlers added after the sync an add for every cached object', async () => {
    const api = fakeApi();
    api.put('a');
    api.put('b');
    const informer = new Informer(api.client, target).start();
    await informer.waitForSync();
    expect(recorder(informer)).toEqual(['add a@11', 'add b@12']);
    await informer.stop();
  });

  it('keeps secondary indexes current through adds, label changes and deletes', async () => {
    const api = fakeApi();
    api.put('a', {}, { app: 'web' });
    const informer = new Informer(api.client, target).start();
    await vi.waitFor(() => api.live);
    informer.addIndex('app', (o) => (o.metadata.labels?.app ? [o.metadata.labels.app] : []));
    const names = (app: string) => informer.byIndex('app', app).map((o) => o.metadata.name).sort();
    expect(names('web')).toEqual(['a']);
    api.live.onEvent(api.put('b', {}, { app: 'web' }));
    api.live.onEvent(api.put('c', {}, { app: 'db' }));
    expect(names('web')).toEqual(['a', 'b']);
    api.live.onEvent(api.put('a', {}, { app: 'db' }));
    expect(names('web')).toEqual(['b']);
    expect(names('db')).toEqual(['a', 'c']);
    api.live.onEvent(api.remove('c'));
    expect(names('db')).toEqual(['a']);
    expect(() => informer.byIndex('nope', 'x')).toThrow(/no index/);
    await informer.stop();
  });

  it('keeps delivering to other handlers when one throws', async () => {
    const api = fakeApi();
    api.put('a');
    const informer = new Informer(api.client, target);
    informer.addHandler({ onAdd: () => { throw new Error('boom'); } });
    const seen = recorder(informer);
    informer.start();
    await informer.waitForSync();
    expect(seen).toEqual(['add a@11']);
    await informer.stop();
  });

  it('refuses to sync once stopped', async () => {
    const api = fakeApi();
    const never = { ...api.client, list: () => new Promise(() => {}) } as unknown as ListerWatcher;
    const informer = new Informer(never, target).start();
    const sync = informer.waitForSync();
    void informer.stop();
    await expect(sync).rejects.toThrow(/stopped before it synced/);
  });

  it('resyncs: hands every cached object to onUpdate on a period', async () => {
    vi.useFakeTimers();
    try {
      const api = fakeApi();
      api.put('a');
      const informer = new Informer(api.client, target, { resyncMs: 1000 }).start();
      const seen = recorder(informer);
      await vi.advanceTimersByTimeAsync(2500);
      expect(seen).toEqual(['add a@11', 'update a@11->11', 'update a@11->11']);
      void informer.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('SharedInformers', () => {
  it('hands out one informer per target', async () => {
    const api = fakeApi();
    const shared = new SharedInformers(api.client);
    const a = shared.for({ group: '', version: 'v1', resource: 'configmaps', namespace: 'ns' });
    expect(shared.for({ group: '', version: 'v1', resource: 'configmaps', namespace: 'ns' })).toBe(a);
    expect(shared.for({ group: '', version: 'v1', resource: 'configmaps' })).not.toBe(a);
    await shared.waitForSync();
    expect(api.lists).toBe(2);
    await shared.stop();
  });
});
