// `kubectl get nodes -o wide` columns, and the node facts the topology and details show.
import type { Node, Pod } from '../../api/types';
import { ageColumn, col, nameColumn, none, type Column, type Tone } from '../../format/column';
import { parseQuantity } from '../../format/quantity';

const ROLE_PREFIX = 'node-role.kubernetes.io/';

/** ROLES: the node-role.kubernetes.io/<role> labels (and kubernetes.io/role), or <none>. */
export function nodeRoles(node: Node): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith(ROLE_PREFIX) && k.length > ROLE_PREFIX.length) roles.add(k.slice(ROLE_PREFIX.length));
    else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

/** Whether the node's Ready condition is True. */
export const nodeReady = (node: Node): boolean => (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/** STATUS: Ready / NotReady / Unknown, with ",SchedulingDisabled" when cordoned. */
export function nodeStatus(node: Node): string {
  const ready = (node.status?.conditions ?? []).find((c) => c.type === 'Ready');
  const base = !ready ? 'Unknown' : ready.status === 'True' ? 'Ready' : ready.status === 'False' ? 'NotReady' : 'Unknown';
  return node.spec?.unschedulable ? `${base},SchedulingDisabled` : base;
}

/** The node's colour. */
export function nodeTone(node: Node): Tone {
  if (!nodeReady(node)) return 'bad';
  return node.spec?.unschedulable ? 'warn' : 'ok';
}

/** The node's InternalIP address. */
export const internalIP = (node: Node): string | undefined => node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;

/** Sum of the requests of the containers of `pods` for `resource` (cpu in cores, memory in bytes). */
export function requested(pods: readonly Pod[], resource: 'cpu' | 'memory'): number {
  let sum = 0;
  for (const p of pods) {
    if (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') continue;
    for (const c of p.spec?.containers ?? []) {
      const v = parseQuantity(c.resources?.requests?.[resource]);
      if (Number.isFinite(v)) sum += v;
    }
  }
  return sum;
}

/** Columns of the nodes table. */
export const NODE_COLUMNS: Column[] = [
  nameColumn,
  col<Node>({ header: 'Status', text: nodeStatus, tone: nodeTone }),
  col<Node>({ header: 'Roles', text: nodeRoles }),
  ageColumn,
  col<Node>({ header: 'Version', text: (n) => none(n.status?.nodeInfo?.kubeletVersion) }),
  col<Node>({ header: 'Internal IP', text: (n) => none(internalIP(n)) }),
  col<Node>({ header: 'Pod CIDR', text: (n) => none(n.spec?.podCIDR) }),
];
