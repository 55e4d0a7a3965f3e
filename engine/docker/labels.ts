/** Labels every Docker object kubelab creates carries; objects are found by these, never by name. */
export const LABEL = {
  cluster: 'io.kubelab.cluster',
  role: 'io.kubelab.role',
  node: 'io.kubelab.node',
  index: 'io.kubelab.node-index',
  image: 'io.kubelab.image',
  probe: 'io.kubelab.probe',
} as const;

/** Docker `filters` matching objects of one cluster, or of every cluster when `cluster` is undefined. */
export function clusterFilter(cluster?: string): { label: string[] } {
  return { label: [cluster === undefined ? LABEL.cluster : `${LABEL.cluster}=${cluster}`] };
}
