import { describe, expect, it } from 'vitest';
import { newCycle } from './cycle.js';
import { nodeInfo } from './node-info.js';
import { schedule } from './schedule.js';
import { bound, claim, claimPod, cluster, CONTROL_PLANE_TAINT, node, pod, storageClass, volume, volumeLister } from './test-fixtures.js';
import type { Node, Pod } from './types.js';
import { matchingVolume, podVolumeClaims, REASON_BIND_CONFLICT, REASON_NODE_CONFLICT, REASON_PV_NOT_EXIST, UNBOUND_IMMEDIATE, volumeBinding, volumePlan } from './volume-binding.js';
import { REASON_RWOP_CONFLICT, volumeRestrictions } from './volume-restrictions.js';
import type { Claim, PersistentVolume, StorageClass, VolumeLister } from './volume-types.js';

const WFFC = storageClass('standard', 'WaitForFirstConsumer');
const IMMEDIATE = storageClass('fast', 'Immediate');
const MANUAL = storageClass('manual', 'WaitForFirstConsumer', 'kubernetes.io/no-provisioner');
const ZONED = storageClass('zoned', 'WaitForFirstConsumer', 'kubelab.io/local-path', { allowedTopologies: [{ matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values: ['a'] }] }] });
const CLASSES = [WFFC, IMMEDIATE, MANUAL, ZONED];
const names = (c: { bound: Claim[]; delayed: Claim[]; immediate: Claim[] }) => ({
  bound: c.bound.map((x) => x.metadata?.name),
  delayed: c.delayed.map((x) => x.metadata?.name),
  immediate: c.immediate.map((x) => x.metadata?.name),
});
const ephemeralPod = (): Pod => ({
  ...pod('web'),
  spec: { containers: [{ name: 'c', image: 'busybox' }], volumes: [{ name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: {} } } }] },
});
const ownedClaim = (owner: string): Claim => {
  const c = claim('web-scratch', { volume: 'pv-e' });
  c.metadata!.ownerReferences = [{ apiVersion: 'v1', kind: 'Pod', name: 'web', uid: owner, controller: true }];
  return c;
};

describe('podVolumeClaims (the pre-filter)', () => {
  it.each<[string, Pod, Claim[], { message?: string; claims?: ReturnType<typeof names> }]>([
    ['a pod without claims', pod('p'), [], {}],
    ['a missing claim', claimPod('p', ['data']), [], { message: 'persistentvolumeclaim "data" not found' }],
    ['an ephemeral claim not made yet', ephemeralPod(), [], { message: 'waiting for ephemeral volume controller to create the persistentvolumeclaim "web-scratch"' }],
    ['an ephemeral claim of another pod', ephemeralPod(), [ownedClaim('someone-else')], { message: 'PVC default/web-scratch was not created for pod default/web (pod is not owner)' }],
    ['an ephemeral claim of this pod', ephemeralPod(), [ownedClaim('uid-web')], { claims: { bound: ['web-scratch'], delayed: [], immediate: [] } }],
    ['a lost claim', claimPod('p', ['data']), [claim('data', { volume: 'gone', phase: 'Lost' })], { message: 'persistentvolumeclaim "data" bound to non-existent persistentvolume "gone"' }],
    ['a claim being deleted', claimPod('p', ['data']), [claim('data', { deleting: true })], { message: 'persistentvolumeclaim "data" is being deleted' }],
    ['an unbound Immediate claim', claimPod('p', ['data']), [claim('data', { cls: 'fast' })], { message: UNBOUND_IMMEDIATE }],
    ['an unbound claim of a class that does not exist', claimPod('p', ['data']), [claim('data', { cls: 'nope' })], { message: UNBOUND_IMMEDIATE }],
    ['an unbound claim without class', claimPod('p', ['data']), [claim('data', { cls: '' })], { message: UNBOUND_IMMEDIATE }],
    [
      'bound, delayed and pre-bound claims',
      claimPod('p', ['a', 'b', 'c']),
      [claim('a', { volume: 'pv-a' }), claim('b'), { ...claim('c'), spec: { ...claim('c').spec, volumeName: 'pv-c' } }],
      { message: UNBOUND_IMMEDIATE },
    ],
    ['bound and delayed claims', claimPod('p', ['a', 'b']), [claim('a', { volume: 'pv-a' }), claim('b')], { claims: { bound: ['a'], delayed: ['b'], immediate: [] } }],
    [
      'a claim bound by a controller that writes only the phase',
      claimPod('p', ['a']),
      [{ ...claim('a'), spec: { ...claim('a').spec, volumeName: 'pv-a' }, status: { phase: 'Bound' } }],
      { claims: { bound: ['a'], delayed: [], immediate: [] } },
    ],
  ])('%s', (_name, p, claims, want) => {
    const got = podVolumeClaims(p, volumeLister(claims, [], CLASSES));
    expect({ ...(got.message ? { message: got.message } : {}), ...(got.claims && !got.message ? { claims: names(got.claims) } : {}) }).toEqual(want);
  });
});

type FilterCase = [name: string, claims: Claim[], volumes: PersistentVolume[], node: Node, want: string[] | undefined];

describe('volumeBinding (the filter)', () => {
  const w1 = node('w1');
  const w2 = node('w2');
  const zoneA = node('za', { labels: { 'topology.kubernetes.io/zone': 'a' } });
  const zoneB = node('zb', { labels: { 'topology.kubernetes.io/zone': 'b' } });
  const data = (opts: Parameters<typeof claim>[1] = {}) => claim('data', opts);
  it.each<FilterCase>([
    ['bound volume pinned to this node', [data({ volume: 'pv1' })], [volume('pv1', { nodes: ['w1'] })], w1, undefined],
    ['bound volume pinned to another node', [data({ volume: 'pv1' })], [volume('pv1', { nodes: ['w1'] })], w2, [REASON_NODE_CONFLICT]],
    ['bound volume in another zone', [data({ volume: 'pv1' })], [volume('pv1', { zone: 'a' })], zoneB, [REASON_NODE_CONFLICT]],
    ['bound volume without node affinity', [data({ volume: 'pv1' })], [volume('pv1')], w2, undefined],
    ['bound to a volume that does not exist', [data({ volume: 'pv1' })], [], w1, [REASON_PV_NOT_EXIST]],
    ['WaitForFirstConsumer claim, provisionable anywhere', [data()], [], w2, undefined],
    ['WaitForFirstConsumer claim already headed to this node', [data({ selectedNode: 'w1' })], [], w1, undefined],
    ['WaitForFirstConsumer claim headed to another node', [data({ selectedNode: 'w1' })], [], w2, [REASON_BIND_CONFLICT]],
    ['no provisioner and no volume', [data({ cls: 'manual' })], [], w1, [REASON_BIND_CONFLICT]],
    ['no provisioner, an Available volume on this node', [data({ cls: 'manual' })], [volume('local1', { cls: 'manual', nodes: ['w1'] })], w1, undefined],
    ['no provisioner, the only volume is on another node', [data({ cls: 'manual' })], [volume('local1', { cls: 'manual', nodes: ['w1'] })], w2, [REASON_BIND_CONFLICT]],
    ['no provisioner, the only volume is too small', [data({ cls: 'manual', size: '2Gi' })], [volume('local1', { cls: 'manual', size: '1Gi' })], w1, [REASON_BIND_CONFLICT]],
    ['allowed topology admits the node', [data({ cls: 'zoned' })], [], zoneA, undefined],
    ['allowed topology leaves the node out', [data({ cls: 'zoned' })], [], zoneB, [REASON_BIND_CONFLICT]],
    [
      'bound and unbound claims both failing, in upstream order',
      [claim('a', { volume: 'pv1' }), claim('b', { cls: 'manual' })],
      [volume('pv1', { nodes: ['w1'] })],
      w2,
      [REASON_NODE_CONFLICT, REASON_BIND_CONFLICT],
    ],
  ])('%s', (_name, claims, volumes, n, want) => {
    const p = claimPod('p', claims.map((c) => c.metadata!.name!));
    const info = nodeInfo(n, []);
    const cycle = newCycle(p, [info], { volumes: volumeLister(claims, volumes, CLASSES) });
    const got = volumeBinding(p, info, cycle);
    expect(got).toEqual(want ? { reasons: want, unresolvable: true } : undefined);
  });
});

describe('matchingVolume', () => {
  const c = claim('data', { cls: 'manual', size: '1Gi' });
  const pick = (vols: PersistentVolume[], theClaim: Claim = c, excluded: string[] = []) => matchingVolume(theClaim, vols, node('w1'), new Set(excluded))?.metadata?.name;
  it.each<[string, PersistentVolume[], string | undefined, Claim?, string[]?]>([
    ['the smallest that is big enough', [volume('big', { cls: 'manual', size: '10Gi' }), volume('small', { cls: 'manual', size: '500Mi' }), volume('right', { cls: 'manual', size: '2Gi' })], 'right'],
    ['one reserved for the claim wins over a smaller one', [volume('small', { cls: 'manual', size: '1Gi' }), volume('mine', { cls: 'manual', size: '5Gi', claimRef: c, phase: 'Available' })], 'mine'],
    ['one reserved for the claim but on another node: none', [volume('mine', { cls: 'manual', nodes: ['w2'], claimRef: c }), volume('other', { cls: 'manual' })], undefined],
    ['one reserved for another claim is skipped', [volume('theirs', { cls: 'manual', claimRef: claim('other'), phase: 'Available' })], undefined],
    ['a Bound or Released volume is skipped', [volume('b', { cls: 'manual', phase: 'Bound' }), volume('r', { cls: 'manual', phase: 'Released' })], undefined],
    ['another class is skipped', [volume('std', { cls: 'standard' })], undefined],
    ['missing access modes are skipped', [volume('rox', { cls: 'manual', modes: ['ReadOnlyMany'] })], undefined, claim('data', { cls: 'manual', modes: ['ReadWriteOnce'] })],
    ['a volume with more access modes fits', [volume('many', { cls: 'manual', modes: ['ReadWriteOnce', 'ReadOnlyMany'] })], 'many'],
    ['a block volume does not fit a filesystem claim', [{ ...volume('blk', { cls: 'manual' }), spec: { ...volume('blk', { cls: 'manual' }).spec, volumeMode: 'Block' } }], undefined],
    ['a volume already chosen for another claim of the pod is skipped', [volume('only', { cls: 'manual' })], undefined, c, ['only']],
    ['the claim selector must match the volume labels', [volume('unlabelled', { cls: 'manual' })], undefined, { ...c, spec: { ...c.spec, selector: { matchLabels: { disk: 'ssd' } } } }],
  ])('%s', (_name, vols, want, theClaim, excluded) => {
    expect(pick(vols, theClaim, excluded)).toBe(want);
  });
});

describe('volumePlan', () => {
  const lister = (claims: Claim[], vols: PersistentVolume[]): VolumeLister => volumeLister(claims, vols, CLASSES);
  it('is undefined when every claim is bound', () => {
    expect(volumePlan(claimPod('p', ['a']), node('w1'), lister([claim('a', { volume: 'pv' })], [volume('pv')]))).toBeUndefined();
  });
  it('provisions claims no volume matches and reserves distinct volumes for the others, smallest claim first', () => {
    const claims = [claim('big', { cls: 'manual', size: '3Gi' }), claim('small', { cls: 'manual', size: '1Gi' }), claim('fresh')];
    const vols = [volume('v1', { cls: 'manual', size: '1Gi', nodes: ['w1'] }), volume('v3', { cls: 'manual', size: '3Gi', nodes: ['w1'] })];
    const plan = volumePlan(claimPod('p', ['big', 'small', 'fresh']), node('w1'), lister(claims, vols))!;
    expect(plan.bindings.map((b) => [b.claim.metadata?.name, b.pv.metadata?.name])).toEqual([
      ['small', 'v1'],
      ['big', 'v3'],
    ]);
    expect(plan.provisions.map((c) => c.metadata?.name)).toEqual(['fresh']);
  });
  it('throws when the node no longer fits', () => {
    expect(() => volumePlan(claimPod('p', ['a']), node('w2'), lister([claim('a', { selectedNode: 'w1' })], []))).toThrow(REASON_BIND_CONFLICT);
  });
});

describe('volumeRestrictions (ReadWriteOncePod)', () => {
  const rwop = claim('solo', { modes: ['ReadWriteOncePod'], volume: 'pv' });
  const classes: StorageClass[] = CLASSES;
  const run = (p: Pod, others: Pod[], claims: Claim[]) => {
    const infos = cluster([node('w1'), others], [node('w2')]);
    const cycle = newCycle(p, infos, { volumes: volumeLister(claims, [volume('pv')], classes) });
    return infos.map((i) => volumeRestrictions(p, i, cycle));
  };
  it('lets the first pod in', () => {
    expect(run(claimPod('p', ['solo']), [], [rwop])).toEqual([undefined, undefined]);
  });
  it('keeps a second pod off every node while the first holds the claim', () => {
    expect(run(claimPod('p', ['solo']), [claimPod('q', ['solo'])], [rwop])).toEqual([
      { reasons: [REASON_RWOP_CONFLICT], unresolvable: false },
      { reasons: [REASON_RWOP_CONFLICT], unresolvable: false },
    ]);
  });
  it('ignores ReadWriteOnce claims shared by pods', () => {
    const rwo = claim('shared', { volume: 'pv' });
    expect(run(claimPod('p', ['shared']), [claimPod('q', ['shared'])], [rwo])).toEqual([undefined, undefined]);
  });
});

describe('schedule with volumes', () => {
  const cp = node('cp', { taints: [CONTROL_PLANE_TAINT] });
  const CP_TAINT = 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }';
  const NOT_HELPFUL3 = 'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.';
  const opts = (claims: Claim[], vols: PersistentVolume[] = []) => ({ random: () => 0, volumes: volumeLister(claims, vols, CLASSES) });
  it.each<[string, Pod, Claim[], PersistentVolume[], string]>([
    ['a missing claim', claimPod('p', ['data']), [], [], `0/3 nodes are available: persistentvolumeclaim "data" not found. ${NOT_HELPFUL3}`],
    ['an unbound Immediate claim', claimPod('p', ['data']), [claim('data', { cls: 'fast' })], [], `0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. ${NOT_HELPFUL3}`],
    [
      'a volume on a worker without room',
      claimPod('p', ['data'], { spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '8' } } }] } }),
      [claim('data', { volume: 'pv' })],
      [volume('pv', { nodes: ['w2'] })],
      `0/3 nodes are available: 1 Insufficient cpu, 1 ${CP_TAINT}, 1 node(s) had volume node affinity conflict. ${NOT_HELPFUL3}`,
    ],
  ])('%s', (_name, p, claims, vols, want) => {
    const result = schedule(p, cluster([cp], [node('w1', { cpu: '16' })], [node('w2')]), opts(claims, vols));
    expect(result).toEqual({ unschedulable: want });
  });

  it('places the pod on the node its bound volume is pinned to', () => {
    const result = schedule(claimPod('p', ['data']), cluster([cp], [node('w1')], [node('w2')]), opts([claim('data', { volume: 'pv' })], [volume('pv', { nodes: ['w2'] })]));
    expect(result).toMatchObject({ node: 'w2' });
  });

  it('places a WaitForFirstConsumer claim anywhere, but where it was already headed once marked', () => {
    const nodes = cluster([cp], [node('w1')], [node('w2')]);
    expect(schedule(claimPod('p', ['data']), nodes, opts([claim('data')]))).toHaveProperty('node');
    expect(schedule(claimPod('p', ['data']), nodes, { ...opts([claim('data', { selectedNode: 'w2' })]), random: () => 0 })).toMatchObject({ node: 'w2' });
  });

  it('plans to preempt the pod holding a ReadWriteOncePod claim for a more important one', () => {
    const holder = bound(claimPod('holder', ['solo']), 'w1');
    const p = { ...claimPod('p', ['solo']), spec: { ...claimPod('p', ['solo']).spec, priority: 100 } };
    const nodes = cluster([node('w1'), [holder]], [node('w2')]);
    const result = schedule(p, nodes, opts([claim('solo', { modes: ['ReadWriteOncePod'], volume: 'pv' })], [volume('pv')]));
    expect(result).toMatchObject({
      unschedulable: `0/2 nodes are available: 2 ${REASON_RWOP_CONFLICT}.`,
      preemption: { node: 'w1', victims: [expect.objectContaining({ metadata: expect.objectContaining({ name: 'holder' }) })] },
    });
  });
});
