// Pure rules about pod and node changes the scheduler reacts to: which pods are its to place,
// which updates are worth another attempt, and the PodScheduled condition it writes.
import { isTerminal } from './node-info.js';
import { stableJson } from '../api/stable-json.js';
import type { Node, Pod } from './types.js';

/** The component name the scheduler reports as, and the schedulerName of pods it schedules. */
export const SCHEDULER_NAME = 'default-scheduler';

/** True for a pod this scheduler must place: unbound, ours, not being deleted, not finished. */
export function isPending(pod: Pod): boolean {
  const name = pod.spec?.schedulerName;
  return !pod.spec?.nodeName && (!name || name === SCHEDULER_NAME) && !pod.metadata?.deletionTimestamp && !isTerminal(pod);
}

/** True when a pending pod changed in a way that may change where it fits (spec or labels), not just its status. */
export function podChangeMatters(old: Pod, pod: Pod): boolean {
  return stableJson(old.spec) !== stableJson(pod.spec) || stableJson(old.metadata?.labels) !== stableJson(pod.metadata?.labels);
}

/** True when a bound pod stopped holding its node's resources (it finished or is going away). */
export function releasesResources(old: Pod, pod: Pod): boolean {
  if (!old.spec?.nodeName) return false;
  return (!isTerminal(old) && isTerminal(pod)) || (!old.metadata?.deletionTimestamp && Boolean(pod.metadata?.deletionTimestamp));
}

type NodeView = Node & { status?: { conditions?: Array<{ type?: string; status?: string; [field: string]: unknown }> } };

/** True when a node update may let pods fit that did not: labels, taints, cordon, allocatable, readiness. */
export function nodeChangeMatters(old: NodeView, node: NodeView): boolean {
  const view = (n: NodeView) => ({
    labels: n.metadata?.labels,
    spec: n.spec,
    allocatable: n.status?.allocatable ?? n.status?.capacity,
    conditions: (n.status?.conditions ?? []).map((c) => [c.type, c.status]),
  });
  return stableJson(view(old)) !== stableJson(view(node));
}

/**
 * The PodScheduled=False condition (reason Unschedulable, or SchedulerError when the attempt
 * failed after a node was chosen) to write for `message`, or undefined when the pod already has
 * exactly that (no write needed). The transition time moves only when the status does.
 */
export function scheduledCondition(pod: Pod, message: string, now = new Date(), reason = 'Unschedulable'): Record<string, unknown> | undefined {
  const current = (pod.status?.conditions ?? []).find((c) => c.type === 'PodScheduled');
  if (current && current.status === 'False' && current.reason === reason && current.message === message) return undefined;
  const at = now.toISOString().replace(/\.\d+Z$/, 'Z');
  const since = current?.status === 'False' && typeof current.lastTransitionTime === 'string' ? current.lastTransitionTime : at;
  return { type: 'PodScheduled', status: 'False', reason, message, lastProbeTime: null, lastTransitionTime: since };
}
