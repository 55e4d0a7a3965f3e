// What one sync of a Job learns from its pods, pure (upstream's syncJobCtx): which pods are
// active, which finished pods are not counted yet, the counters as they will be, the completed
// and failed indexes, and whether the job has met a reason to finish.
import { countIndexes, hasIndex, parseIndexes, withIndexes, type Intervals } from './job-indexes.js';
import { indexAbsoluteFailureCount, indexFailureCount, matchPodFailurePolicy, matchSuccessPolicy, nextBackoffRecord, type BackoffRecord } from './job-policy.js';
import { completionIndex, containerStatuses, findCondition, finishedTime, hasBackoffLimitPerIndex, hasTrackingFinalizer, isIndexed, isPodFailed, isPodTerminating, isSuspended, newCondition, type Job, type JobCondition } from './job-util.js';
import { isActivePod, isPodReady, rfc3339, type Pod } from './workload-util.js';

/** What one sync starts from. */
export interface SyncInput {
  /** The job as the cache has it. */
  job: Job;
  /** The pods the job controls. */
  pods: Pod[];
  /** True when the controller's own pod creations and deletions have all been seen. */
  satisfied: boolean;
  /** Pod uids whose finalizer removal the controller has asked for but not seen yet. */
  expectedRemovals: ReadonlySet<string>;
  /** The job's back-off record from earlier syncs. */
  backoff: BackoffRecord;
  now: number;
  /** Back-off before replacing a failed pod and its cap (ms). */
  backoffBaseMs: number;
  backoffMaxMs: number;
}

/** What the sync knows after reading its inputs. */
export interface JobContext extends SyncInput {
  active: Pod[];
  ready: number;
  terminating: number;
  /** status.uncountedTerminatedPods as read. */
  uncounted: { succeeded: Set<string>; failed: Set<string> };
  /** Counters including the pods finished since the status was written. */
  succeeded: number;
  failed: number;
  /** status.startTime, set now on the first sync of a job that is not suspended. */
  startTime?: string;
  /** The back-off record including the newly finished pods. */
  nextBackoff: BackoffRecord;
  prevSucceededIndexes: Intervals;
  succeededIndexes: Intervals;
  /** Failed indexes (backoffLimitPerIndex only). */
  failedIndexes?: Intervals;
  /** Per index, the failed pod kept (with its finalizer) until its replacement exists. */
  delayed: Map<number, Pod>;
  /** Why the job is finishing: SuccessCriteriaMet, FailureTarget, or Failed (when FailureTarget was already recorded). */
  finished?: JobCondition;
  /** Ms until activeDeadlineSeconds runs out, for a running job that has one. */
  deadlineIn?: number;
}

const uidOf = (p: Pod) => String(p.metadata.uid ?? '');

/** True for an index the job can have (below completions). */
export const validIndex = (job: Job, ix: number | undefined): ix is number => ix !== undefined && ix < (job.spec.completions ?? 0);

/** Pods still to be counted (finalizer on, not in `skip`, removal not pending, valid index) that pass `filter`. */
function uncountedPods(ctx: Pick<SyncInput, 'job' | 'pods' | 'expectedRemovals'>, skip: Set<string> | undefined, filter: (p: Pod) => boolean): Pod[] {
  return ctx.pods.filter((p) => {
    const uid = uidOf(p);
    if (!hasTrackingFinalizer(p) || skip?.has(uid) || ctx.expectedRemovals.has(uid)) return false;
    if (isIndexed(ctx.job) && !validIndex(ctx.job, completionIndex(p))) return false;
    return filter(p);
  });
}

/** True when restarts of running pods of an OnFailure job reached backoffLimit. */
function pastBackoffLimitOnFailure(job: Job, pods: Pod[]): boolean {
  const spec = job.spec.template?.spec as { restartPolicy?: string } | undefined;
  if (spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    if (p.status?.phase !== 'Running' && p.status?.phase !== 'Pending') continue;
    for (const s of [...containerStatuses(p, true), ...containerStatuses(p)]) restarts += s.restartCount ?? 0;
  }
  const limit = job.spec.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/** True when the failed pod uses up its index (FailIndex, or backoffLimitPerIndex reached). */
function isIndexFailed(job: Job, p: Pod): boolean {
  if (!isPodFailed(p, job)) return false;
  let counted = true;
  if (job.spec.podFailurePolicy) {
    const m = matchPodFailurePolicy(job.spec.podFailurePolicy.rules, p);
    if (m.action === 'FailIndex') return true;
    counted = m.count;
  }
  return counted && indexFailureCount(p) >= (job.spec.backoffLimitPerIndex ?? 0);
}

/** Per index, the latest failed pod that must keep its finalizer until a replacement carries its failure count. */
function delayedDeletions(ctx: SyncInput, active: Pod[], succeeded: Intervals, failed: Intervals | undefined): Map<number, Pod> {
  const activeIndexes = new Set(active.map(completionIndex));
  const out = new Map<number, Pod>();
  for (const p of uncountedPods(ctx, undefined, (x) => isPodFailed(x, ctx.job))) {
    const ix = completionIndex(p)!;
    if (hasIndex(succeeded, ix) || hasIndex(failed, ix) || activeIndexes.has(ix)) continue;
    const last = out.get(ix);
    if (!last || (indexAbsoluteFailureCount(last) <= indexAbsoluteFailureCount(p) && finishedTime(p) >= finishedTime(last))) out.set(ix, p);
  }
  return out;
}

/** The first pod failure a FailJob rule of the podFailurePolicy matches, as the job's failure message. */
function failJobMessage(job: Job, pods: Pod[]): string | undefined {
  if (!job.spec.podFailurePolicy) return undefined;
  for (const p of pods) {
    if (!isPodFailed(p, job)) continue;
    const m = matchPodFailurePolicy(job.spec.podFailurePolicy.rules, p).failJobMessage;
    if (m) return m;
  }
  return undefined;
}

/** Reads the sync's inputs into a context (upstream syncJob up to manageJob). */
export function jobContext(input: SyncInput): JobContext {
  const { job, pods, now } = input;
  const status = job.status ?? {};
  const active = pods.filter(isActivePod);
  const uncounted = { succeeded: new Set(status.uncountedTerminatedPods?.succeeded ?? []), failed: new Set(status.uncountedTerminatedPods?.failed ?? []) };
  const newSucceeded = uncountedPods(input, uncounted.succeeded, (p) => p.status?.phase === 'Succeeded');
  const newFailed = uncountedPods(input, uncounted.failed, (p) => isPodFailed(p, job));
  const rules = job.spec.podFailurePolicy?.rules;
  const newCountedFailures = rules ? newFailed.filter((p) => matchPodFailurePolicy(rules, p).count).length : newFailed.length;
  let succeeded = (status.succeeded ?? 0) + newSucceeded.length + uncounted.succeeded.size;
  const failed = (status.failed ?? 0) + newCountedFailures + uncounted.failed.size;
  const startTime = status.startTime ?? (isSuspended(job) ? undefined : rfc3339(now));
  const failure = (reason: string, message: string) => newCondition('FailureTarget', 'True', reason, message, now);

  let finished: JobCondition | undefined;
  const scm = findCondition(status.conditions, 'SuccessCriteriaMet');
  if (scm?.status === 'True') finished = scm;
  if (!finished) {
    const ft = findCondition(status.conditions, 'FailureTarget');
    const msg = ft?.status === 'True' ? undefined : failJobMessage(job, pods);
    if (ft?.status === 'True') finished = newCondition('Failed', 'True', ft.reason ?? '', ft.message ?? '', now);
    else if (msg) finished = failure('PodFailurePolicy', msg);
  }
  let deadlineIn: number | undefined;
  if (!finished) {
    const ads = job.spec.activeDeadlineSeconds;
    const started = Date.parse(startTime ?? '');
    if (failed > (job.spec.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, pods)) finished = failure('BackoffLimitExceeded', 'Job has reached the specified backoff limit');
    else if (ads !== undefined && !isSuspended(job) && !Number.isNaN(started)) {
      if (now - started >= ads * 1000) finished = failure('DeadlineExceeded', 'Job was active longer than specified deadline');
      else deadlineIn = ads * 1000 - (now - started);
    }
  }

  let prevSucceededIndexes: Intervals = [];
  let succeededIndexes: Intervals = [];
  let failedIndexes: Intervals | undefined;
  let delayed = new Map<number, Pod>();
  if (isIndexed(job)) {
    const completions = job.spec.completions ?? 0;
    prevSucceededIndexes = parseIndexes(status.completedIndexes, completions);
    const fresh = pods.filter((p) => p.status?.phase === 'Succeeded' && hasTrackingFinalizer(p) && validIndex(job, completionIndex(p)));
    succeededIndexes = withIndexes(prevSucceededIndexes, new Set(fresh.map((p) => completionIndex(p)!)));
    succeeded = countIndexes(succeededIndexes);
    if (hasBackoffLimitPerIndex(job)) {
      const newlyFailed = pods.filter((p) => hasTrackingFinalizer(p) && validIndex(job, completionIndex(p)) && isIndexFailed(job, p));
      failedIndexes = withIndexes(parseIndexes(status.failedIndexes, completions), new Set(newlyFailed.map((p) => completionIndex(p)!)));
      const nFailed = countIndexes(failedIndexes);
      if (!finished) {
        if (job.spec.maxFailedIndexes !== undefined && nFailed > job.spec.maxFailedIndexes) finished = failure('MaxFailedIndexesExceeded', 'Job has exceeded the specified maximal number of failed indexes');
        else if (nFailed > 0 && nFailed + countIndexes(succeededIndexes) >= completions) finished = failure('FailedIndexes', 'Job has failed indexes');
      }
      delayed = delayedDeletions(input, active, succeededIndexes, failedIndexes);
    }
    const met = finished ? undefined : matchSuccessPolicy(job, succeededIndexes);
    if (met) finished = newCondition('SuccessCriteriaMet', 'True', 'SuccessPolicy', met, now);
  }

  return {
    ...input,
    active,
    ready: active.filter(isPodReady).length,
    terminating: pods.filter(isPodTerminating).length,
    uncounted,
    succeeded,
    failed,
    startTime,
    nextBackoff: nextBackoffRecord(input.backoff, newSucceeded, newFailed),
    prevSucceededIndexes,
    succeededIndexes,
    failedIndexes,
    delayed,
    finished,
    deadlineIn,
  };
}
