// Shapes and small pure helpers the workload controllers share: pods' readiness and
// availability, controller references, label selectors as predicates.
import type { ApiObject, ObjectMeta } from '../api/resource-type.js';
import { matchesLabels, parseLabelSelector, selectorString } from '../api/selectors.js';
import type { OwnerReference } from './garbage-collector.js';

/** An owner reference as stored in metadata.ownerReferences. */
export type OwnerRef = OwnerReference;

/** A metav1.LabelSelector. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** A pod condition. */
export interface PodCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  lastProbeTime?: string | null;
  reason?: string;
  message?: string;
}

/** A pod template: metadata (labels, annotations) and a pod spec. */
export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
  spec?: Record<string, unknown>;
}

/** A Pod as the controllers read it. */
export interface Pod extends ApiObject {
  metadata: ObjectMeta & { ownerReferences?: OwnerRef[] };
  spec?: { nodeName?: string; tolerations?: Toleration[]; [k: string]: unknown };
  status?: { phase?: string; conditions?: PodCondition[]; containerStatuses?: { restartCount?: number }[]; [k: string]: unknown };
}

/** A toleration of a pod spec. */
export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** A ReplicaSet as the controllers read it. */
export interface ReplicaSet extends ApiObject {
  metadata: ObjectMeta & { ownerReferences?: OwnerRef[] };
  spec: { replicas?: number; minReadySeconds?: number; selector?: LabelSelector; template?: PodTemplate };
  status?: {
    replicas?: number;
    fullyLabeledReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    observedGeneration?: number;
    conditions?: PodCondition[];
  };
}

/** The controller reference of an object, if any. */
export function controllerRef(obj: { metadata: { ownerReferences?: unknown } }): OwnerRef | undefined {
  const refs = obj.metadata.ownerReferences;
  return Array.isArray(refs) ? (refs as OwnerRef[]).find((r) => r && r.controller === true) : undefined;
}

/**
 * The cache key (`namespace/name`) of `obj`'s controller when it is of `kind` and `owners` holds
 * that very object (same uid, not a namesake made after the owner was deleted); else undefined.
 */
export function controllerKey(obj: { metadata: { namespace?: string; ownerReferences?: unknown } }, kind: string, owners: { get(key: string): { metadata: { uid?: string } } | undefined }): string | undefined {
  const ref = controllerRef(obj);
  if (ref?.kind !== kind) return undefined;
  const key = `${obj.metadata.namespace}/${ref.name}`;
  return owners.get(key)?.metadata.uid === ref.uid ? key : undefined;
}

/** A controller owner reference to `owner` of kind `kind` in `apiVersion`. */
export function ownerRefTo(owner: ApiObject, apiVersion: string, kind: string): OwnerRef {
  return { apiVersion, kind, name: owner.metadata.name, uid: String(owner.metadata.uid), controller: true, blockOwnerDeletion: true };
}

/** A predicate for a label selector; an empty or missing selector matches nothing (as a controller's would). */
export function selectorMatcher(sel: LabelSelector | undefined): (labels: Record<string, string> | undefined) => boolean {
  const text = selectorString(sel);
  if (!text) return () => false;
  let reqs: ReturnType<typeof parseLabelSelector>;
  try {
    reqs = parseLabelSelector(text);
  } catch {
    return () => false;
  }
  return (labels) => matchesLabels(reqs, labels);
}

/** True once the pod is being deleted. */
export const isTerminating = (o: { metadata: { deletionTimestamp?: string } }): boolean => Boolean(o.metadata.deletionTimestamp);

/** True for a pod that still counts: not being deleted and not finished. */
export const isActivePod = (p: Pod): boolean => !isTerminating(p) && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';

/** The pod's condition of `type`. */
export const podCondition = (p: Pod, type: string): PodCondition | undefined => p.status?.conditions?.find((c) => c.type === type);

/** True when the pod's Ready condition is True. */
export const isPodReady = (p: Pod): boolean => podCondition(p, 'Ready')?.status === 'True';

/**
 * When a ready pod becomes available (ms since the epoch): minReadySeconds after its Ready
 * condition turned True. Undefined for pods that are not ready.
 */
export function availableAt(p: Pod, minReadySeconds: number): number | undefined {
  const ready = podCondition(p, 'Ready');
  if (ready?.status !== 'True') return undefined;
  if (!minReadySeconds) return 0;
  const since = Date.parse(ready.lastTransitionTime ?? '');
  return Number.isNaN(since) ? 0 : since + minReadySeconds * 1000;
}

/** True when the pod has been ready for at least minReadySeconds at `now`. */
export function isPodAvailable(p: Pod, minReadySeconds: number, now: number): boolean {
  const at = availableAt(p, minReadySeconds);
  return at !== undefined && at <= now;
}

/** An RFC 3339 timestamp with second precision, as metav1.Time serializes. */
export const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

/** The creation time of an object in ms (0 when unknown). */
export const createdAt = (o: ApiObject): number => Date.parse(o.metadata.creationTimestamp ?? '') || 0;

/** Something with named secondary indexes (an Informer). */
interface Indexable<T> {
  addIndex(name: string, fn: (obj: T) => string[]): void;
}

/** Adds an index unless an informer shared with another controller already has it. */
export function ensureIndex<T>(informer: Indexable<T>, name: string, fn: (obj: T) => string[]): void {
  try {
    informer.addIndex(name, fn);
  } catch (err) {
    if (!/already exists/.test((err as Error).message)) throw err;
  }
}

/** The index of namespaced objects by namespace. */
export const BY_NAMESPACE = 'namespace';
export const namespaceIndex = (o: ApiObject): string[] => [o.metadata.namespace ?? ''];
