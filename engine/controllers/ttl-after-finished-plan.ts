// When the TTL-after-finished controller deletes a Job, pure.
import type { Job } from './job-util.js';

/** What the controller does about a job now: nothing, wait `ms`, or delete it. */
export type TtlVerdict = { type: 'ignore' } | { type: 'wait'; ms: number } | { type: 'expired'; at: number };

/**
 * The verdict for `job` at `now`: jobs being deleted, without ttlSecondsAfterFinished or not
 * finished are ignored; a finished one expires ttlSecondsAfterFinished after the transition time
 * of its Complete or Failed condition. A finished job without that time is an error.
 */
export function ttlVerdict(job: Job, now: number): TtlVerdict {
  const ttl = job.spec.ttlSecondsAfterFinished;
  if (job.metadata.deletionTimestamp || ttl === undefined) return { type: 'ignore' };
  const done = (job.status?.conditions ?? []).find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  if (!done) return { type: 'ignore' };
  const finished = Date.parse(done.lastTransitionTime ?? '');
  if (Number.isNaN(finished)) throw new Error(`unable to find the time when the Job ${job.metadata.namespace}/${job.metadata.name} finished`);
  const at = finished + ttl * 1000;
  return at <= now ? { type: 'expired', at } : { type: 'wait', ms: at - now };
}
