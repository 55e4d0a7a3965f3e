// The Job controller's decisions, pure: which pods to create or delete (upstream manageJob), and
// how the status changes: counting finished pods through status.uncountedTerminatedPods before
// their tracking finalizers go, the interim SuccessCriteriaMet / FailureTarget conditions, and
// Complete / Failed once nothing is left uncounted or terminating.
import { stableJson } from '../api/stable-json.js';
import { validIndex, type JobContext } from './job-context.js';
import { countIndexes, firstFreeIndexes, formatIndexes, hasIndex, mergeIntervals, withIndexes } from './job-indexes.js';
import { backoffRemaining, indexBackoffRemaining, matchPodFailurePolicy, replacementFailureCounts } from './job-policy.js';
import { completionIndex, ensureCondition, findCondition, hasBackoffLimitPerIndex, hasTrackingFinalizer, isIndexed, isPodFailed, isPodTerminating, isSuspended, newCondition, onlyReplaceFailedPods, type Job, type JobCondition, type JobStatus } from './job-util.js';
import { deletionOrder } from './replicaset-plan.js';
import { rfc3339, type Pod } from './workload-util.js';

/** Most pods one sync creates or deletes, and most finished pods one sync counts (upstream's limits). */
export const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
export const MAX_UNCOUNTED_PODS = 500;

/** A pod to create: its completion index and, with backoffLimitPerIndex, the failures its index had. */
export interface NewPod {
  index?: number;
  failureCounts?: { failed: number; ignored: number };
}

/**
 * What a sync does to pods. terminate: the job is finishing, delete every active pod (they keep
 * their finalizers, so they are counted as failed). delete: suspension or too many pods, the
 * finalizer goes first so they do not count. wait: back-off before replacing failed pods.
 */
export type JobAction = { type: 'terminate'; pods: Pod[] } | { type: 'delete'; pods: Pod[] } | { type: 'create'; pods: NewPod[] } | { type: 'wait'; after: number } | { type: 'none' };

/** What the pod writes of an action achieved. */
export interface ActionOutcome {
  removed: number;
  removedReady: number;
  created: number;
}

/** Active pods to delete, at least `atLeast` of them; for Indexed jobs always those with a repeated, missing or out-of-range index. */
export function activePodsForRemoval(job: Job, active: Pod[], atLeast: number): Pod[] {
  const rm: Pod[] = [];
  let left = active;
  if (isIndexed(job)) {
    left = [];
    const byIndex = new Map<number, Pod[]>();
    for (const p of active) {
      const ix = completionIndex(p);
      if (!validIndex(job, ix)) rm.push(p);
      else byIndex.set(ix, [...(byIndex.get(ix) ?? []), p]);
    }
    for (const ix of [...byIndex.keys()].sort((a, b) => a - b)) {
      const group = deletionOrder(byIndex.get(ix)!);
      rm.push(...group.slice(0, -1));
      left.push(group[group.length - 1]!);
    }
  }
  if (rm.length < atLeast) rm.push(...deletionOrder(left).slice(0, atLeast - rm.length));
  return rm;
}

/**
 * What the sync does to pods (upstream's manageJob, or deleting active pods of a finishing job).
 * `managed` says whether manageJob ran (it does not while expectations are pending or the job
 * is being deleted), which is when the Suspended condition may change.
 */
export function planAction(ctx: JobContext): { action: JobAction; managed: boolean } {
  const { job } = ctx;
  if (ctx.finished) return { action: { type: 'terminate', pods: ctx.active }, managed: false };
  if (!ctx.satisfied || job.metadata.deletionTimestamp) return { action: { type: 'none' }, managed: false };
  const managed = (action: JobAction) => ({ action, managed: true });
  const active = ctx.active.length;
  if (isSuspended(job)) return managed(active ? { type: 'delete', pods: activePodsForRemoval(job, ctx.active, active) } : { type: 'none' });
  const parallelism = job.spec.parallelism ?? 1;
  const completions = job.spec.completions;
  const want = completions === undefined ? (ctx.succeeded > 0 ? active : parallelism) : Math.max(0, Math.min(completions - ctx.succeeded, parallelism));
  const excess = activePodsForRemoval(job, ctx.active, Math.max(active - want, 0)).slice(0, MAX_POD_CREATE_DELETE_PER_SYNC);
  if (excess.length) return managed({ type: 'delete', pods: excess });
  let diff = want - (onlyReplaceFailedPods(job) ? ctx.terminating : 0) - active;
  if (diff <= 0) return managed({ type: 'none' });
  const perIndex = hasBackoffLimitPerIndex(job);
  if (!perIndex) {
    const wait = backoffRemaining(ctx.nextBackoff.failuresAfterLastSuccess, ctx.nextBackoff.lastFailureTime, ctx.now, ctx.backoffBaseMs, ctx.backoffMaxMs);
    if (wait > 0) return managed({ type: 'wait', after: wait });
  }
  diff = Math.min(diff, MAX_POD_CREATE_DELETE_PER_SYNC);
  if (!isIndexed(job)) return managed({ type: 'create', pods: Array.from({ length: diff }, () => ({})) });
  let taken = withIndexes(ctx.succeededIndexes, ctx.active.map(completionIndex).filter((i): i is number => i !== undefined));
  if (onlyReplaceFailedPods(job)) taken = withIndexes(taken, ctx.pods.filter(isPodTerminating).map(completionIndex).filter((i): i is number => i !== undefined));
  if (ctx.failedIndexes) taken = mergeIntervals(taken, ctx.failedIndexes);
  let indexes = firstFreeIndexes(taken, diff, completions ?? 0);
  if (perIndex && indexes.length) {
    const waits = indexes.map((ix) => indexBackoffRemaining(ctx.delayed.get(ix), ctx.now, ctx.backoffBaseMs, ctx.backoffMaxMs));
    const ready = indexes.filter((_, i) => waits[i] === 0);
    if (!ready.length) return managed({ type: 'wait', after: Math.min(...waits) });
    indexes = ready;
  }
  if (!indexes.length) return managed({ type: 'none' });
  return managed({ type: 'create', pods: indexes.map((index) => ({ index, ...(perIndex ? { failureCounts: replacementFailureCounts(job, ctx.delayed.get(index)) } : {}) })) });
}

/** An Event the sync records about the job. */
export interface JobEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** The status write before finalizers are removed, and what happens after. */
export interface TrackingPlan {
  /** The status to write first (new uncounted pods, interim condition, counters). */
  status: JobStatus;
  /** Pods whose tracking finalizer goes once that status is written. */
  removeFinalizers: Pod[];
  /** Uids of pods that still have a finalizer (before those removals). */
  withFinalizer: Set<string>;
  /** The Complete or Failed condition to set once nothing is uncounted or terminating. */
  final?: JobCondition;
  terminating: number;
  /** True when this sync stopped counting at MAX_UNCOUNTED_PODS (the job is not finished in it). */
  reachedMax: boolean;
  events: JobEvent[];
}

const SUCCESS_REASON = 'CompletionsReached';
const SUCCESS_MESSAGE = 'Reached expected number of succeeded pods';
const isSuccessCriteriaMet = (c: JobCondition | undefined) => c?.type === 'SuccessCriteriaMet' && c.status === 'True';
const uidOf = (p: Pod) => String(p.metadata.uid ?? '');

/**
 * Moves uncounted pods whose finalizer is gone (not in `withFinalizer`) into the counters.
 * Changes `status` in place; returns whether anything moved.
 */
export function countRemovedPods(status: JobStatus, withFinalizer: Set<string>): boolean {
  const unc = (status.uncountedTerminatedPods ??= {});
  let changed = false;
  for (const k of ['succeeded', 'failed'] as const) {
    const before = unc[k] ?? [];
    const keep = before.filter((uid) => withFinalizer.has(uid));
    if (keep.length === before.length) continue;
    changed = true;
    status[k] = (status[k] ?? 0) + before.length - keep.length;
    if (keep.length) unc[k] = keep;
    else delete unc[k];
  }
  return changed;
}

/** True when the finalizer of `p` may go now (upstream's canRemoveFinalizer). */
function canRemoveFinalizer(ctx: JobContext, p: Pod, failed: boolean, finished: JobCondition | undefined): boolean {
  if (ctx.job.metadata.deletionTimestamp || finished || p.status?.phase === 'Succeeded') return true;
  if (!failed) return false;
  const ix = completionIndex(p);
  return !(hasBackoffLimitPerIndex(ctx.job) && ix !== undefined && ctx.delayed.get(ix)?.metadata.uid === p.metadata.uid);
}

/**
 * The status after the action's `outcome` (active, ready, terminating, the Suspended condition
 * and start time, the success criteria) and the counting of finished pods (upstream's syncJob
 * tail and trackJobStatusAndRemoveFinalizers up to the first status write).
 */
export function planTracking(ctx: JobContext, action: JobAction, managed: boolean, outcome: ActionOutcome): TrackingPlan {
  const { job, now } = ctx;
  const prev = job.status ?? {};
  let active = ctx.active.length;
  let ready = ctx.ready;
  let terminating = ctx.terminating;
  let finished = ctx.finished;
  let conditions = [...(prev.conditions ?? [])];
  let startTime = ctx.startTime;
  const events: JobEvent[] = [];
  if (action.type === 'terminate' || action.type === 'delete') {
    if (action.type === 'terminate' && (outcome.removed !== active || !ctx.satisfied)) finished = undefined;
    active -= outcome.removed;
    terminating += outcome.removed;
    ready -= outcome.removedReady;
  } else if (action.type === 'create') active += outcome.created;
  if (action.type !== 'terminate') {
    const completions = job.spec.completions;
    const complete = completions === undefined ? ctx.succeeded > 0 && active === 0 : ctx.succeeded >= completions && active === 0;
    if (complete) finished = newCondition('SuccessCriteriaMet', 'True', SUCCESS_REASON, SUCCESS_MESSAGE, now);
    else if (managed) {
      const suspended = isSuspended(job);
      const r = suspended ? ensureCondition(conditions, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now) : ensureCondition(conditions, 'Suspended', 'False', 'JobResumed', 'Job resumed', now);
      conditions = r.list;
      if (r.changed) {
        events.push({ type: 'Normal', reason: suspended ? 'Suspended' : 'Resumed', message: suspended ? 'Job suspended' : 'Job resumed' });
        if (!suspended) startTime = rfc3339(now);
      }
    }
  }

  const status: JobStatus = {
    ...prev,
    conditions: conditions.length ? conditions : undefined,
    startTime,
    active,
    ready,
    terminating,
    uncountedTerminatedPods: { succeeded: [...(prev.uncountedTerminatedPods?.succeeded ?? [])], failed: [...(prev.uncountedTerminatedPods?.failed ?? [])] },
  };
  const withFinalizer = new Set(ctx.pods.filter((p) => hasTrackingFinalizer(p) && !ctx.expectedRemovals.has(uidOf(p))).map(uidOf));
  countRemovedPods(status, withFinalizer);
  const unc = status.uncountedTerminatedPods!;
  const uncSucceeded = (unc.succeeded ??= []);
  const uncFailed = (unc.failed ??= []);
  const removeFinalizers: Pod[] = [];
  const newIndexes: number[] = [];
  let reachedMax = false;
  const indexed = isIndexed(job);
  const pods = indexed ? [...ctx.pods].sort((a, b) => (completionIndex(a) ?? -1) - (completionIndex(b) ?? -1)) : ctx.pods;
  for (const p of pods) {
    const uid = uidOf(p);
    if (!hasTrackingFinalizer(p) || ctx.expectedRemovals.has(uid)) continue;
    const failed = isPodFailed(p, job);
    if (!canRemoveFinalizer(ctx, p, failed, finished)) continue;
    removeFinalizers.push(p);
    const ix = completionIndex(p);
    if (p.status?.phase === 'Succeeded' && !ctx.uncounted.failed.has(uid)) {
      if (indexed) {
        if (validIndex(job, ix) && !hasIndex(ctx.prevSucceededIndexes, ix)) newIndexes.push(ix);
      } else if (!ctx.uncounted.succeeded.has(uid)) uncSucceeded.push(uid);
    } else if (failed || (finished && !isSuccessCriteriaMet(finished))) {
      if (!ctx.uncounted.failed.has(uid) && (!indexed || validIndex(job, ix))) {
        const counts = job.spec.podFailurePolicy ? matchPodFailurePolicy(job.spec.podFailurePolicy.rules, p).count : true;
        if (counts) uncFailed.push(uid);
      }
    }
    if (newIndexes.length + uncSucceeded.length + uncFailed.length >= MAX_UNCOUNTED_PODS) {
      reachedMax = true;
      break;
    }
  }
  if (!uncSucceeded.length) delete unc.succeeded;
  if (!uncFailed.length) delete unc.failed;
  if (indexed) {
    const done = withIndexes(ctx.succeededIndexes, newIndexes);
    status.succeeded = countIndexes(done);
    status.completedIndexes = formatIndexes(done) || undefined;
    if (ctx.failedIndexes) status.failedIndexes = formatIndexes(ctx.failedIndexes);
  }
  let final = finished;
  if (finished?.type === 'FailureTarget') {
    status.conditions = ensureCondition(status.conditions ?? [], 'FailureTarget', 'True', finished.reason ?? '', finished.message ?? '', now).list;
    final = newCondition('Failed', 'True', finished.reason ?? '', finished.message ?? '', now);
  } else if (isSuccessCriteriaMet(finished)) {
    if (!isSuccessCriteriaMet(findCondition(status.conditions, 'SuccessCriteriaMet'))) status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== 'SuccessCriteriaMet'), finished!];
    final = newCondition('Complete', 'True', finished!.reason ?? '', finished!.message ?? '', now);
  }
  return { status, removeFinalizers, withFinalizer, final, terminating, reachedMax, events };
}

/**
 * The status after the finalizer removals (`withFinalizer` holds the uids that still have one):
 * removed pods are counted, and the job gets its Complete or Failed condition when nothing is
 * uncounted or terminating (upstream's enactJobFinished). Does not change `status`.
 */
export function finishTracking(plan: Pick<TrackingPlan, 'final' | 'terminating' | 'reachedMax'>, status: JobStatus, withFinalizer: Set<string>, now: number): { status: JobStatus; finished: boolean } {
  const next = structuredClone(status);
  countRemovedPods(next, withFinalizer);
  const unc = next.uncountedTerminatedPods ?? {};
  const { final } = plan;
  if (plan.reachedMax || !final || (unc.succeeded?.length ?? 0) + (unc.failed?.length ?? 0) > 0 || plan.terminating > 0) return { status: next, finished: false };
  next.conditions = ensureCondition(next.conditions ?? [], final.type, final.status, final.reason ?? '', final.message ?? '', now).list;
  if (final.type === 'Complete') next.completionTime = findCondition(next.conditions, 'Complete')?.lastTransitionTime;
  return { status: next, finished: true };
}

/** The Events of a job that just finished. */
export function finishedEvents(job: Job, status: JobStatus, final: JobCondition): JobEvent[] {
  if (final.type !== 'Complete') return [{ type: 'Warning', reason: final.reason ?? '', message: final.message ?? '' }];
  const tooMany = job.spec.completions !== undefined && (status.succeeded ?? 0) > job.spec.completions;
  return [
    ...(tooMany ? [{ type: 'Warning' as const, reason: 'TooManySucceededPods', message: 'Too many succeeded pods running after completion count reached' }] : []),
    { type: 'Normal', reason: 'Completed', message: 'Job completed' },
  ];
}

/** A status in one canonical form: zero counters and empty lists dropped (as the API omits them). */
function canonical(s: JobStatus | undefined): string {
  const unc = s?.uncountedTerminatedPods;
  return stableJson({
    ...s,
    active: s?.active || undefined,
    succeeded: s?.succeeded || undefined,
    failed: s?.failed || undefined,
    terminating: s?.terminating ?? 0,
    ready: s?.ready ?? 0,
    completedIndexes: s?.completedIndexes || undefined,
    conditions: s?.conditions?.length ? s.conditions : undefined,
    uncountedTerminatedPods: { succeeded: unc?.succeeded?.length ? unc.succeeded : undefined, failed: unc?.failed?.length ? unc.failed : undefined },
  });
}

/** True when two job statuses say the same. */
export const sameJobStatus = (a: JobStatus | undefined, b: JobStatus | undefined): boolean => canonical(a) === canonical(b);
