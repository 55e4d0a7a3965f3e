import { describe, expect, it } from 'vitest';
import type { PersistentVolume } from '../scheduler/volume-types.js';
import { deleteDecision, storageDirOf } from './local-volumes-plan.js';

const ROOT = '/var/lib/kubelab/storage';

describe('storageDirOf (which paths the agent may remove)', () => {
  it.each<[string, unknown, string | undefined]>([
    ['a provisioned directory', `${ROOT}/pvc-1_default_data`, `${ROOT}/pvc-1_default_data`],
    ['with a trailing slash', `${ROOT}/pvc-1/`, `${ROOT}/pvc-1`],
    ['with doubled slashes', `/var/lib//kubelab/storage//pvc-1`, `${ROOT}/pvc-1`],
    ['the root itself', ROOT, undefined],
    ['the root with a slash', `${ROOT}/`, undefined],
    ['a directory deeper down', `${ROOT}/pvc-1/sub`, undefined],
    ['climbing out with ..', `${ROOT}/../pods`, undefined],
    ['.. that would land back inside', `${ROOT}/x/../pvc-1`, undefined],
    ['a path beside the root', '/var/lib/kubelab/storage-other/pvc-1', undefined],
    ['a relative path', 'var/lib/kubelab/storage/pvc-1', undefined],
    ['somewhere else', '/etc', undefined],
    ['the filesystem root', '/', undefined],
    ['. as the name', `${ROOT}/.`, undefined],
    ['not a string', 42, undefined],
    ['missing', undefined, undefined],
  ])('%s', (_name, path, want) => {
    expect(storageDirOf(path)).toBe(want);
  });
});

const pv = (opts: { node?: string; by?: string; phase?: string; policy?: string; path?: string; local?: boolean; deleting?: boolean } = {}): PersistentVolume => {
  const path = opts.path ?? `${ROOT}/pvc-1_default_data`;
  return {
    metadata: {
      name: 'pvc-1',
      uid: 'pv-uid',
      annotations: { 'pv.kubernetes.io/provisioned-by': opts.by ?? 'kubelab.io/local-path', 'kubelab.io/node': opts.node ?? 'w1' },
      ...(opts.deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}),
    },
    spec: { persistentVolumeReclaimPolicy: opts.policy ?? 'Delete', ...(opts.local ? { local: { path } } : { hostPath: { path, type: 'DirectoryOrCreate' } }) },
    status: { phase: opts.phase ?? 'Released' },
  };
};

describe('deleteDecision', () => {
  it.each<[string, PersistentVolume, ReturnType<typeof deleteDecision>]>([
    ['a Released Delete volume of this node', pv(), { action: 'delete', path: `${ROOT}/pvc-1_default_data`, deleteObject: true }],
    ['one already being deleted: only the directory', pv({ deleting: true }), { action: 'delete', path: `${ROOT}/pvc-1_default_data`, deleteObject: false }],
    ['a local source', pv({ local: true }), { action: 'delete', path: `${ROOT}/pvc-1_default_data`, deleteObject: true }],
    ['Retain keeps the data', pv({ policy: 'Retain' }), { action: 'none' }],
    ['a Bound volume', pv({ phase: 'Bound' }), { action: 'none' }],
    ['an Available volume', pv({ phase: 'Available' }), { action: 'none' }],
    ['a Failed volume', pv({ phase: 'Failed' }), { action: 'none' }],
    ['another node\'s volume', pv({ node: 'w2' }), { action: 'none' }],
    ['another provisioner\'s volume', pv({ by: 'rancher.io/local-path' }), { action: 'none' }],
    ['a volume without annotations', { ...pv(), metadata: { name: 'x' } }, { action: 'none' }],
    ['a path outside the storage root', pv({ path: '/home/user' }), { action: 'refuse', message: `refusing to delete "/home/user": only directories directly under ${ROOT}/ are removed` }],
    ['the storage root itself', pv({ path: ROOT }), { action: 'refuse', message: `refusing to delete "${ROOT}": only directories directly under ${ROOT}/ are removed` }],
    ['a path climbing out', pv({ path: `${ROOT}/../../../../etc` }), { action: 'refuse', message: `refusing to delete "${ROOT}/../../../../etc": only directories directly under ${ROOT}/ are removed` }],
    ['no path at all', { ...pv(), spec: { persistentVolumeReclaimPolicy: 'Delete' } }, { action: 'refuse', message: `refusing to delete "": only directories directly under ${ROOT}/ are removed` }],
  ])('%s', (_name, volume, want) => {
    expect(deleteDecision(volume, 'w1')).toEqual(want);
  });
});
