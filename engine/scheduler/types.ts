// Minimal typed views of the Pod and Node JSON the apiserver stores, and defensive readers for the
// fields the scheduler looks at. Every field is optional: objects come straight from the store.
import type { PodSpecJson, PodStatusJson, SelectorJson, TolerationJson } from '../api/types/pod-json.js';

/** The node label holding the node's hostname (the per-node topology domain). */
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';
/** The node label holding the node's zone. */
export const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** An ownerReference, as on pods made by controllers. */
export interface OwnerReference {
  apiVersion?: string;
  kind?: string;
  name?: string;
  uid?: string;
  controller?: boolean;
}

/** The metadata fields the scheduler reads. */
export interface Meta {
  name?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  deletionTimestamp?: string;
  ownerReferences?: OwnerReference[];
}

/** A Pod as stored. */
export interface Pod {
  metadata?: Meta;
  spec?: PodSpecJson;
  status?: PodStatusJson & { startTime?: string };
}

/** A node taint. */
export interface Taint {
  key?: string;
  value?: string;
  effect?: string;
}

/** A Node as stored. */
export interface Node {
  metadata?: Meta;
  spec?: { unschedulable?: boolean; taints?: Taint[] };
  status?: { allocatable?: Record<string, string | number>; capacity?: Record<string, string | number> };
}

/** A label selector (matchLabels and matchExpressions). */
export type LabelSelector = SelectorJson;
/** A pod toleration. */
export type Toleration = TolerationJson;

/** Why a filter turned a node down: the reasons upstream prints, and whether preemption could help. */
export interface Rejection {
  reasons: string[];
  /** True for upstream's UnschedulableAndUnresolvable: evicting pods from the node would not help. */
  unresolvable: boolean;
}

/** A rejection with the given reasons. */
export const reject = (unresolvable: boolean, ...reasons: string[]): Rejection => ({ reasons, unresolvable });

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An array field as an array of objects, whatever was stored. */
export function list<T>(v: unknown): T[] {
  return Array.isArray(v) ? (v.filter(isRecord) as T[]) : [];
}

/** A string map field (labels, nodeSelector), whatever was stored. */
export function stringMap(v: unknown): Record<string, string> {
  if (!isRecord(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return out;
}

/** The object's labels. */
export const labelsOf = (o: { metadata?: Meta } | undefined): Record<string, string> => stringMap(o?.metadata?.labels);

/** The object's name. */
export const nameOf = (o: { metadata?: Meta } | undefined): string => String(o?.metadata?.name ?? '');

/** The pod's namespace (default when unset). */
export const namespaceOf = (pod: Pod): string => String(pod.metadata?.namespace || 'default');

/** The pod's priority (spec.priority, 0 when unset). */
export const priorityOf = (pod: Pod): number => (typeof pod.spec?.priority === 'number' ? pod.spec.priority : 0);

/** True while the pod is being deleted. */
export const isTerminating = (pod: Pod): boolean => Boolean(pod.metadata?.deletionTimestamp);

/** The pod's controller ownerReference, if any. */
export const controllerOf = (pod: Pod): OwnerReference | undefined =>
  list<OwnerReference>(pod.metadata?.ownerReferences).find((r) => r.controller === true);

/** The node's taints. */
export const taintsOf = (node: Node): Taint[] => list<Taint>(node.spec?.taints);

/** The pod's tolerations. */
export const tolerationsOf = (pod: Pod): Toleration[] => list<Toleration>(pod.spec?.tolerations);

/** A "key\0value" map key for a topology domain. */
export const pairKey = (key: string, value: string): string => `${key}\u0000${value}`;
