import { describe, expect, it } from 'vitest';
import {
  equalRevisions,
  newRevision,
  nextRevision,
  REVISION_HASH_LABEL,
  revisionHash,
  revisionName,
  revisionsToPrune,
  sortRevisions,
  templateRevisionData,
  type ControllerRevision,
} from './controller-history.js';

const rev = (name: string, revision: number, o: { data?: unknown; created?: string; hash?: string } = {}): ControllerRevision => ({
  metadata: { name, namespace: 'ns', creationTimestamp: o.created ?? '2025-01-01T00:00:00Z', labels: { [REVISION_HASH_LABEL]: o.hash ?? name } },
  data: o.data ?? { n: name },
  revision,
});
const names = (rs: ControllerRevision[]) => rs.map((r) => r.metadata.name);

describe('revisionHash', () => {
  const data = templateRevisionData({ metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });

  it('is stable across key order and safe for labels', () => {
    const reordered = { spec: { template: { spec: { containers: [{ image: 'nginx', name: 'c' }] }, $patch: 'replace', metadata: { labels: { app: 'x' } } } } };
    expect(revisionHash(reordered)).toBe(revisionHash(data));
    expect(revisionHash(data)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  });

  it.each([
    ['other data', templateRevisionData({ spec: { containers: [{ name: 'c', image: 'nginx:2' }] } }), undefined],
    ['a collision count', data, 1],
  ])('changes with %s', (_what, other, count) => {
    expect(revisionHash(other, count)).not.toBe(revisionHash(data));
  });

  it('gives each collision count its own hash', () => {
    const hashes = new Set([undefined, 0, 1, 2, 3].map((c) => revisionHash(data, c)));
    expect(hashes.size).toBe(5);
  });
});

describe('revisionName', () => {
  it.each([
    ['web', 'abc', 'web-abc'],
    ['x'.repeat(250), 'h', `${'x'.repeat(223)}-h`],
  ])('%s + %s', (owner, hash, want) => expect(revisionName(owner, hash)).toBe(want));
});

describe('templateRevisionData', () => {
  it('replaces the whole template and leaves the input alone', () => {
    const template = { metadata: { labels: { app: 'x' } }, spec: { containers: [] } };
    expect(templateRevisionData(template)).toEqual({ spec: { template: { metadata: { labels: { app: 'x' } }, spec: { containers: [] }, $patch: 'replace' } } });
    expect(template).not.toHaveProperty('$patch');
  });
});

describe('newRevision', () => {
  const owner = { metadata: { name: 'agent', namespace: 'ns', uid: 'ds-1', annotations: { 'kubernetes.io/change-cause': 'set image' } } };
  const data = templateRevisionData({ metadata: { labels: { app: 'agent' } } });

  it('names, labels, annotates and owns the revision', () => {
    const r = newRevision({ owner, apiVersion: 'apps/v1', kind: 'DaemonSet', templateLabels: { app: 'agent' }, data, revision: 3 });
    const hash = revisionHash(data);
    expect(r).toEqual({
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {
        name: `agent-${hash}`,
        namespace: 'ns',
        labels: { app: 'agent', [REVISION_HASH_LABEL]: hash },
        annotations: { 'kubernetes.io/change-cause': 'set image' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'ds-1', controller: true, blockOwnerDeletion: true }],
      },
      data,
      revision: 3,
    });
  });

  it('takes the collision count into the name', () => {
    const a = newRevision({ owner, apiVersion: 'apps/v1', kind: 'DaemonSet', templateLabels: {}, data, revision: 1 });
    const b = newRevision({ owner, apiVersion: 'apps/v1', kind: 'DaemonSet', templateLabels: {}, data, revision: 1, collisionCount: 1 });
    expect(b.metadata.name).not.toBe(a.metadata.name);
    expect(b.metadata.labels?.[REVISION_HASH_LABEL]).toBe(revisionHash(data, 1));
  });
});

describe('sortRevisions and nextRevision', () => {
  it('orders by revision, then creation time, then name', () => {
    const rs = [rev('c', 2), rev('b', 1, { created: '2025-01-02T00:00:00Z' }), rev('a', 1, { created: '2025-01-02T00:00:00Z' }), rev('z', 1)];
    expect(names(sortRevisions(rs))).toEqual(['z', 'a', 'b', 'c']);
  });

  it.each([
    [[], 1],
    [[rev('a', 1)], 2],
    [[rev('a', 4), rev('b', 2)], 5],
  ])('next after %j is %i', (rs, want) => expect(nextRevision(rs as ControllerRevision[])).toBe(want));
});

describe('equalRevisions', () => {
  it('finds the revisions holding the data regardless of key order, oldest first', () => {
    const rs = [rev('b', 3, { data: { x: 1, y: [1, 2] } }), rev('a', 1, { data: { y: [1, 2], x: 1 } }), rev('c', 2, { data: { x: 2 } })];
    expect(names(equalRevisions(rs, { x: 1, y: [1, 2] }))).toEqual(['a', 'b']);
    expect(equalRevisions(rs, { x: 3 })).toEqual([]);
  });
});

describe('revisionsToPrune', () => {
  const rs = [rev('r1', 1), rev('r2', 2), rev('r3', 3), rev('r4', 4), rev('r5', 5)];
  it.each([
    ['under the limit', 10, [], []],
    ['oldest first', 2, [], ['r1', 'r2', 'r3']],
    ['limit 0', 0, [], ['r1', 'r2', 'r3', 'r4', 'r5']],
    ['in-use revisions kept and not counted', 1, ['r1', 'r5'], ['r2', 'r3']],
    ['everything in use', 0, ['r1', 'r2', 'r3', 'r4', 'r5'], []],
  ])('%s', (_what, limit, used, want) => {
    expect(names(revisionsToPrune(rs, limit, (r) => used.includes(r.metadata.name)))).toEqual(want);
  });
});
