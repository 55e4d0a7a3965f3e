import { describe, expect, it } from 'vitest';
import { newRevision, templateRevisionData, type ControllerRevision } from './controller-history.js';
import { chooseRevisions, planSync, revisionForNewPod, sameStatus, templateOfRevision, type Op, type SyncInput } from './statefulset-plan.js';
import type { Claim, StatefulSet } from './statefulset-pods.js';
import type { Pod } from './workload-util.js';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const iso = (s: number) => new Date(T0 + s * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
const OLD = 'web-old';
const NEW = 'web-new';

type Spec = StatefulSet['spec'];
const sts = (replicas: number, o: Partial<Spec> & { status?: StatefulSet['status']; deleting?: boolean } = {}): StatefulSet => {
  const { status, deleting, ...spec } = o;
  return {
    metadata: { name: 'web', namespace: 'ns', uid: 'set-1', generation: 4, ...(deleting ? { deletionTimestamp: iso(0) } : {}) },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'v2' }] } },
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      ...spec,
    },
    ...(status ? { status } : {}),
  };
};

/** A pod of the set: `state` is r (Running and Ready since `ready` s), n (Running, not ready), p (Pending), f (Failed), t (terminating, ready). */
const pod = (ordinal: number, state = 'r', o: { rev?: string; ready?: number } = {}): Pod => ({
  metadata: {
    name: `web-${ordinal}`,
    namespace: 'ns',
    uid: `u-${ordinal}`,
    labels: { app: 'web', 'statefulset.kubernetes.io/pod-name': `web-${ordinal}`, 'controller-revision-hash': o.rev ?? NEW },
    ...(state === 't' ? { deletionTimestamp: iso(0) } : {}),
  },
  status: {
    phase: { r: 'Running', n: 'Running', t: 'Running', p: 'Pending', f: 'Failed' }[state],
    conditions: [{ type: 'Ready', status: state === 'r' || state === 't' ? 'True' : 'False', lastTransitionTime: iso(o.ready ?? 0) }],
  },
});

const input = (set: StatefulSet, pods: Pod[], o: Partial<SyncInput> = {}): SyncInput => ({
  set,
  pods,
  claim: () => undefined,
  current: { name: OLD, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'v1' }] } } },
  update: { name: NEW, template: set.spec.template! },
  collisionCount: 0,
  now: T0 + 100_000,
  ...o,
});

/** The plan's ops as short strings, phase by phase joined: "create web-0", "delete web-2 (update)". */
const ops = (i: SyncInput) => planSync(i).phases.flat(2).map(describeOp);
const describeOp = (op: Op) => (op.type === 'delete' ? `delete ${op.pod.metadata.name} (${op.reason})` : `${op.type} ${op.pod.metadata.name}`);

describe('planSync: creating pods', () => {
  it.each([
    ['OrderedReady starts with the lowest ordinal', sts(3), [], ['create web-0']],
    ['OrderedReady waits for a pending pod', sts(3), [pod(0, 'p')], []],
    ['OrderedReady waits for readiness', sts(3), [pod(0, 'n')], []],
    ['OrderedReady goes on once the previous pod is ready', sts(3), [pod(0)], ['create web-1']],
    ['OrderedReady fills a gap first', sts(3), [pod(0), pod(2)], ['create web-1']],
    ['OrderedReady waits for minReadySeconds', sts(3, { minReadySeconds: 200 }), [pod(0)], []],
    ['Parallel creates every missing pod', sts(3, { podManagementPolicy: 'Parallel' }), [pod(1, 'p')], ['create web-0', 'create web-2']],
    ['ordinals.start numbers the pods', sts(2, { ordinals: { start: 5 } }), [pod(5)], ['create web-6']],
  ])('%s', (_, set, pods, want) => expect(ops(input(set, pods))).toEqual(want));

  it('creates the claims first, owned by the set under whenDeleted Delete, and mounts them', () => {
    const set = sts(1, { volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: {} }], persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' } });
    const [create] = planSync(input(set, [])).phases.flat(2);
    expect(create?.type).toBe('create');
    if (create?.type !== 'create') return;
    expect(create.claims.map((c) => [c.metadata.name, c.metadata.ownerReferences?.map((r) => `${r.kind}/${r.name}`)])).toEqual([['data-web-0', ['StatefulSet/web']]]);
    expect(create.pod.spec?.volumes).toEqual([{ name: 'data', persistentVolumeClaim: { claimName: 'data-web-0' } }]);
    expect(create.pod.metadata.labels?.['controller-revision-hash']).toBe(NEW);
  });

  it('reuses an existing claim and waits for one still owned by an earlier pod of that name', () => {
    const set = sts(1, { volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: {} }], persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Delete' } });
    const kept: Claim = { metadata: { name: 'data-web-0', namespace: 'ns', uid: 'c' } };
    const [create] = planSync(input(set, [], { claim: () => kept })).phases.flat(2);
    expect(create?.type === 'create' && create.claims).toEqual([]);
    const stale: Claim = { metadata: { ...kept.metadata, ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'web-0', uid: 'gone', controller: true }] } };
    const plan = planSync(input(set, [], { claim: () => stale }));
    expect(plan.phases.flat(2)).toEqual([]);
    expect(plan.waiting).toMatch(/still belongs to its previous pod/);
  });

  it('makes pods below the partition from the current revision', () => {
    const set = sts(3, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } }, podManagementPolicy: 'Parallel' });
    const creates = planSync(input(set, [])).phases.flat(2);
    expect(creates.map((op) => op.pod.metadata.labels?.['controller-revision-hash'])).toEqual([OLD, OLD, NEW]);
    expect(revisionForNewPod(sts(3, { updateStrategy: { type: 'OnDelete' } }), 0)).toBe('update');
  });

  it('deletes a failed pod and stops; it is recreated once gone', () => {
    expect(ops(input(sts(3), [pod(0, 'f'), pod(1)]))).toEqual(['delete web-0 (finished)']);
    expect(ops(input(sts(3), [pod(0, 'r'), pod(1, 'f')]))).toEqual(['delete web-1 (finished)']);
  });

  it('repairs a missing identity label on a live pod', () => {
    const bare = pod(0);
    delete bare.metadata.labels!['statefulset.kubernetes.io/pod-name'];
    const [update] = planSync(input(sts(1), [bare])).phases.flat(2);
    expect(update).toMatchObject({ type: 'update', labels: { 'statefulset.kubernetes.io/pod-name': 'web-0', 'apps.kubernetes.io/pod-index': '0' } });
  });

  it('does nothing but status for a set being deleted', () => {
    const plan = planSync(input(sts(3, { deleting: true }), [pod(0)]));
    expect(plan.phases).toEqual([]);
    expect(plan.status.replicas).toBe(1);
  });
});

describe('planSync: scaling down', () => {
  it.each([
    ['OrderedReady removes the highest ordinal, one at a time', sts(1), [pod(0), pod(1), pod(2)], ['delete web-2 (scale-down)']],
    ['OrderedReady waits for a terminating pod', sts(1), [pod(0), pod(1), pod(2, 't')], []],
    ['OrderedReady waits while a lower pod is unhealthy', sts(2), [pod(0), pod(1, 'n'), pod(2)], []],
    ['OrderedReady may remove the first unhealthy pod', sts(1), [pod(0), pod(1), pod(2, 'n')], ['delete web-2 (scale-down)']],
    ['OrderedReady does not remove an unhealthy pod behind another', sts(1), [pod(0), pod(1, 'n'), pod(2, 'n')], []],
    ['Parallel removes them all at once', sts(1, { podManagementPolicy: 'Parallel' }), [pod(0), pod(1, 'n'), pod(2)], ['delete web-2 (scale-down)', 'delete web-1 (scale-down)']],
    ['scaling goes before updating', sts(1), [pod(0, 'r', { rev: OLD }), pod(1)], ['delete web-1 (scale-down)']],
  ])('%s', (_, set, pods, want) => expect(ops(input(set, pods))).toEqual(want));

  it('hands the claims of a pod scaled away to that pod under whenScaled Delete, before deleting it', () => {
    const set = sts(1, { volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: {} }], persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Delete' } });
    const claims: Record<string, Claim> = { 'data-web-0': { metadata: { name: 'data-web-0', uid: 'c0' } }, 'data-web-1': { metadata: { name: 'data-web-1', uid: 'c1' } } };
    const plan = planSync(input(set, [pod(0), pod(1)], { claim: (n) => claims[n] }));
    expect(plan.phases.flat(2).map(describeOp)).toEqual(['owners web-1', 'delete web-1 (scale-down)']);
    const owners = plan.phases.flat(2)[0];
    expect(owners?.type === 'owners' && owners.owners.map((o) => [o.claim.metadata.name, o.ownerReferences.map((r) => `${r.kind}/${r.name}/${r.uid}`)])).toEqual([['data-web-1', ['Pod/web-1/u-1']]]);
  });
});

describe('planSync: rolling update', () => {
  const old = (o: number, state = 'r') => pod(o, state, { rev: OLD });
  it.each([
    ['starts with the highest ordinal', sts(3), [old(0), old(1), old(2)], ['delete web-2 (update)']],
    ['waits for the updated pod to be ready', sts(3), [old(0), old(1), pod(2, 'n')], []],
    ['waits for a pod being replaced', sts(3), [old(0), old(1), old(2, 't')], []],
    ['goes on down once it is', sts(3), [old(0), old(1), pod(2)], ['delete web-1 (update)']],
    ['stops at the partition', sts(3, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }), [old(0), pod(1), pod(2)], []],
    ['updates above the partition', sts(3, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }), [old(0), old(1), pod(2)], ['delete web-1 (update)']],
    ['leaves OnDelete pods alone', sts(3, { updateStrategy: { type: 'OnDelete' } }), [old(0), old(1), old(2)], []],
    ['waits minReadySeconds before the next pod', sts(3, { minReadySeconds: 50 }), [old(0, 'r'), old(1), pod(2, 'r', { ready: 80 })], []],
  ])('%s', (_, set, pods, want) => expect(ops(input(set, pods))).toEqual(want));

  it('takes down up to maxUnavailable pods at once when that feature is on', () => {
    const set = sts(4, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 2 } } });
    const pods = [old(0), old(1), old(2), old(3)];
    expect(ops(input(set, pods, { maxUnavailable: true }))).toEqual(['delete web-3 (update)', 'delete web-2 (update)']);
    // One pod already down leaves room for one more (Parallel: OrderedReady would wait for web-3 first).
    const parallel = { ...set, spec: { ...set.spec, podManagementPolicy: 'Parallel' } };
    expect(ops(input(parallel, [old(0), old(1), old(2), pod(3, 'n')], { maxUnavailable: true }))).toEqual(['delete web-2 (update)']);
    expect(ops(input(set, pods))).toEqual(['delete web-3 (update)']);
  });
});

describe('planSync: status', () => {
  it('counts pods by readiness, availability and revision', () => {
    const set = sts(3, { minReadySeconds: 30 });
    const pods = [pod(0, 'r', { rev: OLD, ready: 0 }), pod(1, 'r', { ready: 90 }), pod(2, 'p')];
    const plan = planSync(input(set, pods));
    expect(plan.status).toEqual({ observedGeneration: 4, replicas: 3, readyReplicas: 2, availableReplicas: 1, currentReplicas: 1, updatedReplicas: 2, currentRevision: OLD, updateRevision: NEW, collisionCount: 0 });
    // web-1 turns available 120 s after T0; now is T0 + 100 s.
    expect(plan.requeueAfter).toBe(20_000 + 50);
  });

  it('counts the pod it deletes for the update as no longer current', () => {
    const plan = planSync(input(sts(2), [pod(0, 'r', { rev: OLD }), pod(1, 'r', { rev: OLD })]));
    expect(plan.status).toMatchObject({ currentReplicas: 1, updatedReplicas: 0 });
  });

  it('makes the update revision current once every pod runs it and is ready', () => {
    const plan = planSync(input(sts(2), [pod(0), pod(1)]));
    expect(plan.status).toMatchObject({ currentRevision: NEW, updateRevision: NEW, currentReplicas: 2, updatedReplicas: 2 });
    const partial = planSync(input(sts(2), [pod(0), pod(1, 'n')]));
    expect(partial.status).toMatchObject({ currentRevision: OLD, currentReplicas: 0 });
  });

  it('compares statuses with absent counts as zero', () => {
    expect(sameStatus({ replicas: 0, currentRevision: 'a' }, { replicas: 0, readyReplicas: 0, currentRevision: 'a' })).toBe(true);
    expect(sameStatus({ replicas: 1 }, { replicas: 2 })).toBe(false);
    expect(sameStatus(undefined, { collisionCount: 0, observedGeneration: 1 })).toBe(false);
  });
});

describe('chooseRevisions', () => {
  const set = sts(1, { status: { currentRevision: 'web-a' } });
  const rev = (name: string, revision: number, image: string): ControllerRevision => ({
    metadata: { name, namespace: 'ns', creationTimestamp: iso(revision) },
    data: templateRevisionData({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } }),
    revision,
  });

  it('creates revision 1 for a new set', () => {
    const { update, current } = chooseRevisions(set, [], 0);
    const want = newRevision({ owner: set, apiVersion: 'apps/v1', kind: 'StatefulSet', templateLabels: { app: 'web' }, data: templateRevisionData(set.spec.template), revision: 1, collisionCount: 0 });
    expect(update).toEqual({ create: want });
    expect(current).toBeUndefined();
  });

  it.each([
    ['uses the newest revision when it holds the template', [rev('web-a', 1, 'v1'), rev('web-b', 2, 'v2')], 'use', 'web-b'],
    ['renumbers an older one that does (a rollback)', [rev('web-b', 1, 'v2'), rev('web-a', 2, 'v1')], 'renumber', 'web-b'],
  ])('%s', (_, revisions, how, name) => {
    const { update, current } = chooseRevisions(set, revisions, 0);
    expect(Object.keys(update)[0]).toBe(how);
    const chosen = 'use' in update ? update.use : 'renumber' in update ? update.renumber : undefined;
    expect(chosen?.metadata.name).toBe(name);
    if ('renumber' in update) expect(update.revision).toBe(3);
    expect(current?.metadata.name).toBe('web-a');
  });

  it('reads the template back out of a revision', () => {
    expect(templateOfRevision(rev('web-a', 1, 'v1'), undefined)).toEqual({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'v1' }] } });
    expect(templateOfRevision({ metadata: { name: 'x' }, revision: 1, data: {} }, { spec: { a: 1 } })).toEqual({ spec: { a: 1 } });
  });
});
