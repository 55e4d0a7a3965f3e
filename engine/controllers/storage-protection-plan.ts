// The storage-object-in-use protection decisions, pure: a claim keeps kubernetes.io/pvc-protection
// while a pod may use it, a volume keeps kubernetes.io/pv-protection while it is Bound; objects
// that are not being deleted get the finalizer if they lack it (made before admission added it).
import { PV_PROTECTION, PVC_PROTECTION, claimsOfPod, hasFinalizer, isPodTerminated, type PersistentVolume, type PersistentVolumeClaim } from './storage-util.js';
import type { Pod } from './workload-util.js';

/** What a protection controller does with an object's finalizer. */
export type FinalizerPlan = 'keep' | 'add' | 'remove';

/**
 * True when a pod of the claim's namespace uses it: a pod on a node (the node agent refuses to
 * start pods whose claim is being deleted, so unscheduled pods do not count) that has not finished.
 */
export function claimInUse(claim: PersistentVolumeClaim, pods: Pod[]): boolean {
  return pods.some(
    (p) => (p.metadata.namespace ?? '') === (claim.metadata.namespace ?? '') && Boolean(p.spec?.nodeName) && !isPodTerminated(p) && claimsOfPod(p).includes(claim.metadata.name),
  );
}

/** The pvc-protection decision for a claim, given the pods of its namespace. */
export function planClaimProtection(claim: PersistentVolumeClaim, pods: Pod[]): FinalizerPlan {
  const has = hasFinalizer(claim, PVC_PROTECTION);
  if (!claim.metadata.deletionTimestamp) return has ? 'keep' : 'add';
  return has && !claimInUse(claim, pods) ? 'remove' : 'keep';
}

/** The pv-protection decision for a volume: it may go once it is no longer Bound. */
export function planVolumeProtection(volume: PersistentVolume): FinalizerPlan {
  const has = hasFinalizer(volume, PV_PROTECTION);
  if (!volume.metadata.deletionTimestamp) return has ? 'keep' : 'add';
  return has && volume.status?.phase !== 'Bound' ? 'remove' : 'keep';
}
