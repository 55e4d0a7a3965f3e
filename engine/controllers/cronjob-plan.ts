// The CronJob controller's decisions, pure: which Jobs belong to a CronJob, which finished ones
// to delete for the history limits, what the Jobs say about status.active and
// lastSuccessfulTime, and whether a scheduled run is due now (missed runs, starting deadline,
// concurrency policy, suspend), with the Events upstream records for each case.
import type { ApiObject, ObjectMeta } from '../api/resource-type.js';
import { parseCron, timeZoneError, type CronSchedule } from '../api/types/batch-cron.js';
import { nextTime, rfc3339In } from './cron-schedule.js';
import { controllerRef, ownerRefTo, rfc3339, type OwnerRef } from './workload-util.js';

/** Annotation with the nominal start time of a Job a CronJob made (RFC 3339 in the CronJob's zone). */
export const SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
/** The margin added to a requeue so it lands just after the schedule time (upstream's nextScheduleDelta). */
export const NEXT_SCHEDULE_DELTA_MS = 100;
/** More missed start times than this is reported as TooManyMissedTimes. */
export const MANY_MISSED = 100;
/** The longest single wait: timers cannot run longer than 2^31-1 ms, and a yearly schedule just looks again daily. */
export const MAX_REQUEUE_MS = 24 * 3_600_000;

/** A requeue `delay` ms from now, capped at MAX_REQUEUE_MS; none for undefined. */
export const requeueAfter = (delay: number | undefined): { requeueAfter: number } | undefined => (delay === undefined ? undefined : { requeueAfter: Math.min(delay, MAX_REQUEUE_MS) });

/** A reference to a Job in status.active. */
export interface JobRef {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  name: string;
  uid?: string;
  resourceVersion?: string;
}

/** What a CronJob's status says. */
export interface CronJobStatus {
  active?: JobRef[];
  lastScheduleTime?: string;
  lastSuccessfulTime?: string;
}

/** A batch/v1 CronJob as the controller reads it. */
export interface CronJob extends ApiObject {
  metadata: ObjectMeta & { ownerReferences?: OwnerRef[] };
  spec: {
    schedule: string;
    timeZone?: string;
    startingDeadlineSeconds?: number;
    concurrencyPolicy?: string;
    suspend?: boolean;
    successfulJobsHistoryLimit?: number;
    failedJobsHistoryLimit?: number;
    jobTemplate?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: Record<string, unknown> };
  };
  status?: CronJobStatus;
}

/** A batch/v1 Job as the CronJob controller reads it. */
export interface Job extends ApiObject {
  metadata: ObjectMeta & { ownerReferences?: OwnerRef[] };
  spec?: Record<string, unknown>;
  status?: { conditions?: { type: string; status: string }[]; startTime?: string; completionTime?: string };
}

/** An Event to record about the CronJob. */
export interface PlannedEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

const ms = (t: string | undefined): number | undefined => {
  const v = Date.parse(t ?? '');
  return Number.isNaN(v) ? undefined : v;
};

/** 'Complete' or 'Failed' once the Job has that condition True; undefined while it runs. */
export function jobFinished(job: Job): 'Complete' | 'Failed' | undefined {
  return job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')?.type as 'Complete' | 'Failed' | undefined;
}

/** The Jobs whose controller reference names the CronJob (as upstream: by name, so manual `--from=cronjob` runs count too). */
export function ownedJobs(cj: CronJob, jobs: Job[]): Job[] {
  return jobs.filter((j) => {
    const ref = controllerRef(j);
    return ref?.kind === 'CronJob' && ref.name === cj.metadata.name && j.metadata.namespace === cj.metadata.namespace;
  });
}

/** Oldest first by status.startTime (Jobs not started yet last), then by name. */
export function byStartTime(a: Job, b: Job): number {
  const sa = ms(a.status?.startTime);
  const sb = ms(b.status?.startTime);
  if (sa === undefined && sb !== undefined) return 1;
  if (sa !== undefined && sb === undefined) return -1;
  if (sa === sb) return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
  return sa! - sb!;
}

/** The finished Jobs beyond successfulJobsHistoryLimit and failedJobsHistoryLimit, oldest first (successful ones first). */
export function historyToDelete(cj: CronJob, jobs: Job[]): Job[] {
  const excess = (finished: 'Complete' | 'Failed', limit: number | undefined): Job[] => {
    if (limit === undefined) return [];
    const done = jobs.filter((j) => jobFinished(j) === finished).sort(byStartTime);
    return done.slice(0, Math.max(0, done.length - limit));
  };
  return [...excess('Complete', cj.spec.successfulJobsHistoryLimit), ...excess('Failed', cj.spec.failedJobsHistoryLimit)];
}

/** The status without the Job of `uid` in active. */
export function withoutActive(status: CronJobStatus, uid: string | undefined): CronJobStatus {
  return { ...status, active: (status.active ?? []).filter((r) => r.uid !== uid) };
}

/** What the CronJob's Jobs say: the status to keep, Events, running Jobs it did not start, and active entries its cache lacks. */
export interface Tracking {
  status: CronJobStatus;
  events: PlannedEvent[];
  /** Unfinished Jobs it controls that are not in status.active (made by hand, or forgotten). */
  unexpected: Job[];
  /** Entries of status.active with no Job in the cache: to be looked up before they are dropped. */
  missing: JobRef[];
}

/**
 * Folds the Jobs into the status as upstream's sync does: finished Jobs leave active (with
 * SawCompletedJob), Jobs that completed outside active move lastSuccessfulTime forward, and
 * running Jobs it did not list are reported as unexpected (they are never added to active).
 */
export function trackJobs(status: CronJobStatus, jobs: Job[]): Tracking {
  let s: CronJobStatus = { ...status, active: [...(status.active ?? [])] };
  const events: PlannedEvent[] = [];
  const unexpected: Job[] = [];
  for (const job of jobs) {
    const found = s.active!.some((r) => r.uid === job.metadata.uid);
    const finished = jobFinished(job);
    if (!found && !finished) unexpected.push(job);
    else if (found && finished) {
      s = withoutActive(s, job.metadata.uid);
      events.push({ type: 'Normal', reason: 'SawCompletedJob', message: `Saw completed job: ${job.metadata.name}, condition: ${finished}` });
    } else if (finished === 'Complete') {
      const done = ms(job.status?.completionTime);
      const last = ms(s.lastSuccessfulTime);
      if (done !== undefined && (last === undefined || done > last)) s = { ...s, lastSuccessfulTime: rfc3339(done) };
    }
  }
  const uids = new Set(jobs.map((j) => j.metadata.uid));
  const missing = s.active!.filter((r) => !uids.has(r.uid));
  return { status: s, events, unexpected, missing };
}

/** Upstream's UnexpectedJob Event for a running Job that is not in status.active. */
export const unexpectedJobEvent = (job: Job): PlannedEvent => ({ type: 'Warning', reason: 'UnexpectedJob', message: `Saw a job that the controller did not create or forgot: ${job.metadata.name}` });

/** The schedule of a CronJob as the controller evaluates it, and the zone it runs in. */
export interface EffectiveSchedule {
  schedule: CronSchedule;
  zone: string;
}

/** Parses spec.schedule in spec.timeZone (or a legacy TZ= prefix, or `defaultZone`); throws robfig's message. */
export function effectiveSchedule(cj: CronJob, defaultZone: string): EffectiveSchedule {
  const { schedule, timeZone } = cj.spec;
  const text = !schedule.includes('TZ') && timeZone !== undefined ? `TZ=${timeZone} ${schedule}` : schedule;
  const parsed = parseCron(text);
  return { schedule: parsed, zone: parsed.zone ?? defaultZone };
}

/** Where a CronJob stands against its schedule at `now` (upstream's mostRecentScheduleTime). */
export interface ScheduleTimes {
  /** lastScheduleTime, or creationTimestamp, or now - startingDeadlineSeconds when later and asked for. */
  earliest: number;
  /** The latest start time at or before now that has not run, if any. */
  mostRecent?: number;
  missed: 'none' | 'few' | 'many';
}

/**
 * The latest unmet start time. Like upstream it estimates how many runs were missed from the gap
 * between the next two start times, and walks only the last stretch; throws for a schedule
 * whose next two times cannot be found (such as February 30th).
 */
export function scheduleTimes(cj: CronJob, now: number, s: EffectiveSchedule, withDeadline: boolean): ScheduleTimes {
  let earliest = ms(cj.status?.lastScheduleTime) ?? ms(cj.metadata.creationTimestamp) ?? now;
  const deadline = cj.spec.startingDeadlineSeconds;
  if (withDeadline && deadline !== undefined) earliest = Math.max(earliest, now - deadline * 1000);
  const next = (t: number) => nextTime(s.schedule, t, s.zone);
  const t1 = next(earliest);
  const t2 = t1 === undefined ? undefined : next(t1);
  const invalid = () => new Error('time difference between two schedules is less than 1 second');
  if (t1 === undefined) throw invalid();
  if (now < t1) return { earliest, missed: 'none' };
  if (t2 !== undefined && now < t2) return { earliest, mostRecent: t1, missed: 'none' };
  const between = t2 === undefined ? 0 : Math.round((t2 - t1) / 1000);
  if (between < 1) throw invalid();
  const elapsed = Math.trunc((now - t1) / 1000);
  const count = Math.floor(elapsed / between) + 1;
  let mostRecent: number | undefined;
  for (let t = next(t1 + (count - 2) * between * 1000); t !== undefined && t <= now; t = next(t)) mostRecent = t;
  return { earliest, mostRecent, missed: count > MANY_MISSED ? 'many' : 'few' };
}

/** How long (ms) until just after the next start time, counted from the last one that was due; undefined if it never comes. */
export function nextRunDelay(cj: CronJob, now: number, s: EffectiveSchedule): number | undefined {
  let from = now;
  try {
    const t = scheduleTimes(cj, now, s, false);
    from = t.mostRecent ?? (t.missed === 'none' ? t.earliest : now);
  } catch {
    // aim for the next slot after now
  }
  const next = nextTime(s.schedule, from, s.zone);
  return next === undefined ? undefined : Math.max(0, next + NEXT_SCHEDULE_DELTA_MS - now);
}

/** What a sync does about the schedule: nothing now (maybe come back later), or start the run of `scheduledTime`. */
export type ScheduleDecision =
  | { start: false; events: PlannedEvent[]; requeueAfter?: number }
  | { start: true; events: PlannedEvent[]; scheduledTime: number; replace: JobRef[]; requeueAfter?: number };

/** The Job name for a run: the CronJob's name and the scheduled time in minutes since the epoch. */
export const jobName = (cj: CronJob, scheduledTime: number): string => `${cj.metadata.name}-${Math.floor(scheduledTime / 60_000)}`;

const warn = (reason: string, message: string): PlannedEvent => ({ type: 'Warning', reason, message });

/** A Go RFC 1123 time with numeric zone, in UTC: "Mon, 02 Jan 2006 15:04:05 +0000". */
function rfc1123z(t: number): string {
  return new Date(t).toUTCString().replace('GMT', '+0000');
}

/**
 * Whether the CronJob (with `status` already brought up to date) starts a Job at `now`, in
 * upstream's order: invalid time zone, suspend, unparseable schedule, no unmet start time,
 * too many missed times (Event, then the latest is used), past startingDeadlineSeconds, already
 * started, Forbid with a Job active; else start it (Replace: deleting the active Jobs first).
 */
export function decideSchedule(cj: CronJob, now: number, defaultZone: string): ScheduleDecision {
  const events: PlannedEvent[] = [];
  const none = (requeueAfter?: number): ScheduleDecision => ({ start: false, events, ...(requeueAfter !== undefined ? { requeueAfter } : {}) });
  const { timeZone, schedule } = cj.spec;
  if (timeZone !== undefined) {
    const why = timeZoneError(timeZone);
    if (why) return (events.push(warn('UnknownTimeZone', `invalid timeZone: ${JSON.stringify(timeZone)}: ${why}`)), none());
  }
  if (cj.spec.suspend) return none();
  if (schedule.includes('TZ')) {
    events.push(warn('UnsupportedSchedule', `CRON_TZ or TZ used in schedule ${JSON.stringify(schedule)} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`));
  }
  let s: EffectiveSchedule;
  try {
    s = effectiveSchedule(cj, defaultZone);
  } catch (err) {
    return (events.push(warn('UnparseableSchedule', `unparseable schedule: ${JSON.stringify(schedule)} : ${(err as Error).message}`)), none());
  }
  let times: ScheduleTimes;
  try {
    times = scheduleTimes(cj, now, s, true);
  } catch (err) {
    return (events.push(warn('InvalidSchedule', `invalid schedule: ${schedule} : ${(err as Error).message}`)), none());
  }
  const later = () => nextRunDelay(cj, now, s);
  const scheduled = times.mostRecent;
  if (scheduled === undefined) return none(later());
  if (times.missed === 'many') events.push(warn('TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew'));
  const deadline = cj.spec.startingDeadlineSeconds;
  if (deadline !== undefined && scheduled + deadline * 1000 < now) {
    return (events.push(warn('MissSchedule', `Missed scheduled time to start a job: ${rfc1123z(scheduled)}`)), none(later()));
  }
  const active = cj.status?.active ?? [];
  const name = jobName(cj, scheduled);
  if (active.some((r) => r.name === name && (r.namespace ?? cj.metadata.namespace) === cj.metadata.namespace) || ms(cj.status?.lastScheduleTime) === scheduled) return none(later());
  if (cj.spec.concurrencyPolicy === 'Forbid' && active.length > 0) {
    events.push({ type: 'Normal', reason: 'JobAlreadyActive', message: 'Not starting job because prior execution is running and concurrency policy is Forbid' });
    return none(later());
  }
  const after = { ...cj, status: { ...cj.status, lastScheduleTime: rfc3339(scheduled) } };
  const requeueAfter = nextRunDelay(after, now, s);
  return { start: true, events, scheduledTime: scheduled, replace: cj.spec.concurrencyPolicy === 'Replace' ? active : [], ...(requeueAfter !== undefined ? { requeueAfter } : {}) };
}

/**
 * The Job for the run at `scheduledTime`: the template's labels, annotations (plus the scheduled
 * timestamp in spec.timeZone, UTC when unset) and spec, controlled by the CronJob.
 */
export function jobFromTemplate(cj: CronJob, scheduledTime: number): Job {
  const template = cj.spec.jobTemplate ?? {};
  const labels = { ...template.metadata?.labels };
  const annotations = { ...template.metadata?.annotations, [SCHEDULED_TIMESTAMP]: rfc3339In(scheduledTime, cj.spec.timeZone ?? 'UTC') };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobName(cj, scheduledTime),
      namespace: cj.metadata.namespace,
      ...(Object.keys(labels).length ? { labels } : {}),
      annotations,
      ownerReferences: [ownerRefTo(cj, 'batch/v1', 'CronJob')],
    },
    spec: structuredClone(template.spec ?? {}),
  };
}

/** The status.active entry for a Job. */
export function jobRef(job: Job): JobRef {
  const m = job.metadata;
  return { apiVersion: 'batch/v1', kind: 'Job', namespace: m.namespace, name: m.name, uid: m.uid, resourceVersion: m.resourceVersion };
}

/** The status as written: no empty active list, no unset times. */
export function normalStatus(s: CronJobStatus | undefined): CronJobStatus {
  return {
    ...(s?.active?.length ? { active: s.active.map((r) => ({ apiVersion: r.apiVersion, kind: r.kind, namespace: r.namespace, name: r.name, uid: r.uid, resourceVersion: r.resourceVersion })) } : {}),
    ...(s?.lastScheduleTime ? { lastScheduleTime: s.lastScheduleTime } : {}),
    ...(s?.lastSuccessfulTime ? { lastSuccessfulTime: s.lastSuccessfulTime } : {}),
  };
}

/** True when two statuses say the same. */
export function sameCronStatus(a: CronJobStatus | undefined, b: CronJobStatus | undefined): boolean {
  return JSON.stringify(normalStatus(a)) === JSON.stringify(normalStatus(b));
}
