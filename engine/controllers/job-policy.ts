// The rules a Job applies to its pods' outcomes, pure: podFailurePolicy matching, successPolicy
// matching, and the exponential back-off between replacements of failed pods.
import { countIndexes, parseIndexes, type Intervals } from './job-indexes.js';
import { containerStatuses, finishedTime, INDEX_FAILURE_COUNT, INDEX_IGNORED_FAILURE_COUNT, type Job, type PodFailurePolicyRule } from './job-util.js';
import type { Pod } from './workload-util.js';

/** Back-off before the first replacement of a failed pod (upstream: 10 s), doubling up to MAX. */
export const DEFAULT_POD_FAILURE_BACKOFF_MS = 10_000;
export const MAX_POD_FAILURE_BACKOFF_MS = 6 * 60_000;

/** What a pod failure means under the job's podFailurePolicy. */
export interface FailureMatch {
  /** Set when a FailJob rule matched: the Job's failure message. */
  failJobMessage?: string;
  /** False when an Ignore rule matched: the failure does not count towards backoffLimit. */
  count: boolean;
  /** The action of the rule that matched, if one did. */
  action?: string;
}

function exitCodeMatch(p: Pod, req: NonNullable<PodFailurePolicyRule['onExitCodes']>): { name: string; code: number } | undefined {
  for (const init of [false, true]) {
    for (const s of containerStatuses(p, init)) {
      const code = s.state?.terminated?.exitCode;
      if (code === undefined || code === 0) continue;
      if (req.containerName !== undefined && req.containerName !== s.name) continue;
      const listed = req.values.includes(code);
      if ((req.operator === 'In' && listed) || (req.operator === 'NotIn' && !listed)) return { name: s.name ?? '', code };
    }
  }
  return undefined;
}

/** Which rule of `rules`, checked in order, decides about the failed pod `p` (upstream's matchPodFailurePolicy). */
export function matchPodFailurePolicy(rules: PodFailurePolicyRule[] | undefined, p: Pod): FailureMatch {
  const ns = p.metadata.namespace ?? '';
  for (const [i, rule] of (rules ?? []).entries()) {
    let failJobMessage: string | undefined;
    if (rule.onExitCodes) {
      const m = exitCodeMatch(p, rule.onExitCodes);
      if (!m) continue;
      failJobMessage = `Container ${m.name} for pod ${ns}/${p.metadata.name} failed with exit code ${m.code} matching ${rule.action} rule at index ${i}`;
    } else if (rule.onPodConditions) {
      const cond = (p.status?.conditions ?? []).find((c) => rule.onPodConditions!.some((pat) => pat.type === c.type && (pat.status ?? 'True') === c.status));
      if (!cond) continue;
      failJobMessage = `Pod ${ns}/${p.metadata.name} has condition ${cond.type} matching ${rule.action} rule at index ${i}`;
    } else continue;
    switch (rule.action) {
      case 'Ignore':
        return { count: false, action: rule.action };
      case 'FailJob':
        return { failJobMessage, count: true, action: rule.action };
      case 'FailIndex':
      case 'Count':
        return { count: true, action: rule.action };
    }
  }
  return { count: true };
}

/**
 * The message of the first successPolicy rule the succeeded indexes meet ("Matched rules at
 * index N"), or undefined when none is met.
 */
export function matchSuccessPolicy(job: Job, succeeded: Intervals): string | undefined {
  const rules = job.spec.successPolicy?.rules;
  const completions = job.spec.completions ?? 0;
  if (!rules || succeeded.length === 0) return undefined;
  for (const [i, rule] of rules.entries()) {
    if (rule.succeededIndexes !== undefined) {
      const wanted = parseIndexes(rule.succeededIndexes, completions);
      if (wanted.length === 0) continue;
      let overlap = 0;
      for (const w of wanted) for (const s of succeeded) overlap += Math.max(0, Math.min(w.last, s.last) - Math.max(w.first, s.first) + 1);
      if (overlap === countIndexes(wanted) || (rule.succeededCount !== undefined && overlap >= rule.succeededCount)) return `Matched rules at index ${i}`;
    } else if (rule.succeededCount !== undefined && countIndexes(succeeded) >= rule.succeededCount) return `Matched rules at index ${i}`;
  }
  return undefined;
}

/** Consecutive failures since the last success, and when the last of them happened (ms). */
export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  lastFailureTime?: number;
}

/**
 * The record after the newly finished pods: a success resets it, counting only failures that
 * finished after the latest success; failures add up and move the last failure time.
 */
export function nextBackoffRecord(prev: BackoffRecord, newSucceeded: Pod[], newFailed: Pod[]): BackoffRecord {
  const failedTimes = newFailed.map(finishedTime).sort((a, b) => a - b);
  if (newSucceeded.length === 0) {
    if (failedTimes.length === 0) return prev;
    return { failuresAfterLastSuccess: prev.failuresAfterLastSuccess + failedTimes.length, lastFailureTime: failedTimes[failedTimes.length - 1] };
  }
  const lastSuccess = Math.max(...newSucceeded.map(finishedTime));
  const after = failedTimes.filter((t) => t > lastSuccess);
  return after.length ? { failuresAfterLastSuccess: after.length, lastFailureTime: after[after.length - 1] } : { failuresAfterLastSuccess: 0 };
}

/** How long (ms) to wait at `now` after `failures` consecutive failures, the last at `lastFailure`. */
export function backoffRemaining(failures: number, lastFailure: number | undefined, now: number, baseMs = DEFAULT_POD_FAILURE_BACKOFF_MS, maxMs = MAX_POD_FAILURE_BACKOFF_MS): number {
  if (failures <= 0 || lastFailure === undefined) return 0;
  let wait = baseMs;
  for (let i = 1; i < failures && wait < maxMs; i++) wait = Math.min(wait * 2, maxMs);
  wait = Math.min(wait, maxMs);
  const elapsed = now - lastFailure;
  return wait < elapsed ? 0 : wait - elapsed;
}

const annotationCount = (p: Pod, key: string): number => {
  const v = p.metadata.annotations?.[key];
  const n = v !== undefined && /^\d+$/.test(v) ? Number(v) : 0;
  return n <= 2_147_483_647 ? n : 0;
};

/** Counted failures of the pod's index before this pod (its job-index-failure-count annotation). */
export const indexFailureCount = (p: Pod): number => annotationCount(p, INDEX_FAILURE_COUNT);

/** Counted plus ignored failures of the pod's index before this pod. */
export const indexAbsoluteFailureCount = (p: Pod): number => annotationCount(p, INDEX_FAILURE_COUNT) + annotationCount(p, INDEX_IGNORED_FAILURE_COUNT);

/** The failure counts a replacement of the failed pod `replaced` starts with (0/0 for a first pod). */
export function replacementFailureCounts(job: Job, replaced: Pod | undefined): { failed: number; ignored: number } {
  if (!replaced) return { failed: 0, ignored: 0 };
  const failed = annotationCount(replaced, INDEX_FAILURE_COUNT);
  const ignored = annotationCount(replaced, INDEX_IGNORED_FAILURE_COUNT);
  const counted = job.spec.podFailurePolicy ? matchPodFailurePolicy(job.spec.podFailurePolicy.rules, replaced).count : true;
  return counted ? { failed: failed + 1, ignored } : { failed, ignored: ignored + 1 };
}

/** How long an index whose last pod `lastFailed` failed must wait before its next pod. */
export function indexBackoffRemaining(lastFailed: Pod | undefined, now: number, baseMs?: number, maxMs?: number): number {
  if (!lastFailed) return 0;
  return backoffRemaining(indexAbsoluteFailureCount(lastFailed) + 1, finishedTime(lastFailed), now, baseMs, maxMs);
}
