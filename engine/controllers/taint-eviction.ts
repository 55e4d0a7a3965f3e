// The taint manager (upstream's taint-eviction-controller): pods on a node with NoExecute
// taints they do not tolerate are deleted at once; pods that tolerate them for
// tolerationSeconds are deleted when that time, counted from the taint's timeAdded, runs out.
import type { ApiObject } from '../api/resource-type.js';
import type { ReconcileResult } from '../client/controller.js';
import type { Informer } from '../client/informer.js';
import { ApiRequestError, type RestClient } from '../client/rest-client.js';
import { WorkQueue } from '../client/work-queue.js';
import { nullLogger, type Logger } from '../log/logger.js';
import type { EventRecorder } from '../client/event-recorder.js';
import { BY_NODE, nodeIndex } from './node-lifecycle.js';
import { evictionTime, type NodeObj, type Taint } from './node-lifecycle-plan.js';
import { ensureIndex, type Pod } from './workload-util.js';

/** What the taint manager runs on. */
export interface TaintEvictionDeps {
  client: RestClient;
  nodes: Informer<NodeObj & ApiObject>;
  pods: Informer<Pod>;
  events: EventRecorder;
  log?: Logger;
}

const taintId = (node: string, t: Taint) => `${node}|${t.key}|${t.value ?? ''}|${t.effect}`;

/** The taint manager's queue (node names) and reconcile function. */
export function taintEvictionController(deps: TaintEvictionDeps): { queue: WorkQueue; reconcile(name: string): Promise<ReconcileResult | void> } {
  const { client, nodes, pods, events } = deps;
  const log = deps.log ?? nullLogger;
  const queue = new WorkQueue();
  /** When a taint without timeAdded was first seen. */
  const firstSeen = new Map<string, number>();
  ensureIndex(pods, BY_NODE, nodeIndex);
  const noExecute = (n: NodeObj | undefined) => (n?.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
  nodes.addHandler({
    onAdd: (n) => noExecute(n).length && queue.add(n.metadata.name),
    onUpdate: (old, n) => (noExecute(n).length || noExecute(old).length) && queue.add(n.metadata.name),
  });
  const podChanged = (p: Pod) => {
    const node = p.spec?.nodeName;
    if (node && noExecute(nodes.get(node)).length && !p.metadata.deletionTimestamp) queue.add(node);
  };
  pods.addHandler({ onAdd: podChanged, onUpdate: (_, p) => podChanged(p) });

  const reconcile = async (name: string): Promise<ReconcileResult | void> => {
    const taints = noExecute(nodes.get(name));
    for (const key of firstSeen.keys()) if (key.startsWith(`${name}|`) && !taints.some((t) => taintId(name, t) === key)) firstSeen.delete(key);
    if (!taints.length) return;
    const now = Date.now();
    const seen = (t: Taint) => {
      const id = taintId(name, t);
      if (!firstSeen.has(id)) firstSeen.set(id, now);
      return firstSeen.get(id)!;
    };
    let next: number | undefined;
    for (const pod of pods.byIndex(BY_NODE, name)) {
      if (pod.metadata.deletionTimestamp) continue;
      const at = evictionTime(pod.spec?.tolerations, taints, seen, now);
      if (at === undefined) continue;
      if (at > now) {
        next = Math.min(next ?? Infinity, at);
        continue;
      }
      const ns = pod.metadata.namespace ?? '';
      log.info(`taint-eviction: deleting pod ${ns}/${pod.metadata.name} from node ${name}`);
      events.event(pod, ['v1', 'Pod'], 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${ns}/${pod.metadata.name}`);
      await client.delete(`/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(pod.metadata.name)}`).catch((err) => {
        if (!(err instanceof ApiRequestError && err.code === 404)) throw err;
      });
    }
    return next !== undefined ? { requeueAfter: Math.max(next - now, 0) + 50 } : undefined;
  };

  return { queue, reconcile };
}
