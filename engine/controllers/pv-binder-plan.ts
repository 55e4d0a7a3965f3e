// The PersistentVolume controller's decisions, pure: which volume a claim binds to, when a claim
// waits, gets the default class, or asks a provisioner; what a volume's phase is and what happens
// to it when its claim goes. The I/O (writes, events) is in pv-binder.ts.
import { selectorMatches } from '../api/checks.js';
import {
  BIND_COMPLETED,
  BOUND_BY_CONTROLLER,
  PROVISIONED_BY,
  SELECTED_NODE,
  classOfClaim,
  classOfVolume,
  compareSize,
  hasNoClass,
  isVolumeBoundToClaim,
  offersAccessModes,
  requestedSize,
  volumeModeMismatch,
  volumeSize,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type StorageClass,
} from './storage-util.js';

/** An Event to record about the object a plan is for. */
export interface PlannedEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** What one sync of a claim does. */
export type ClaimPlan =
  /** Bind the claim and the volume to each other (every step is skipped when already done). */
  | { action: 'bind'; volume: PersistentVolume }
  /** Give a classless claim the default class (retroactive default StorageClass). */
  | { action: 'assignClass'; className: string }
  /** Ask `provisioner` for a volume: annotate the claim, then record the event. */
  | { action: 'provision'; provisioner: string; event: PlannedEvent }
  /** The claim waits: its status says Pending, and the event (if any) says why. */
  | { action: 'pending'; event?: PlannedEvent }
  /** The claim lost its volume: status Lost, and the event when it was not Lost yet. */
  | { action: 'lost'; event?: PlannedEvent }
  /** Something is wrong that a retry may fix; nothing is written. */
  | { action: 'error'; message: string };

/** What a claim's sync looks at besides the claim. */
export interface ClaimEnv {
  /** Every volume (the controller's cache). */
  volumes: PersistentVolume[];
  volume(name: string): PersistentVolume | undefined;
  storageClass(name: string): StorageClass | undefined;
  /** The default StorageClass (the newest one marked default), if any. */
  defaultClass?: StorageClass;
  /** Names of pods not scheduled yet that use the claim. */
  unscheduledPods: string[];
}

/** The message of the ExternalProvisioning event, as the upstream PV controller words it. */
export const externalProvisioningMessage = (provisioner: string): string =>
  `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`;

const modesKey = (v: PersistentVolume) => [...new Set(v.spec.accessModes ?? [])].sort().join(',');

/**
 * The volume a claim should bind to, as upstream chooses it: a volume pre-bound to the claim
 * (claimRef) wins; else, unless binding waits for the first consumer, the smallest Available,
 * unclaimed volume of the claim's class, size, volume mode and selector, looking first among
 * volumes whose access modes are the fewest that still cover the claim's.
 */
export function findBestMatch(claim: PersistentVolumeClaim, volumes: PersistentVolume[], delayBinding: boolean): PersistentVolume | undefined {
  const groups = new Map<string, PersistentVolume[]>();
  for (const v of volumes) {
    if (!offersAccessModes(claim, v)) continue;
    const key = modesKey(v);
    groups.set(key, [...(groups.get(key) ?? []), v]);
  }
  const ordered = [...groups.entries()].sort(([a], [b]) => a.split(',').length - b.split(',').length || a.localeCompare(b));
  const wanted = requestedSize(claim);
  const cls = classOfClaim(claim);
  for (const [, group] of ordered) {
    let best: PersistentVolume | undefined;
    for (const v of [...group].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))) {
      if (compareSize(volumeSize(v), wanted) < 0 || volumeModeMismatch(claim, v) || v.metadata.deletionTimestamp) continue;
      if (isVolumeBoundToClaim(v, claim)) return v;
      if (delayBinding) continue;
      if (v.status?.phase !== 'Available' || v.spec.claimRef) continue;
      if (claim.spec.selector && !selectorMatches(claim.spec.selector, v.metadata.labels)) continue;
      if (classOfVolume(v) !== cls) continue;
      if (!best || compareSize(volumeSize(v), volumeSize(best)) < 0) best = v;
    }
    if (best) return best;
  }
  return undefined;
}

/** Why a volume a claim names cannot be its volume, or undefined when it can. */
export function unsatisfiedBy(v: PersistentVolume, claim: PersistentVolumeClaim): string | undefined {
  if (v.metadata.deletionTimestamp) return `the volume is marked for deletion "${v.metadata.name}"`;
  if (compareSize(volumeSize(v), requestedSize(claim)) < 0) return 'requested PV is too small';
  if (classOfVolume(v) !== classOfClaim(claim)) return 'storageClassName does not match';
  if (volumeModeMismatch(claim, v)) return 'incompatible volumeMode';
  if (!offersAccessModes(claim, v)) return 'incompatible accessMode';
  return undefined;
}

const warn = (reason: string, message: string): PlannedEvent => ({ type: 'Warning', reason, message });
const normal = (reason: string, message: string): PlannedEvent => ({ type: 'Normal', reason, message });

/** The event of a claim whose class waits for its first consumer. */
function waitingEvent(unscheduledPods: string[]): PlannedEvent {
  if (unscheduledPods.length === 0) return normal('WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
  const pods = [...unscheduledPods].sort();
  return normal('WaitForPodScheduled', pods.length > 1 ? `waiting for pods ${pods.join(',')} to be scheduled` : `waiting for pod ${pods[0]} to be scheduled`);
}

/** What to do for a claim of class `cls` that no existing volume fits. */
function provisionPlan(cls: string, klass: StorageClass | undefined): ClaimPlan {
  if (!klass) return { action: 'pending', event: warn('ProvisioningFailed', `storageclass.storage.k8s.io "${cls}" not found`) };
  const provisioner = klass.provisioner ?? '';
  // kubernetes.io/ names belong to in-tree plugins, none of which kubelab has (no-provisioner included).
  if (!provisioner || provisioner.startsWith('kubernetes.io/')) return { action: 'pending', event: warn('ProvisioningFailed', `no volume plugin matched name: ${provisioner}`) };
  return { action: 'provision', provisioner, event: normal('ExternalProvisioning', externalProvisioningMessage(provisioner)) };
}

function planUnbound(claim: PersistentVolumeClaim, env: ClaimEnv): ClaimPlan {
  const name = claim.spec.volumeName;
  if (!name) {
    const cls = classOfClaim(claim);
    const klass = cls ? env.storageClass(cls) : undefined;
    const delayBinding = klass?.volumeBindingMode === 'WaitForFirstConsumer';
    const volume = findBestMatch(claim, env.volumes, delayBinding);
    if (volume) return { action: 'bind', volume };
    if (hasNoClass(claim) && env.defaultClass) return { action: 'assignClass', className: env.defaultClass.metadata.name };
    if (delayBinding && !claim.metadata.annotations?.[SELECTED_NODE]) return { action: 'pending', event: waitingEvent(env.unscheduledPods) };
    if (cls) return provisionPlan(cls, klass);
    return { action: 'pending', event: normal('FailedBinding', 'no persistent volumes available for this claim and no storage class is set') };
  }
  // The user asked for one volume by name.
  const volume = env.volume(name);
  if (!volume) return { action: 'pending' };
  if (!volume.spec.claimRef) {
    const why = unsatisfiedBy(volume, claim);
    return why ? { action: 'pending', event: warn('VolumeMismatch', `Cannot bind to requested volume "${name}": ${why}`) } : { action: 'bind', volume };
  }
  if (isVolumeBoundToClaim(volume, claim)) return { action: 'bind', volume };
  if (claim.metadata.annotations?.[BOUND_BY_CONTROLLER]) return { action: 'error', message: 'Two claims are bound to the same volume, this one is bound incorrectly' };
  return { action: 'pending', event: warn('FailedBinding', `volume "${name}" already bound to a different claim.`) };
}

function planBound(claim: PersistentVolumeClaim, env: ClaimEnv): ClaimPlan {
  const alreadyLost = claim.status?.phase === 'Lost';
  const lost = (reason: string, message: string): ClaimPlan => ({ action: 'lost', ...(alreadyLost ? {} : { event: warn(reason, message) }) });
  const name = claim.spec.volumeName;
  if (!name) return lost('ClaimLost', 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!');
  const volume = env.volume(name);
  if (!volume) return lost('ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
  if (!volume.spec.claimRef || volume.spec.claimRef.uid === claim.metadata.uid) return { action: 'bind', volume };
  return lost('ClaimMisbound', 'Two claims are bound to the same volume, this one is bound incorrectly');
}

/** What one sync of a claim does: bound claims keep (or lose) their volume, others look for one. */
export function planClaim(claim: PersistentVolumeClaim, env: ClaimEnv): ClaimPlan {
  return claim.metadata.annotations?.[BIND_COMPLETED] ? planBound(claim, env) : planUnbound(claim, env);
}

/** What one sync of a volume does. */
export type VolumePlan =
  /** The volume's phase should be `phase` (written only when it differs). */
  | { action: 'phase'; phase: 'Available' | 'Bound' }
  /** Its claim is gone (or it was provisioned for a claim bound elsewhere): Released, then reclaimed. */
  | { action: 'release'; claimGone: boolean }
  /** The claim it points at has not taken it yet: sync the claim. */
  | { action: 'syncClaim' }
  /** Undo the binding: drop claimRef when the controller set it, else only its uid. */
  | { action: 'unbind'; dropClaimRef: boolean }
  /** The claim can never take it (volume modes differ): events on both, nothing written. */
  | { action: 'mismatch'; volumeEvent: PlannedEvent; claimEvent: PlannedEvent };

/**
 * What a volume's sync does, given the claim its claimRef names as the cache has it (undefined
 * when there is none, or it is another object of that name).
 */
export function planVolume(volume: PersistentVolume, claim: PersistentVolumeClaim | undefined): VolumePlan {
  const ref = volume.spec.claimRef;
  if (!ref || !ref.uid) return { action: 'phase', phase: 'Available' };
  if (!claim || claim.metadata.uid !== ref.uid) return { action: 'release', claimGone: true };
  if (!claim.spec.volumeName) {
    if (volumeModeMismatch(claim, volume)) {
      return {
        action: 'mismatch',
        volumeEvent: warn('VolumeMismatch', `Cannot bind PersistentVolume to requested PersistentVolumeClaim "${claim.metadata.name}" due to incompatible volumeMode.`),
        claimEvent: warn('VolumeMismatch', `Cannot bind PersistentVolume "${volume.metadata.name}" to requested PersistentVolumeClaim due to incompatible volumeMode.`),
      };
    }
    return { action: 'syncClaim' };
  }
  if (claim.spec.volumeName === volume.metadata.name) return { action: 'phase', phase: 'Bound' };
  // The claim went to another volume.
  if (volume.metadata.annotations?.[PROVISIONED_BY] && volume.spec.persistentVolumeReclaimPolicy === 'Delete') return { action: 'release', claimGone: false };
  return { action: 'unbind', dropClaimRef: Boolean(volume.metadata.annotations?.[BOUND_BY_CONTROLLER]) };
}

/** What reclaiming a Released volume does: nothing (kept, or left to its deleter), or mark it Failed. */
export type ReclaimPlan = { action: 'keep' } | { action: 'awaitDeleter'; provisioner: string } | { action: 'fail'; event: PlannedEvent };

/**
 * Reclaiming a released volume: Retain keeps it; Delete leaves a provisioned volume to its
 * provisioner's deleter (kubelab's local-path volumes are deleted by the node agent of their node)
 * and fails any other, since kubelab has no in-tree deleter; Recycle fails (no recycler).
 */
export function planReclaim(volume: PersistentVolume): ReclaimPlan {
  const policy = volume.spec.persistentVolumeReclaimPolicy ?? 'Retain';
  if (policy === 'Recycle') return { action: 'fail', event: warn('VolumeFailedRecycle', 'No recycler plugin found for the volume!') };
  if (policy !== 'Delete') return { action: 'keep' };
  const provisioner = volume.metadata.annotations?.[PROVISIONED_BY];
  if (provisioner && !provisioner.startsWith('kubernetes.io/')) return { action: 'awaitDeleter', provisioner };
  return { action: 'fail', event: warn('VolumeFailedDelete', `error getting deleter volume plugin for volume "${volume.metadata.name}": no deletable volume plugin matched`) };
}

/** The claim status a phase implies: a bound claim reports its volume's modes and size; others none. */
export function claimStatus(claim: PersistentVolumeClaim, phase: 'Pending' | 'Bound' | 'Lost', volume?: PersistentVolume): NonNullable<PersistentVolumeClaim['status']> {
  const { accessModes: _m, capacity: _c, ...rest } = claim.status ?? {};
  if (phase === 'Lost') return { ...claim.status, phase };
  if (!volume) return { ...rest, phase };
  return { ...rest, phase, accessModes: volume.spec.accessModes ?? [], capacity: { ...(volume.spec.capacity ?? {}) } };
}
