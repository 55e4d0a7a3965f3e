// The Job controller (batch/v1): runs a Job's pods until enough succeed or the job fails. Each
// pod carries the batch.kubernetes.io/job-tracking finalizer until its outcome is written to
// status.uncountedTerminatedPods and then to the counters, so a finished pod that is deleted is
// never lost from the count. Finished pods stay (for `kubectl logs`). Decisions live in
// job-context.ts and job-plan.ts; this file reads the caches and writes.
import type { ReconcileResult } from '../client/controller.js';
import type { EventRecorder } from '../client/event-recorder.js';
import type { Informer } from '../client/informer.js';
import { ApiRequestError, type RestClient } from '../client/rest-client.js';
import { WorkQueue } from '../client/work-queue.js';
import { nullLogger, type Logger } from '../log/logger.js';
import { Expectations } from './expectations.js';
import { jobContext } from './job-context.js';
import { indexedGenerateName } from './job-indexes.js';
import { finishedEvents, finishTracking, planAction, planTracking, sameJobStatus, type ActionOutcome, type JobAction, type NewPod } from './job-plan.js';
import { DEFAULT_POD_FAILURE_BACKOFF_MS, MAX_POD_FAILURE_BACKOFF_MS, type BackoffRecord } from './job-policy.js';
import { COMPLETION_INDEX, COMPLETION_INDEX_ENV, hasTrackingFinalizer, INDEX_FAILURE_COUNT, INDEX_IGNORED_FAILURE_COUNT, isJobFinished, JOB_TRACKING_FINALIZER, managedByOther, type Job, type JobStatus } from './job-util.js';
import { claimPods, slowStartBatches } from './replicaset-plan.js';
import { BY_NAMESPACE, controllerKey, controllerRef, ensureIndex, isPodReady, namespaceIndex, ownerRefTo, selectorMatcher, type Pod } from './workload-util.js';

const JOB_KIND = ['batch/v1', 'Job'] as const;
/** Queue keys of pods whose finalizer may need removing carry this prefix (namespaces cannot contain ':'). */
const ORPHAN = 'orphan-pod:';

/** What the controller runs on. */
export interface JobControllerDeps {
  client: RestClient;
  jobs: Informer<Job>;
  pods: Informer<Pod>;
  events: EventRecorder;
  log?: Logger;
  /** Back-off before the first replacement of a failed pod (ms; default 10 s, doubling up to 6 minutes). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
}

const enc = encodeURIComponent;
const keyOf = (o: { metadata: { namespace?: string; name: string } }) => `${o.metadata.namespace}/${o.metadata.name}`;
const podsPath = (ns: string) => `/api/v1/namespaces/${enc(ns)}/pods`;
const podPath = (p: Pod) => `${podsPath(p.metadata.namespace ?? '')}/${enc(p.metadata.name)}`;
const jobPath = (ns: string, name: string) => `/apis/batch/v1/namespaces/${enc(ns)}/jobs/${enc(name)}`;
const notFound = (err: unknown) => err instanceof ApiRequestError && err.code === 404;
const REMOVE_FINALIZER = { metadata: { [`$deleteFromPrimitiveList/finalizers`]: [JOB_TRACKING_FINALIZER] } };

/** The Job controller's queue (fed by the informer handlers it registers) and reconcile function. */
export function jobController(deps: JobControllerDeps): { queue: WorkQueue; reconcile(key: string): Promise<ReconcileResult | void> } {
  const { client, jobs, pods, events } = deps;
  const log = deps.log ?? nullLogger;
  const backoffBaseMs = deps.backoffBaseMs ?? DEFAULT_POD_FAILURE_BACKOFF_MS;
  const backoffMaxMs = deps.backoffMaxMs ?? MAX_POD_FAILURE_BACKOFF_MS;
  const queue = new WorkQueue();
  const expectations = new Expectations();
  /** Per job key, pod uids whose finalizer removal was sent but not yet seen in the cache. */
  const removals = new Map<string, Set<string>>();
  const backoffs = new Map<string, BackoffRecord>();
  /** Per job key, the resourceVersion of our last status write: a cache older than that is not synced from. */
  const written = new Map<string, number>();
  ensureIndex(pods, BY_NAMESPACE, namespaceIndex);
  ensureIndex(jobs, BY_NAMESPACE, namespaceIndex);

  const removalObserved = (key: string, uid: string | undefined) => removals.get(key)?.delete(String(uid));
  const ownerKey = (pod: Pod): string | undefined => (controllerRef(pod)?.apiVersion === 'batch/v1' ? controllerKey(pod, 'Job', jobs) : undefined);
  const enqueueOrphan = (pod: Pod) => queue.add(`${ORPHAN}${keyOf(pod)}`);
  const enqueueMatching = (pod: Pod) => {
    for (const job of jobs.byIndex(BY_NAMESPACE, pod.metadata.namespace ?? '')) if (selectorMatcher(job.spec.selector)(pod.metadata.labels)) queue.add(keyOf(job));
  };
  /** A pod went or is going: the job may replace it; a finished or missing job leaves its finalizer to the orphan path. */
  const podGone = (pod: Pod, final: boolean) => {
    const ref = controllerRef(pod);
    const key = ownerKey(pod);
    const job = key ? jobs.get(key) : undefined;
    if (!ref || !key || !job || isJobFinished(job)) {
      if (hasTrackingFinalizer(pod)) enqueueOrphan(pod);
      return;
    }
    expectations.deletionObserved(key, keyOf(pod));
    if (final || !hasTrackingFinalizer(pod)) removalObserved(key, pod.metadata.uid);
    queue.add(key);
  };
  pods.addHandler({
    onAdd: (pod) => {
      if (pod.metadata.deletionTimestamp) return podGone(pod, false);
      const key = ownerKey(pod);
      if (key) {
        expectations.creationObserved(key);
        return queue.add(key);
      }
      if (hasTrackingFinalizer(pod)) enqueueOrphan(pod);
      if (!controllerRef(pod)) enqueueMatching(pod);
    },
    onUpdate: (old, pod) => {
      if (old.metadata.resourceVersion === pod.metadata.resourceVersion) return;
      if (pod.metadata.deletionTimestamp) return podGone(pod, false);
      const removed = !hasTrackingFinalizer(pod);
      const oldKey = ownerKey(old);
      const key = ownerKey(pod);
      if (oldKey && oldKey !== key) {
        if (removed) removalObserved(oldKey, pod.metadata.uid);
        queue.add(oldKey);
      }
      if (key) {
        if (removed) removalObserved(key, pod.metadata.uid);
        return queue.add(key);
      }
      // Not controlled by a job we know: an orphan (or a pod of a deleted job) loses its finalizer.
      if (hasTrackingFinalizer(pod)) enqueueOrphan(pod);
      if (controllerRef(pod)) return;
      if (JSON.stringify(old.metadata.labels) !== JSON.stringify(pod.metadata.labels) || controllerRef(old)) enqueueMatching(pod);
    },
    onDelete: (pod) => podGone(pod, true),
  });
  /** Pods of a finished or deleted job that still hold a finalizer go to the orphan path. */
  const cleanupPodFinalizers = (job: Job) => {
    for (const pod of pods.byIndex(BY_NAMESPACE, job.metadata.namespace ?? '')) {
      if (controllerRef(pod)?.uid === job.metadata.uid && hasTrackingFinalizer(pod)) enqueueOrphan(pod);
    }
  };
  jobs.addHandler({
    onAdd: (job) => queue.add(keyOf(job)),
    onUpdate: (_, job) => {
      queue.add(keyOf(job));
      if (isJobFinished(job)) cleanupPodFinalizers(job);
    },
    onDelete: (job) => {
      queue.add(keyOf(job));
      cleanupPodFinalizers(job);
    },
  });

  /** Removes the finalizer of a pod no unfinished job controls any more (upstream's syncOrphanPod). */
  const syncOrphanPod = async (podKey: string) => {
    const pod = pods.get(podKey);
    if (!pod || !hasTrackingFinalizer(pod)) return;
    const ref = controllerRef(pod);
    if (ref) {
      if (ref.kind !== 'Job' || ref.apiVersion !== 'batch/v1') return;
      const job = jobs.get(`${pod.metadata.namespace}/${ref.name}`);
      const same = job?.metadata.uid === ref.uid ? job : undefined;
      if (same && (managedByOther(same) || !isJobFinished(same))) return;
    }
    await client.patch(podPath(pod), REMOVE_FINALIZER, 'strategic').catch((err) => (notFound(err) ? undefined : Promise.reject(err)));
  };

  /** The pods the job controls, adopting matching orphans (with a finalizer) and releasing pods that stopped matching. */
  const claim = async (job: Job): Promise<Pod[]> => {
    const ns = job.metadata.namespace ?? '';
    const claims = claimPods(job as never, pods.byIndex(BY_NAMESPACE, ns));
    if (claims.adopt.length) {
      const fresh = await client.get<Job>(jobPath(ns, job.metadata.name)).catch((err) => (notFound(err) ? undefined : Promise.reject(err)));
      if (fresh && fresh.metadata.uid === job.metadata.uid && !fresh.metadata.deletionTimestamp) {
        for (const pod of claims.adopt) {
          const refs = [...(pod.metadata.ownerReferences ?? []), ownerRefTo(job, 'batch/v1', 'Job')];
          const finalizers = [...new Set([...(pod.metadata.finalizers ?? []), JOB_TRACKING_FINALIZER])];
          const patch = { metadata: { uid: pod.metadata.uid, resourceVersion: pod.metadata.resourceVersion, ownerReferences: refs, finalizers } };
          const adopted = await client.patch<Pod>(podPath(pod), patch).catch((err) => (notFound(err) ? undefined : Promise.reject(err)));
          if (adopted) claims.owned.push(adopted);
        }
      }
    }
    for (const pod of claims.release) {
      const refs = (pod.metadata.ownerReferences ?? []).filter((r) => r.uid !== job.metadata.uid);
      await client.patch(podPath(pod), { metadata: { uid: pod.metadata.uid, resourceVersion: pod.metadata.resourceVersion, ownerReferences: refs.length ? refs : null } }).catch((err) => (notFound(err) ? undefined : Promise.reject(err)));
    }
    return claims.owned;
  };

  /** The pod body for one new pod of the job. */
  const podBody = (job: Job, np: NewPod) => {
    const template = structuredClone(job.spec.template ?? {});
    const spec = (template.spec ?? {}) as { hostname?: string; containers?: { env?: { name: string }[] }[]; initContainers?: { env?: { name: string }[] }[] };
    const labels = { ...template.metadata?.labels };
    const annotations = { ...template.metadata?.annotations };
    let generateName = `${job.metadata.name}-`;
    if (np.index !== undefined) {
      annotations[COMPLETION_INDEX] = labels[COMPLETION_INDEX] = String(np.index);
      spec.hostname = `${job.metadata.name}-${np.index}`;
      generateName = indexedGenerateName(job.metadata.name, np.index);
      const env = { name: COMPLETION_INDEX_ENV, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: `metadata.labels['${COMPLETION_INDEX}']` } } };
      for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) if (!(c.env ?? []).some((e) => e.name === COMPLETION_INDEX_ENV)) c.env = [...(c.env ?? []), env];
      if (np.failureCounts) {
        annotations[INDEX_FAILURE_COUNT] = String(np.failureCounts.failed);
        if (np.failureCounts.ignored > 0) annotations[INDEX_IGNORED_FAILURE_COUNT] = String(np.failureCounts.ignored);
      }
    }
    const finalizers = [...new Set([...(template.metadata?.finalizers ?? []), JOB_TRACKING_FINALIZER])];
    const metadata = { generateName, namespace: job.metadata.namespace, labels, annotations, finalizers, ownerReferences: [ownerRefTo(job, 'batch/v1', 'Job')] };
    return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
  };

  /** Creates the pods in slow-start batches; stops at the first batch with a failure. */
  const createPods = async (job: Job, key: string, wanted: NewPod[]): Promise<{ created: number; error?: Error }> => {
    const ns = job.metadata.namespace ?? '';
    expectations.expect(key, wanted.length);
    let created = 0;
    let next = 0;
    for (const size of slowStartBatches(wanted.length)) {
      const batch = wanted.slice(next, next + size);
      next += size;
      const results = await Promise.allSettled(batch.map((np) => client.create<Pod>(podsPath(ns), podBody(job, np))));
      let error: Error | undefined;
      for (const r of results) {
        if (r.status === 'fulfilled') {
          created++;
          events.event(job, JOB_KIND, 'Normal', 'SuccessfulCreate', `Created pod: ${r.value.metadata.name}`);
        } else {
          expectations.creationObserved(key);
          error ??= r.reason as Error;
          events.event(job, JOB_KIND, 'Warning', 'FailedCreate', `Error creating: ${(r.reason as Error).message}`);
        }
      }
      if (error) {
        expectations.creationObserved(key, wanted.length - next);
        return { created, error };
      }
    }
    return { created };
  };

  /** Deletes pods (first removing their finalizer when `dropFinalizer`); counts what went. */
  const deletePods = async (job: Job, key: string, victims: Pod[], dropFinalizer: boolean): Promise<{ removed: number; removedReady: number; error?: Error }> => {
    if (dropFinalizer) expectations.expect(key, 0, victims.map(keyOf));
    let removed = 0;
    let removedReady = 0;
    let error: Error | undefined;
    await Promise.all(
      victims.map(async (pod) => {
        try {
          if (dropFinalizer && hasTrackingFinalizer(pod)) await client.patch(podPath(pod), REMOVE_FINALIZER, 'strategic');
          await client.delete(podPath(pod));
          events.event(job, JOB_KIND, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
        } catch (err) {
          if (dropFinalizer) expectations.deletionObserved(key, keyOf(pod));
          if (!notFound(err)) {
            events.event(job, JOB_KIND, 'Warning', 'FailedDelete', `Error deleting: ${(err as Error).message}`);
            error ??= err as Error;
            return;
          }
        }
        removed++;
        if (isPodReady(pod)) removedReady++;
      }),
    );
    return { removed, removedReady, error };
  };

  /** Removes tracking finalizers; returns the uids whose finalizer is gone. */
  const removeFinalizers = async (key: string, victims: Pod[]): Promise<{ gone: Set<string>; error?: Error }> => {
    const uids = victims.map((p) => String(p.metadata.uid));
    const expected = removals.get(key) ?? new Set<string>();
    removals.set(key, expected);
    for (const uid of uids) expected.add(uid);
    const gone = new Set<string>();
    let error: Error | undefined;
    await Promise.all(
      victims.map(async (pod, i) => {
        try {
          await client.patch(podPath(pod), REMOVE_FINALIZER, 'strategic');
        } catch (err) {
          expected.delete(uids[i]!);
          if (!notFound(err)) return void (error ??= new Error(`removing tracking finalizer from pod ${pod.metadata.name}: ${(err as Error).message}`, { cause: err }));
        }
        gone.add(uids[i]!);
      }),
    );
    return { gone, error };
  };

  const writeStatus = async (job: Job, status: JobStatus): Promise<Job> => {
    const next = await client.update<Job>(`${jobPath(job.metadata.namespace ?? '', job.metadata.name)}/status`, { ...job, apiVersion: 'batch/v1', kind: 'Job', status });
    written.set(keyOf(job), Number(next.metadata.resourceVersion));
    return next;
  };

  const act = async (job: Job, key: string, action: JobAction): Promise<ActionOutcome & { error?: Error }> => {
    const none = { removed: 0, removedReady: 0, created: 0 };
    if (action.type === 'terminate') return { ...none, ...(await deletePods(job, key, action.pods, false)) };
    if (action.type === 'delete') return { ...none, ...(await deletePods(job, key, action.pods, true)) };
    if (action.type === 'create') return { ...none, ...(await createPods(job, key, action.pods)) };
    return none;
  };

  const syncJob = async (key: string): Promise<ReconcileResult | void> => {
    const cached = jobs.get(key);
    if (!cached) {
      expectations.delete(key);
      removals.delete(key);
      backoffs.delete(key);
      written.delete(key);
      return;
    }
    // Our last status write has not reached the cache: its update event brings the job back.
    if (Number(cached.metadata.resourceVersion) < (written.get(key) ?? 0)) return { requeueAfter: 1000 };
    if (managedByOther(cached)) return;
    if (isJobFinished(cached)) {
      backoffs.delete(key);
      return;
    }
    const job = structuredClone(cached);
    const satisfied = expectations.satisfied(key);
    const owned = await claim(job);
    const now = Date.now();
    const ctx = jobContext({ job, pods: owned, satisfied, expectedRemovals: new Set(removals.get(key) ?? []), backoff: backoffs.get(key) ?? { failuresAfterLastSuccess: 0 }, now, backoffBaseMs, backoffMaxMs });
    const { action, managed } = planAction(ctx);
    if (action.type === 'create' || action.type === 'delete') log.v(2).info(`job ${key}: ${action.type === 'create' ? 'creating' : 'deleting'} ${action.pods.length} pod(s)`);
    const outcome = await act(job, key, action);
    const plan = planTracking(ctx, action, managed, outcome);
    for (const e of plan.events) events.event(job, JOB_KIND, e.type, e.reason, e.message);
    let current: Job = job;
    if (!sameJobStatus(job.status, plan.status)) {
      current = await writeStatus(job, plan.status);
      backoffs.set(key, ctx.nextBackoff);
    }
    const removed = plan.removeFinalizers.length ? await removeFinalizers(key, plan.removeFinalizers) : { gone: new Set<string>() };
    const withFinalizer = new Set([...plan.withFinalizer].filter((uid) => !removed.gone.has(uid)));
    const done = finishTracking(plan, plan.status, withFinalizer, Date.now());
    if (!sameJobStatus(plan.status, done.status) || done.finished) {
      current = await writeStatus(current, done.status);
      if (done.finished && plan.final) {
        for (const e of finishedEvents(job, done.status, plan.final)) events.event(job, JOB_KIND, e.type, e.reason, e.message);
        log.v(1).info(`job ${key}: ${plan.final.type === 'Complete' ? 'completed' : `failed (${plan.final.reason})`}`);
      }
    }
    if (removed.error) throw removed.error;
    if (outcome.error) throw outcome.error;
    const waits = [ctx.deadlineIn, action.type === 'wait' ? action.after : undefined].filter((w): w is number => w !== undefined);
    return waits.length ? { requeueAfter: Math.max(Math.min(...waits), 0) + 10 } : undefined;
  };

  const reconcile = async (key: string): Promise<ReconcileResult | void> => {
    if (key.startsWith(ORPHAN)) return syncOrphanPod(key.slice(ORPHAN.length));
    try {
      return await syncJob(key);
    } catch (err) {
      // Someone else changed the job since the cache saw it: try again once the cache has caught up.
      if (!(err instanceof ApiRequestError && err.code === 409 && err.reason === 'Conflict')) throw err;
      log.v(2).info(`job ${key}: status write conflicted; syncing again`);
      return { requeueAfter: 100 };
    }
  };
  return { queue, reconcile };
}
