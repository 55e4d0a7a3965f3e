import { describe, expect, it } from 'vitest';
import { claimStatus, findBestMatch, planClaim, planReclaim, planVolume, type ClaimEnv } from './pv-binder-plan.js';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from './storage-util.js';

type PvOpts = { size?: string; modes?: string[]; cls?: string; phase?: string; labels?: Record<string, string>; mode?: string; ref?: { name: string; uid?: string; namespace?: string }; ann?: Record<string, string>; policy?: string; deleting?: boolean };
const pv = (name: string, o: PvOpts = {}): PersistentVolume => ({
  metadata: { name, labels: o.labels, annotations: o.ann, ...(o.deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}) },
  spec: {
    capacity: { storage: o.size ?? '1Gi' },
    accessModes: o.modes ?? ['ReadWriteOnce'],
    storageClassName: o.cls ?? '',
    volumeMode: o.mode ?? 'Filesystem',
    persistentVolumeReclaimPolicy: o.policy ?? 'Retain',
    ...(o.ref ? { claimRef: { namespace: o.ref.namespace ?? 'ns', name: o.ref.name, uid: o.ref.uid } } : {}),
  },
  status: { phase: o.phase ?? 'Available' },
});
type PvcOpts = { size?: string; modes?: string[]; cls?: string | null; volumeName?: string; selector?: object; mode?: string; ann?: Record<string, string>; phase?: string };
const pvc = (name: string, o: PvcOpts = {}): PersistentVolumeClaim => ({
  metadata: { name, namespace: 'ns', uid: `uid-${name}`, annotations: o.ann },
  spec: {
    accessModes: o.modes ?? ['ReadWriteOnce'],
    resources: { requests: { storage: o.size ?? '1Gi' } },
    ...(o.cls !== undefined ? { storageClassName: o.cls } : {}),
    ...(o.volumeName ? { volumeName: o.volumeName } : {}),
    ...(o.selector ? { selector: o.selector } : {}),
    volumeMode: o.mode ?? 'Filesystem',
  },
  status: { phase: o.phase ?? 'Pending' },
});
const sc = (name: string, provisioner: string, mode = 'Immediate', created = '2025-01-01T00:00:00Z'): StorageClass => ({ metadata: { name, creationTimestamp: created }, provisioner, volumeBindingMode: mode, reclaimPolicy: 'Delete' });
const env = (volumes: PersistentVolume[] = [], classes: StorageClass[] = [], o: { defaultClass?: StorageClass; unscheduledPods?: string[] } = {}): ClaimEnv => ({
  volumes,
  volume: (n) => volumes.find((v) => v.metadata.name === n),
  storageClass: (n) => classes.find((c) => c.metadata.name === n),
  defaultClass: o.defaultClass,
  unscheduledPods: o.unscheduledPods ?? [],
});
const name = (v: PersistentVolume | undefined) => v?.metadata.name;

describe('findBestMatch', () => {
  it.each<[string, PersistentVolumeClaim, PersistentVolume[], boolean, string | undefined]>([
    ['smallest volume that fits', pvc('c', { size: '2Gi' }), [pv('big', { size: '10Gi' }), pv('small', { size: '1Gi' }), pv('fit', { size: '3Gi' })], false, 'fit'],
    ['equal size fits', pvc('c', { size: '1Gi' }), [pv('a', { size: '1024Mi' })], false, 'a'],
    ['class must match ("" for none)', pvc('c', { cls: 'fast' }), [pv('none'), pv('slow', { cls: 'slow' }), pv('fast', { cls: 'fast' })], false, 'fast'],
    ['classless claim takes classless volumes only', pvc('c'), [pv('fast', { cls: 'fast' })], false, undefined],
    ['fewest access modes first, before size', pvc('c'), [pv('multi', { modes: ['ReadWriteOnce', 'ReadOnlyMany'], size: '1Gi' }), pv('single', { size: '5Gi' })], false, 'single'],
    ['volume must offer every mode', pvc('c', { modes: ['ReadWriteMany'] }), [pv('rwo')], false, undefined],
    ['selector filters by labels', pvc('c', { selector: { matchLabels: { tier: 'gold' } } }), [pv('plain'), pv('gold', { labels: { tier: 'gold' }, size: '5Gi' })], false, 'gold'],
    ['volume mode must match', pvc('c', { mode: 'Block' }), [pv('fs'), pv('blk', { mode: 'Block' })], false, 'blk'],
    ['only Available volumes', pvc('c'), [pv('released', { phase: 'Released' }), pv('pending', { phase: 'Pending' })], false, undefined],
    ['claimed volumes are skipped', pvc('c'), [pv('theirs', { ref: { name: 'other', uid: 'x' } })], false, undefined],
    ['pre-bound to the claim wins, whatever its phase', pvc('c'), [pv('any', { size: '1Gi' }), pv('mine', { phase: 'Pending', size: '9Gi', ref: { name: 'c', uid: 'uid-c' } })], false, 'mine'],
    ['pre-bound by name only also counts', pvc('c'), [pv('mine', { ref: { name: 'c' } })], true, 'mine'],
    ['pre-bound to an older claim of that name does not', pvc('c'), [pv('old', { ref: { name: 'c', uid: 'gone' } })], false, undefined],
    ['deleting volumes are skipped', pvc('c'), [pv('dying', { deleting: true })], false, undefined],
    ['too small pre-bound volume is skipped', pvc('c', { size: '5Gi' }), [pv('mine', { ref: { name: 'c', uid: 'uid-c' } })], false, undefined],
    ['waiting for the first consumer: only pre-bound volumes', pvc('c'), [pv('free')], true, undefined],
  ])('%s', (_, claim, volumes, delay, want) => expect(name(findBestMatch(claim, volumes, delay))).toBe(want));
});

describe('planClaim', () => {
  const standard = sc('standard', 'kubelab.io/local-path', 'WaitForFirstConsumer');
  const fast = sc('fast', 'kubelab.io/local-path');
  it.each<[string, PersistentVolumeClaim, ClaimEnv, unknown]>([
    ['static volume binds an Immediate claim', pvc('c'), env([pv('v')]), { action: 'bind', volume: pv('v') }],
    ['no class, no volume, no default', pvc('c'), env(), { action: 'pending', event: { type: 'Normal', reason: 'FailedBinding', message: 'no persistent volumes available for this claim and no storage class is set' } }],
    ['no class gets the default class when one exists', pvc('c'), env([], [standard], { defaultClass: standard }), { action: 'assignClass', className: 'standard' }],
    ['explicit "" never gets the default', pvc('c', { cls: '' }), env([], [standard], { defaultClass: standard }), { action: 'pending', event: { type: 'Normal', reason: 'FailedBinding', message: 'no persistent volumes available for this claim and no storage class is set' } }],
    ['beta class annotation counts as a class', pvc('c', { ann: { 'volume.beta.kubernetes.io/storage-class': 'fast' } }), env([], [fast], { defaultClass: standard }), { action: 'provision', provisioner: 'kubelab.io/local-path', event: expect.objectContaining({ reason: 'ExternalProvisioning' }) }],
    ['WaitForFirstConsumer without a pod', pvc('c', { cls: 'standard' }), env([], [standard]), { action: 'pending', event: { type: 'Normal', reason: 'WaitForFirstConsumer', message: 'waiting for first consumer to be created before binding' } }],
    ['WaitForFirstConsumer with an unscheduled pod', pvc('c', { cls: 'standard' }), env([], [standard], { unscheduledPods: ['web-0'] }), { action: 'pending', event: { type: 'Normal', reason: 'WaitForPodScheduled', message: 'waiting for pod web-0 to be scheduled' } }],
    ['WaitForFirstConsumer with two pods', pvc('c', { cls: 'standard' }), env([], [standard], { unscheduledPods: ['b', 'a'] }), { action: 'pending', event: { type: 'Normal', reason: 'WaitForPodScheduled', message: 'waiting for pods a,b to be scheduled' } }],
    ['WaitForFirstConsumer does not bind free volumes', pvc('c', { cls: 'standard' }), env([pv('v', { cls: 'standard' })], [standard]), { action: 'pending', event: expect.objectContaining({ reason: 'WaitForFirstConsumer' }) }],
    [
      'selected node: provision',
      pvc('c', { cls: 'standard', ann: { 'volume.kubernetes.io/selected-node': 'n1' } }),
      env([], [standard]),
      {
        action: 'provision',
        provisioner: 'kubelab.io/local-path',
        event: {
          type: 'Normal',
          reason: 'ExternalProvisioning',
          message: "Waiting for a volume to be created either by the external provisioner 'kubelab.io/local-path' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
        },
      },
    ],
    ['Immediate dynamic class: provision at once', pvc('c', { cls: 'fast' }), env([], [fast]), { action: 'provision', provisioner: 'kubelab.io/local-path', event: expect.objectContaining({ reason: 'ExternalProvisioning' }) }],
    ['missing class', pvc('c', { cls: 'gold' }), env(), { action: 'pending', event: { type: 'Warning', reason: 'ProvisioningFailed', message: 'storageclass.storage.k8s.io "gold" not found' } }],
    ['in-tree name kubelab lacks', pvc('c', { cls: 'local' }), env([], [sc('local', 'kubernetes.io/no-provisioner')]), { action: 'pending', event: { type: 'Warning', reason: 'ProvisioningFailed', message: 'no volume plugin matched name: kubernetes.io/no-provisioner' } }],
    ['named volume that does not exist yet', pvc('c', { volumeName: 'v' }), env(), { action: 'pending' }],
    ['named volume that is too small', pvc('c', { volumeName: 'v', size: '5Gi' }), env([pv('v')]), { action: 'pending', event: { type: 'Warning', reason: 'VolumeMismatch', message: 'Cannot bind to requested volume "v": requested PV is too small' } }],
    ['named volume of another class', pvc('c', { volumeName: 'v', cls: 'fast' }), env([pv('v')], [fast]), { action: 'pending', event: expect.objectContaining({ message: 'Cannot bind to requested volume "v": storageClassName does not match' }) }],
    ['named free volume binds', pvc('c', { volumeName: 'v' }), env([pv('v')]), { action: 'bind', volume: pv('v') }],
    ['named volume bound to someone else', pvc('c', { volumeName: 'v' }), env([pv('v', { ref: { name: 'd', uid: 'uid-d' } })]), { action: 'pending', event: { type: 'Warning', reason: 'FailedBinding', message: 'volume "v" already bound to a different claim.' } }],
    ['bound claim: keep binding', pvc('c', { volumeName: 'v', phase: 'Bound', ann: { 'pv.kubernetes.io/bind-completed': 'yes' } }), env([pv('v', { ref: { name: 'c', uid: 'uid-c' }, phase: 'Bound' })]), { action: 'bind', volume: expect.anything() }],
    ['bound claim whose volume is gone', pvc('c', { volumeName: 'v', phase: 'Bound', ann: { 'pv.kubernetes.io/bind-completed': 'yes' } }), env(), { action: 'lost', event: { type: 'Warning', reason: 'ClaimLost', message: 'Bound claim has lost its PersistentVolume. Data on the volume is lost!' } }],
    ['already Lost: no new event', pvc('c', { volumeName: 'v', phase: 'Lost', ann: { 'pv.kubernetes.io/bind-completed': 'yes' } }), env(), { action: 'lost' }],
    ['bound claim without a volume name', pvc('c', { phase: 'Bound', ann: { 'pv.kubernetes.io/bind-completed': 'yes' } }), env(), { action: 'lost', event: expect.objectContaining({ reason: 'ClaimLost', message: 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!' }) }],
    ['bound claim whose volume went to another claim', pvc('c', { volumeName: 'v', phase: 'Bound', ann: { 'pv.kubernetes.io/bind-completed': 'yes' } }), env([pv('v', { ref: { name: 'd', uid: 'uid-d' } })]), { action: 'lost', event: expect.objectContaining({ reason: 'ClaimMisbound' }) }],
  ])('%s', (_, claim, e, want) => expect(planClaim(claim, e)).toEqual(want));
});

describe('planVolume', () => {
  const bound = (o: PvcOpts = {}) => pvc('c', o);
  it.each<[string, PersistentVolume, PersistentVolumeClaim | undefined, unknown]>([
    ['no claim: Available', pv('v', { phase: 'Pending' }), undefined, { action: 'phase', phase: 'Available' }],
    ['pre-bound by the user, waiting for its claim', pv('v', { ref: { name: 'c' } }), undefined, { action: 'phase', phase: 'Available' }],
    ['claim deleted', pv('v', { ref: { name: 'c', uid: 'uid-c' }, phase: 'Bound' }), undefined, { action: 'release', claimGone: true }],
    ['claim deleted and made again', pv('v', { ref: { name: 'c', uid: 'old' }, phase: 'Bound' }), bound(), { action: 'release', claimGone: true }],
    ['claim has not taken it yet', pv('v', { ref: { name: 'c', uid: 'uid-c' } }), bound(), { action: 'syncClaim' }],
    ['claim can never take it', pv('v', { ref: { name: 'c', uid: 'uid-c' } }), bound({ mode: 'Block' }), { action: 'mismatch', volumeEvent: expect.objectContaining({ reason: 'VolumeMismatch' }), claimEvent: expect.objectContaining({ reason: 'VolumeMismatch' }) }],
    ['claim bound to it', pv('v', { ref: { name: 'c', uid: 'uid-c' } }), bound({ volumeName: 'v' }), { action: 'phase', phase: 'Bound' }],
    ['provisioned for a claim bound elsewhere', pv('v', { ref: { name: 'c', uid: 'uid-c' }, policy: 'Delete', ann: { 'pv.kubernetes.io/provisioned-by': 'kubelab.io/local-path' } }), bound({ volumeName: 'w' }), { action: 'release', claimGone: false }],
    ['controller-bound to a claim bound elsewhere', pv('v', { ref: { name: 'c', uid: 'uid-c' }, ann: { 'pv.kubernetes.io/bound-by-controller': 'yes' } }), bound({ volumeName: 'w' }), { action: 'unbind', dropClaimRef: true }],
    ['user-bound to a claim bound elsewhere', pv('v', { ref: { name: 'c', uid: 'uid-c' } }), bound({ volumeName: 'w' }), { action: 'unbind', dropClaimRef: false }],
  ])('%s', (_, volume, claim, want) => expect(planVolume(volume, claim)).toEqual(want));
});

describe('planReclaim', () => {
  it.each<[string, PersistentVolume, unknown]>([
    ['Retain keeps the volume', pv('v', { policy: 'Retain' }), { action: 'keep' }],
    ['Delete of a local-path volume waits for the node agent', pv('v', { policy: 'Delete', ann: { 'pv.kubernetes.io/provisioned-by': 'kubelab.io/local-path' } }), { action: 'awaitDeleter', provisioner: 'kubelab.io/local-path' }],
    ['Delete of another provisioner\'s volume waits for it', pv('v', { policy: 'Delete', ann: { 'pv.kubernetes.io/provisioned-by': 'rancher.io/local-path' } }), { action: 'awaitDeleter', provisioner: 'rancher.io/local-path' }],
    ['Delete with no deleter fails', pv('v', { policy: 'Delete' }), { action: 'fail', event: { type: 'Warning', reason: 'VolumeFailedDelete', message: 'error getting deleter volume plugin for volume "v": no deletable volume plugin matched' } }],
    ['Recycle fails', pv('v', { policy: 'Recycle' }), { action: 'fail', event: { type: 'Warning', reason: 'VolumeFailedRecycle', message: 'No recycler plugin found for the volume!' } }],
  ])('%s', (_, volume, want) => expect(planReclaim(volume)).toEqual(want));
});

describe('claimStatus', () => {
  it('reports the volume on Bound, nothing on Pending, keeps it on Lost', () => {
    const v = pv('v', { size: '2Gi', modes: ['ReadWriteOnce', 'ReadOnlyMany'] });
    const b = claimStatus(pvc('c'), 'Bound', v);
    expect(b).toEqual({ phase: 'Bound', accessModes: ['ReadWriteOnce', 'ReadOnlyMany'], capacity: { storage: '2Gi' } });
    expect(claimStatus({ ...pvc('c'), status: b }, 'Pending')).toEqual({ phase: 'Pending' });
    expect(claimStatus({ ...pvc('c'), status: b }, 'Lost')).toEqual({ ...b, phase: 'Lost' });
  });
});
