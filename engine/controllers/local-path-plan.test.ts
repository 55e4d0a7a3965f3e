import { describe, expect, it } from 'vitest';
import { localPathVolume, pickNode, planProvision, standardStorageClass } from './local-path-plan.js';
import type { NodeObj } from './node-lifecycle-plan.js';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from './storage-util.js';

const OURS = 'kubelab.io/local-path';
const claim = (o: { ann?: Record<string, string>; modes?: string[]; mode?: string; selector?: object; volumeName?: string; deleting?: boolean; cls?: string } = {}): PersistentVolumeClaim => ({
  metadata: {
    name: 'data',
    namespace: 'shop',
    uid: '1234-abcd',
    resourceVersion: '42',
    annotations: { 'volume.kubernetes.io/storage-provisioner': OURS, 'volume.beta.kubernetes.io/storage-provisioner': OURS, ...o.ann },
    ...(o.deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}),
  },
  spec: {
    storageClassName: o.cls ?? 'standard',
    accessModes: o.modes ?? ['ReadWriteOnce'],
    resources: { requests: { storage: '2Gi' } },
    volumeMode: o.mode ?? 'Filesystem',
    ...(o.selector ? { selector: o.selector } : {}),
    ...(o.volumeName ? { volumeName: o.volumeName } : {}),
  },
});
const cls = (mode = 'WaitForFirstConsumer', provisioner = OURS): StorageClass => ({ metadata: { name: 'standard' }, provisioner, volumeBindingMode: mode, reclaimPolicy: 'Delete' });
const selected = { 'volume.kubernetes.io/selected-node': 'worker-1' };

describe('planProvision', () => {
  it.each<[string, PersistentVolumeClaim, StorageClass | undefined, boolean, unknown]>([
    ['selected node: provision there', claim({ ann: selected }), cls(), false, { action: 'provision', node: 'worker-1' }],
    ['WaitForFirstConsumer without a node waits', claim(), cls(), false, { action: 'skip' }],
    ['Immediate: pick a node', claim(), cls('Immediate'), false, { action: 'pickNode' }],
    ['only the beta annotation is enough', { ...claim({ ann: selected }), metadata: { ...claim().metadata, annotations: { 'volume.beta.kubernetes.io/storage-provisioner': OURS, ...selected } } }, cls(), false, { action: 'provision', node: 'worker-1' }],
    ['not sent to us', { ...claim({ ann: selected }), metadata: { ...claim().metadata, annotations: selected } }, cls(), false, { action: 'skip' }],
    ['sent to another provisioner', claim({ ann: { ...selected, 'volume.kubernetes.io/storage-provisioner': 'x.io/y', 'volume.beta.kubernetes.io/storage-provisioner': 'x.io/y' } }), cls(), false, { action: 'skip' }],
    ['class of another provisioner', claim({ ann: selected }), cls('WaitForFirstConsumer', 'x.io/y'), false, { action: 'skip' }],
    ['class gone', claim({ ann: selected }), undefined, false, { action: 'skip' }],
    ['already bound', claim({ ann: selected, volumeName: 'pvc-1' }), cls(), false, { action: 'skip' }],
    ['volume already made', claim({ ann: selected }), cls(), true, { action: 'skip' }],
    ['claim being deleted', claim({ ann: selected, deleting: true }), cls(), false, { action: 'skip' }],
    ['selector', claim({ ann: selected, selector: { matchLabels: { a: 'b' } } }), cls(), false, { action: 'fail', message: 'failed to provision volume with StorageClass "standard": claim Selector is not supported' }],
    ['block volume', claim({ ann: selected, mode: 'Block' }), cls(), false, { action: 'fail', message: expect.stringContaining('only volumeMode Filesystem') }],
    ['shared access', claim({ ann: selected, modes: ['ReadWriteMany'] }), cls(), false, { action: 'fail', message: expect.stringContaining('only supports ReadWriteOnce and ReadWriteOncePod') }],
    ['single pod access', claim({ ann: selected, modes: ['ReadWriteOncePod'] }), cls(), false, { action: 'provision', node: 'worker-1' }],
  ])('%s', (_, c, k, exists, want) => expect(planProvision(c, k, exists)).toEqual(want));
});

describe('pickNode', () => {
  const node = (name: string, o: { ready?: boolean; unschedulable?: boolean; taint?: string } = {}): NodeObj => ({
    metadata: { name },
    spec: { unschedulable: o.unschedulable, taints: o.taint ? [{ key: 'k', effect: o.taint }] : [] },
    status: { conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  });
  const vol = (n: string): PersistentVolume => ({ metadata: { name: `pvc-${Math.random()}`, annotations: { 'pv.kubernetes.io/provisioned-by': OURS, 'kubelab.io/node': n } }, spec: {} });
  it.each<[string, NodeObj[], PersistentVolume[], string | undefined]>([
    ['no nodes', [], [], undefined],
    ['only ready, schedulable nodes', [node('a', { ready: false }), node('b', { unschedulable: true }), node('c')], [], 'c'],
    ['untainted before tainted', [node('a', { taint: 'NoSchedule' }), node('b')], [], 'b'],
    ['a tainted node when it is all there is', [node('cp', { taint: 'NoSchedule' })], [], 'cp'],
    ['PreferNoSchedule does not count as a taint here', [node('a', { taint: 'PreferNoSchedule' }), node('b')], [vol('b')], 'a'],
    ['fewest volumes first', [node('a'), node('b')], [vol('a'), vol('a'), vol('b')], 'b'],
    ['then by name', [node('b'), node('a')], [], 'a'],
  ])('%s', (_, nodes, volumes, want) => expect(pickNode(nodes, volumes)).toBe(want));
});

describe('localPathVolume', () => {
  it('makes the volume the node agent and the scheduler expect', () => {
    expect(localPathVolume(claim({ ann: selected }), cls(), 'worker-1')).toEqual({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'pvc-1234-abcd', annotations: { 'pv.kubernetes.io/provisioned-by': OURS, 'kubelab.io/node': 'worker-1' } },
      spec: {
        capacity: { storage: '2Gi' },
        accessModes: ['ReadWriteOnce'],
        storageClassName: 'standard',
        persistentVolumeReclaimPolicy: 'Delete',
        volumeMode: 'Filesystem',
        hostPath: { path: '/var/lib/kubelab/storage/pvc-1234-abcd_shop_data', type: 'DirectoryOrCreate' },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['worker-1'] }] }] } },
        claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: 'shop', name: 'data', uid: '1234-abcd', resourceVersion: '42' },
      },
    });
  });

  it('takes the reclaim policy and mount options from the class', () => {
    const v = localPathVolume(claim(), { ...cls(), reclaimPolicy: 'Retain', mountOptions: ['noatime'] }, 'n');
    expect(v.spec.persistentVolumeReclaimPolicy).toBe('Retain');
    expect(v.spec.mountOptions).toEqual(['noatime']);
  });
});

describe('standardStorageClass', () => {
  it('is the default class, local-path, Delete, WaitForFirstConsumer, not expandable', () => {
    expect(standardStorageClass()).toMatchObject({
      metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: OURS,
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: false,
    });
  });
});
