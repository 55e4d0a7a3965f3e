// The well-known annotation and finalizer names on PersistentVolumes and PersistentVolumeClaims
// that the apiserver's storage admission, the scheduler's volume binding and the storage
// controllers exchange, and how a volume's claimRef names its claim.

/** Set by the scheduler on a WaitForFirstConsumer claim: the node its first pod goes to. */
export const SELECTED_NODE = 'volume.kubernetes.io/selected-node';
/** On a claim: the PV controller finished binding it. */
export const BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
/** On a claim or volume: a controller (not the user) set the binding. */
export const BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
/** The annotation that named a storage class before storageClassName existed; still honoured. */
export const BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';
/** Keeps a claim in use by a pod from going away. */
export const PVC_PROTECTION = 'kubernetes.io/pvc-protection';
/** Keeps a bound volume from going away. */
export const PV_PROTECTION = 'kubernetes.io/pv-protection';

/** An ObjectReference, as a volume's spec.claimRef. */
export interface ObjectReference {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  resourceVersion?: string;
}

/** True when `ref` names the claim: same namespace and name, and the same object when the ref carries a uid. */
export function refersToClaim(ref: ObjectReference | null | undefined, claim: { metadata?: { name?: string; namespace?: string; uid?: string } }): boolean {
  if (!ref || ref.name !== claim.metadata?.name || (ref.namespace ?? '') !== (claim.metadata?.namespace ?? '')) return false;
  return !ref.uid || ref.uid === claim.metadata?.uid;
}
