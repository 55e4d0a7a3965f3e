import { describe, expect, it } from 'vitest';
import { calculateStatus, isScalingEvent, pauseCondition, rollNewSet, rollOldSets, rolloutStatus, scaleSets, setsToCleanUp } from './deployment-plan.js';
import { equalIgnoringHash, maxSurge, maxUnavailable, scaledValue, setNewReplicaSetAnnotations, templateHash, type Deployment } from './deployment-util.js';
import type { ReplicaSet } from './workload-util.js';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const iso = (s: number) => new Date(T0 + s * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
const dep = (replicas: number, surge: number | string = '25%', unavailable: number | string = '25%', extra: Partial<Deployment['spec']> = {}, status?: Deployment['status']): Deployment => ({
  metadata: { name: 'web', namespace: 'ns', generation: 3 },
  spec: { replicas, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } }, progressDeadlineSeconds: 600, revisionHistoryLimit: 10, ...extra },
  ...(status ? { status } : {}),
});
const set = (name: string, replicas: number, available = replicas, o: { created?: number; annotations?: Record<string, string>; revision?: number } = {}): ReplicaSet => ({
  metadata: {
    name,
    namespace: 'ns',
    uid: name,
    generation: 1,
    creationTimestamp: iso(o.created ?? 0),
    annotations: { ...(o.revision ? { 'deployment.kubernetes.io/revision': String(o.revision) } : {}), ...o.annotations },
  },
  spec: { replicas },
  status: { replicas, readyReplicas: available, availableReplicas: available, observedGeneration: 1 },
});

describe('maxSurge / maxUnavailable', () => {
  it.each([
    [10, '25%', '25%', 3, 2],
    [3, '25%', '25%', 1, 0],
    [1, '25%', '25%', 1, 0],
    [5, 0, 0, 0, 1],
    [4, 2, 10, 2, 4],
    [10, '0%', '10%', 0, 1],
    [0, '25%', '25%', 0, 0],
  ])('%i replicas, surge %s, unavailable %s → %i / %i', (n, s, u, surge, unavailable) => {
    expect(maxSurge(dep(n, s, u))).toBe(surge);
    expect(maxUnavailable(dep(n, s, u))).toBe(unavailable);
  });
  it('Recreate allows neither', () => {
    const d = { ...dep(4), spec: { replicas: 4, strategy: { type: 'Recreate' } } };
    expect([maxSurge(d), maxUnavailable(d)]).toEqual([0, 0]);
  });
  it('rejects values that are neither numbers nor percentages', () => {
    expect(() => scaledValue('abc', 10, true)).toThrow(/IntOrString/);
    expect(scaledValue('33%', 10, true)).toBe(4);
    expect(scaledValue('33%', 10, false)).toBe(3);
  });
});

describe('a rolling update, step by step', () => {
  it('walks 10 replicas from old to new within surge 3 / unavailable 2', () => {
    const d = dep(10);
    let oldRS = set('old', 10, 10, { created: 0 });
    let newRS = set('new', 0, 0, { created: 100 });
    const seen: string[] = [];
    for (let step = 0; step < 20; step++) {
      const all = [oldRS, newRS];
      const target = rollNewSet(d, all, newRS);
      if (target !== undefined) {
        newRS = set('new', target, newRS.status!.availableReplicas, { created: 100 });
      } else {
        const steps = rollOldSets(d, all, [oldRS], newRS);
        if (!steps.length) break;
        oldRS = set('old', steps[0]!.replicas, Math.min(oldRS.status!.availableReplicas!, steps[0]!.replicas), { created: 0 });
      }
      const total = oldRS.spec.replicas! + newRS.spec.replicas!;
      expect(total).toBeLessThanOrEqual(13);
      expect(oldRS.status!.availableReplicas! + newRS.status!.availableReplicas!).toBeGreaterThanOrEqual(8);
      seen.push(`${oldRS.spec.replicas}/${newRS.spec.replicas}`);
      // The new pods become available before the next step.
      newRS = set('new', newRS.spec.replicas!, newRS.spec.replicas!, { created: 100 });
    }
    expect(seen).toEqual(['10/3', '5/3', '5/8', '0/8', '0/10']);
  });

  it('scales unhealthy old pods down first, and not below minimum availability', () => {
    const d = dep(4, 1, 1);
    const oldRS = set('old', 4, 2);
    const newRS = set('new', 1, 0, { created: 10 });
    // total 5, minAvailable 3, new unavailable 1 → at most 1 may go, and it is an unhealthy one.
    expect(rollOldSets(d, [oldRS, newRS], [oldRS], newRS)).toEqual([{ rs: oldRS, replicas: 3 }]);
    expect(rollOldSets(d, [set('o', 3, 3), set('n', 1, 0)], [set('o', 3, 3)], set('n', 1, 0))).toEqual([]);
  });

  it('does not scale the new set past replicas + maxSurge', () => {
    const d = dep(4, '50%', 0);
    expect(rollNewSet(d, [set('old', 4), set('new', 0)], set('new', 0))).toBe(2);
    expect(rollNewSet(d, [set('old', 4), set('new', 2)], set('new', 2))).toBeUndefined();
    expect(rollNewSet(d, [set('new', 6)], set('new', 6))).toBe(4);
  });
});

describe('proportional scaling', () => {
  it('spreads a resize mid-rollout over the active sets by size, the leftover to the largest', () => {
    // Was 10 replicas with surge 3 (max 13); now 20 (max 23): 10 more, 8·23/13 → 14 and 5·23/13 → 9.
    const ann = { 'deployment.kubernetes.io/desired-replicas': '10', 'deployment.kubernetes.io/max-replicas': '13' };
    const oldRS = set('old', 8, 8, { created: 0, annotations: ann });
    const newRS = set('new', 5, 0, { created: 10, annotations: ann });
    const d = dep(20, 3, 2);
    expect(isScalingEvent(d, [oldRS, newRS])).toBe(true);
    const steps = scaleSets(d, newRS, [oldRS]);
    expect(Object.fromEntries(steps.map((s) => [s.rs.metadata.name, s.replicas]))).toEqual({ old: 14, new: 9 });
  });

  it('gives the whole size to the only active set, and zeroes old sets once the new one is saturated', () => {
    const d = dep(5);
    expect(scaleSets(d, set('new', 3), [set('old', 0)])).toEqual([{ rs: set('new', 3), replicas: 5 }]);
    const sat = set('new', 5, 5, { annotations: { 'deployment.kubernetes.io/desired-replicas': '5' } });
    expect(scaleSets(d, sat, [set('old', 2)]).map((s) => s.replicas)).toEqual([0]);
  });
});

describe('history cleanup', () => {
  it('deletes the oldest revisions beyond the limit, only when they are scaled to 0', () => {
    const d = dep(1, 1, 0, { revisionHistoryLimit: 1 });
    const olds = [set('r3', 0, 0, { revision: 3 }), set('r1', 0, 0, { revision: 1 }), set('r2', 1, 1, { revision: 2 })];
    expect(setsToCleanUp(d, olds).map((s) => s.metadata.name)).toEqual(['r1']);
  });
});

describe('conditions', () => {
  it('Available follows minimum availability', () => {
    const d = dep(4, 1, 1);
    const c = (available: number) => calculateStatus(d, [set('rs', 4, available)], set('rs', 4, available), T0).conditions!.find((x) => x.type === 'Available');
    expect(c(3)).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' });
    expect(c(2)).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' });
  });

  it('Progressing goes ReplicaSetUpdated → NewReplicaSetAvailable, or ProgressDeadlineExceeded after the deadline', () => {
    const created = { type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated', message: '', lastUpdateTime: iso(0), lastTransitionTime: iso(0) };
    const d = dep(2, 1, 0, { progressDeadlineSeconds: 60 }, { observedGeneration: 3, replicas: 2, updatedReplicas: 0, availableReplicas: 2, conditions: [created] });
    const progressing = rolloutStatus(d, [set('old', 2), set('web-abc', 1, 0)], set('web-abc', 1, 0), T0 + 5_000);
    expect(progressing.status.conditions!.find((x) => x.type === 'Progressing')).toMatchObject({ reason: 'ReplicaSetUpdated', message: 'ReplicaSet "web-abc" is progressing.', lastTransitionTime: iso(0), lastUpdateTime: iso(5) });
    expect(progressing.requeueAfter).toBe(61_000);
    const done = rolloutStatus(d, [set('old', 0, 0), set('web-abc', 2)], set('web-abc', 2), T0 + 5_000);
    expect(done.status.conditions!.find((x) => x.type === 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "web-abc" has successfully progressed.' });
    const stuck = { ...d, status: { ...d.status, replicas: 3, updatedReplicas: 1, readyReplicas: 2, availableReplicas: 2 } };
    const late = rolloutStatus(stuck, [set('old', 2), set('web-abc', 1, 0)], set('web-abc', 1, 0), T0 + 61_000);
    expect(late.status.conditions!.find((x) => x.type === 'Progressing')).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-abc" has timed out progressing.' });
  });

  it('pause and resume show in Progressing', () => {
    const paused = dep(1, 1, 0, { paused: true });
    expect(pauseCondition(paused, T0)).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });
    const resumed = dep(1, 1, 0, {}, { conditions: [{ type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused' }] });
    expect(pauseCondition(resumed, T0)).toMatchObject({ status: 'Unknown', reason: 'DeploymentResumed', message: 'Deployment is resumed' });
    expect(pauseCondition(dep(1), T0)).toBeUndefined();
  });
});

describe('templates, hashes and revisions', () => {
  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } };
  it('hashes a template stably (key order does not matter) and differently per template and collision count', () => {
    const reordered = { spec: { containers: [{ image: 'nginx:1', name: 'c' }] }, metadata: { labels: { app: 'web' } } };
    expect(templateHash(template)).toBe(templateHash(reordered));
    expect(templateHash(template)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(templateHash(template)).toBe('79bfd649dc');
    expect(templateHash(template, 1)).not.toBe(templateHash(template));
    expect(templateHash({ ...template, spec: { containers: [{ name: 'c', image: 'nginx:2' }] } })).not.toBe(templateHash(template));
  });
  it('compares templates ignoring pod-template-hash', () => {
    const withHash = { ...template, metadata: { labels: { app: 'web', 'pod-template-hash': 'abc' } } };
    expect(equalIgnoringHash(withHash, template)).toBe(true);
    expect(equalIgnoringHash({ spec: {}, metadata: { labels: { 'pod-template-hash': 'x' } } }, { spec: {} })).toBe(true);
    expect(equalIgnoringHash(withHash, { ...template, spec: {} })).toBe(false);
  });
  it('raises the revision of a set rolled back to and remembers its old one', () => {
    const d = { ...dep(3), metadata: { name: 'web', annotations: { 'kubernetes.io/change-cause': 'undo', 'kubectl.kubernetes.io/last-applied-configuration': '{}' } } };
    const meta = { name: 'web-1', annotations: { 'deployment.kubernetes.io/revision': '1' } as Record<string, string> };
    expect(setNewReplicaSetAnnotations(d, meta, 3, true)).toBe(true);
    expect(meta.annotations).toEqual({ 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1', 'kubernetes.io/change-cause': 'undo' });
    expect(setNewReplicaSetAnnotations(d, meta, 3, true)).toBe(false);
    const fresh = { name: 'web-2' } as { name: string; annotations?: Record<string, string> };
    setNewReplicaSetAnnotations(d, fresh, 1, false);
    expect(fresh.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' });
  });
});
