import { describe, expect, it } from 'vitest';
import { claimPods, deletionOrder, planScale, replicaSetStatus, slowStartBatches } from './replicaset-plan.js';
import type { Pod, ReplicaSet } from './workload-util.js';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const iso = (s: number) => new Date(T0 + s * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
const pod = (name: string, o: { node?: string; phase?: string; ready?: number; restarts?: number; created?: number; labels?: Record<string, string>; owner?: string; deleting?: boolean } = {}): Pod => ({
  metadata: {
    name,
    namespace: 'ns',
    uid: `u-${name}`,
    creationTimestamp: iso(o.created ?? 0),
    labels: o.labels ?? { app: 'web' },
    ...(o.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: o.owner, controller: true }] } : {}),
    ...(o.deleting ? { deletionTimestamp: iso(1) } : {}),
  },
  spec: { nodeName: o.node },
  status: {
    phase: o.phase ?? 'Running',
    conditions: o.ready !== undefined ? [{ type: 'Ready', status: 'True', lastTransitionTime: iso(o.ready) }] : [{ type: 'Ready', status: 'False' }],
    containerStatuses: [{ restartCount: o.restarts ?? 0 }],
  },
});
const rs = (replicas: number, minReadySeconds = 0): ReplicaSet => ({
  metadata: { name: 'web', namespace: 'ns', uid: 'rs-1', generation: 2 },
  spec: { replicas, minReadySeconds, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web', tier: 'fe' } } } },
});

describe('slowStartBatches', () => {
  it.each([
    [0, []],
    [1, [1]],
    [5, [1, 2, 2]],
    [10, [1, 2, 4, 3]],
    [15, [1, 2, 4, 8]],
  ])('%i pods → %j', (n, want) => expect(slowStartBatches(n)).toEqual(want));
});

describe('deletionOrder', () => {
  it.each([
    ['unscheduled before scheduled', [pod('a', { node: 'n1', ready: 0 }), pod('b', { ready: 0 })], ['b', 'a']],
    ['pending before running', [pod('a', { node: 'n1' }), pod('b', { node: 'n1', phase: 'Pending' })], ['b', 'a']],
    ['not ready before ready', [pod('a', { node: 'n1', ready: 0 }), pod('b', { node: 'n2' })], ['b', 'a']],
    ['doubled-up nodes first', [pod('a', { node: 'n1', ready: 0 }), pod('b', { node: 'n2', ready: 0 }), pod('c', { node: 'n2', ready: 0 })], ['b', 'c', 'a']],
    ['ready for less time first', [pod('a', { node: 'n1', ready: 5 }), pod('b', { node: 'n2', ready: 50 })], ['b', 'a']],
    ['more restarts first', [pod('a', { node: 'n1', ready: 5 }), pod('b', { node: 'n2', ready: 5, restarts: 3 })], ['b', 'a']],
    ['newer first', [pod('a', { node: 'n1', ready: 5, created: 1 }), pod('b', { node: 'n2', ready: 5, created: 9 })], ['b', 'a']],
  ])('%s', (_, pods, want) => expect(deletionOrder(pods).map((p) => p.metadata.name)).toEqual(want));
});

describe('planScale', () => {
  it('creates the missing pods and deletes extras in order', () => {
    expect(planScale(rs(3), [pod('a')])).toEqual({ create: 2, remove: [] });
    expect(planScale(rs(1), [pod('a', { node: 'n', ready: 0 }), pod('b'), pod('c', { phase: 'Pending' })]).remove.map((p) => p.metadata.name)).toEqual(['c', 'b']);
    expect(planScale(rs(2), [pod('a'), pod('b')])).toEqual({ create: 0, remove: [] });
    expect(planScale(rs(1000), []).create).toBe(500);
  });
});

describe('claimPods', () => {
  it('keeps owned matches, adopts orphans, releases owned pods that stopped matching, ignores others', () => {
    const claims = claimPods(rs(3), [
      pod('mine', { owner: 'rs-1' }),
      pod('orphan'),
      pod('moved', { owner: 'rs-1', labels: { app: 'other' } }),
      pod('theirs', { owner: 'rs-2' }),
      pod('unrelated', { labels: { app: 'db' } }),
      pod('dying-orphan', { deleting: true }),
    ]);
    expect(claims.owned.map((p) => p.metadata.name)).toEqual(['mine']);
    expect(claims.adopt.map((p) => p.metadata.name)).toEqual(['orphan']);
    expect(claims.release.map((p) => p.metadata.name)).toEqual(['moved']);
  });
});

describe('replicaSetStatus', () => {
  it('counts active pods, full labels, ready and available ones, and asks to come back when one turns available', () => {
    const pods = [
      pod('a', { ready: 0, labels: { app: 'web', tier: 'fe' } }),
      pod('b', { ready: 8 }),
      pod('c'),
      pod('d', { ready: 0, deleting: true }),
      pod('e', { ready: 0, phase: 'Succeeded' }),
    ];
    const { status, requeueAfter } = replicaSetStatus(rs(3, 5), pods, undefined, T0 + 10_000);
    expect(status).toEqual({ replicas: 3, fullyLabeledReplicas: 1, readyReplicas: 2, availableReplicas: 1, observedGeneration: 2 });
    expect(requeueAfter).toBe(3_000 + 50);
  });

  it('adds ReplicaFailure on a failure and drops it once things work', () => {
    const failed = replicaSetStatus(rs(1), [], { reason: 'FailedCreate', message: 'quota' }, T0).status;
    expect(failed.conditions).toEqual([{ type: 'ReplicaFailure', status: 'True', lastTransitionTime: iso(0), reason: 'FailedCreate', message: 'quota' }]);
    const recovered = replicaSetStatus({ ...rs(1), status: failed }, [], undefined, T0).status;
    expect(recovered.conditions).toBeUndefined();
  });
});
