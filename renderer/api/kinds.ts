// The resource kinds the dashboard shows and where each lives in the Kubernetes REST API.

/** One served resource: its kind, group/version, plural and scope. */
export interface KindInfo {
  /** Route key and plural resource name (e.g. "deployments"). */
  plural: string;
  kind: string;
  /** "v1" for the core group, else "group/version". */
  apiVersion: string;
  namespaced: boolean;
  /** Label in the sidebar. */
  label: string;
  /** Sidebar section. */
  section: 'Cluster' | 'Workloads' | 'Network' | 'Config' | 'Storage' | 'Events' | 'Custom resources';
}

const k = (plural: string, kind: string, apiVersion: string, namespaced: boolean, label: string, section: KindInfo['section']): KindInfo => ({
  plural,
  kind,
  apiVersion,
  namespaced,
  label,
  section,
});

/** The kinds of the resource view, in sidebar order. */
export const KINDS: readonly KindInfo[] = [
  k('nodes', 'Node', 'v1', false, 'Nodes', 'Cluster'),
  k('namespaces', 'Namespace', 'v1', false, 'Namespaces', 'Cluster'),
  k('pods', 'Pod', 'v1', true, 'Pods', 'Workloads'),
  k('deployments', 'Deployment', 'apps/v1', true, 'Deployments', 'Workloads'),
  k('replicasets', 'ReplicaSet', 'apps/v1', true, 'ReplicaSets', 'Workloads'),
  k('statefulsets', 'StatefulSet', 'apps/v1', true, 'StatefulSets', 'Workloads'),
  k('daemonsets', 'DaemonSet', 'apps/v1', true, 'DaemonSets', 'Workloads'),
  k('jobs', 'Job', 'batch/v1', true, 'Jobs', 'Workloads'),
  k('cronjobs', 'CronJob', 'batch/v1', true, 'CronJobs', 'Workloads'),
  k('services', 'Service', 'v1', true, 'Services', 'Network'),
  k('configmaps', 'ConfigMap', 'v1', true, 'ConfigMaps', 'Config'),
  k('secrets', 'Secret', 'v1', true, 'Secrets', 'Config'),
  k('persistentvolumeclaims', 'PersistentVolumeClaim', 'v1', true, 'PersistentVolumeClaims', 'Storage'),
  k('persistentvolumes', 'PersistentVolume', 'v1', false, 'PersistentVolumes', 'Storage'),
  k('events', 'Event', 'v1', true, 'Events', 'Events'),
  k('customresourcedefinitions', 'CustomResourceDefinition', 'apiextensions.k8s.io/v1', false, 'Definitions (CRDs)', 'Custom resources'),
];

/** Whether `kind` is one of the built-in KINDS (a CRD may reuse a built-in plural in its own group). */
export function isBuiltinKind(kind: Pick<KindInfo, 'plural' | 'apiVersion'>): boolean {
  return KINDS.some((x) => x.plural === kind.plural && x.apiVersion === kind.apiVersion);
}

/** The kind with this plural, if the dashboard shows it. */
export function kindByPlural(plural: string): KindInfo | undefined {
  return KINDS.find((x) => x.plural === plural);
}

const apiRoot = (apiVersion: string) => (apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`);

/** REST path of a collection: all namespaces when `namespace` is empty or the kind is cluster-scoped. */
export function collectionPath(kind: Pick<KindInfo, 'apiVersion' | 'plural' | 'namespaced'>, namespace?: string): string {
  const ns = kind.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${apiRoot(kind.apiVersion)}${ns}/${kind.plural}`;
}

/** REST path of one object (and optionally a subresource). */
export function objectPath(kind: Pick<KindInfo, 'apiVersion' | 'plural' | 'namespaced'>, namespace: string | undefined, name: string, sub?: string): string {
  const ns = kind.namespaced ? `/namespaces/${encodeURIComponent(namespace ?? 'default')}` : '';
  return `${apiRoot(kind.apiVersion)}${ns}/${kind.plural}/${encodeURIComponent(name)}${sub ? `/${sub}` : ''}`;
}

/** URL of a cluster's apiserver path through the dashboard's /k8s proxy. */
export function k8sUrl(cluster: string, path: string): string {
  return `/k8s/${encodeURIComponent(cluster)}${path}`;
}

/** Stable identity of an object in a list: its uid, else namespace/name. */
export function objectKey(o: { metadata: { uid?: string; name: string; namespace?: string } }): string {
  return o.metadata.uid || `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}
