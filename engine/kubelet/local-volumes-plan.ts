// What the node agent does with volumes of the local-path provisioner (kubelab.io/local-path): the
// directory of a Released volume with reclaimPolicy Delete that lives on this node is removed,
// then the PersistentVolume object. Pure: the decision and the path rule (only directories right
// under /var/lib/kubelab/storage/ are ever removed, whatever a volume object says).
import { basename, dirname, posix } from 'node:path';
import type { PersistentVolume } from '../scheduler/volume-types.js';

/** Where local-path volumes live on a node (the node's /var volume, so data survives restarts). */
export const STORAGE_ROOT = '/var/lib/kubelab/storage';
/** kubelab's provisioner, in StorageClasses and on the volumes it makes. */
export const LOCAL_PATH_PROVISIONER = 'kubelab.io/local-path';
/** Names the provisioner that made a volume. */
export const ANN_PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
/** Names the node a local-path volume's directory is on. */
export const ANN_NODE = 'kubelab.io/node';

/** What to do about one volume. */
export type DeleteDecision =
  | { action: 'none' }
  /** Remove `path`, then delete the object unless it is already being deleted. */
  | { action: 'delete'; path: string; deleteObject: boolean }
  /** The volume should go, but its path is not one the agent may remove: say so, remove nothing. */
  | { action: 'refuse'; message: string };

/**
 * The directory `path` names when it is a direct child of `root` (after normalizing; `..`
 * segments anywhere are refused outright), else undefined.
 */
export function storageDirOf(path: unknown, root = STORAGE_ROOT): string | undefined {
  if (typeof path !== 'string' || !path.startsWith('/') || path.split('/').includes('..')) return undefined;
  const clean = posix.normalize(path).replace(/\/+$/, '');
  const name = basename(clean);
  if (dirname(clean) !== root || !name || name === '.') return undefined;
  return clean;
}

/** True for a volume of the local-path provisioner whose directory is on `node`. */
export function isLocalPathVolumeOn(pv: PersistentVolume, node: string): boolean {
  const ann = pv.metadata?.annotations ?? {};
  return ann[ANN_PROVISIONED_BY] === LOCAL_PATH_PROVISIONER && ann[ANN_NODE] === node;
}

/** The agent's decision for `pv` on `node` (see DeleteDecision). */
export function deleteDecision(pv: PersistentVolume, node: string, root = STORAGE_ROOT): DeleteDecision {
  if (!isLocalPathVolumeOn(pv, node)) return { action: 'none' };
  if (pv.status?.phase !== 'Released' || pv.spec?.persistentVolumeReclaimPolicy !== 'Delete') return { action: 'none' };
  const raw = pv.spec?.hostPath?.path ?? pv.spec?.local?.path;
  const path = storageDirOf(raw, root);
  if (!path) return { action: 'refuse', message: `refusing to delete ${JSON.stringify(raw ?? '')}: only directories directly under ${root}/ are removed` };
  return { action: 'delete', path, deleteObject: !pv.metadata?.deletionTimestamp };
}
