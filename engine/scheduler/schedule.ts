// The scheduling decision for one pod: filter every node in upstream's plugin order, score the
// nodes left with upstream's default weights, pick the best (ties at random). When no node fits,
// the FailedScheduling message upstream would print, and a preemption plan when evicting
// lower-priority pods would make room.
import { newCycle, type Cycle, type CycleOptions } from './cycle.js';
import {
  nodeAffinity,
  nodeName,
  nodeNamesFromAffinity,
  nodePorts,
  nodeResourcesFit,
  nodeUnschedulable,
  REASON_AFFINITY_CONFLICT,
  taintToleration,
  type Filter,
} from './filters.js';
import { interPodAffinity, interPodAffinityScores } from './inter-pod-affinity.js';
import { failedSchedulingMessage, fitMessage, NO_NODES } from './messages.js';
import type { NodeInfo } from './node-info.js';
import { planPreemption, type PreemptionPlan } from './preemption.js';
import { balancedAllocation, leastAllocated, nodeAffinityPreference, taintPreference } from './scores.js';
import { podTopologySpread, topologySpreadScores } from './topology-spread.js';
import { reject, type Pod, type Rejection } from './types.js';
import { volumeBinding, volumeClaimsOf } from './volume-binding.js';
import { volumeRestrictions } from './volume-restrictions.js';

/** The filters in the order kube-scheduler's default profile runs them; a node's first rejection is its status. */
export const FILTERS: { name: string; filter: Filter }[] = [
  { name: 'NodeUnschedulable', filter: nodeUnschedulable },
  { name: 'NodeName', filter: nodeName },
  { name: 'TaintToleration', filter: taintToleration },
  { name: 'NodeAffinity', filter: nodeAffinity },
  { name: 'NodePorts', filter: nodePorts },
  { name: 'NodeResourcesFit', filter: nodeResourcesFit },
  { name: 'VolumeRestrictions', filter: volumeRestrictions },
  { name: 'VolumeBinding', filter: volumeBinding },
  { name: 'PodTopologySpread', filter: podTopologySpread },
  { name: 'InterPodAffinity', filter: interPodAffinity },
];

/** The score plugins with upstream's default weights (ImageLocality, weight 1, is left out). */
export const SCORES: { name: string; weight: number; score: (cycle: Cycle, feasible: NodeInfo[]) => number[] }[] = [
  { name: 'TaintToleration', weight: 3, score: (c, f) => taintPreference(c.pod, f) },
  { name: 'NodeAffinity', weight: 2, score: (c, f) => nodeAffinityPreference(c.pod, f) },
  { name: 'NodeResourcesFit', weight: 1, score: (c, f) => leastAllocated(c.pod, f) },
  { name: 'PodTopologySpread', weight: 2, score: topologySpreadScores },
  { name: 'InterPodAffinity', weight: 2, score: interPodAffinityScores },
  { name: 'NodeResourcesBalancedAllocation', weight: 1, score: (c, f) => balancedAllocation(c.pod, f) },
];

/** What the caller may pass besides the pod and the nodes. */
export interface ScheduleOptions extends CycleOptions {
  /** A number in [0, 1) to break ties between equally good nodes; Math.random by default. */
  random?: () => number;
}

/**
 * Where the pod goes, with each feasible node's weighted score (0 when only one node was feasible
 * and scoring was skipped); or the FailedScheduling message, with a preemption plan when evicting
 * lower-priority pods would make room (upstream then prints no "preemption:" part).
 */
export type ScheduleResult =
  | { node: string; scores: Record<string, number> }
  | { unschedulable: string; preemption?: PreemptionPlan };

/** Runs every filter on one node; undefined when the node can take the pod. */
export function runFilters(pod: Pod, node: NodeInfo, cycle: Cycle): Rejection | undefined {
  for (const { filter } of FILTERS) {
    const r = filter(pod, node, cycle);
    if (r) return r;
  }
  return undefined;
}

/** The weighted sum of every score plugin per feasible node, in order. */
export function scoreNodes(cycle: Cycle, feasible: NodeInfo[]): number[] {
  const totals = feasible.map(() => 0);
  for (const { weight, score } of SCORES) score(cycle, feasible).forEach((s, i) => (totals[i]! += s * weight));
  return totals;
}

const PREFILTERED = "node(s) didn't satisfy plugin(s) [NodeAffinity]";

/** Decides where `pod` goes among `nodes` (every node of the cluster, each with its pods). */
export function schedule(pod: Pod, nodes: NodeInfo[], opts: ScheduleOptions = {}): ScheduleResult {
  if (!nodes.length) return { unschedulable: NO_NODES };
  const cycle = newCycle(pod, nodes, opts);
  const statuses = new Map<string, Rejection>();
  const names = nodeNamesFromAffinity(pod);
  if (names?.size === 0) {
    for (const n of nodes) statuses.set(n.name, reject(true, REASON_AFFINITY_CONFLICT));
    return unschedulable(cycle, statuses, fitMessage(nodes.length, [], REASON_AFFINITY_CONFLICT));
  }
  // VolumeBinding's pre-filter: a missing or unbound-Immediate claim keeps the pod off every node.
  const claimsMessage = volumeClaimsOf(cycle).message;
  if (claimsMessage) {
    for (const n of nodes) statuses.set(n.name, reject(true, claimsMessage));
    return unschedulable(cycle, statuses, fitMessage(nodes.length, [], claimsMessage));
  }
  const feasible: NodeInfo[] = [];
  for (const n of nodes) {
    const status = names && !names.has(n.name) ? reject(true, PREFILTERED) : runFilters(pod, n, cycle);
    if (status) statuses.set(n.name, status);
    else feasible.push(n);
  }
  if (!feasible.length) return unschedulable(cycle, statuses, fitMessage(nodes.length, statuses.values()));
  if (feasible.length === 1) return { node: feasible[0]!.name, scores: { [feasible[0]!.name]: 0 } };
  const totals = scoreNodes(cycle, feasible);
  const best = Math.max(...totals);
  const tied = feasible.filter((_, i) => totals[i] === best);
  const pick = tied[Math.min(tied.length - 1, Math.floor((opts.random ?? Math.random)() * tied.length))]!;
  return { node: pick.name, scores: Object.fromEntries(feasible.map((n, i) => [n.name, totals[i]!])) };
}

function unschedulable(cycle: Cycle, statuses: Map<string, Rejection>, fit: string): ScheduleResult {
  const { plan, message } = planPreemption(cycle, statuses, runFilters);
  const msg = failedSchedulingMessage(fit, message);
  return plan ? { unschedulable: msg, preemption: plan } : { unschedulable: msg };
}
