// Stopping and starting one node of a cluster (a node failure a learner causes on purpose, and the
// recovery): which node, whether the request makes sense now, and what to warn about. Pure.
import type { NodeInfo } from '../docker/provider.js';
import { KubelabError } from '../errors.js';

/** What a node stop or start acts on. */
export interface NodePowerTarget {
  node: NodeInfo;
  /** The control-plane node: its API server (and the host port forwarder) go away while it is stopped. */
  controlPlane: boolean;
}

/** Docker states in which a node counts as up (a restarting container is on its way up). */
const UP = new Set(['running', 'restarting']);

/** Whether a node container is up. */
export const nodeIsUp = (n: Pick<NodeInfo, 'state'>): boolean => UP.has(n.state);

/** What the CLI and the dashboard say when the control-plane node is stopped. */
export function controlPlaneStopWarning(node: string): string {
  return `${node} runs the control plane: while it is stopped the API server is gone, so kubectl, the dashboard's resource views and NodePort forwarding stop answering; \`kubelab node start ${node}\` brings them back`;
}

/** The node `node` of `cluster` among `nodes`, or a clear error naming the cluster's nodes. */
export function findClusterNode(cluster: string, nodes: readonly NodeInfo[], node: string): NodeInfo {
  const target = nodes.find((n) => n.name === node);
  if (!target) {
    throw new KubelabError(`node "${node}" is not part of cluster "${cluster}"`, { hint: `its nodes are: ${nodes.map((n) => n.name).join(', ')}`, exitCode: 1 });
  }
  return target;
}

/**
 * Checks a stop (`action` 'stop') or start of `node` against the cluster's nodes as Docker reports
 * them; throws a KubelabError for an unknown node, a cluster that is stopped as a whole, or a node
 * already in the asked state.
 */
export function planNodePower(cluster: string, nodes: readonly NodeInfo[], node: string, action: 'stop' | 'start'): NodePowerTarget {
  const target = findClusterNode(cluster, nodes, node);
  if (!nodes.some(nodeIsUp)) {
    throw new KubelabError(`cluster "${cluster}" is stopped`, { hint: `start the whole cluster with \`kubelab start --name ${cluster}\`` });
  }
  const up = nodeIsUp(target);
  if (action === 'stop' && !up) {
    throw new KubelabError(`node "${node}" is already stopped`, { hint: `start it with \`kubelab node start ${node}\`` });
  }
  if (action === 'start' && up) {
    throw new KubelabError(`node "${node}" is already running`, { hint: `stop it first with \`kubelab node stop ${node}\`` });
  }
  return { node: target, controlPlane: target.role === 'control-plane' };
}
