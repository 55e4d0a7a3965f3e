// Shapes of batch/v1 Jobs as the Job and TTL-after-finished controllers read them, and the small
// pure facts about jobs and their pods both need: conditions, finalizers, completion indexes,
// when a pod failed or finished.
import type { ApiObject, ObjectMeta } from '../api/resource-type.js';
import type { JobSpecScalars } from '../api/types/batch-rules.js';
import { rfc3339, type LabelSelector, type OwnerRef, type Pod, type PodTemplate } from './workload-util.js';

/** The finalizer that keeps a finished pod until the Job controller has counted it. */
export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
/** Annotation and label with the completion index of a pod of an Indexed job. */
export const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';
/** Annotations counting earlier failures of a pod's index (backoffLimitPerIndex). */
export const INDEX_FAILURE_COUNT = 'batch.kubernetes.io/job-index-failure-count';
export const INDEX_IGNORED_FAILURE_COUNT = 'batch.kubernetes.io/job-index-ignored-failure-count';
/** The environment variable an Indexed job's containers read their index from. */
export const COMPLETION_INDEX_ENV = 'JOB_COMPLETION_INDEX';
/** spec.managedBy of jobs this controller runs (unset means the same). */
export const JOB_CONTROLLER_NAME = 'kubernetes.io/job-controller';

/** A Job condition. */
export interface JobCondition {
  type: string;
  status: string;
  lastProbeTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** A podFailurePolicy rule. */
export interface PodFailurePolicyRule {
  action: string;
  onExitCodes?: { containerName?: string; operator: string; values: number[] };
  onPodConditions?: { type: string; status?: string }[];
}

/** The spec fields the controllers read (defaults already applied by the apiserver). */
export interface JobSpec extends JobSpecScalars {
  selector?: LabelSelector;
  template?: PodTemplate & { metadata?: { finalizers?: string[] } };
  podFailurePolicy?: { rules: PodFailurePolicyRule[] };
  successPolicy?: { rules: { succeededIndexes?: string; succeededCount?: number }[] };
}

/** batch/v1 JobStatus. */
export interface JobStatus {
  conditions?: JobCondition[];
  startTime?: string;
  completionTime?: string;
  active?: number;
  succeeded?: number;
  failed?: number;
  terminating?: number;
  ready?: number;
  completedIndexes?: string;
  failedIndexes?: string;
  uncountedTerminatedPods?: { succeeded?: string[]; failed?: string[] };
}

/** A Job. */
export interface Job extends ApiObject {
  metadata: ObjectMeta & { ownerReferences?: OwnerRef[] };
  spec: JobSpec;
  status?: JobStatus;
}

/** A container's status as the Job controller reads it. */
export interface ContainerStatus {
  name?: string;
  restartCount?: number;
  state?: { terminated?: { exitCode?: number; finishedAt?: string } };
}

/** The pod's container statuses (regular ones, or init ones with `init`). */
export const containerStatuses = (p: Pod, init = false): ContainerStatus[] =>
  ((init ? p.status?.initContainerStatuses : p.status?.containerStatuses) as ContainerStatus[] | undefined) ?? [];

/** True while the pod still carries the job tracking finalizer. */
export const hasTrackingFinalizer = (p: Pod): boolean => (p.metadata.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);

/** True for completionMode Indexed. */
export const isIndexed = (job: Job): boolean => job.spec.completionMode === 'Indexed';

/** True when each index has its own retry budget. */
export const hasBackoffLimitPerIndex = (job: Job): boolean => job.spec.backoffLimitPerIndex !== undefined && isIndexed(job);

/** True when replacements wait for failed pods to be fully terminated (podReplacementPolicy Failed). */
export const onlyReplaceFailedPods = (job: Job): boolean => job.spec.podReplacementPolicy === 'Failed' || job.spec.podFailurePolicy !== undefined;

/** True when spec.suspend is set. */
export const isSuspended = (job: Job): boolean => job.spec.suspend === true;

/** True when another controller runs the job (spec.managedBy names it). */
export const managedByOther = (job: Job): boolean => job.spec.managedBy !== undefined && job.spec.managedBy !== JOB_CONTROLLER_NAME;

/** The pod's completion index from its annotation; undefined when missing or not a whole number ≥ 0. */
export function completionIndex(p: Pod): number | undefined {
  const v = p.metadata.annotations?.[COMPLETION_INDEX];
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** True for a pod in phase Succeeded or Failed. */
export const isTerminal = (p: Pod): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

/** True for a pod being deleted that has not finished yet. */
export const isPodTerminating = (p: Pod): boolean => Boolean(p.metadata.deletionTimestamp) && !isTerminal(p);

/**
 * True when the pod counts as failed: phase Failed, or (unless only failed pods are replaced)
 * deleted before it succeeded.
 */
export function isPodFailed(p: Pod, job: Job): boolean {
  if (p.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return Boolean(p.metadata.deletionTimestamp) && p.status?.phase !== 'Succeeded';
}

const parseTime = (s: string | undefined): number | undefined => {
  const t = Date.parse(s ?? '');
  return Number.isNaN(t) ? undefined : t;
};

/**
 * When the pod finished (ms): its last container's finishedAt when all have one, else when Ready
 * turned False, else its deletion time less the grace period, else its creation time.
 */
export function finishedTime(p: Pod): number {
  const statuses = containerStatuses(p);
  let latest: number | undefined;
  for (const s of statuses) {
    const t = parseTime(s.state?.terminated?.finishedAt);
    if (t === undefined) {
      latest = undefined;
      break;
    }
    latest = Math.max(latest ?? t, t);
  }
  if (latest !== undefined) return latest;
  const ready = p.status?.conditions?.find((c) => c.type === 'Ready');
  const readyFalse = ready?.status === 'False' ? parseTime(ready.lastTransitionTime) : undefined;
  if (readyFalse !== undefined) return readyFalse;
  const deleted = parseTime(p.metadata.deletionTimestamp);
  if (deleted !== undefined) return deleted - ((p.metadata.deletionGracePeriodSeconds as number | undefined) ?? 0) * 1000;
  return parseTime(p.metadata.creationTimestamp) ?? 0;
}

/** The condition of `type` in a list. */
export const findCondition = (list: JobCondition[] | undefined, type: string): JobCondition | undefined => list?.find((c) => c.type === type);

/** True once the job has a Complete or Failed condition that is True. */
export const isJobFinished = (job: Job): boolean => (job.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');

/** A condition stamped at `now` (probe and transition time alike). */
export function newCondition(type: string, status: string, reason: string, message: string, now: number): JobCondition {
  const at = rfc3339(now);
  return { type, status, lastProbeTime: at, lastTransitionTime: at, reason, message };
}

/**
 * Sets condition `type` to status/reason/message (restamped when any of them changes); a missing
 * condition is added unless the status is False. Returns the new list and whether it changed.
 */
export function ensureCondition(list: JobCondition[], type: string, status: string, reason: string, message: string, now: number): { list: JobCondition[]; changed: boolean } {
  const i = list.findIndex((c) => c.type === type);
  if (i >= 0) {
    const c = list[i]!;
    if (c.status === status && (c.reason ?? '') === reason && (c.message ?? '') === message) return { list, changed: false };
    const next = [...list];
    next[i] = newCondition(type, status, reason, message, now);
    return { list: next, changed: true };
  }
  if (status === 'False') return { list, changed: false };
  return { list: [...list, newCondition(type, status, reason, message, now)], changed: true };
}
