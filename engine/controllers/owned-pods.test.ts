import { describe, expect, it } from 'vitest';
import type { InformerHandlers } from '../client/informer.js';
import { Expectations } from './expectations.js';
import { ownerQueue, watchOwned, watchOwnedPods, watchOwners, type OwnedPodOptions, type OwnerCache, type SelectingOwner } from './owned-pods.js';
import type { OwnerRef, Pod } from './workload-util.js';

const owner = (name: string, matchLabels: Record<string, string>): SelectingOwner => ({ metadata: { name, namespace: 'ns', uid: `uid-${name}` }, spec: { selector: { matchLabels } } });
const A = owner('a', { app: 'x' });
const B = owner('b', { app: 'x', tier: 'web' });
const OTHER_NS: SelectingOwner = { metadata: { name: 'c', namespace: 'other', uid: 'uid-c' }, spec: { selector: { matchLabels: { app: 'x' } } } };

const ref = (name: string, kind = 'ReplicaSet', uid = `uid-${name}`): OwnerRef => ({ apiVersion: 'apps/v1', kind, name, uid, controller: true });
const pod = (labels: Record<string, string>, controller?: OwnerRef, deleting = false): Pod => ({
  metadata: { name: 'p', namespace: 'ns', labels, ...(controller ? { ownerReferences: [controller] } : {}), ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
});

/** An owners' cache over fixed objects, indexed as an Informer would be. */
function ownersCache(objs: SelectingOwner[]): OwnerCache<SelectingOwner> & { handlers: InformerHandlers<SelectingOwner>[] } {
  const indexes = new Map<string, (o: SelectingOwner) => string[]>();
  const handlers: InformerHandlers<SelectingOwner>[] = [];
  return {
    handlers,
    get: (key) => objs.find((o) => `${o.metadata.namespace}/${o.metadata.name}` === key),
    byIndex: (name, value) => objs.filter((o) => indexes.get(name)!(o).includes(value)),
    addIndex: (name, fn) => void indexes.set(name, fn),
    addHandler: (h) => handlers.push(h),
  };
}

/** Wires the handlers over owners a, b (namespace ns) and c (namespace other); returns what they touched. */
function setup(opts?: OwnedPodOptions) {
  const keys: string[] = [];
  const queue = { add: (key: string) => void keys.push(key) };
  const expectations = new Expectations();
  const owners = ownersCache([A, B, OTHER_NS]);
  let podHandlers: InformerHandlers<Pod> = {};
  const q = ownerQueue(queue, owners, 'ReplicaSet');
  watchOwnedPods({ addHandler: (h) => (podHandlers = h) }, q, queue, expectations, opts);
  watchOwners(owners, queue, expectations);
  return { keys, expectations, pods: podHandlers, owners: owners.handlers[0]!, q };
}

describe('watchOwnedPods', () => {
  it.each<[string, OwnedPodOptions, (h: InformerHandlers<Pod>) => void, string[]]>([
    ['a new controlled pod enqueues its owner', {}, (h) => h.onAdd!(pod({ app: 'x' }, ref('a'))), ['ns/a']],
    ['a new orphan enqueues every owner of its namespace that matches it', {}, (h) => h.onAdd!(pod({ app: 'x', tier: 'web' })), ['ns/a', 'ns/b']],
    ['a new orphan that matches nothing enqueues nothing', {}, (h) => h.onAdd!(pod({ app: 'y' })), []],
    ['a pod of an owner not in the cache enqueues nothing', {}, (h) => h.onAdd!(pod({ app: 'x' }, ref('gone'))), []],
    ['a pod controlled by a namesake with another uid enqueues nothing', {}, (h) => h.onAdd!(pod({ app: 'x' }, ref('a', 'ReplicaSet', 'old-uid'))), []],
    ['a pod controlled by another kind enqueues nothing', {}, (h) => h.onAdd!(pod({ app: 'x' }, ref('a', 'StatefulSet'))), []],
    ['an update enqueues the owner', {}, (h) => h.onUpdate!(pod({ app: 'x' }, ref('a')), pod({ app: 'x' }, ref('a'))), ['ns/a']],
    ['a change of controller enqueues the old and the new owner', {}, (h) => h.onUpdate!(pod({ app: 'x' }, ref('a')), pod({ app: 'x' }, ref('b'))), ['ns/a', 'ns/b']],
    ['a released pod enqueues its old owner and the owners that may adopt it', {}, (h) => h.onUpdate!(pod({ app: 'x' }, ref('a')), pod({ app: 'x', tier: 'web' })), ['ns/a', 'ns/a', 'ns/b']],
    ['a relabelled controlled pod enqueues only its owner by default', {}, (h) => h.onUpdate!(pod({ app: 'x' }, ref('a')), pod({ app: 'x', tier: 'web' }, ref('a'))), ['ns/a']],
    ['with matchOnLabelChange it also enqueues the owners its labels match', { matchOnLabelChange: true }, (h) => h.onUpdate!(pod({ app: 'x' }, ref('a')), pod({ app: 'x', tier: 'web' }, ref('a'))), ['ns/a', 'ns/a', 'ns/b']],
    ['with matchOnLabelChange unchanged labels add nothing', { matchOnLabelChange: true }, (h) => h.onUpdate!(pod({ app: 'x' }, ref('a')), pod({ app: 'x' }, ref('a'))), ['ns/a']],
    ['a deleted controlled pod enqueues its owner', {}, (h) => h.onDelete!(pod({ app: 'x' }, ref('a'))), ['ns/a']],
    ['a deleted orphan enqueues nothing by default', {}, (h) => h.onDelete!(pod({ app: 'x' })), []],
    ['with matchGoneOrphans a deleted orphan enqueues the owners it matches', { matchGoneOrphans: true }, (h) => h.onDelete!(pod({ app: 'x' })), ['ns/a']],
    ['with matchGoneOrphans a deleted pod of an unknown owner still enqueues nothing', { matchGoneOrphans: true }, (h) => h.onDelete!(pod({ app: 'x' }, ref('gone'))), []],
  ])('%s', (_, opts, act, want) => {
    const s = setup(opts);
    act(s.pods);
    expect(s.keys).toEqual(want);
  });

  it('counts a created pod against its owner’s expected creations', () => {
    const s = setup();
    s.expectations.expect('ns/a', 2);
    s.pods.onAdd!(pod({ app: 'x' }, ref('a')));
    expect(s.expectations.satisfied('ns/a')).toBe(false);
    s.pods.onAdd!(pod({ app: 'x' }, ref('a')));
    expect(s.expectations.satisfied('ns/a')).toBe(true);
  });

  it.each<[string, (h: InformerHandlers<Pod>) => void]>([
    ['a pod that starts terminating', (h) => h.onUpdate!(pod({ app: 'x' }, ref('a')), pod({ app: 'x' }, ref('a'), true))],
    ['a pod first seen terminating', (h) => h.onAdd!(pod({ app: 'x' }, ref('a'), true))],
    ['a deleted pod', (h) => h.onDelete!(pod({ app: 'x' }, ref('a')))],
  ])('counts %s against its owner’s expected deletions', (_, act) => {
    const s = setup();
    s.expectations.expect('ns/a', 0, ['ns/p']);
    act(s.pods);
    expect(s.expectations.satisfied('ns/a')).toBe(true);
    expect(s.keys).toContain('ns/a');
  });

  it('does not count a pod first seen terminating as a creation', () => {
    const s = setup();
    s.expectations.expect('ns/a', 1);
    s.pods.onAdd!(pod({ app: 'x' }, ref('a'), true));
    expect(s.expectations.satisfied('ns/a')).toBe(false);
  });
});

describe('watchOwners', () => {
  it('enqueues an owner on every change and forgets its expectations when it is deleted', () => {
    const s = setup();
    s.expectations.expect('ns/a', 3);
    s.owners.onAdd!(A);
    s.owners.onUpdate!(A, A);
    expect(s.expectations.satisfied('ns/a')).toBe(false);
    s.owners.onDelete!(A);
    expect(s.keys).toEqual(['ns/a', 'ns/a', 'ns/a']);
    expect(s.expectations.satisfied('ns/a')).toBe(true);
  });
});

describe('ownerQueue.enqueueOwner', () => {
  it.each<[string, Pod, string[]]>([
    ['enqueues the controller of an owned object', pod({}, ref('b')), ['ns/b']],
    ['enqueues the matching owners of an orphan', pod({ app: 'x' }), ['ns/a']],
    ['enqueues nothing for an object whose controller is not cached', pod({ app: 'x' }, ref('gone')), []],
  ])('%s', (_, obj, want) => {
    const s = setup();
    s.q.enqueueOwner(obj);
    expect(s.keys).toEqual(want);
  });
});

describe('watchOwned', () => {
  it('enqueues the owner of an owned object on add, update and delete', () => {
    const s = setup();
    let h: InformerHandlers<Pod> = {};
    watchOwned({ addHandler: (x: InformerHandlers<Pod>) => (h = x) }, s.q);
    const revision = pod({}, ref('b'));
    h.onAdd!(revision);
    h.onUpdate!(revision, revision);
    h.onDelete!(pod({ app: 'x' }));
    expect(s.keys).toEqual(['ns/b', 'ns/b', 'ns/a']);
  });
});
