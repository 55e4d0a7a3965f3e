// The CronJob controller (batch/v1): creates a Job named <cronjob>-<minutes since the epoch> for
// each due start time of a CronJob's schedule, in its time zone; applies the concurrency policy,
// startingDeadlineSeconds and suspend; keeps status.active, lastScheduleTime and
// lastSuccessfulTime; deletes finished Jobs beyond the history limits; and comes back just after
// the next start time instead of polling. The decisions live in cronjob-plan.ts.
import type { ReconcileResult } from '../client/controller.js';
import type { EventRecorder } from '../client/event-recorder.js';
import type { Informer } from '../client/informer.js';
import { ApiRequestError, type RestClient } from '../client/rest-client.js';
import { WorkQueue } from '../client/work-queue.js';
import { nullLogger, type Logger } from '../log/logger.js';
import { localTimeZone } from './cron-schedule.js';
import {
  decideSchedule,
  effectiveSchedule,
  historyToDelete,
  jobFinished,
  jobFromTemplate,
  jobRef,
  nextRunDelay,
  normalStatus,
  ownedJobs,
  requeueAfter,
  sameCronStatus,
  trackJobs,
  unexpectedJobEvent,
  withoutActive,
  type CronJob,
  type CronJobStatus,
  type Job,
  type JobRef,
  type PlannedEvent,
} from './cronjob-plan.js';
import { controllerKey, controllerRef, ensureIndex, rfc3339 } from './workload-util.js';

const CRONJOB_KIND = ['batch/v1', 'CronJob'] as const;

/** What the controller runs on. */
export interface CronJobControllerDeps {
  client: RestClient;
  cronJobs: Informer<CronJob>;
  /** The batch/v1 Jobs informer (shared with the Job controller). */
  jobs: Informer<Job>;
  events: EventRecorder;
  log?: Logger;
  /** The clock (ms since the epoch); tests move it forward. */
  now?: () => number;
  /** The zone of schedules without spec.timeZone; the process's own zone by default, as upstream. */
  defaultTimeZone?: string;
}

const enc = encodeURIComponent;
const cjPath = (ns: string, name: string) => `/apis/batch/v1/namespaces/${enc(ns)}/cronjobs/${enc(name)}`;
const jobsPath = (ns: string) => `/apis/batch/v1/namespaces/${enc(ns)}/jobs`;
const is = (code: number) => (err: unknown) => err instanceof ApiRequestError && err.code === code;
const notFound = is(404);
const keyOf = (o: { metadata: { namespace?: string; name: string } }) => `${o.metadata.namespace}/${o.metadata.name}`;
/** Jobs by the `namespace/name` of the CronJob their controller reference names. */
const BY_CRONJOB = 'cronjob-owner';

/** The CronJob controller's queue (fed by the informer handlers it registers) and reconcile function. */
export function cronJobController(deps: CronJobControllerDeps): { queue: WorkQueue; reconcile(key: string): Promise<ReconcileResult | void> } {
  const { client, cronJobs, jobs, events } = deps;
  const log = deps.log ?? nullLogger;
  const now = deps.now ?? Date.now;
  const defaultZone = deps.defaultTimeZone ?? localTimeZone();
  const queue = new WorkQueue();
  ensureIndex(jobs, BY_CRONJOB, (j) => {
    const ref = controllerRef(j);
    return ref?.kind === 'CronJob' ? [`${j.metadata.namespace}/${ref.name}`] : [];
  });

  const ownerOf = (job: Job) => controllerKey(job, 'CronJob', cronJobs);
  const enqueueOwner = (job: Job) => {
    const key = ownerOf(job);
    if (key) queue.add(key);
  };
  jobs.addHandler({
    onAdd: enqueueOwner,
    onUpdate: (old, job) => {
      const before = ownerOf(old);
      if (before && before !== ownerOf(job)) queue.add(before);
      enqueueOwner(job);
    },
    onDelete: enqueueOwner,
  });
  cronJobs.addHandler({
    onAdd: (cj) => queue.add(keyOf(cj)),
    onUpdate: (old, cj) => {
      // A new schedule takes effect from its next start time, not from times it would have missed.
      if (old.spec.schedule !== cj.spec.schedule || old.spec.timeZone !== cj.spec.timeZone) {
        try {
          const later = requeueAfter(nextRunDelay(cj, now(), effectiveSchedule(cj, defaultZone)));
          if (later) queue.addAfter(keyOf(cj), later.requeueAfter);
        } catch {
          queue.add(keyOf(cj));
        }
        return;
      }
      queue.add(keyOf(cj));
    },
    onDelete: (cj) => {
      if (cj.metadata.uid) events.forget(cj.metadata.uid);
    },
  });

  const record = (cj: CronJob, list: PlannedEvent[]) => {
    for (const e of list) events.event(cj, CRONJOB_KIND, e.type, e.reason, e.message);
  };

  /** Deletes a Job and its pods in the background; true once it is gone (or was already). */
  const deleteJob = async (cj: CronJob, ref: { namespace?: string; name: string }): Promise<boolean> => {
    try {
      await client.delete(`${jobsPath(ref.namespace ?? cj.metadata.namespace ?? '')}/${enc(ref.name)}?propagationPolicy=Background`);
      events.event(cj, CRONJOB_KIND, 'Normal', 'SuccessfulDelete', `Deleted job ${ref.name}`);
      return true;
    } catch (err) {
      if (notFound(err)) return true;
      events.event(cj, CRONJOB_KIND, 'Warning', 'FailedDelete', `Deleted job: ${(err as Error).message}`);
      log.error(`cronjob ${keyOf(cj)}: deleting job ${ref.name}: ${(err as Error).message}`);
      return false;
    }
  };

  /** Writes the status (guarded by the resourceVersion the sync started from) when it changed. */
  const writeStatus = async (cj: CronJob, status: CronJobStatus): Promise<void> => {
    if (sameCronStatus(cj.status, status)) return;
    const body = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: cj.metadata, spec: cj.spec, status: normalStatus(status) };
    await client.update(`${cjPath(cj.metadata.namespace ?? '', cj.metadata.name)}/status`, body).catch((err) => {
      if (!notFound(err)) throw new Error(`failed to update status of cronjob ${keyOf(cj)}: ${(err as Error).message}`, { cause: err });
    });
  };

  /** Creates the run's Job; the Job to list as active, or undefined when there is nothing to add. */
  const createJob = async (cj: CronJob, scheduledTime: number): Promise<{ job?: Job; created: boolean }> => {
    const ns = cj.metadata.namespace ?? '';
    const body = jobFromTemplate(cj, scheduledTime);
    try {
      return { job: await client.create<Job>(jobsPath(ns), body), created: true };
    } catch (err) {
      if (is(403)(err) && /being terminated/.test((err as Error).message)) throw err;
      if (!is(409)(err)) {
        events.event(cj, CRONJOB_KIND, 'Warning', 'FailedCreate', `Error creating job: ${(err as Error).message}`);
        throw new Error(`failed to create job ${body.metadata.name}: ${(err as Error).message}`, { cause: err });
      }
      // The name is the lock for the run: someone (maybe an earlier sync of ours) made it already.
      const job = await client.get<Job>(`${jobsPath(ns)}/${enc(body.metadata.name)}`);
      log.info(`cronjob ${keyOf(cj)}: job ${body.metadata.name} already exists`);
      const ours = controllerRef(job)?.uid === cj.metadata.uid;
      return { job: ours && !(cj.status?.active ?? []).some((r) => r.uid === job.metadata.uid) ? job : undefined, created: false };
    }
  };

  const reconcile = async (key: string): Promise<ReconcileResult | void> => {
    let cj = cronJobs.get(key);
    if (!cj) return;
    const owned = ownedJobs(cj, jobs.byIndex(BY_CRONJOB, key));
    // A running Job missing from our cached active list may only mean the cache lags our own write.
    const listed = new Set((cj.status?.active ?? []).map((r) => r.uid));
    if (owned.some((j) => !listed.has(j.metadata.uid) && !jobFinished(j))) {
      const fresh = await client.get<CronJob>(cjPath(cj.metadata.namespace ?? '', cj.metadata.name)).catch((err) => (notFound(err) ? undefined : Promise.reject(err)));
      if (!fresh || fresh.metadata.uid !== cj.metadata.uid) return;
      cj = fresh;
    }
    let status: CronJobStatus = { ...cj.status };
    for (const job of historyToDelete(cj, owned)) if (await deleteJob(cj, job.metadata)) status = withoutActive(status, job.metadata.uid);
    const tracked = trackJobs(status, owned);
    status = tracked.status;
    record(cj, [...tracked.events, ...tracked.unexpected.map(unexpectedJobEvent)]);
    for (const ref of tracked.missing) {
      // Ask the API server: the cache may simply not have the Job yet.
      const gone = await client.get(`${jobsPath(ref.namespace ?? cj.metadata.namespace ?? '')}/${enc(ref.name)}`).then(
        () => false,
        (err) => (notFound(err) ? true : Promise.reject(err)),
      );
      if (!gone) continue;
      events.event(cj, CRONJOB_KIND, 'Normal', 'MissingJob', `Active job went missing: ${ref.name}`);
      status = withoutActive(status, ref.uid);
    }
    if (cj.metadata.deletionTimestamp) return writeStatus(cj, status);

    const current: CronJob = { ...cj, status };
    const decision = decideSchedule(current, now(), defaultZone);
    record(cj, decision.events);
    if (!decision.start) {
      await writeStatus(cj, status);
      return requeueAfter(decision.requeueAfter);
    }
    for (const ref of decision.replace) {
      if (!(await deleteJob(cj, ref as JobRef))) {
        await writeStatus(cj, status);
        throw new Error(`could not replace job ${ref.namespace ?? cj.metadata.namespace}/${ref.name}`);
      }
      status = withoutActive(status, ref.uid);
    }
    let outcome: { job?: Job; created: boolean };
    try {
      outcome = await createJob(current, decision.scheduledTime);
    } catch (err) {
      await writeStatus(cj, status);
      throw err;
    }
    if (outcome.created) {
      events.event(cj, CRONJOB_KIND, 'Normal', 'SuccessfulCreate', `Created job ${outcome.job!.metadata.name}`);
      log.v(2).info(`cronjob ${key}: created job ${outcome.job!.metadata.name}`);
    }
    if (outcome.job) status = { ...status, active: [...(status.active ?? []), jobRef(outcome.job)], lastScheduleTime: rfc3339(decision.scheduledTime) };
    await writeStatus(cj, status);
    return requeueAfter(decision.requeueAfter);
  };

  return { queue, reconcile };
}
