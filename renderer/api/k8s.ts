// Writes to a cluster's API through the dashboard's /k8s proxy (reads go through watches): replace,
// patch, delete, and the actions of the details pane (scale, restart rollout, cordon). Errors are
// HttpErrors carrying the Kubernetes Status message.
import { k8sUrl, objectPath, type KindInfo } from './kinds';
import { requestJson } from './http';
import type { KubeObject } from './types';

type Target = Pick<KindInfo, 'apiVersion' | 'plural' | 'namespaced' | 'kind'>;

/** The annotation `kubectl rollout restart` sets on the pod template. */
export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';
/** Field manager of the dashboard's server-side applies. */
export const FIELD_MANAGER = 'kubelab-dashboard';

/** The object with kind and apiVersion filled in (list items come without them). */
export function withTypeMeta<T extends KubeObject>(kind: Target, obj: T): T {
  return { apiVersion: kind.apiVersion, kind: kind.kind, ...obj };
}

/** PUT of an edited object (its resourceVersion makes a concurrent change a 409 Conflict). */
export function replaceObject<T extends KubeObject>(cluster: string, kind: Target, obj: T): Promise<T> {
  const url = k8sUrl(cluster, objectPath(kind, obj.metadata.namespace, obj.metadata.name));
  return requestJson<T>(url, { method: 'PUT', json: withTypeMeta(kind, obj) });
}

/** JSON merge patch (RFC 7386) of one object. */
export function mergePatch<T extends KubeObject>(cluster: string, kind: Target, namespace: string | undefined, name: string, patch: unknown): Promise<T> {
  return requestJson<T>(k8sUrl(cluster, objectPath(kind, namespace, name)), {
    method: 'PATCH',
    json: patch,
    headers: { 'Content-Type': 'application/merge-patch+json' },
  });
}

/** Deletes one object (background propagation, as kubectl does). */
export function deleteObject(cluster: string, kind: Target, namespace: string | undefined, name: string): Promise<unknown> {
  return requestJson(k8sUrl(cluster, objectPath(kind, namespace, name)), {
    method: 'DELETE',
    json: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' },
  });
}

/** The patch `kubectl scale --replicas=N` amounts to. */
export const scalePatch = (replicas: number) => ({ spec: { replicas } });

/** The patch `kubectl rollout restart` amounts to, stamped with `now`. */
export const restartPatch = (now: Date) => ({ spec: { template: { metadata: { annotations: { [RESTARTED_AT]: now.toISOString() } } } } });

/** The patch `kubectl cordon` (true) / `uncordon` (false) amounts to. */
export const cordonPatch = (unschedulable: boolean) => ({ spec: { unschedulable: unschedulable ? true : null } });

/** Sets the replica count of a Deployment, ReplicaSet or StatefulSet. */
export function scale(cluster: string, kind: Target, namespace: string | undefined, name: string, replicas: number) {
  return mergePatch(cluster, kind, namespace, name, scalePatch(replicas));
}

/** Restarts the pods of a Deployment, StatefulSet or DaemonSet by changing its pod template. */
export function restartRollout(cluster: string, kind: Target, namespace: string | undefined, name: string) {
  return mergePatch(cluster, kind, namespace, name, restartPatch(new Date()));
}

/** Marks a node unschedulable (cordon) or schedulable again (uncordon). */
export function setCordoned(cluster: string, node: string, cordoned: boolean) {
  return mergePatch(cluster, { apiVersion: 'v1', plural: 'nodes', namespaced: false, kind: 'Node' }, undefined, node, cordonPatch(cordoned));
}
