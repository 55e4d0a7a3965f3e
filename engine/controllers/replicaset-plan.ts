// The ReplicaSet controller's decisions, pure: which pods belong to a set, which to delete
// first, how creations are batched, and what the set's status says.
import {
  availableAt,
  controllerRef,
  createdAt,
  isActivePod,
  isPodReady,
  podCondition,
  rfc3339,
  selectorMatcher,
  type Pod,
  type PodCondition,
  type ReplicaSet,
} from './workload-util.js';

/** Most pods one sync creates or deletes (upstream's burstReplicas). */
export const BURST_REPLICAS = 500;

/** The pods of a set's namespace sorted out: owned and still matching, orphans to adopt, owned ones to release. */
export interface PodClaims {
  owned: Pod[];
  adopt: Pod[];
  release: Pod[];
}

/**
 * Sorts the namespace's pods for `rs`: pods it controls that match stay owned, those that no
 * longer match are released; matching orphans are adopted unless the set is being deleted.
 */
export function claimPods(rs: ReplicaSet, pods: Pod[]): PodClaims {
  const matches = selectorMatcher(rs.spec.selector);
  const claims: PodClaims = { owned: [], adopt: [], release: [] };
  for (const pod of pods) {
    const ref = controllerRef(pod);
    const match = matches(pod.metadata.labels);
    if (ref?.uid === rs.metadata.uid) (match ? claims.owned : claims.release).push(pod);
    else if (!ref && match && !rs.metadata.deletionTimestamp && !pod.metadata.deletionTimestamp) claims.adopt.push(pod);
  }
  return claims;
}

/** The batch sizes of a slow start of `count` creations: 1, 2, 4, … until all are made. */
export function slowStartBatches(count: number, initial = 1): number[] {
  const batches: number[] = [];
  let left = count;
  for (let size = Math.min(initial, left); left > 0; size = Math.min(2 * size, left)) {
    batches.push(size);
    left -= size;
  }
  return batches;
}

const PHASE_ORDER: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
const maxRestarts = (p: Pod) => Math.max(0, ...(p.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
const readySince = (p: Pod) => Date.parse(podCondition(p, 'Ready')?.lastTransitionTime ?? '') || 0;

/**
 * Orders pods for deletion, first to go first: unscheduled before scheduled, Pending before
 * Unknown before Running, not ready before ready, more pods of the set on the same node before
 * fewer, ready for less time before more, more restarts before fewer, newer before older.
 */
export function deletionOrder(pods: Pod[], related: Pod[] = pods): Pod[] {
  const perNode = new Map<string, number>();
  for (const p of related) if (p.spec?.nodeName) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
  const rank = (p: Pod) => (p.spec?.nodeName ? (perNode.get(p.spec.nodeName) ?? 0) : 0);
  const cmp = (a: Pod, b: Pod): number => {
    const na = a.spec?.nodeName ?? '';
    const nb = b.spec?.nodeName ?? '';
    if (na !== nb && (!na || !nb)) return na ? 1 : -1;
    const pa = PHASE_ORDER[a.status?.phase ?? 'Pending'] ?? 0;
    const pb = PHASE_ORDER[b.status?.phase ?? 'Pending'] ?? 0;
    if (pa !== pb) return pa - pb;
    const ra = isPodReady(a);
    const rb = isPodReady(b);
    if (ra !== rb) return ra ? 1 : -1;
    if (rank(a) !== rank(b)) return rank(b) - rank(a);
    if (ra && rb && readySince(a) !== readySince(b)) return readySince(b) - readySince(a);
    if (maxRestarts(a) !== maxRestarts(b)) return maxRestarts(b) - maxRestarts(a);
    return createdAt(b) - createdAt(a);
  };
  return [...pods].sort(cmp);
}

/** What one sync does to the number of pods: create `create` or delete the pods `remove`. */
export interface ScalePlan {
  create: number;
  remove: Pod[];
}

/** The creations or deletions that bring the set's active pods to spec.replicas (at most BURST_REPLICAS per sync). */
export function planScale(rs: ReplicaSet, active: Pod[]): ScalePlan {
  const diff = active.length - (rs.spec.replicas ?? 1);
  if (diff < 0) return { create: Math.min(-diff, BURST_REPLICAS), remove: [] };
  if (diff > 0) return { create: 0, remove: deletionOrder(active).slice(0, Math.min(diff, BURST_REPLICAS)) };
  return { create: 0, remove: [] };
}

/** A failure to create or delete pods, reported in the ReplicaFailure condition. */
export interface ManageFailure {
  reason: 'FailedCreate' | 'FailedDelete';
  message: string;
}

/** The status the set should have, and when (ms from now) a ready pod turns available, if one will. */
export function replicaSetStatus(rs: ReplicaSet, owned: Pod[], failure: ManageFailure | undefined, now: number): { status: NonNullable<ReplicaSet['status']>; requeueAfter?: number } {
  const active = owned.filter(isActivePod);
  const templateLabels = Object.entries(rs.spec.template?.metadata?.labels ?? {});
  const minReady = rs.spec.minReadySeconds ?? 0;
  let ready = 0;
  let available = 0;
  let nextAvailable: number | undefined;
  for (const p of active) {
    const at = availableAt(p, minReady);
    if (at === undefined) continue;
    ready++;
    if (at <= now) available++;
    else nextAvailable = Math.min(nextAvailable ?? Infinity, at);
  }
  const fullyLabeled = active.filter((p) => templateLabels.every(([k, v]) => p.metadata.labels?.[k] === v)).length;
  let conditions: PodCondition[] = [...(rs.status?.conditions ?? [])];
  const existing = conditions.find((c) => c.type === 'ReplicaFailure');
  if (failure && !existing) conditions.push({ type: 'ReplicaFailure', status: 'True', lastTransitionTime: rfc3339(now), reason: failure.reason, message: failure.message });
  if (!failure && existing) conditions = conditions.filter((c) => c.type !== 'ReplicaFailure');
  const status: NonNullable<ReplicaSet['status']> = {
    replicas: active.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
    observedGeneration: rs.metadata.generation,
    ...(conditions.length ? { conditions } : {}),
  };
  return { status, ...(nextAvailable !== undefined ? { requeueAfter: Math.max(nextAvailable - now, 0) + 50 } : {}) };
}

/** True when two statuses say the same (what a sync compares before writing). */
export function sameStatus(a: ReplicaSet['status'], b: ReplicaSet['status']): boolean {
  const norm = (s: ReplicaSet['status']) =>
    JSON.stringify([s?.replicas ?? 0, s?.fullyLabeledReplicas ?? 0, s?.readyReplicas ?? 0, s?.availableReplicas ?? 0, s?.observedGeneration ?? 0, s?.conditions ?? []]);
  return norm(a) === norm(b);
}
