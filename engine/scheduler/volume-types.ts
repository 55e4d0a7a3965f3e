// Minimal typed views of PersistentVolumeClaims, PersistentVolumes and StorageClasses as the
// apiserver stores them, the annotations the scheduler, the PV controller and the node agent share,
// and small readers (class of a claim or volume, fully bound, node affinity of a volume).
import type { NodeSelectorTermJson } from '../api/types/pod-json.js';
import { BETA_STORAGE_CLASS, BIND_COMPLETED, refersToClaim, type ObjectReference } from '../api/types/storage-meta.js';
import { termMatches } from './matching.js';
import { units } from './resources.js';
import { list, type LabelSelector, type Meta, type Node } from './types.js';

export { BIND_COMPLETED, BOUND_BY_CONTROLLER, SELECTED_NODE } from '../api/types/storage-meta.js';

/** The provisioner of classes whose volumes are only ever made by hand. */
export const NO_PROVISIONER = 'kubernetes.io/no-provisioner';
/** The access mode that allows one pod in the whole cluster to use the claim. */
export const READ_WRITE_ONCE_POD = 'ReadWriteOncePod';

/** Object metadata with the fields volume objects need beyond the scheduler's Meta. */
export type VolumeMeta = Meta & { annotations?: Record<string, string>; resourceVersion?: string; finalizers?: string[] };

/** A PersistentVolumeClaim as stored. */
export interface Claim {
  metadata?: VolumeMeta;
  spec?: {
    storageClassName?: string;
    volumeName?: string;
    accessModes?: string[];
    resources?: { requests?: Record<string, unknown> };
    selector?: LabelSelector;
    volumeMode?: string;
  };
  status?: { phase?: string; accessModes?: string[] };
}

/** A PersistentVolume as stored (the sources the node agent mounts included). */
export interface PersistentVolume {
  metadata?: VolumeMeta;
  spec?: {
    storageClassName?: string;
    capacity?: Record<string, unknown>;
    accessModes?: string[];
    claimRef?: ObjectReference;
    nodeAffinity?: { required?: { nodeSelectorTerms?: NodeSelectorTermJson[] } };
    volumeMode?: string;
    persistentVolumeReclaimPolicy?: string;
    hostPath?: { path?: string; type?: string };
    local?: { path?: string; fsType?: string };
    [source: string]: unknown;
  };
  status?: { phase?: string; reason?: string; message?: string };
}

/** A storage.k8s.io/v1 StorageClass as stored. */
export interface StorageClass {
  metadata?: VolumeMeta;
  provisioner?: string;
  reclaimPolicy?: string;
  volumeBindingMode?: string;
  allowedTopologies?: Array<{ matchLabelExpressions?: Array<{ key?: string; values?: string[] }> }>;
}

/** Read access to the cluster's claims, volumes and classes (informer caches, possibly with assumptions on top). */
export interface VolumeLister {
  claim(namespace: string, name: string): Claim | undefined;
  volume(name: string): PersistentVolume | undefined;
  /** Every volume of the class ('' for volumes without one). */
  volumesOfClass(className: string): PersistentVolume[];
  storageClass(name: string): StorageClass | undefined;
}

/** A lister that knows no claims, volumes or classes. */
export const NO_VOLUMES: VolumeLister = {
  claim: () => undefined,
  volume: () => undefined,
  volumesOfClass: () => [],
  storageClass: () => undefined,
};

/** The claim's class: spec.storageClassName, else the beta annotation, else ''. */
export const claimClass = (c: Claim): string => c.spec?.storageClassName ?? c.metadata?.annotations?.[BETA_STORAGE_CLASS] ?? '';

/** The volume's class: spec.storageClassName, else the beta annotation, else ''. */
export const volumeClass = (pv: PersistentVolume): string => pv.spec?.storageClassName ?? pv.metadata?.annotations?.[BETA_STORAGE_CLASS] ?? '';

/** The storage a claim requests, in bytes (0 when it requests none). */
export const requestedBytes = (c: Claim): number => units(c.spec?.resources?.requests?.storage);

/** The volume's capacity in bytes. */
export const capacityBytes = (pv: PersistentVolume): number => units(pv.spec?.capacity?.storage);

/**
 * True when the PV controller finished binding the claim: it names its volume and carries
 * bind-completed (or, from a controller that does not write that annotation, phase Bound).
 */
export const isFullyBound = (c: Claim): boolean =>
  Boolean(c.spec?.volumeName) && (c.metadata?.annotations?.[BIND_COMPLETED] !== undefined || c.status?.phase === 'Bound');

/** True when the volume's required node affinity (if any) admits the node. */
export function volumeFitsNode(pv: PersistentVolume, node: Node): boolean {
  const required = pv.spec?.nodeAffinity?.required;
  if (!required) return true;
  return list<NodeSelectorTermJson>(required.nodeSelectorTerms).some((t) => termMatches(t, node));
}

/** True when the volume's claimRef names the claim (uid too, when the ref carries one). */
export const isBoundToClaim = (pv: PersistentVolume, c: Claim): boolean => refersToClaim(pv.spec?.claimRef, c);

/** The resourceVersion as a number (0 when absent), for ordering two copies of one object. */
export const versionOf = (o: { metadata?: { resourceVersion?: string } } | undefined): number => Number(o?.metadata?.resourceVersion ?? 0) || 0;
