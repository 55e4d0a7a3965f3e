import { describe, expect, it } from 'vitest';
import type { WatchEvent } from '../api/line-splitter';
import type { KubeObject } from '../api/types';
import { applyWatchEvent, applyWatchEvents, sortByNamespaceName } from './watch-reducer';

const obj = (name: string, rv = '1', ns = 'default'): KubeObject => ({ metadata: { name, namespace: ns, uid: `uid-${ns}-${name}`, resourceVersion: rv } });
const names = (l: readonly KubeObject[]) => l.map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`);

describe('applyWatchEvent', () => {
  const a = obj('a');
  const b = obj('b');
  it.each<{ name: string; list: KubeObject[]; event: WatchEvent; want: string[] }>([
    { name: 'ADDED appends', list: [a], event: { type: 'ADDED', object: b }, want: ['a@1', 'b@1'] },
    { name: 'MODIFIED replaces in place', list: [a, b], event: { type: 'MODIFIED', object: obj('a', '2') }, want: ['a@2', 'b@1'] },
    { name: 'ADDED of a known object replaces it', list: [a], event: { type: 'ADDED', object: obj('a', '3') }, want: ['a@3'] },
    { name: 'MODIFIED of an unknown object appends it', list: [a], event: { type: 'MODIFIED', object: b }, want: ['a@1', 'b@1'] },
    { name: 'DELETED removes', list: [a, b], event: { type: 'DELETED', object: obj('a', '4') }, want: ['b@1'] },
    { name: 'DELETED of an unknown object changes nothing', list: [a], event: { type: 'DELETED', object: b }, want: ['a@1'] },
    { name: 'BOOKMARK changes nothing', list: [a], event: { type: 'BOOKMARK', object: obj('x', '9') }, want: ['a@1'] },
    { name: 'ERROR changes nothing', list: [a], event: { type: 'ERROR', object: { kind: 'Status', code: 410 } }, want: ['a@1'] },
  ])('$name', ({ list, event, want }) => {
    expect(names(applyWatchEvent(list, event))).toEqual(want);
  });

  it('keys by uid, so same-named objects in two namespaces stay apart', () => {
    const list = applyWatchEvent([obj('a', '1', 'x')], { type: 'ADDED', object: obj('a', '1', 'y') });
    expect(list).toHaveLength(2);
  });

  it('returns the same array when nothing changed (memoized rows stay put)', () => {
    const list = [a, b];
    expect(applyWatchEvent(list, { type: 'DELETED', object: obj('zz') })).toBe(list);
    expect(applyWatchEvent(list, { type: 'MODIFIED', object: a })).toBe(list);
  });

  it('does not mutate its input', () => {
    const list = [a, b];
    applyWatchEvent(list, { type: 'MODIFIED', object: obj('a', '2') });
    expect(names(list)).toEqual(['a@1', 'b@1']);
  });
});

describe('applyWatchEvents', () => {
  it('gives the same result as applying one by one', () => {
    const start = [obj('a'), obj('b'), obj('c')];
    const events: WatchEvent[] = [
      { type: 'MODIFIED', object: obj('b', '2') },
      { type: 'ADDED', object: obj('d') },
      { type: 'DELETED', object: obj('a') },
      { type: 'MODIFIED', object: obj('d', '5') },
      { type: 'ADDED', object: obj('a', '7') },
      { type: 'BOOKMARK', object: obj('zz') },
    ];
    const one = events.reduce<readonly KubeObject[]>((l, e) => applyWatchEvent(l, e), start);
    expect(names(applyWatchEvents(start, events))).toEqual(names(one));
  });

  it('handles a burst of 300 pods churning', () => {
    const start = Array.from({ length: 300 }, (_, i) => obj(`p${i}`));
    const events: WatchEvent[] = start.map((p) => ({ type: 'MODIFIED', object: { ...p, metadata: { ...p.metadata, resourceVersion: '2' } } }));
    const out = applyWatchEvents(start, events);
    expect(out).toHaveLength(300);
    expect(out.every((o) => o.metadata.resourceVersion === '2')).toBe(true);
  });

  it('returns the input for an empty or no-op batch', () => {
    const list = [obj('a')];
    expect(applyWatchEvents(list, [])).toBe(list);
    expect(applyWatchEvents(list, [{ type: 'BOOKMARK', object: obj('a') }, { type: 'DELETED', object: obj('q') }])).toBe(list);
  });
});

describe('sortByNamespaceName', () => {
  it('orders by namespace then name', () => {
    const out = sortByNamespaceName([obj('b', '1', 'y'), obj('a', '1', 'y'), obj('z', '1', 'x')]);
    expect(out.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['x/z', 'y/a', 'y/b']);
  });
});
