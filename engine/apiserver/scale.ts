// The scale subresource: an autoscaling/v1 Scale view of any kind with replicas
// (Deployments, ReplicaSets, StatefulSets, custom resources that declare one).
import { at, type ApiObject, type ScalePaths } from '../api/resource-type.js';
import { selectorString } from '../api/selectors.js';
import type { StoredObject } from '../store/storage.js';
import { failure } from './status.js';

/** A LabelSelector (matchLabels/matchExpressions) rather than a plain label map (ReplicationController). */
function isLabelSelector(v: unknown): v is Parameters<typeof selectorString>[0] & object {
  return typeof v === 'object' && v !== null && ('matchLabels' in v || 'matchExpressions' in v);
}

/** The Scale of an object. */
export function toScale(obj: StoredObject | ApiObject, paths: ScalePaths): ApiObject {
  const m = obj.metadata;
  const selector = paths.labelSelectorPath ? at(obj, paths.labelSelectorPath) : undefined;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace as string | undefined, uid: m.uid as string | undefined, resourceVersion: m.resourceVersion as string | undefined, creationTimestamp: m.creationTimestamp as string | undefined },
    spec: { replicas: Number(at(obj, paths.specReplicasPath) ?? 0) },
    status: {
      replicas: Number(at(obj, paths.statusReplicasPath) ?? 0),
      ...(selector ? { selector: typeof selector === 'string' ? selector : selectorString(isLabelSelector(selector) ? selector : { matchLabels: selector as Record<string, string> }) } : {}),
    },
  };
}

/** Writes a Scale's spec.replicas back into the object (a copy); 422 for a bad count. */
export function fromScale(obj: ApiObject, scale: ApiObject, paths: ScalePaths): ApiObject {
  const replicas = (scale.spec as { replicas?: unknown } | undefined)?.replicas;
  if (replicas !== undefined && (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0)) {
    throw failure(422, 'Invalid', `Scale.autoscaling "${obj.metadata.name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`);
  }
  const out = structuredClone(obj);
  const keys = paths.specReplicasPath.replace(/^\./, '').split('.');
  let cur = out as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) cur = (cur[k] ??= {}) as Record<string, unknown>;
  cur[keys.at(-1)!] = replicas ?? 0;
  out.metadata.resourceVersion = (scale.metadata?.resourceVersion as string | undefined) || undefined;
  return out;
}
