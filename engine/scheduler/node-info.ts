// A node together with the pods bound to it, and what they already take: requested resources and
// host ports. The caller builds one per node from its informer caches.
import type { ContainerJson } from '../api/types/pod-json.js';
import { addInto, amounts, podRequests, type Amounts } from './resources.js';
import { list, nameOf, type Node, type Pod } from './types.js';

/** One host port a pod binds; ip is 0.0.0.0 for all addresses, protocol TCP when unset. */
export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

/** A node with its pods and their precomputed usage. */
export interface NodeInfo {
  name: string;
  node: Node;
  /** The pods bound to the node that still hold resources (terminal pods are left out). */
  pods: Pod[];
  /** status.allocatable (capacity when unset): cpu in millicores, memory in bytes, pods as a count. */
  allocatable: Amounts;
  /** The sum of the pods' effective requests. */
  requested: Amounts;
  /** The same sum with 100m / 200Mi for containers that request nothing (used for scoring). */
  nonZeroRequested: Amounts;
  usedPorts: HostPort[];
}

const ANY_IP = '0.0.0.0';

/** The host ports a pod's containers (and sidecars) bind. */
export function hostPorts(pod: Pod): HostPort[] {
  const spec = pod.spec ?? {};
  const containers = [
    ...list<ContainerJson>(spec.containers),
    ...list<ContainerJson>(spec.initContainers).filter((c) => c.restartPolicy === 'Always'),
  ];
  const out: HostPort[] = [];
  for (const c of containers)
    for (const p of list<{ hostPort?: number; hostIP?: string; protocol?: string }>(c.ports)) {
      const port = Number(p.hostPort ?? 0);
      if (port > 0) out.push({ ip: p.hostIP || ANY_IP, protocol: p.protocol || 'TCP', port });
    }
  return out;
}

/** True when two host ports cannot both be bound on one node. */
export function portsConflict(a: HostPort, b: HostPort): boolean {
  return a.port === b.port && a.protocol === b.protocol && (a.ip === b.ip || a.ip === ANY_IP || b.ip === ANY_IP);
}

/** True once the pod has finished for good; such pods no longer take node resources. */
export const isTerminal = (pod: Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/** Builds the NodeInfo for `node` from the pods bound to it. */
export function nodeInfo(node: Node, pods: Pod[]): NodeInfo {
  const live = pods.filter((p) => !isTerminal(p));
  const requested: Amounts = {};
  const nonZeroRequested: Amounts = {};
  const usedPorts: HostPort[] = [];
  for (const p of live) {
    addInto(requested, podRequests(p));
    addInto(nonZeroRequested, podRequests(p, { nonZero: true }));
    usedPorts.push(...hostPorts(p));
  }
  const status = node.status ?? {};
  return {
    name: nameOf(node),
    node,
    pods: live,
    allocatable: amounts(status.allocatable ?? status.capacity),
    requested,
    nonZeroRequested,
    usedPorts,
  };
}
