// POST pods/NAME/eviction (policy/v1 Eviction; v1beta1 bodies too): deletes the pod unless a
// PodDisruptionBudget covering it allows no disruption now (429, as upstream). Pods that are not
// running (pending, finished, already terminating) go without a budget check.
import { selectorMatches } from '../api/checks.js';
import type { ResourceType } from '../api/registry.js';
import { StoreError } from '../store/errors.js';
import type { Storage, StoredObject } from '../store/storage.js';
import { now, sendJson, type RequestContext } from './context.js';
import { deleteObject, type DeleteOptions } from './deletion.js';
import { readJson } from './request.js';
import { badRequest, failure, forbidden, toApiError } from './status.js';

const POD_SUBJECT = { resource: 'pods', kind: 'Pod', group: '' };
const PDB_REF = (namespace: string) => ({ resource: 'policy/poddisruptionbudgets', namespace });
/** The message of every refusal a budget causes (upstream's wording). */
export const VIOLATES_BUDGET = "Cannot evict pod as it would violate the pod's disruption budget.";

interface Pdb {
  metadata: { name: string; generation?: number };
  spec?: { selector?: unknown; unhealthyPodEvictionPolicy?: string };
  status?: { observedGeneration?: number; disruptionsAllowed?: number; currentHealthy?: number; desiredHealthy?: number; disruptedPods?: Record<string, string> };
}

type PodView = { metadata: { labels?: Record<string, string>; deletionTimestamp?: string }; status?: { phase?: string; conditions?: Array<{ type?: string; status?: string }> } };

/** True when the eviction may skip budgets: the pod is not running (pending, finished) or already going. */
export function ignoresBudgets(pod: PodView): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || Boolean(pod.metadata.deletionTimestamp);
}

const isReady = (pod: PodView) => (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

const tooManyRequests = (retryAfterSeconds: number, cause: string) =>
  failure(429, 'TooManyRequests', VIOLATES_BUDGET, { retryAfterSeconds, causes: [{ reason: 'DisruptionBudget', message: cause }] });

/**
 * What one budget says about evicting `pod`: 'allow' (and take one disruption from it), 'free'
 * (allowed without counting, for an unhealthy pod the policy lets go), or an ApiError to throw.
 */
export function budgetVerdict(pdb: Pdb, pod: PodView): 'allow' | 'free' {
  const s = pdb.status ?? {};
  if (!isReady(pod)) {
    const policy = pdb.spec?.unhealthyPodEvictionPolicy ?? 'IfHealthyBudget';
    if (policy === 'AlwaysAllow') return 'free';
    if ((s.currentHealthy ?? 0) >= (s.desiredHealthy ?? 0) && (s.desiredHealthy ?? 0) > 0) return 'free';
  }
  if ((s.observedGeneration ?? 0) < (pdb.metadata.generation ?? 1)) throw tooManyRequests(10, `The disruption budget ${pdb.metadata.name} is still being processed by the server.`);
  if ((s.disruptionsAllowed ?? 0) < 0) throw forbidden(`poddisruptionbudgets.policy "${pdb.metadata.name}" is forbidden: pdb disruptions allowed is negative`);
  if ((s.disruptionsAllowed ?? 0) === 0) throw tooManyRequests(0, `The disruption budget ${pdb.metadata.name} needs ${s.desiredHealthy ?? 0} healthy pods and has ${s.currentHealthy ?? 0} currently`);
  return 'allow';
}

/** The Eviction body's name and delete options, checked against the URL. */
async function readEviction(ctx: RequestContext): Promise<DeleteOptions> {
  const body = (await readJson(ctx.req)) as { apiVersion?: string; kind?: string; metadata?: { name?: string }; deleteOptions?: Record<string, unknown> };
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('the request body must be an Eviction');
  if (body.kind !== undefined && body.kind !== 'Eviction') throw badRequest(`the body is a ${String(body.kind)}, but the request needs an Eviction`);
  if (body.apiVersion !== undefined && !['policy/v1', 'policy/v1beta1'].includes(body.apiVersion)) throw badRequest(`the Eviction's apiVersion "${body.apiVersion}" is not served: use policy/v1`);
  if (body.metadata?.name && body.metadata.name !== ctx.path.name) throw badRequest('name in URL does not match name in Eviction object');
  const o = body.deleteOptions ?? {};
  const grace = o.gracePeriodSeconds;
  if (grace !== undefined && grace !== null && (typeof grace !== 'number' || !Number.isInteger(grace) || grace < 0)) throw badRequest('deleteOptions.gracePeriodSeconds must be a whole number of seconds, 0 or more');
  const dryRun = [...ctx.query.getAll('dryRun'), ...(Array.isArray(o.dryRun) ? o.dryRun.map(String) : [])];
  if (dryRun.some((v) => v !== 'All')) throw badRequest('unsupported dryRun value: the only value is All');
  return {
    gracePeriodSeconds: (grace ?? undefined) as number | undefined,
    propagationPolicy: o.propagationPolicy as DeleteOptions['propagationPolicy'],
    preconditions: o.preconditions as DeleteOptions['preconditions'],
    dryRun: dryRun.length > 0,
  };
}

/** Marks the pod with DisruptionTarget=True (reason EvictionByEvictionAPI) before it is deleted, as upstream does. */
async function markDisruptionTarget(storage: Storage, namespace: string, name: string): Promise<void> {
  await storage.guaranteedUpdate({ resource: 'pods', namespace }, name, (pod) => {
    const status = (pod.status ?? {}) as { conditions?: Array<Record<string, unknown>> };
    const others = (status.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
    pod.status = { ...status, conditions: [...others, { type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: now(), reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' }] };
    return pod;
  });
}

/** Serves an eviction: 201 with a Success Status once the pod is deleted (or marked for deletion). */
export async function serveEviction(storage: Storage, podType: ResourceType, ctx: RequestContext): Promise<void> {
  const namespace = ctx.path.namespace!;
  const name = ctx.path.name!;
  const opts = await readEviction(ctx);
  try {
    const pod = (await storage.get({ resource: 'pods', namespace }, name)) as StoredObject & PodView;
    if (!ignoresBudgets(pod)) {
      const { items } = await storage.list(PDB_REF(namespace));
      const pdbs = (items as unknown as Pdb[]).filter((p) => selectorMatches(p.spec?.selector as never, pod.metadata.labels ?? {}));
      if (pdbs.length > 1) throw failure(500, 'InternalError', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
      if (pdbs.length === 1 && budgetVerdict(pdbs[0]!, pod) === 'allow' && !opts.dryRun) {
        const pdb = pdbs[0]!;
        // The write carries the budget's resourceVersion: two evictions cannot both take its last disruption.
        await storage.update(PDB_REF(namespace), {
          ...(pdb as unknown as StoredObject),
          status: { ...pdb.status, disruptionsAllowed: (pdb.status?.disruptionsAllowed ?? 0) - 1, disruptedPods: { ...pdb.status?.disruptedPods, [name]: now() } },
        }).catch((err: unknown) => {
          if (err instanceof StoreError && err.reason === 'Conflict') throw tooManyRequests(1, `The disruption budget ${pdb.metadata.name} changed while the eviction was checked; try again.`);
          throw err;
        });
      }
    }
    const terminal = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    if (!opts.dryRun && !terminal && !pod.metadata.deletionTimestamp && !opts.preconditions?.resourceVersion) await markDisruptionTarget(storage, namespace, name);
    // Others (the scheduler, a kubelet) write the pod meanwhile: without a client precondition, try again.
    for (let attempt = 0; ; attempt++) {
      try {
        await deleteObject(storage, podType, namespace, name, opts);
        break;
      } catch (err) {
        if (!(err instanceof StoreError && err.reason === 'Conflict') || opts.preconditions?.resourceVersion || attempt >= 8) throw err;
      }
    }
  } catch (err) {
    throw err instanceof StoreError ? toApiError(err, { ...POD_SUBJECT, name }) : err;
  }
  sendJson(ctx.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}
