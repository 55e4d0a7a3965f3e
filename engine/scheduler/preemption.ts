// What preemption would do for a pod no node can take: on each node where evicting pods could
// help, remove the pods of lower priority, check the pod then fits, and put back as many as still
// leave it room. Either a plan (the node and its victims) or the "preemption: …" message upstream
// appends to FailedScheduling events.
import { withNode, type Cycle } from './cycle.js';
import { fitMessage } from './messages.js';
import { nodeInfo, type NodeInfo } from './node-info.js';
import { priorityOf, reject, type Pod, type Rejection } from './types.js';

/** A node and the pods to evict from it so the pod fits. */
export interface PreemptionPlan {
  node: string;
  victims: Pod[];
}

/** Runs every filter on one node, as schedule does. */
export type NodeCheck = (pod: Pod, node: NodeInfo, cycle: Cycle) => Rejection | undefined;

/** Preemption's verdict for a node an unresolvable filter turned down. */
export const NOT_HELPFUL = 'Preemption is not helpful for scheduling';
/** Preemption's verdict for a node without pods of lower priority. */
export const NO_VICTIMS = 'No preemption victims found for incoming pod';

const startTime = (p: Pod): number => Date.parse(String(p.status?.startTime ?? '')) || Number.MAX_SAFE_INTEGER;

/** Higher priority first, then the pod that started earlier. */
const moreImportantFirst = (a: Pod, b: Pod): number => priorityOf(b) - priorityOf(a) || startTime(a) - startTime(b);

/** Tries the pod on `info` with only `pods` present. */
function fitsWith(pod: Pod, info: NodeInfo, pods: Pod[], cycle: Cycle, check: NodeCheck): Rejection | undefined {
  const trial = nodeInfo(info.node, pods);
  return check(pod, trial, withNode(cycle, trial));
}

/** The victims on one node, or why preemption cannot help there. */
function victimsOn(pod: Pod, info: NodeInfo, cycle: Cycle, check: NodeCheck): Pod[] | Rejection {
  const lower = info.pods.filter((p) => priorityOf(p) < priorityOf(pod));
  if (!lower.length) return reject(true, NO_VICTIMS);
  const kept = info.pods.filter((p) => !lower.includes(p));
  const status = fitsWith(pod, info, kept, cycle, check);
  if (status) return status;
  const victims: Pod[] = [];
  for (const candidate of [...lower].sort(moreImportantFirst)) {
    if (fitsWith(pod, info, [...kept, candidate], cycle, check)) victims.push(candidate);
    else kept.push(candidate);
  }
  return victims;
}

/** Prefers the plan whose most important victim matters least, then fewer victims, then lower total priority. */
function better(a: PreemptionPlan, b: PreemptionPlan): boolean {
  const top = (p: PreemptionPlan) => Math.max(...p.victims.map(priorityOf));
  const sum = (p: PreemptionPlan) => p.victims.reduce((s, v) => s + priorityOf(v), 0);
  return top(a) - top(b) < 0 || (top(a) === top(b) && (a.victims.length - b.victims.length < 0 || (a.victims.length === b.victims.length && sum(a) < sum(b))));
}

/**
 * Preemption's verdict after every node rejected the pod (`statuses` by node name): a plan when
 * evictions would make room — the message is then empty, as upstream's is — else the
 * "preemption: …" text explaining why not.
 */
export function planPreemption(cycle: Cycle, statuses: Map<string, Rejection>, check: NodeCheck): { plan?: PreemptionPlan; message: string } {
  const { pod } = cycle;
  if (pod.spec?.preemptionPolicy === 'Never') return { message: 'preemption: not eligible due to preemptionPolicy=Never.' };
  const outcomes = new Map<string, Rejection>();
  let plan: PreemptionPlan | undefined;
  for (const info of cycle.nodes) {
    const status = statuses.get(info.name);
    if (!status || status.unresolvable) {
      outcomes.set(info.name, reject(true, NOT_HELPFUL));
      continue;
    }
    const result = victimsOn(pod, info, cycle, check);
    if (!Array.isArray(result)) outcomes.set(info.name, result);
    else if (!plan || better({ node: info.name, victims: result }, plan)) plan = { node: info.name, victims: result };
  }
  if (plan) return { plan, message: '' };
  return { message: `preemption: ${fitMessage(cycle.nodes.length, outcomes.values())}` };
}
