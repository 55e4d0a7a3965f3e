// The roles and bindings every cluster starts with, so that `kubectl auth can-i`, the admin/edit/
// view roles and discovery for every authenticated user work as on any Kubernetes cluster.
import type { PolicyRule } from './rbac.js';

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];

/** Namespaced workload and configuration resources by group (what admin/edit/view cover). */
const WORKLOADS: Array<[string, string[]]> = [
  ['', ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'replicationcontrollers', 'replicationcontrollers/scale', 'persistentvolumeclaims', 'configmaps', 'endpoints', 'services', 'services/proxy', 'serviceaccounts']],
  ['apps', ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale']],
  ['autoscaling', ['horizontalpodautoscalers']],
  ['batch', ['cronjobs', 'jobs']],
  ['policy', ['poddisruptionbudgets']],
  ['networking.k8s.io', ['ingresses', 'networkpolicies']],
  ['discovery.k8s.io', ['endpointslices']],
  ['coordination.k8s.io', ['leases']],
];
const STATUS_READ: Array<[string, string[]]> = [
  ['', ['pods/log', 'pods/status', 'replicationcontrollers/status', 'resourcequotas', 'resourcequotas/status', 'limitranges', 'namespaces/status', 'persistentvolumeclaims/status', 'services/status', 'bindings', 'events', 'namespaces']],
  ['apps', ['controllerrevisions', 'daemonsets/status', 'deployments/status', 'replicasets/status', 'statefulsets/status']],
  ['autoscaling', ['horizontalpodautoscalers/status']],
  ['batch', ['cronjobs/status', 'jobs/status']],
  ['policy', ['poddisruptionbudgets/status']],
  ['networking.k8s.io', ['ingresses/status']],
  ['events.k8s.io', ['events']],
];

const rules = (groups: Array<[string, string[]]>, verbs: string[]): PolicyRule[] => groups.map(([g, resources]) => ({ apiGroups: [g], resources, verbs }));

const AGGREGATE = 'rbac.authorization.k8s.io/aggregate-to-';
const BOOTSTRAP_LABELS = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
const AUTOUPDATE = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };

function clusterRole(name: string, rules: PolicyRule[], extra: Record<string, unknown> = {}, labels: Record<string, string> = {}): Record<string, unknown> {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, labels: { ...BOOTSTRAP_LABELS, ...labels }, annotations: AUTOUPDATE }, rules, ...extra };
}

function binding(name: string, role: string, subjects: Array<{ kind: string; name: string; namespace?: string; apiGroup?: string }>): Record<string, unknown> {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name, labels: BOOTSTRAP_LABELS, annotations: AUTOUPDATE },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: subjects.map((s) => ({ apiGroup: 'rbac.authorization.k8s.io', ...s })),
  };
}

const aggregated = (to: string) => ({ aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [`${AGGREGATE}${to}`]: 'true' } }] }, rules: [] });

/** The default ClusterRoles. */
export const BOOTSTRAP_CLUSTER_ROLES = [
  clusterRole('cluster-admin', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }]),
  clusterRole('admin', [], aggregated('admin')),
  clusterRole('edit', [], aggregated('edit'), { [`${AGGREGATE}admin`]: 'true' }),
  clusterRole('view', [], aggregated('view'), { [`${AGGREGATE}edit`]: 'true' }),
  clusterRole(
    'system:aggregate-to-admin',
    [
      { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings', 'roles'], verbs: [...READ, ...WRITE] },
      { apiGroups: ['authorization.k8s.io'], resources: ['localsubjectaccessreviews'], verbs: ['create'] },
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses/status'], verbs: ['get', 'list', 'watch'] },
    ],
    {},
    { [`${AGGREGATE}admin`]: 'true' },
  ),
  clusterRole(
    'system:aggregate-to-edit',
    [...rules(WORKLOADS, WRITE), { apiGroups: [''], resources: ['secrets'], verbs: [...READ, ...WRITE] }, { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] }, { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] }],
    {},
    { [`${AGGREGATE}edit`]: 'true' },
  ),
  clusterRole('system:aggregate-to-view', [...rules(WORKLOADS, READ), ...rules(STATUS_READ, READ)], {}, { [`${AGGREGATE}view`]: 'true' }),
  // Reading resource metrics (kubectl top), folded into view, edit and admin as metrics-server's role is.
  clusterRole('system:aggregated-metrics-reader', [{ apiGroups: ['metrics.k8s.io'], resources: ['pods', 'nodes'], verbs: READ }], {}, {
    [`${AGGREGATE}view`]: 'true',
    [`${AGGREGATE}edit`]: 'true',
    [`${AGGREGATE}admin`]: 'true',
  }),
  clusterRole('system:discovery', [{ nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/readyz', '/openapi', '/openapi/*', '/version', '/version/'], verbs: ['get'] }]),
  clusterRole('system:basic-user', [
    { apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], verbs: ['create'] },
    { apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'], verbs: ['create'] },
  ]),
  clusterRole('system:node', [
    { apiGroups: [''], resources: ['pods'], verbs: [...READ, 'create', 'delete', 'patch', 'update'] },
    { apiGroups: [''], resources: ['pods/status', 'nodes/status'], verbs: ['get', 'patch', 'update'] },
    { apiGroups: [''], resources: ['nodes'], verbs: [...READ, 'create', 'patch', 'update', 'delete'] },
    { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] },
    { apiGroups: [''], resources: ['configmaps', 'secrets', 'services', 'endpoints', 'persistentvolumeclaims', 'persistentvolumes'], verbs: READ },
    // kubelab's node agent is the deleter of local-path volumes on its node: it removes the directory, then the volume.
    { apiGroups: [''], resources: ['persistentvolumes'], verbs: ['delete'] },
    { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] },
    { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: [...READ, 'create', 'update', 'patch'] },
  ]),
  // What a service proxy reads; bound to nodes too, since kubelab's proxy runs as its node.
  clusterRole('system:node-proxier', [
    { apiGroups: [''], resources: ['services', 'endpoints', 'nodes'], verbs: READ },
    { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
    { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] },
  ]),
  clusterRole('system:public-info-viewer', [{ nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'], verbs: ['get'] }]),
  // What the cluster DNS server reads to answer for Services and their endpoints.
  clusterRole('system:kube-dns', [
    { apiGroups: [''], resources: ['endpoints', 'services'], verbs: ['list', 'watch'] },
    { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
  ]),
];

/** The default ClusterRoleBindings. */
export const BOOTSTRAP_CLUSTER_ROLE_BINDINGS = [
  binding('cluster-admin', 'cluster-admin', [{ kind: 'Group', name: 'system:masters' }]),
  binding('system:discovery', 'system:discovery', [{ kind: 'Group', name: 'system:authenticated' }]),
  binding('system:basic-user', 'system:basic-user', [{ kind: 'Group', name: 'system:authenticated' }]),
  binding('system:node', 'system:node', [{ kind: 'Group', name: 'system:nodes' }]),
  binding('system:node-proxier', 'system:node-proxier', [{ kind: 'User', name: 'system:kube-proxy' }, { kind: 'Group', name: 'system:nodes' }]),
  binding('system:public-info-viewer', 'system:public-info-viewer', [{ kind: 'Group', name: 'system:authenticated' }, { kind: 'Group', name: 'system:unauthenticated' }]),
  binding('system:kube-dns', 'system:kube-dns', [{ kind: 'ServiceAccount', name: 'kube-dns', namespace: 'kube-system', apiGroup: '' }]),
];
