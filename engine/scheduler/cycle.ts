// One scheduling attempt's view of the cluster: the pod, every node with its pods, and what the
// cluster-wide filters and scores compute once per attempt (upstream's CycleState).
import type { NodeInfo } from './node-info.js';
import type { Pod } from './types.js';
import { NO_VOLUMES, type VolumeLister } from './volume-types.js';

/** What the caller may add beyond pods and nodes. */
export interface CycleOptions {
  /** Labels of a namespace, for namespaceSelector in pod (anti-)affinity terms; unknown → undefined. */
  namespaceLabels?: (namespace: string) => Record<string, string> | undefined;
  /** The cluster's claims, volumes and storage classes (none when unset). */
  volumes?: VolumeLister;
}

/** The state shared by the filters and scores of one scheduling attempt. */
export interface Cycle {
  pod: Pod;
  /** Every node of the cluster, including those a filter will turn down. */
  nodes: NodeInfo[];
  namespaceLabels: (namespace: string) => Record<string, string> | undefined;
  volumes: VolumeLister;
  memo: Map<string, unknown>;
}

/** Starts a cycle for `pod` over `nodes`. */
export function newCycle(pod: Pod, nodes: NodeInfo[], opts: CycleOptions = {}): Cycle {
  return { pod, nodes, namespaceLabels: opts.namespaceLabels ?? (() => undefined), volumes: opts.volumes ?? NO_VOLUMES, memo: new Map() };
}

/** The value computed once per cycle under `key`. */
export function memo<T>(cycle: Cycle, key: string, compute: () => T): T {
  if (!cycle.memo.has(key)) cycle.memo.set(key, compute());
  return cycle.memo.get(key) as T;
}

/** The same cycle with one node's view replaced (for preemption's what-if checks). */
export function withNode(cycle: Cycle, replacement: NodeInfo): Cycle {
  const nodes = cycle.nodes.map((n) => (n.name === replacement.name ? replacement : n));
  return { pod: cycle.pod, nodes, namespaceLabels: cycle.namespaceLabels, volumes: cycle.volumes, memo: new Map() };
}
