// Stop/start of nodes in the topology: each node box joined with its container as the clusters
// list reports it (Docker's view: a stopped node shows at once, before its Node turns NotReady),
// and boxes for nodes the API does not list (its control plane stopped). Pure.
import type { ClusterSummary, NodeSummary } from '../../../engine/dashboard/contract';
import type { NodeBox } from './topology-plan';

/** A node box with what can be done to its container. */
export interface PoweredBox {
  box: NodeBox;
  /** The API lists the Node (false: a box made from the container alone). */
  listed: boolean;
  /** running / stopped (any other Docker state) / unknown (no container seen: the list is loading, or not a kubelab node). */
  container: 'running' | 'stopped' | 'unknown';
  controlPlane: boolean;
  /** Offer "Stop node" / "Start node". */
  canStop: boolean;
  canStart: boolean;
  /** Why the buttons are off, if they are (an operation running on the cluster). */
  busy?: string;
}

const UP = new Set(['running', 'restarting']);

function containerOf(n: NodeSummary | undefined): PoweredBox['container'] {
  if (!n) return 'unknown';
  return UP.has(n.state) ? 'running' : 'stopped';
}

/** A box for a node the API does not list (yet, or while the API is down). */
function bareBox(n: NodeSummary): NodeBox {
  return {
    name: n.name,
    status: 'Unknown',
    ready: false,
    cordoned: false,
    roles: n.role === 'control-plane' ? 'control-plane' : '<none>',
    ...(n.ip ? { ip: n.ip } : {}),
    ...(n.podCIDR ? { podCIDR: n.podCIDR } : {}),
    pods: [],
  };
}

/**
 * The boxes of `boxes` (from the Node objects) with their containers from `summary`, plus a box for
 * each container whose Node is not listed, in the same order rule as the boxes (control plane first).
 */
export function poweredBoxes(boxes: readonly NodeBox[], summary: ClusterSummary | undefined): PoweredBox[] {
  const containers = new Map((summary?.nodes ?? []).map((n) => [n.name, n]));
  const all = [...boxes, ...(summary?.nodes ?? []).filter((n) => !boxes.some((b) => b.name === n.name)).map(bareBox)];
  const rank = (b: NodeBox) => (b.roles.includes('control-plane') ? 0 : 1);
  all.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  const op = summary?.operation?.state === 'running' ? summary.operation : undefined;
  const busy = op ? `a ${op.kind}${op.node ? ` of ${op.node}` : ''} is running on ${summary!.name}` : undefined;
  const listed = new Set(boxes.map((b) => b.name));
  return all.map((box) => {
    const n = containers.get(box.name);
    const container = containerOf(n);
    const controlPlane = n ? n.role === 'control-plane' : box.roles.includes('control-plane');
    const cluster = summary?.state;
    return {
      box,
      listed: listed.has(box.name),
      container,
      controlPlane,
      canStop: container === 'running',
      // A stopped cluster is started as a whole (the clusters view or the banner), not node by node.
      canStart: container === 'stopped' && cluster !== 'stopped',
      ...(busy ? { busy } : {}),
    };
  });
}

/** The status line of a box: the Node's status, and the container's when it disagrees (stopped, or not yet NotReady). */
export function poweredStatus(p: PoweredBox): string {
  if (p.container !== 'stopped') return p.box.status;
  return p.listed ? `${p.box.status} · stopped` : 'Stopped';
}
