// The per-node filters that need only the pod and the node: each returns undefined when the node
// can take the pod, or a Rejection with the reason strings upstream's plugins print.
import type { Cycle } from './cycle.js';
import { DO_NOT_SCHEDULE, matchesNodeSelectorAndAffinity, requiredTerms, tolerates, untoleratedTaint } from './matching.js';
import { hostPorts, portsConflict, type NodeInfo } from './node-info.js';
import { podRequests } from './resources.js';
import { list, reject, taintsOf, tolerationsOf, type Pod, type Rejection } from './types.js';

/** A filter: undefined when the node fits, else why not. `cycle` carries cluster-wide state. */
export type Filter = (pod: Pod, node: NodeInfo, cycle?: Cycle) => Rejection | undefined;

// The reasons as upstream's plugins word them.
/** NodeUnschedulable's reason. */
export const REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
/** NodeName's reason. */
export const REASON_NODE_NAME = "node(s) didn't match the requested node name";
/** NodeAffinity's reason. */
export const REASON_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";
/** NodePorts' reason. */
export const REASON_PORTS = "node(s) didn't have free ports for the requested pod ports";
/** NodeResourcesFit's reason when the node runs its maximum number of pods. */
export const REASON_TOO_MANY_PODS = 'Too many pods';

/**
 * TaintToleration's reason, as Kubernetes 1.34.0 prints it. (Later patch releases print
 * "node(s) had untolerated taint(s)" to keep taint values out of pod status.)
 */
export const untoleratedReason = (key: string, value: string): string => `node(s) had untolerated taint {${key}: ${value}}`;

/** NodeUnschedulable: a cordoned node takes only pods tolerating node.kubernetes.io/unschedulable:NoSchedule. */
export const nodeUnschedulable: Filter = (pod, info) => {
  if (info.node.spec?.unschedulable !== true) return undefined;
  const taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };
  return tolerationsOf(pod).some((t) => tolerates(t, taint)) ? undefined : reject(true, REASON_UNSCHEDULABLE);
};

/** NodeName: a pod that names its node fits only there. */
export const nodeName: Filter = (pod, info) =>
  pod.spec?.nodeName && pod.spec.nodeName !== info.name ? reject(true, REASON_NODE_NAME) : undefined;

/** TaintToleration: every NoSchedule and NoExecute taint must be tolerated (PreferNoSchedule only scores). */
export const taintToleration: Filter = (pod, info) => {
  const taint = untoleratedTaint(taintsOf(info.node), tolerationsOf(pod), DO_NOT_SCHEDULE);
  return taint ? reject(true, untoleratedReason(String(taint.key ?? ''), String(taint.value ?? ''))) : undefined;
};

/** NodeAffinity: the node must match spec.nodeSelector and the required node affinity. */
export const nodeAffinity: Filter = (pod, info) =>
  matchesNodeSelectorAndAffinity(pod, info.node) ? undefined : reject(true, REASON_NODE_AFFINITY);

/** NodePorts: no wanted host port may clash (same port and protocol, overlapping address) with one in use. */
export const nodePorts: Filter = (pod, info) => {
  const wanted = hostPorts(pod);
  const clash = wanted.some((w) => info.usedPorts.some((u) => portsConflict(w, u)));
  return clash ? reject(false, REASON_PORTS) : undefined;
};

/**
 * NodeResourcesFit: one more pod must fit the node's pod count, and every requested resource its
 * allocatable minus what the node's pods request. A request beyond the whole allocatable is
 * unresolvable (no eviction can make room).
 */
export const nodeResourcesFit: Filter = (pod, info) => {
  const reasons: string[] = [];
  let unresolvable = false;
  if (info.pods.length + 1 > (info.allocatable.pods ?? 0)) reasons.push(REASON_TOO_MANY_PODS);
  const req = podRequests(pod);
  for (const [name, amount] of Object.entries(req)) {
    if (name === 'pods' || amount <= 0) continue;
    const allocatable = info.allocatable[name] ?? 0;
    if (amount > allocatable - (info.requested[name] ?? 0)) {
      reasons.push(`Insufficient ${name}`);
      if (amount > allocatable) unresolvable = true;
    }
  }
  return reasons.length ? { reasons, unresolvable } : undefined;
};

/** The message when the pod's required node names (matchFields metadata.name In) leave no node at all. */
export const REASON_AFFINITY_CONFLICT = 'pod affinity terms conflict';

/**
 * NodeAffinity's pre-filter: when every required term names nodes (matchFields metadata.name In),
 * only those nodes are worth filtering. Undefined when any node may do; an empty set when the terms
 * contradict each other.
 */
export function nodeNamesFromAffinity(pod: Pod): Set<string> | undefined {
  const terms = requiredTerms(pod);
  if (!terms?.length) return undefined;
  let union: Set<string> | undefined;
  for (const term of terms) {
    let names: Set<string> | undefined;
    for (const r of list<{ key?: string; operator?: string; values?: string[] }>(term.matchFields)) {
      if (r.key !== 'metadata.name' || r.operator !== 'In') continue;
      const these = new Set(r.values ?? []);
      names = names ? new Set([...names].filter((n) => these.has(n))) : these;
    }
    if (!names) return undefined;
    union = new Set([...(union ?? []), ...names]);
  }
  return union;
}
