import { KubelabError } from '../errors.js';

/** Name used when the user gives none. */
export const DEFAULT_CLUSTER = 'kubelab';
/** Longest cluster name: node names (`<cluster>-control-plane`) must stay valid DNS labels. */
export const MAX_CLUSTER_NAME = 40;

/** Throws a usage error unless `name` is a valid cluster name (lowercase DNS label, ≤ 40 chars). */
export function validateClusterName(name: string): string {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > MAX_CLUSTER_NAME) {
    throw new KubelabError(`invalid cluster name "${name}"`, {
      hint: `use 1-${MAX_CLUSTER_NAME} lowercase letters, digits and '-', starting and ending with a letter or digit (e.g. "dev")`,
      exitCode: 2,
    });
  }
  return name;
}

/** Throws a usage error unless `n` is a whole number of nodes between 1 and `max`. */
export function validateNodeCount(n: number, max = 20): number {
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new KubelabError(`invalid node count ${n}`, {
      hint: `a cluster has 1 control-plane node plus workers: give --nodes between 1 and ${max}`,
      exitCode: 2,
    });
  }
  return n;
}

/** Role of a node in its cluster. */
export type NodeRole = 'control-plane' | 'worker';

/** Name of node `index` in `cluster`: index 0 is `<cluster>-control-plane`, then `-worker`, `-worker2`, … */
export function nodeName(cluster: string, index: number): string {
  if (index === 0) return `${cluster}-control-plane`;
  return `${cluster}-worker${index === 1 ? '' : index}`;
}

/** Role of node `index`. */
export function nodeRole(index: number): NodeRole {
  return index === 0 ? 'control-plane' : 'worker';
}

/** Name of the Docker network of `cluster`. */
export function networkName(cluster: string): string {
  return `kubelab-${cluster}`;
}

/** Name of the volume that holds a node's /var. */
export function volumeName(node: string): string {
  return `${node}-var`;
}
