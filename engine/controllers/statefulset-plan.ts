// The StatefulSet controller's decisions, pure: from the set, its pods, its claims and its current
// and update revisions, what one sync does and in which order (create missing pods lowest ordinal
// first, replace finished ones, scale down from the highest ordinal, roll pods to the update
// revision from the highest ordinal down to the partition) and what the status says. Under
// OrderedReady the plan stops at the first pod that is not yet Running, Ready and available;
// under Parallel it does everything at once.
import { equalRevisions, newRevision, nextRevision, sortRevisions, templateRevisionData, type ControllerRevision } from './controller-history.js';
import { scaledValue } from './deployment-util.js';
import {
  claimIsStale,
  claimOwnersUpToDate,
  claimsFor,
  desiredClaimOwners,
  hasUnexpectedController,
  identityLabels,
  identityMatches,
  newPod,
  ordinalOf,
  podRevision,
  replicasOf,
  startOrdinal,
  type Claim,
  type StatefulSet,
  type StatefulSetStatus,
} from './statefulset-pods.js';
import { availableAt, isPodAvailable, isPodReady, isTerminating, type OwnerRef, type Pod, type PodTemplate } from './workload-util.js';

/** A change to the owner references of one claim (retention policy). */
export interface ClaimOwners {
  claim: Claim;
  ownerReferences: OwnerRef[];
  /** Another controller owns the claim: the policy is not applied to it (ConflictingController). */
  conflict: boolean;
}

/** One write a sync makes. */
export type Op =
  /** Create the missing claims, then the pod, then fix the owners of claims that already existed. */
  | { type: 'create'; pod: Pod; claims: Claim[]; deleting: string[]; owners: ClaimOwners[] }
  /** Delete a pod: finished (it is recreated once gone), scaled away, or to update it. */
  | { type: 'delete'; pod: Pod; reason: 'finished' | 'scale-down' | 'update' }
  /** Create the missing claims of a pending pod and fix the owners of the others. */
  | { type: 'claims'; pod: Pod; claims: Claim[]; deleting: string[]; owners: ClaimOwners[] }
  /** Bring a live pod in line: its identity labels and its claims' owners ("update Pod …"). */
  | { type: 'update'; pod: Pod; labels?: Record<string, string>; owners: ClaimOwners[] }
  /** Fix the owners of a scaled-away pod's claims before it goes. */
  | { type: 'owners'; pod: Pod; owners: ClaimOwners[] };

/** The revisions a sync works with: the current one (what pods below the partition run) and the update one. */
export interface RevisionTemplates {
  current: { name: string; template: PodTemplate };
  update: { name: string; template: PodTemplate };
}

/** What planSync reads. */
export interface SyncInput extends RevisionTemplates {
  set: StatefulSet;
  /** The pods the set controls that carry its name. */
  pods: Pod[];
  /** A claim from the cache by name. */
  claim(name: string): Claim | undefined;
  collisionCount: number;
  now: number;
  /** Honour rollingUpdate.maxUnavailable (the MaxUnavailableStatefulSet feature, off in 1.34). */
  maxUnavailable?: boolean;
}

/** What one sync does. */
export interface SyncPlan {
  status: StatefulSetStatus;
  /** OrderedReady: units run one by one; Parallel: in slow-start batches. */
  monotonic: boolean;
  /** Phases in order; each holds units (the ops for one pod, run in order); a failure ends the sync. */
  phases: Op[][][];
  /** What the sync stopped to wait for, if anything (for logs). */
  waiting?: string;
  /** When (ms from now) a ready pod turns available, if one will. */
  requeueAfter?: number;
}

const phaseOf = (p: Pod) => p.status?.phase ?? '';
const isCreated = (p: Pod) => phaseOf(p) !== '';
const runningAndReady = (p: Pod) => phaseOf(p) === 'Running' && isPodReady(p);
const healthy = (p: Pod) => runningAndReady(p) && !isTerminating(p);
const podNameOf = (p: Pod) => p.metadata.name;

/** The status counts of `pods` (those the API server holds) against the two revisions. */
export function countPods(pods: Pod[], minReadySeconds: number, current: string, update: string, now: number): Required<Pick<StatefulSetStatus, 'replicas' | 'readyReplicas' | 'availableReplicas' | 'currentReplicas' | 'updatedReplicas'>> {
  const s = { replicas: 0, readyReplicas: 0, availableReplicas: 0, currentReplicas: 0, updatedReplicas: 0 };
  for (const p of pods) {
    if (!isCreated(p)) continue;
    s.replicas++;
    if (runningAndReady(p)) {
      s.readyReplicas++;
      if (isPodAvailable(p, minReadySeconds, now)) s.availableReplicas++;
    }
    if (isTerminating(p)) continue;
    if (podRevision(p) === current) s.currentReplicas++;
    if (podRevision(p) === update) s.updatedReplicas++;
  }
  return s;
}

/** The revision a pod created now at `ordinal` gets: the current one below the partition, else the update one. */
export function revisionForNewPod(set: StatefulSet, ordinal: number): 'current' | 'update' {
  const strategy = set.spec.updateStrategy ?? {};
  const ru = strategy.rollingUpdate;
  const start = startOrdinal(set);
  if ((strategy.type ?? 'RollingUpdate') === 'RollingUpdate' && !ru && ordinal < start + (set.status?.currentReplicas ?? 0)) return 'current';
  if (ru && ordinal < start + (ru.partition ?? 0)) return 'current';
  return 'update';
}

/**
 * Plans one sync of a StatefulSet, following upstream's order: each wanted ordinal in turn
 * (create, replace a finished pod, create a pending pod's missing claims, repair identity and
 * claim owners), then claim owners of pods being scaled away, then the scale-down itself (highest
 * ordinal first), then the rolling update (highest ordinal first, down to the partition). A set
 * being deleted gets a status only.
 */
export function planSync(input: SyncInput): SyncPlan {
  const { set, now } = input;
  const minReady = set.spec.minReadySeconds ?? 0;
  const monotonic = set.spec.podManagementPolicy !== 'Parallel';
  const start = startOrdinal(set);
  const count = replicasOf(set);
  const replicas: (Pod | undefined)[] = Array.from({ length: count }, () => undefined);
  const condemned: Pod[] = [];
  for (const p of input.pods) {
    const o = ordinalOf(p);
    if (o >= start && o < start + count) replicas[o - start] = p;
    else if (o >= 0) condemned.push(p);
  }
  condemned.sort((a, b) => ordinalOf(b) - ordinalOf(a));
  const existing = [...replicas.filter((p): p is Pod => p !== undefined), ...condemned];
  const counts = countPods(existing, minReady, input.current.name, input.update.name, now);
  const status: StatefulSetStatus = {
    observedGeneration: set.metadata.generation,
    ...counts,
    currentRevision: input.current.name,
    updateRevision: input.update.name,
    collisionCount: input.collisionCount,
  };
  let next: number | undefined;
  for (const p of existing) {
    const at = runningAndReady(p) ? availableAt(p, minReady) : undefined;
    if (at !== undefined && at > now) next = Math.min(next ?? Infinity, at);
  }
  const finish = (phases: Op[][][], waiting?: string): SyncPlan => {
    completeRollingUpdate(set, status);
    return { status, monotonic, phases, ...(waiting ? { waiting } : {}), ...(next !== undefined ? { requeueAfter: Math.max(next - now, 0) + 50 } : {}) };
  };
  if (set.metadata.deletionTimestamp) return finish([]);

  const unavailable = (p: Pod) => !healthy(p) || !isPodAvailable(p, minReady, now);
  const planned = replicas.map((p, i) => p ?? newVersionedPod(input, start + i));
  const firstUnavailable = [...planned, ...[...condemned].reverse()].find(unavailable);
  const owners = (pod: Pod): ClaimOwners[] =>
    claimsFor(set, ordinalOf(pod)).flatMap((want) => {
      const claim = input.claim(want.metadata.name);
      if (!claim || claimOwnersUpToDate(claim, set, pod)) return [];
      return [{ claim, ownerReferences: desiredClaimOwners(claim, set, pod), conflict: hasUnexpectedController(claim, set, pod) }];
    });
  const missingClaims = (pod: Pod) => {
    const wanted = claimsFor(set, ordinalOf(pod)).map((c) => ({ want: c, have: input.claim(c.metadata.name) }));
    return { claims: wanted.filter((c) => !c.have).map((c) => c.want), deleting: wanted.filter((c) => c.have?.metadata.deletionTimestamp).map((c) => c.want.metadata.name) };
  };

  // 1. Every wanted ordinal, lowest first.
  const replicaUnits: Op[][] = [];
  const deleted = new Set<Pod>();
  for (let i = 0; i < count; i++) {
    const pod = replicas[i];
    if (!pod) {
      const fresh = planned[i]!;
      const stale = claimsFor(set, ordinalOf(fresh)).some((c) => {
        const have = input.claim(c.metadata.name);
        return have !== undefined && claimIsStale(have, set, fresh);
      });
      if (stale) {
        if (monotonic) return finish([replicaUnits], `a claim of ${podNameOf(fresh)} still belongs to its previous pod`);
        continue;
      }
      const { claims, deleting } = missingClaims(fresh);
      const create: Op = { type: 'create', pod: fresh, claims: claims.map((c) => withOwners(c, set, fresh)), deleting, owners: owners(fresh) };
      replicaUnits.push([create]);
      if (monotonic) return finish([replicaUnits], `${podNameOf(fresh)} to be created`);
      continue;
    }
    if (phaseOf(pod) === 'Failed' || phaseOf(pod) === 'Succeeded') {
      if (!isTerminating(pod)) {
        replicaUnits.push([{ type: 'delete', pod, reason: 'finished' }]);
        deleted.add(pod);
      }
      if (monotonic) return finish([replicaUnits], `finished pod ${podNameOf(pod)} to be replaced`);
      continue;
    }
    const unit: Op[] = [];
    let ownersDone = false;
    if (phaseOf(pod) === 'Pending') {
      const { claims, deleting } = missingClaims(pod);
      const fix = owners(pod);
      ownersDone = true;
      if (claims.length || deleting.length || fix.length) unit.push({ type: 'claims', pod, claims: claims.map((c) => withOwners(c, set, pod)), deleting, owners: fix });
    }
    const wait = !monotonic
      ? undefined
      : isTerminating(pod)
        ? `${podNameOf(pod)} to terminate`
        : !runningAndReady(pod)
          ? `${podNameOf(pod)} to be Running and Ready`
          : !isPodAvailable(pod, minReady, now)
            ? `${podNameOf(pod)} to be available`
            : undefined;
    if (wait) {
      if (unit.length) replicaUnits.push(unit);
      return finish([replicaUnits], wait);
    }
    const labels = identityMatches(set, pod) ? undefined : identityLabels(pod);
    const fix = ownersDone ? [] : owners(pod);
    if (labels || fix.length) unit.push({ type: 'update', pod, ...(labels ? { labels } : {}), owners: fix });
    if (unit.length) replicaUnits.push(unit);
  }

  // 2. The claims of pods being scaled away get the owners the policy wants before the pods go.
  const ownerUnits: Op[][] = condemned.flatMap((pod) => {
    const fix = owners(pod);
    return fix.length ? [[{ type: 'owners', pod, owners: fix } as Op]] : [];
  });

  // 3. Scale down, highest ordinal first; OrderedReady waits for every other pod to be healthy.
  const downUnits: Op[][] = [];
  for (const pod of condemned) {
    if (isTerminating(pod)) {
      if (monotonic) return finish([replicaUnits, ownerUnits, downUnits], `${podNameOf(pod)} to terminate before scaling down`);
      continue;
    }
    if (monotonic && pod !== firstUnavailable && unavailable(pod)) return finish([replicaUnits, ownerUnits, downUnits], `${podNameOf(pod)} to be available before scaling down`);
    downUnits.push([{ type: 'delete', pod, reason: 'scale-down' }]);
    if (monotonic) return finish([replicaUnits, ownerUnits, downUnits]);
  }
  const phases = [replicaUnits, ownerUnits, downUnits];
  if (set.spec.updateStrategy?.type === 'OnDelete') return finish(phases);

  // 4. Rolling update from the highest ordinal down to the partition.
  const partition = set.spec.updateStrategy?.rollingUpdate?.partition ?? 0;
  const outdated = (p: Pod) => podRevision(p) !== input.update.name && !isTerminating(p) && !deleted.has(p);
  const updateUnits: Op[][] = [];
  phases.push(updateUnits);
  if (input.maxUnavailable) {
    const raw = set.spec.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1;
    const allowed = Math.max(1, scaledValue(raw, count, false));
    const down = planned.filter(unavailable).length;
    if (down >= allowed) return finish(phases, `${down} unavailable pods (maxUnavailable ${allowed})`);
    for (let t = count - 1; t >= partition && updateUnits.length < allowed - down; t--) {
      if (!outdated(planned[t]!)) continue;
      updateUnits.push([{ type: 'delete', pod: planned[t]!, reason: 'update' }]);
      status.currentReplicas = (status.currentReplicas ?? 0) - 1;
    }
    return finish(phases);
  }
  for (let t = count - 1; t >= partition; t--) {
    const pod = planned[t]!;
    if (outdated(pod)) {
      updateUnits.push([{ type: 'delete', pod, reason: 'update' }]);
      status.currentReplicas = (status.currentReplicas ?? 0) - 1;
      return finish(phases);
    }
    if (unavailable(pod)) return finish(phases, `${podNameOf(pod)} to be available after its update`);
  }
  return finish(phases);
}

/** The pod a sync would create at `ordinal`, at the revision revisionForNewPod picks. */
function newVersionedPod(input: SyncInput, ordinal: number): Pod {
  const which = revisionForNewPod(input.set, ordinal) === 'current' ? input.current : input.update;
  return newPod(input.set, which.template, ordinal, which.name);
}

/** A claim to create for `pod`, with the owner references the policy wants from the start. */
function withOwners(claim: Claim, set: StatefulSet, pod: Pod): Claim {
  const refs = desiredClaimOwners(claim, set, pod);
  return refs.length ? { ...claim, metadata: { ...claim.metadata, ownerReferences: refs } } : claim;
}

/** Once every wanted pod runs the update revision and is ready, that revision becomes the current one. */
function completeRollingUpdate(set: StatefulSet, s: StatefulSetStatus): void {
  const want = replicasOf(set);
  if ((set.spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate' && s.updatedReplicas === want && s.readyReplicas === want && s.replicas === want) {
    s.currentReplicas = s.updatedReplicas;
    s.currentRevision = s.updateRevision;
  }
}

const COUNTS = ['observedGeneration', 'replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas', 'collisionCount'] as const;

/** True when two statuses say the same (conditions aside, which this controller does not write). */
export function sameStatus(a: StatefulSetStatus | undefined, b: StatefulSetStatus): boolean {
  return COUNTS.every((k) => (a?.[k] ?? 0) === (b[k] ?? 0)) && (a?.currentRevision ?? '') === (b.currentRevision ?? '') && (a?.updateRevision ?? '') === (b.updateRevision ?? '');
}

/** How a sync gets its update revision: the newest one already holds the template, an older one does (a rollback: it is renumbered), or none does (a new one is created). */
export type UpdateRevisionChoice = { use: ControllerRevision } | { renumber: ControllerRevision; revision: number } | { create: ControllerRevision };

/**
 * Picks the update revision for the set's template among its revisions (upstream's
 * getStatefulSetRevisions) and the current revision (status.currentRevision, when it still exists).
 */
export function chooseRevisions(set: StatefulSet, revisions: ControllerRevision[], collisionCount: number): { update: UpdateRevisionChoice; current?: ControllerRevision } {
  const sorted = sortRevisions(revisions);
  const data = templateRevisionData(set.spec.template);
  const equal = equalRevisions(sorted, data);
  const newest = sorted[sorted.length - 1];
  const match = equal[equal.length - 1];
  let update: UpdateRevisionChoice;
  if (match && match === newest) update = { use: match };
  else if (match) update = { renumber: match, revision: nextRevision(sorted) };
  else {
    const body = newRevision({ owner: set, apiVersion: 'apps/v1', kind: 'StatefulSet', templateLabels: set.spec.template?.metadata?.labels, data, revision: nextRevision(sorted), collisionCount });
    update = { create: body };
  }
  const current = set.status?.currentRevision ? sorted.find((r) => r.metadata.name === set.status?.currentRevision) : undefined;
  return { update, ...(current ? { current } : {}) };
}

/** The pod template a revision restores (its data's spec.template); `fallback` when the data holds none. */
export function templateOfRevision(revision: ControllerRevision, fallback: PodTemplate | undefined): PodTemplate {
  const t = (revision.data as { spec?: { template?: Record<string, unknown> } } | undefined)?.spec?.template;
  if (!t || typeof t !== 'object') return fallback ?? {};
  const { $patch: _, ...template } = t;
  return template as PodTemplate;
}
