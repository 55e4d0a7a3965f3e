// The Deployment controller's decisions, pure: how far a rolling update may scale the new and
// old ReplicaSets, proportional scaling when the Deployment is resized mid-rollout, which old
// sets to clean up, and the status and conditions the Deployment reports.
import {
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  getCondition,
  hasProgressDeadline,
  maxSurge,
  maxUnavailable,
  newCondition,
  removeCondition,
  replicasOf,
  revisionOf,
  setCondition,
  type Deployment,
  type DeploymentCondition,
  type DeploymentStatus,
} from './deployment-util.js';
import { createdAt, type ReplicaSet } from './workload-util.js';

/** A ReplicaSet to be set to `replicas` (and its replicas annotations refreshed). */
export interface ScaleStep {
  rs: ReplicaSet;
  replicas: number;
}

const specReplicas = (rs: ReplicaSet | undefined) => rs?.spec.replicas ?? 0;
const sum = (sets: (ReplicaSet | undefined)[], f: (rs: ReplicaSet) => number) => sets.reduce((n, rs) => n + (rs ? f(rs) : 0), 0);
const byCreation = (a: ReplicaSet, b: ReplicaSet) => createdAt(a) - createdAt(b) || a.metadata.name.localeCompare(b.metadata.name);
/** Sets that have replicas. */
export const activeSets = (sets: (ReplicaSet | undefined)[]): ReplicaSet[] => sets.filter((rs): rs is ReplicaSet => !!rs && specReplicas(rs) > 0);

/** How many replicas the new set should have now (upstream's NewRSNewReplicas). */
export function newSetReplicas(d: Deployment, all: ReplicaSet[], newRS: ReplicaSet | undefined): number {
  const desired = replicasOf(d);
  if (d.spec.strategy?.type === 'Recreate') return desired;
  const current = sum(all, specReplicas);
  const maxTotal = desired + maxSurge(d);
  if (current >= maxTotal) return specReplicas(newRS);
  return specReplicas(newRS) + Math.min(maxTotal - current, desired - specReplicas(newRS));
}

/** The new set's next size in a rolling update, or undefined when it needs no change. */
export function rollNewSet(d: Deployment, all: ReplicaSet[], newRS: ReplicaSet): number | undefined {
  const desired = replicasOf(d);
  if (specReplicas(newRS) === desired) return undefined;
  if (specReplicas(newRS) > desired) return desired;
  const next = newSetReplicas(d, all, newRS);
  return next === specReplicas(newRS) ? undefined : next;
}

/**
 * The old sets' scale-downs in one rolling-update step: first unhealthy old pods (never more
 * than keeps minimum availability, counting the new set's unavailable pods), then healthy ones
 * down to spec.replicas − maxUnavailable available pods; oldest sets first.
 */
export function rollOldSets(d: Deployment, all: ReplicaSet[], oldSets: ReplicaSet[], newRS: ReplicaSet | undefined): ScaleStep[] {
  const olds = activeSets(oldSets).sort(byCreation);
  if (sum(olds, specReplicas) === 0) return [];
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const newUnavailable = specReplicas(newRS) - (newRS?.status?.availableReplicas ?? 0);
  const maxScaledDown = sum(all, specReplicas) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return [];
  const size = new Map(olds.map((rs) => [rs, specReplicas(rs)] as const));
  // Unhealthy pods first.
  let cleaned = 0;
  for (const rs of olds) {
    if (cleaned >= maxScaledDown) break;
    const available = rs.status?.availableReplicas ?? 0;
    const replicas = size.get(rs)!;
    if (replicas === 0 || replicas === available) continue;
    const down = Math.min(maxScaledDown - cleaned, replicas - available);
    size.set(rs, replicas - down);
    cleaned += down;
  }
  // Then healthy ones, keeping minAvailable.
  const available = sum([...olds, newRS], (rs) => rs.status?.availableReplicas ?? 0);
  if (available > minAvailable) {
    const total = available - minAvailable;
    let done = 0;
    for (const rs of olds) {
      if (done >= total) break;
      const replicas = size.get(rs)!;
      if (replicas === 0) continue;
      const down = Math.min(replicas, total - done);
      size.set(rs, replicas - down);
      done += down;
    }
  }
  return olds.filter((rs) => size.get(rs) !== specReplicas(rs)).map((rs) => ({ rs, replicas: size.get(rs)! }));
}

/** True when a set's desired-replicas annotation says another size than the Deployment's (it was scaled). */
export function isScalingEvent(d: Deployment, sets: (ReplicaSet | undefined)[]): boolean {
  return activeSets(sets).some((rs) => {
    const desired = rs.metadata.annotations?.[DESIRED_REPLICAS];
    return desired !== undefined && Number(desired) !== replicasOf(d);
  });
}

/** The share of `toAdd` (negative: to remove) a set gets, from its size against the max-replicas it was made for. */
function proportion(d: Deployment, rs: ReplicaSet, toAdd: number, added: number): number {
  if (specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  let fraction: number;
  if (replicasOf(d) === 0) fraction = -specReplicas(rs);
  else {
    const annotated = Number(rs.metadata.annotations?.[MAX_REPLICAS] ?? d.status?.replicas ?? 0);
    fraction = annotated > 0 && Number.isFinite(annotated) ? Math.round((specReplicas(rs) * (replicasOf(d) + maxSurge(d))) / annotated) - specReplicas(rs) : 0;
  }
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/**
 * What a resize does (upstream's scale): the one active (or latest) set takes the new size;
 * a saturated new set makes old ones go to 0; during a rolling update the difference is spread
 * over active sets in proportion to their size, the leftover going to the largest. Every step
 * also refreshes the set's replicas annotations.
 */
export function scaleSets(d: Deployment, newRS: ReplicaSet | undefined, oldSets: ReplicaSet[]): ScaleStep[] {
  const desired = replicasOf(d);
  const newestFirst = [...oldSets].sort((a, b) => byCreation(b, a));
  const activeOld = activeSets(newestFirst);
  let only: ReplicaSet | undefined;
  if (!newRS && !oldSets.length) only = undefined;
  else if (activeOld.length + (specReplicas(newRS) > 0 ? 1 : 0) === 0) only = newRS ?? newestFirst[0];
  else if (activeOld.length + (specReplicas(newRS) > 0 ? 1 : 0) === 1) only = specReplicas(newRS) > 0 ? newRS : activeOld[0];
  if (only) return specReplicas(only) === desired ? [] : [{ rs: only, replicas: desired }];
  if (!newRS && !oldSets.length) return [];
  const saturated =
    newRS && specReplicas(newRS) === desired && newRS.metadata.annotations?.[DESIRED_REPLICAS] === String(desired) && (newRS.status?.availableReplicas ?? 0) === desired;
  if (saturated) return activeOld.map((rs) => ({ rs, replicas: 0 }));
  if (d.spec.strategy?.type === 'Recreate') return [];
  const sets = activeSets([...activeOld, newRS]);
  const allowed = desired > 0 ? desired + maxSurge(d) : 0;
  const toAdd = allowed - sum(sets, specReplicas);
  // Larger sets first; among equals, newer first when growing and older first when shrinking.
  sets.sort((a, b) => specReplicas(b) - specReplicas(a) || (toAdd > 0 ? byCreation(b, a) : byCreation(a, b)));
  const size = new Map<ReplicaSet, number>();
  let added = 0;
  for (const rs of sets) {
    const p = toAdd !== 0 ? proportion(d, rs, toAdd, added) : 0;
    size.set(rs, specReplicas(rs) + p);
    added += p;
  }
  if (toAdd !== 0 && sets.length) size.set(sets[0]!, Math.max(size.get(sets[0]!)! + toAdd - added, 0));
  return sets.map((rs) => ({ rs, replicas: size.get(rs)! }));
}

/** Old sets beyond revisionHistoryLimit that may go (no replicas, status caught up), oldest revision first. */
export function setsToCleanUp(d: Deployment, oldSets: ReplicaSet[]): ReplicaSet[] {
  const limit = d.spec.revisionHistoryLimit;
  if (limit === undefined) return [];
  const alive = oldSets.filter((rs) => !rs.metadata.deletionTimestamp);
  const diff = alive.length - limit;
  if (diff <= 0) return [];
  return alive
    .sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b))
    .slice(0, diff)
    .filter((rs) => (rs.status?.replicas ?? 0) === 0 && specReplicas(rs) === 0 && (rs.metadata.generation ?? 0) <= (rs.status?.observedGeneration ?? 0));
}

/** The status the sets add up to, with Available set (other conditions carried over). */
export function calculateStatus(d: Deployment, all: ReplicaSet[], newRS: ReplicaSet | undefined, now: number): DeploymentStatus {
  const available = sum(all, (rs) => rs.status?.availableReplicas ?? 0);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation,
    replicas: sum(all, (rs) => rs.status?.replicas ?? 0),
    updatedReplicas: newRS?.status?.replicas ?? 0,
    readyReplicas: sum(all, (rs) => rs.status?.readyReplicas ?? 0),
    availableReplicas: available,
    unavailableReplicas: Math.max(sum(all, specReplicas) - available, 0),
    conditions: [...(d.status?.conditions ?? [])],
    ...(d.status?.collisionCount !== undefined ? { collisionCount: d.status.collisionCount } : {}),
  };
  if (available >= replicasOf(d) - maxUnavailable(d)) setCondition(status, newCondition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', now));
  else setCondition(status, newCondition('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', now));
  return status;
}

/** True when every replica runs the current template and is available, and the status is current. */
export function isComplete(d: Deployment, s: DeploymentStatus): boolean {
  const n = replicasOf(d);
  return s.updatedReplicas === n && s.replicas === n && s.availableReplicas === n && (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}

/** True when the new status shows progress over the Deployment's current one. */
export function isProgressing(d: Deployment, s: DeploymentStatus): boolean {
  const o = d.status ?? {};
  const oldOld = (o.replicas ?? 0) - (o.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (s.updatedReplicas ?? 0) > (o.updatedReplicas ?? 0) || newOld < oldOld || (s.readyReplicas ?? 0) > (o.readyReplicas ?? 0) || (s.availableReplicas ?? 0) > (o.availableReplicas ?? 0);
}

/** True when the rollout has gone progressDeadlineSeconds without progress. */
export function isTimedOut(d: Deployment, s: DeploymentStatus, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(s, 'Progressing');
  if (!c || c.reason === 'NewReplicaSetAvailable') return false;
  if (c.reason === 'ProgressDeadlineExceeded') return true;
  const from = Date.parse(c.lastUpdateTime ?? '');
  return !Number.isNaN(from) && from + (d.spec.progressDeadlineSeconds ?? 0) * 1000 < now;
}

/**
 * The rollout's status: calculateStatus plus Progressing (complete, progressing or timed out)
 * and ReplicaFailure (copied from a set that has it), and when (ms) to look again for a deadline.
 */
export function rolloutStatus(d: Deployment, all: ReplicaSet[], newRS: ReplicaSet | undefined, now: number): { status: DeploymentStatus; requeueAfter?: number } {
  const s = calculateStatus(d, all, newRS, now);
  if (!hasProgressDeadline(d)) removeCondition(s, 'Progressing');
  const current = getCondition(s, 'Progressing');
  const completeBefore = s.replicas === s.updatedReplicas && current?.reason === 'NewReplicaSetAvailable';
  if (hasProgressDeadline(d) && !completeBefore) {
    const name = newRS?.metadata.name;
    if (isComplete(d, s)) {
      setCondition(s, newCondition('Progressing', 'True', 'NewReplicaSetAvailable', name ? `ReplicaSet "${name}" has successfully progressed.` : 'Deployment has successfully progressed.', now));
    } else if (isProgressing(d, s)) {
      const c = newCondition('Progressing', 'True', 'ReplicaSetUpdated', name ? `ReplicaSet "${name}" is progressing.` : 'Deployment is progressing.', now);
      if (current?.status === 'True') c.lastTransitionTime = current.lastTransitionTime;
      removeCondition(s, 'Progressing');
      setCondition(s, c);
    } else if (isTimedOut(d, s, now)) {
      setCondition(s, newCondition('Progressing', 'False', 'ProgressDeadlineExceeded', name ? `ReplicaSet "${name}" has timed out progressing.` : `Deployment "${d.metadata.name}" has timed out progressing.`, now));
    }
  }
  const failure = all.map((rs) => rs.status?.conditions?.find((c) => c.type === 'ReplicaFailure')).find(Boolean);
  if (failure) setCondition(s, newCondition('ReplicaFailure', failure.status, failure.reason ?? '', failure.message ?? '', now));
  else removeCondition(s, 'ReplicaFailure');
  const c = getCondition(s, 'Progressing');
  let requeueAfter: number | undefined;
  if (hasProgressDeadline(d) && c && !isComplete(d, s) && c.reason !== 'ProgressDeadlineExceeded') {
    const at = Date.parse(c.lastUpdateTime ?? '') + (d.spec.progressDeadlineSeconds ?? 0) * 1000;
    if (!Number.isNaN(at)) requeueAfter = Math.max(at - now, 0) + 1000;
  }
  return { status: s, ...(requeueAfter !== undefined ? { requeueAfter } : {}) };
}

/** The Progressing condition a pause or resume calls for, or undefined when none changes. */
export function pauseCondition(d: Deployment, now: number): DeploymentCondition | undefined {
  if (!hasProgressDeadline(d)) return undefined;
  const c = getCondition(d.status, 'Progressing');
  if (c?.reason === 'ProgressDeadlineExceeded') return undefined;
  const pausedShown = c?.reason === 'DeploymentPaused';
  if (d.spec.paused && !pausedShown) return newCondition('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused', now);
  if (!d.spec.paused && pausedShown) return newCondition('Progressing', 'Unknown', 'DeploymentResumed', 'Deployment is resumed', now);
  return undefined;
}

/** True when two statuses say the same, ignoring condition order and lastUpdateTime of unchanged conditions. */
export function sameDeploymentStatus(a: DeploymentStatus | undefined, b: DeploymentStatus | undefined): boolean {
  const norm = (s: DeploymentStatus | undefined) => {
    const conds = [...(s?.conditions ?? [])].sort((x, y) => x.type.localeCompare(y.type)).map((c) => [c.type, c.status, c.reason, c.message, c.lastUpdateTime, c.lastTransitionTime]);
    return JSON.stringify([s?.observedGeneration ?? 0, s?.replicas ?? 0, s?.updatedReplicas ?? 0, s?.readyReplicas ?? 0, s?.availableReplicas ?? 0, s?.unavailableReplicas ?? 0, s?.collisionCount ?? 0, conds]);
  };
  return norm(a) === norm(b);
}
