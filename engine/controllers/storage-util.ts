// Shapes, annotation names and small pure helpers shared by the storage controllers (the
// PersistentVolume binder, the local-path provisioner, the protection controllers) and the
// storage admission: how claims and volumes name their class, size, modes and each other.
import type { ApiObject, ObjectMeta } from '../api/resource-type.js';
import type { ReconcileResult } from '../client/controller.js';
import { ApiRequestError } from '../client/rest-client.js';
import { claimClass, volumeClass } from '../api/types/core-storage-rules.js';
import { compareQuantities, parseQuantity, type Quantity } from '../api/types/core-quantity.js';
import { BETA_STORAGE_CLASS, refersToClaim, type ObjectReference } from '../api/types/storage-meta.js';
import type { LabelSelector, Pod } from './workload-util.js';

export { BETA_STORAGE_CLASS, BIND_COMPLETED, BOUND_BY_CONTROLLER, PV_PROTECTION, PVC_PROTECTION, SELECTED_NODE } from '../api/types/storage-meta.js';

/** The provisioner kubelab runs in the controller-manager (volumes are host directories on one node). */
export const LOCAL_PATH_PROVISIONER = 'kubelab.io/local-path';
/** The annotation naming the node a local-path volume lives on (the node agent deletes its directory). */
export const NODE_ANNOTATION = 'kubelab.io/node';
/** Set by the PV controller on claims of a dynamic class: which provisioner should act. */
export const STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
/** The deprecated twin of STORAGE_PROVISIONER, still written for older provisioners. */
export const BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
/** On a provisioned volume: the provisioner that made it. */
export const PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
/** The node label a local-path volume's node affinity uses. */
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';

/** A PersistentVolume as the controllers read it. */
export interface PersistentVolume extends ApiObject {
  metadata: ObjectMeta;
  spec: {
    capacity?: Record<string, string>;
    accessModes?: string[];
    claimRef?: ObjectReference | null;
    persistentVolumeReclaimPolicy?: string;
    storageClassName?: string;
    volumeMode?: string;
    nodeAffinity?: { required?: { nodeSelectorTerms?: unknown[] } };
    [k: string]: unknown;
  };
  status?: { phase?: string; message?: string; reason?: string; lastPhaseTransitionTime?: string };
}

/** A PersistentVolumeClaim as the controllers read it. */
export interface PersistentVolumeClaim extends ApiObject {
  metadata: ObjectMeta;
  spec: {
    accessModes?: string[];
    resources?: { requests?: Record<string, string> };
    selector?: LabelSelector | null;
    storageClassName?: string | null;
    volumeMode?: string;
    volumeName?: string;
    [k: string]: unknown;
  };
  status?: { phase?: string; accessModes?: string[]; capacity?: Record<string, string>; [k: string]: unknown };
}

/** A StorageClass as the controllers read it. */
export interface StorageClass extends ApiObject {
  provisioner?: string;
  reclaimPolicy?: string;
  volumeBindingMode?: string;
  mountOptions?: string[];
  parameters?: Record<string, string>;
}

/** The class a claim asks for ("" for none: the beta annotation first, then storageClassName). */
export const classOfClaim = (c: PersistentVolumeClaim): string => claimClass(c);
/** The class a volume belongs to ("" for none). */
export const classOfVolume = (v: PersistentVolume): string => volumeClass(v);

/** True when the claim names no class at all (not even ""): what the default class is for. */
export const hasNoClass = (c: PersistentVolumeClaim): boolean =>
  (c.spec.storageClassName === undefined || c.spec.storageClassName === null) && c.metadata.annotations?.[BETA_STORAGE_CLASS] === undefined;

/** The claim's key in caches: namespace/name. */
export const claimKey = (c: { metadata: { namespace?: string; name: string } }): string => `${c.metadata.namespace ?? ''}/${c.metadata.name}`;

/** The storage a claim asks for (0 when unset). */
export const requestedSize = (c: PersistentVolumeClaim): Quantity => parseQuantity(c.spec.resources?.requests?.storage) ?? { digits: 0n, exp: 0, format: 'DecimalSI' };
/** The storage a volume offers (0 when unset). */
export const volumeSize = (v: PersistentVolume): Quantity => parseQuantity(v.spec.capacity?.storage) ?? { digits: 0n, exp: 0, format: 'DecimalSI' };
/** Compares two quantities: negative, zero or positive. */
export const compareSize = (a: Quantity, b: Quantity): number => compareQuantities(a, b);

/** True when the volume's mode differs from the claim's (both default to Filesystem). */
export const volumeModeMismatch = (c: PersistentVolumeClaim, v: PersistentVolume): boolean => (c.spec.volumeMode ?? 'Filesystem') !== (v.spec.volumeMode ?? 'Filesystem');

/** True when the volume offers every access mode the claim asks for. */
export const offersAccessModes = (c: PersistentVolumeClaim, v: PersistentVolume): boolean => (c.spec.accessModes ?? []).every((m) => (v.spec.accessModes ?? []).includes(m));

/** True when the volume's claimRef names the claim (and, when it has a uid, the same claim object). */
export const isVolumeBoundToClaim = (v: PersistentVolume, c: PersistentVolumeClaim): boolean => refersToClaim(v.spec.claimRef, c);

/** The claim names a pod's volumes use: persistentVolumeClaim sources and generic ephemeral volumes (`<pod>-<volume>`). */
export function claimsOfPod(pod: Pod): string[] {
  const volumes = (pod.spec?.volumes ?? []) as { name?: string; persistentVolumeClaim?: { claimName?: string }; ephemeral?: unknown }[];
  const names: string[] = [];
  for (const v of Array.isArray(volumes) ? volumes : []) {
    if (v?.persistentVolumeClaim?.claimName) names.push(v.persistentVolumeClaim.claimName);
    else if (v?.ephemeral && v.name) names.push(`${pod.metadata.name}-${v.name}`);
  }
  return names;
}

/** True for a pod that has finished (Succeeded or Failed): it no longer uses its volumes. */
export const isPodTerminated = (pod: Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/** True when the object carries the finalizer. */
export const hasFinalizer = (o: ApiObject, name: string): boolean => (o.metadata.finalizers ?? []).includes(name);

/** How soon a key whose write lost a race (409) is looked at again, if no newer version arrives first. */
export const CONFLICT_RETRY_MS = 500;

/**
 * Runs a reconcile; a 409 Conflict (the cache was behind: a write of ours or someone's is still on
 * its way) is not an error but a reason to look again shortly, from the newer version.
 */
export async function retryOnConflict(reconcile: () => Promise<ReconcileResult | void>): Promise<ReconcileResult | void> {
  try {
    return await reconcile();
  } catch (err) {
    if (err instanceof ApiRequestError && err.code === 409) return { requeueAfter: CONFLICT_RETRY_MS };
    throw err;
  }
}
