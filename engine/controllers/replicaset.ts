// The ReplicaSet controller: keeps spec.replicas pods of each ReplicaSet running. It adopts
// matching orphans, releases pods that stopped matching, creates missing pods in slow-start
// batches and deletes extras in upstream's order, waits for its own changes to reach its cache
// (expectations) before counting again, and reports status, events and ReplicaFailure.
import type { ApiObject } from '../api/resource-type.js';
import type { ReconcileResult } from '../client/controller.js';
import type { Informer } from '../client/informer.js';
import { ApiRequestError, type RestClient } from '../client/rest-client.js';
import { WorkQueue } from '../client/work-queue.js';
import { nullLogger, type Logger } from '../log/logger.js';
import type { EventRecorder } from '../client/event-recorder.js';
import { Expectations } from './expectations.js';
import { ownerQueue, watchOwnedPods, watchOwners } from './owned-pods.js';
import { claimPods, planScale, replicaSetStatus, sameStatus, slowStartBatches, type ManageFailure } from './replicaset-plan.js';
import { BY_NAMESPACE, ensureIndex, isActivePod, namespaceIndex, ownerRefTo, type Pod, type ReplicaSet } from './workload-util.js';

const RS_KIND = ['apps/v1', 'ReplicaSet'] as const;
const POD_KIND = ['v1', 'Pod'] as const;

/** What the controller runs on. */
export interface ReplicaSetControllerDeps {
  client: RestClient;
  pods: Informer<Pod>;
  replicaSets: Informer<ReplicaSet>;
  events: EventRecorder;
  log?: Logger;
}

const keyOf = (o: ApiObject) => `${o.metadata.namespace}/${o.metadata.name}`;
const podsPath = (ns: string) => `/api/v1/namespaces/${encodeURIComponent(ns)}/pods`;
const rsPath = (ns: string, name: string) => `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/replicasets/${encodeURIComponent(name)}`;
const notFound = (err: unknown) => err instanceof ApiRequestError && err.code === 404;

/** The ReplicaSet controller's queue (fed by informer handlers it registers) and reconcile function. */
export function replicaSetController(deps: ReplicaSetControllerDeps): { queue: WorkQueue; reconcile(key: string): Promise<ReconcileResult | void> } {
  const { client, pods, replicaSets, events } = deps;
  const log = deps.log ?? nullLogger;
  const queue = new WorkQueue();
  const expectations = new Expectations();
  ensureIndex(pods, BY_NAMESPACE, namespaceIndex);
  watchOwnedPods(pods, ownerQueue(queue, replicaSets, 'ReplicaSet'), queue, expectations, { matchOnLabelChange: true });
  watchOwners(replicaSets, queue, expectations);

  /** Adopts or releases a pod by rewriting its owner references (guarded by its resourceVersion). */
  const setOwner = async (rs: ReplicaSet, pod: Pod, adopt: boolean): Promise<Pod | undefined> => {
    const others = (pod.metadata.ownerReferences ?? []).filter((r) => r.uid !== rs.metadata.uid);
    const ownerReferences = adopt ? [...others, ownerRefTo(rs, 'apps/v1', 'ReplicaSet')] : others;
    const patch = { metadata: { uid: pod.metadata.uid, resourceVersion: pod.metadata.resourceVersion, ownerReferences: ownerReferences.length ? ownerReferences : null } };
    try {
      return await client.patch<Pod>(`${podsPath(pod.metadata.namespace ?? '')}/${encodeURIComponent(pod.metadata.name)}`, patch);
    } catch (err) {
      if (notFound(err)) return undefined;
      throw new Error(`failed to ${adopt ? 'adopt' : 'release'} pod ${pod.metadata.name}: ${(err as Error).message}`, { cause: err });
    }
  };

  /** Creates `count` pods in slow-start batches; stops at the first failing batch. */
  const createPods = async (rs: ReplicaSet, key: string, count: number): Promise<ManageFailure | undefined> => {
    const ns = rs.metadata.namespace ?? '';
    const template = rs.spec.template ?? {};
    const body = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        generateName: `${rs.metadata.name}-`,
        namespace: ns,
        labels: template.metadata?.labels,
        annotations: template.metadata?.annotations,
        ownerReferences: [ownerRefTo(rs, 'apps/v1', 'ReplicaSet')],
      },
      spec: template.spec,
    };
    expectations.expect(key, count);
    let made = 0;
    for (const batch of slowStartBatches(count)) {
      const results = await Promise.allSettled(Array.from({ length: batch }, () => client.create<Pod>(podsPath(ns), body)));
      let failed: Error | undefined;
      for (const r of results) {
        if (r.status === 'fulfilled') events.event(rs, RS_KIND, 'Normal', 'SuccessfulCreate', `Created pod: ${r.value.metadata.name}`);
        else {
          expectations.creationObserved(key);
          failed ??= r.reason as Error;
        }
      }
      made += batch;
      if (failed) {
        expectations.creationObserved(key, count - made);
        const message = failed.message;
        events.event(rs, RS_KIND, 'Warning', 'FailedCreate', `Error creating: ${message}`);
        return { reason: 'FailedCreate', message };
      }
    }
    return undefined;
  };

  const deletePods = async (rs: ReplicaSet, key: string, victims: Pod[]): Promise<ManageFailure | undefined> => {
    expectations.expect(key, 0, victims.map(keyOf));
    let failure: ManageFailure | undefined;
    await Promise.all(
      victims.map(async (pod) => {
        try {
          await client.delete(`${podsPath(pod.metadata.namespace ?? '')}/${encodeURIComponent(pod.metadata.name)}`);
          events.event(rs, RS_KIND, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
        } catch (err) {
          expectations.deletionObserved(key, keyOf(pod));
          if (notFound(err)) return;
          events.event(rs, RS_KIND, 'Warning', 'FailedDelete', `Error deleting: ${(err as Error).message}`);
          failure ??= { reason: 'FailedDelete', message: (err as Error).message };
        }
      }),
    );
    return failure;
  };

  const reconcile = async (key: string): Promise<ReconcileResult | void> => {
    const rs = replicaSets.get(key);
    if (!rs) {
      expectations.delete(key);
      return;
    }
    const ns = rs.metadata.namespace ?? '';
    const needsSync = expectations.satisfied(key) && !rs.metadata.deletionTimestamp;
    const claims = claimPods(rs, pods.byIndex(BY_NAMESPACE, ns));
    if (claims.adopt.length) {
      // Adopt only for a set that still exists as we know it (not deleted and recreated).
      const fresh = await client.get<ReplicaSet>(rsPath(ns, rs.metadata.name)).catch((err) => (notFound(err) ? undefined : Promise.reject(err)));
      if (fresh && fresh.metadata.uid === rs.metadata.uid && !fresh.metadata.deletionTimestamp) {
        for (const pod of claims.adopt) {
          const adopted = await setOwner(rs, pod, true);
          if (adopted) claims.owned.push(adopted);
        }
      }
    }
    for (const pod of claims.release) await setOwner(rs, pod, false);
    const active = claims.owned.filter(isActivePod);
    let failure: ManageFailure | undefined;
    if (needsSync) {
      const plan = planScale(rs, active);
      if (plan.create) failure = await createPods(rs, key, plan.create);
      else if (plan.remove.length) failure = await deletePods(rs, key, plan.remove);
      if (plan.create || plan.remove.length) log.v(2).info(`replicaset ${key}: ${plan.create ? `creating ${plan.create}` : `deleting ${plan.remove.length}`} pod(s)`);
    }
    const now = Date.now();
    const { status, requeueAfter } = replicaSetStatus(rs, claims.owned, failure, now);
    if (!sameStatus(rs.status, status)) {
      await client
        .patch(`${rsPath(ns, rs.metadata.name)}/status`, { metadata: { uid: rs.metadata.uid }, status: { ...status, conditions: status.conditions ?? null } })
        .catch((err) => {
          if (!notFound(err)) throw err;
        });
    }
    if (failure) throw new Error(`${failure.reason}: ${failure.message}`);
    return requeueAfter !== undefined ? { requeueAfter } : undefined;
  };

  return { queue, reconcile };
}
