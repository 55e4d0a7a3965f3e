// The node lifecycle controller: follows each Node's heartbeats (its Lease in kube-node-lease
// and its Ready condition). A node silent for longer than the grace period gets its conditions
// set to Unknown and its pods marked not ready; taints follow the node's conditions
// (unreachable / not-ready, NoSchedule and NoExecute, and unschedulable from spec.unschedulable)
// and go away when it is Ready again. Pods of a deleted Node are force-deleted.
import type { ApiObject } from '../api/resource-type.js';
import type { ReconcileResult } from '../client/controller.js';
import type { Informer } from '../client/informer.js';
import { ApiRequestError, type RestClient } from '../client/rest-client.js';
import { WorkQueue } from '../client/work-queue.js';
import { nullLogger, type Logger } from '../log/logger.js';
import { desiredTaints, observeHeartbeat, restoreConditions, sameTaints, staleConditions, type Heartbeat, type NodeCondition, type NodeObj } from './node-lifecycle-plan.js';
import { ensureIndex, podCondition, rfc3339, type Pod } from './workload-util.js';

/** The index of pods by spec.nodeName. */
export const BY_NODE = 'nodeName';
export const nodeIndex = (p: Pod): string[] => (p.spec?.nodeName ? [p.spec.nodeName] : []);

/** What the controller runs on; grace and period in ms. */
export interface NodeLifecycleDeps {
  client: RestClient;
  nodes: Informer<NodeObj & ApiObject>;
  leases: Informer<ApiObject & { spec?: { renewTime?: string; holderIdentity?: string } }>;
  pods: Informer<Pod>;
  /** How long a node may stay silent (default 40 s). */
  graceMs?: number;
  /** How often each node is looked at regardless of changes (default 5 s). */
  periodMs?: number;
  log?: Logger;
}

const enc = encodeURIComponent;
const ignore404 = (err: unknown) => {
  if (!(err instanceof ApiRequestError && err.code === 404)) throw err;
};

/** The node lifecycle controller's queue (node names) and reconcile function. */
export function nodeLifecycleController(deps: NodeLifecycleDeps): { queue: WorkQueue; reconcile(name: string): Promise<ReconcileResult | void> } {
  const { client, nodes, leases, pods } = deps;
  const graceMs = deps.graceMs ?? 40_000;
  const periodMs = deps.periodMs ?? 5_000;
  const log = deps.log ?? nullLogger;
  const queue = new WorkQueue();
  const heartbeats = new Map<string, Heartbeat>();
  /** Conditions as the node agent last posted them, for nodes this controller marked Unknown. */
  const beforeMarking = new Map<string, NodeCondition[]>();
  ensureIndex(pods, BY_NODE, nodeIndex);
  nodes.addHandler({ onAdd: (n) => queue.add(n.metadata.name), onUpdate: (_, n) => queue.add(n.metadata.name), onDelete: (n) => queue.add(n.metadata.name) });
  leases.addHandler({ onAdd: (l) => queue.add(l.metadata.name), onUpdate: (_, l) => queue.add(l.metadata.name) });

  /** Pods on an unresponsive node cannot be ready: their Ready condition turns False. */
  const markPodsNotReady = async (name: string) => {
    for (const pod of pods.byIndex(BY_NODE, name)) {
      if (pod.metadata.deletionTimestamp || podCondition(pod, 'Ready')?.status === 'False') continue;
      if (!podCondition(pod, 'Ready')) continue;
      const conditions = (pod.status?.conditions ?? []).map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: rfc3339(Date.now()) } : c));
      await client
        .patch(`/api/v1/namespaces/${enc(pod.metadata.namespace ?? '')}/pods/${enc(pod.metadata.name)}/status`, { metadata: { resourceVersion: pod.metadata.resourceVersion }, status: { conditions } })
        .catch((err) => {
          if (!(err instanceof ApiRequestError && (err.code === 404 || err.code === 409))) throw err;
          queue.addAfter(name, 1000);
        });
    }
  };

  const reconcile = async (name: string): Promise<ReconcileResult | void> => {
    let node = nodes.get(name);
    if (!node) {
      heartbeats.delete(name);
      for (const pod of pods.byIndex(BY_NODE, name)) {
        log.info(`node-lifecycle: node ${name} is gone; force-deleting pod ${pod.metadata.namespace}/${pod.metadata.name}`);
        await client.delete(`/api/v1/namespaces/${enc(pod.metadata.namespace ?? '')}/pods/${enc(pod.metadata.name)}?gracePeriodSeconds=0`).catch(ignore404);
      }
      return;
    }
    const now = Date.now();
    const hb = observeHeartbeat(heartbeats.get(name), node, leases.get(`kube-node-lease/${name}`)?.spec?.renewTime, now);
    heartbeats.set(name, hb);
    const silentFor = now - hb.probeAt;
    if (silentFor > graceMs) {
      const conditions = staleConditions(node.status?.conditions, now);
      if (conditions) {
        beforeMarking.set(name, node.status?.conditions ?? []);
        log.info(`node-lifecycle: node ${name} has not reported for ${Math.round(silentFor / 1000)}s; marking it Unknown`);
        node = await client.update<NodeObj & ApiObject>(`/api/v1/nodes/${enc(name)}/status`, { ...node, apiVersion: 'v1', kind: 'Node', status: { ...node.status, conditions } });
      }
    } else if (beforeMarking.has(name)) {
      // Heartbeats are back: what the agent last posted holds again until it posts anew.
      const restored = restoreConditions(node.status?.conditions, beforeMarking.get(name)!, now);
      beforeMarking.delete(name);
      if (restored) {
        log.info(`node-lifecycle: node ${name} is reporting again`);
        node = await client.update<NodeObj & ApiObject>(`/api/v1/nodes/${enc(name)}/status`, { ...node, apiVersion: 'v1', kind: 'Node', status: { ...node.status, conditions: restored } });
      }
    }
    if (node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'Unknown') await markPodsNotReady(name);
    const taints = desiredTaints(node, now);
    if (!sameTaints(node.spec?.taints, taints)) {
      await client.patch(`/api/v1/nodes/${enc(name)}`, { metadata: { resourceVersion: node.metadata.resourceVersion }, spec: { taints: taints.length ? taints : null } });
    }
    const untilStale = hb.probeAt + graceMs - now;
    return { requeueAfter: untilStale > 0 ? Math.min(untilStale + 100, periodMs) : periodMs };
  };

  return { queue, reconcile };
}
