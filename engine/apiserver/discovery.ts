import { apiVersionOf, RESOURCES, type ResourceType } from '../api/registry.js';
import { METRICS_GROUP, METRICS_VERSION, metricsResourceList } from './metrics-api.js';
import { KUBELAB_VERSION, KUBERNETES_VERSION } from '../version.js';

export { KUBELAB_VERSION, KUBERNETES_VERSION };

/** The pod subresources served besides status (kubectl drain looks for pods/eviction here). */
const POD_SUBRESOURCES = [
  { name: 'pods/binding', singularName: '', namespaced: true, kind: 'Binding', verbs: ['create'] },
  { name: 'pods/eviction', singularName: '', namespaced: true, group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] },
];

/** The node subresources served besides status: the proxy to the node's endpoint (a connect subresource, so its verbs are those of the HTTP methods it passes). */
const NODE_SUBRESOURCES = [{ name: 'nodes/proxy', singularName: '', namespaced: false, kind: 'NodeProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] }];

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** The answer to GET /version. */
export function versionInfo(): Record<string, string> {
  const { major, minor, patch } = KUBERNETES_VERSION;
  return {
    major,
    minor,
    gitVersion: `v${major}.${minor}.${patch}+kubelab.${KUBELAB_VERSION}`,
    gitCommit: '',
    gitTreeState: 'clean',
    buildDate: '2026-11-22T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'kubelab',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}

/** GET /api: the core group's versions. */
export function coreVersions(): unknown {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '' }] };
}

/** GET /apis: every named group with its versions. */
export function groupList(): unknown {
  const groups = new Map<string, Set<string>>();
  for (const r of RESOURCES.filter((t) => t.group)) groups.set(r.group, (groups.get(r.group) ?? new Set()).add(r.version));
  groups.set(METRICS_GROUP, new Set([METRICS_VERSION]));
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups].map(([name, versions]) => {
      const list = [...versions].map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
      return { name, versions: list, preferredVersion: list[0] };
    }),
  };
}

/** GET /api/v1 or /apis/GROUP/VERSION: the resources served there; undefined when none are. */
export function resourceList(group: string, version: string): unknown {
  if (group === METRICS_GROUP && version === METRICS_VERSION) return metricsResourceList();
  const types = RESOURCES.filter((t) => t.group === group && t.version === version);
  if (types.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf(types[0]!),
    resources: types.flatMap((t: ResourceType) => [
      {
        name: t.resource,
        singularName: t.singular,
        namespaced: t.namespaced,
        kind: t.kind,
        verbs: t.verbs ?? VERBS,
        ...(t.shortNames.length ? { shortNames: t.shortNames } : {}),
        ...(t.categories.length ? { categories: t.categories } : {}),
      },
      ...(t.group === '' && t.kind === 'Node' ? NODE_SUBRESOURCES : []),
      ...(t.subresources?.status ? [{ name: `${t.resource}/status`, singularName: '', namespaced: t.namespaced, kind: t.kind, verbs: ['get', 'patch', 'update'] }] : []),
      ...(t.subresources?.scale ? [{ name: `${t.resource}/scale`, singularName: '', namespaced: t.namespaced, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] }] : []),
      ...(t.group === '' && t.kind === 'Pod' ? POD_SUBRESOURCES : []),
    ]),
  };
}
