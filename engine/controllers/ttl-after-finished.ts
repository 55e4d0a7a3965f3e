// The TTL-after-finished controller: deletes a finished Job (and, through the garbage collector,
// its pods) ttlSecondsAfterFinished after it finished. Before deleting it reads the job afresh
// so that a TTL changed meanwhile is honoured, and deletes only that very job (uid precondition),
// in the foreground as Kubernetes does: the Job stays until its pods are gone.
import type { ReconcileResult } from '../client/controller.js';
import type { Informer } from '../client/informer.js';
import { ApiRequestError, type RestClient } from '../client/rest-client.js';
import { WorkQueue } from '../client/work-queue.js';
import { nullLogger, type Logger } from '../log/logger.js';
import type { Job } from './job-util.js';
import { ttlVerdict } from './ttl-after-finished-plan.js';

/** What the controller runs on. */
export interface TtlAfterFinishedDeps {
  client: RestClient;
  jobs: Informer<Job>;
  log?: Logger;
}

const keyOf = (o: Job) => `${o.metadata.namespace}/${o.metadata.name}`;
const jobPath = (key: string) => {
  const [ns, name] = key.split('/') as [string, string];
  return `/apis/batch/v1/namespaces/${encodeURIComponent(ns)}/jobs/${encodeURIComponent(name)}`;
};
const notFound = (err: unknown) => err instanceof ApiRequestError && err.code === 404;

/** The controller's queue (fed by the job informer) and reconcile function. */
export function ttlAfterFinishedController(deps: TtlAfterFinishedDeps): { queue: WorkQueue; reconcile(key: string): Promise<ReconcileResult | void> } {
  const { client, jobs } = deps;
  const log = deps.log ?? nullLogger;
  const queue = new WorkQueue();
  const enqueue = (job: Job) => {
    if (job.spec.ttlSecondsAfterFinished !== undefined && !job.metadata.deletionTimestamp) queue.add(keyOf(job));
  };
  jobs.addHandler({ onAdd: enqueue, onUpdate: (_, job) => enqueue(job) });

  const reconcile = async (key: string): Promise<ReconcileResult | void> => {
    const cached = jobs.get(key);
    if (!cached) return;
    const verdict = ttlVerdict(cached, Date.now());
    if (verdict.type === 'wait') return { requeueAfter: verdict.ms };
    if (verdict.type === 'ignore') return;
    const fresh = await client.get<Job>(jobPath(key)).catch((err) => (notFound(err) ? undefined : Promise.reject(err)));
    if (!fresh) return;
    const again = ttlVerdict(fresh, Date.now());
    if (again.type === 'wait') return { requeueAfter: again.ms };
    if (again.type === 'ignore') return;
    log.v(1).info(`ttl-after-finished: deleting job ${key} (expired ${Math.round((Date.now() - again.at) / 1000)}s ago)`);
    const options = { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Foreground', preconditions: { uid: fresh.metadata.uid } };
    await client.request('DELETE', jobPath(key), options).catch((err) => (notFound(err) ? undefined : Promise.reject(err)));
  };
  return { queue, reconcile };
}
