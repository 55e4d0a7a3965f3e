import { describe, expect, it } from 'vitest';
import { AssumeCache } from './volume-binder.js';

type Obj = { metadata: { name: string; namespace?: string; resourceVersion: string }; note?: string };
const obj = (name: string, rv: number, note?: string): Obj => ({ metadata: { name, namespace: 'ns', resourceVersion: String(rv) }, ...(note ? { note } : {}) });

/** An informer stand-in: a map the test changes as watch events would. */
function fakeInformer(...objs: Obj[]) {
  const store = new Map(objs.map((o) => [`ns/${o.metadata.name}`, o]));
  return { store, informer: { get: (k: string) => store.get(k) as never, list: () => [...store.values()] as never[] } };
}

describe('AssumeCache', () => {
  it('serves the assumed copy until the informer has a newer version', () => {
    const { store, informer } = fakeInformer(obj('a', 5));
    const cache = new AssumeCache<Obj>(informer);
    cache.assume(obj('a', 5, 'assumed'));
    expect(cache.get('ns/a')?.note).toBe('assumed');
    expect(cache.list().map((o) => o.note)).toEqual(['assumed']);
    store.set('ns/a', obj('a', 6, 'someone else'));
    expect(cache.get('ns/a')?.note).toBe('someone else');
    // The assumption is gone for good, even if the informer were to go back.
    store.set('ns/a', obj('a', 5));
    expect(cache.get('ns/a')?.note).toBeUndefined();
  });

  it('keeps a written assumption until the informer reaches the written version', () => {
    const { store, informer } = fakeInformer(obj('a', 5));
    const cache = new AssumeCache<Obj>(informer);
    cache.assume(obj('a', 5, 'assumed'));
    cache.written('ns/a', 8);
    store.set('ns/a', obj('a', 7, 'older than our write'));
    expect(cache.get('ns/a')?.note).toBe('assumed');
    store.set('ns/a', obj('a', 8, 'our write'));
    expect(cache.get('ns/a')?.note).toBe('assumed');
    store.set('ns/a', obj('a', 9, 'bound'));
    expect(cache.get('ns/a')?.note).toBe('bound');
  });

  it('drops assumptions on restore and for objects that were deleted', () => {
    const { store, informer } = fakeInformer(obj('a', 5), obj('b', 5));
    const cache = new AssumeCache<Obj>(informer);
    cache.assume(obj('a', 5, 'assumed'));
    cache.assume(obj('b', 5, 'assumed'));
    cache.restore('ns/a');
    expect(cache.get('ns/a')?.note).toBeUndefined();
    store.delete('ns/b');
    expect(cache.get('ns/b')).toBeUndefined();
    expect(cache.list()).toEqual([obj('a', 5)]);
  });
});
