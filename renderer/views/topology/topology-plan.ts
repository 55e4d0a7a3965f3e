// The topology as data: nodes as boxes holding their pods, pods not yet on a node, and Services
// with the pods they select. Pure, so it is tested without rendering.
import { objectKey } from '../../api/kinds';
import type { Node, Pod, Service } from '../../api/types';
import type { Tone } from '../../format/column';
import { internalIP, nodeReady, nodeRoles, nodeStatus } from '../nodes/columns';
import { podIP, podSummary, podTone } from '../pods/columns';
import { selects } from '../services/columns';

/** A pod as a chip in a node box. */
export interface PodChip {
  key: string;
  name: string;
  namespace: string;
  ip?: string;
  status: string;
  ready: string;
  restarts: number;
  tone: Tone;
  terminating: boolean;
}

/** A node box. */
export interface NodeBox {
  name: string;
  status: string;
  ready: boolean;
  cordoned: boolean;
  roles: string;
  ip?: string;
  podCIDR?: string;
  pods: PodChip[];
}

/** The whole picture. */
export interface Topology {
  nodes: NodeBox[];
  /** Pods with no node yet (Pending) or on a node that is not in the list. */
  unplaced: PodChip[];
}

/** A Service and the pods (keys) it selects. */
export interface ServiceLinks {
  key: string;
  name: string;
  namespace: string;
  type: string;
  clusterIP: string;
  /** undefined: the Service has no selector. */
  pods?: PodChip[];
}

const byName = (a: { name: string; namespace?: string }, b: { name: string; namespace?: string }) =>
  (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.name.localeCompare(b.name);

/** The chip of a pod. */
export function podChip(p: Pod): PodChip {
  const s = podSummary(p);
  const ip = podIP(p);
  return {
    key: objectKey(p),
    name: p.metadata.name,
    namespace: p.metadata.namespace ?? '',
    ...(ip ? { ip } : {}),
    status: s.status,
    ready: `${s.ready}/${s.total}`,
    restarts: s.restarts,
    tone: podTone(p),
    terminating: Boolean(p.metadata.deletionTimestamp),
  };
}

/** Groups pods into boxes of the nodes they are bound to (spec.nodeName); control plane first. */
export function groupByNode(nodes: readonly Node[], pods: readonly Pod[]): Topology {
  const boxes = new Map<string, NodeBox>();
  for (const n of nodes) {
    const ip = internalIP(n);
    boxes.set(n.metadata.name, {
      name: n.metadata.name,
      status: nodeStatus(n),
      ready: nodeReady(n),
      cordoned: Boolean(n.spec?.unschedulable),
      roles: nodeRoles(n),
      ...(ip ? { ip } : {}),
      ...(n.spec?.podCIDR ? { podCIDR: n.spec.podCIDR } : {}),
      pods: [],
    });
  }
  const unplaced: PodChip[] = [];
  for (const p of pods) {
    const box = p.spec?.nodeName ? boxes.get(p.spec.nodeName) : undefined;
    (box ? box.pods : unplaced).push(podChip(p));
  }
  const list = [...boxes.values()];
  for (const b of list) b.pods.sort(byName);
  unplaced.sort(byName);
  const rank = (b: NodeBox) => (b.roles.includes('control-plane') ? 0 : 1);
  list.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  return { nodes: list, unplaced };
}

/** Each Service with the pods of its namespace its selector matches. */
export function serviceLinks(services: readonly Service[], pods: readonly Pod[]): ServiceLinks[] {
  return services
    .map((s) => {
      const hasSelector = Object.keys(s.spec?.selector ?? {}).length > 0;
      const selected = hasSelector
        ? pods.filter((p) => p.metadata.namespace === s.metadata.namespace && selects(s.spec?.selector, p.metadata.labels)).map(podChip).sort(byName)
        : undefined;
      return {
        key: objectKey(s),
        name: s.metadata.name,
        namespace: s.metadata.namespace ?? '',
        type: s.spec?.type ?? 'ClusterIP',
        clusterIP: s.spec?.clusterIP ?? '',
        ...(selected ? { pods: selected } : {}),
      };
    })
    .sort(byName);
}
