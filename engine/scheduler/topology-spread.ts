// PodTopologySpread: DoNotSchedule constraints as a filter (skew = matching pods in the node's
// domain + the pod itself − the emptiest domain, at most maxSkew) and ScheduleAnyway constraints
// as a score. Pods of a ReplicaSet, StatefulSet or ReplicationController that set no constraints
// get upstream's system defaults: spread by hostname (maxSkew 3) and zone (maxSkew 5).
import { memo, type Cycle } from './cycle.js';
import type { Filter } from './filters.js';
import { matchesNodeSelectorAndAffinity, selects, toleratesNode } from './matching.js';
import type { NodeInfo } from './node-info.js';
import { controllerOf, HOSTNAME_LABEL, isTerminating, labelsOf, list, namespaceOf, pairKey, reject, ZONE_LABEL, type LabelSelector, type Node, type Pod } from './types.js';

/** Placing the pod on the node would exceed a constraint's maxSkew. */
export const REASON_SPREAD = "node(s) didn't match pod topology spread constraints";
/** The node lacks a constraint's topology key (unresolvable). */
export const REASON_SPREAD_LABEL = `${REASON_SPREAD} (missing required label)`;

/** A TopologySpreadConstraint as stored. */
export interface SpreadConstraintJson {
  maxSkew?: number;
  topologyKey?: string;
  whenUnsatisfiable?: string;
  minDomains?: number;
  labelSelector?: LabelSelector;
  matchLabelKeys?: string[];
  nodeAffinityPolicy?: string;
  nodeTaintsPolicy?: string;
}

/** A constraint ready to count pods. */
export interface Constraint {
  maxSkew: number;
  topologyKey: string;
  minDomains: number;
  /** True for a pod the constraint's selector picks (namespace aside). */
  selects: (pod: Pod) => boolean;
  /** False for an empty selector: it matches the pod itself but counts no existing pods. */
  countsPods: boolean;
  honorNodeAffinity: boolean;
  honorTaints: boolean;
}

const OWNERS_WITH_DEFAULTS = ['ReplicaSet', 'StatefulSet', 'ReplicationController'];

const isEmptySelector = (s: LabelSelector): boolean => !Object.keys(s.matchLabels ?? {}).length && !(s.matchExpressions ?? []).length;

/**
 * The pod's constraints with the given whenUnsatisfiable action, and whether they are the system
 * defaults (used only when the pod declares no constraints at all).
 */
export function spreadConstraints(pod: Pod, action: 'DoNotSchedule' | 'ScheduleAnyway'): { constraints: Constraint[]; systemDefaulted: boolean } {
  const own = list<SpreadConstraintJson>(pod.spec?.topologySpreadConstraints);
  if (own.length) {
    const podLabels = labelsOf(pod);
    const constraints = own
      .filter((c) => c.whenUnsatisfiable === action)
      .map((c): Constraint => {
        let selector = c.labelSelector ?? undefined;
        // matchLabelKeys narrow the selector to pods sharing the pod's values of those labels.
        const extra = (c.matchLabelKeys ?? []).filter((k) => Object.hasOwn(podLabels, k)).map((key) => ({ key, operator: 'In', values: [podLabels[key]!] }));
        if (selector && extra.length) selector = { ...selector, matchExpressions: [...(selector.matchExpressions ?? []), ...extra] };
        return {
          maxSkew: Number(c.maxSkew ?? 1),
          topologyKey: String(c.topologyKey ?? ''),
          minDomains: Number(c.minDomains ?? 1),
          selects: (p) => selects(selector, labelsOf(p)),
          countsPods: selector !== undefined && !isEmptySelector(selector),
          honorNodeAffinity: c.nodeAffinityPolicy !== 'Ignore',
          honorTaints: c.nodeTaintsPolicy === 'Honor',
        };
      });
    return { constraints, systemDefaulted: false };
  }
  const owner = controllerOf(pod);
  if (action !== 'ScheduleAnyway' || !owner?.uid || !OWNERS_WITH_DEFAULTS.includes(String(owner.kind))) return { constraints: [], systemDefaulted: true };
  const sameOwner = (p: Pod) => controllerOf(p)?.uid === owner.uid;
  const base = { minDomains: 1, selects: sameOwner, countsPods: true, honorNodeAffinity: true, honorTaints: false };
  return {
    constraints: [
      { ...base, maxSkew: 3, topologyKey: HOSTNAME_LABEL },
      { ...base, maxSkew: 5, topologyKey: ZONE_LABEL },
    ],
    systemDefaulted: true,
  };
}

/** The pods of `pods` the constraint counts: same namespace as the pod, selected, not terminating. */
export function countMatching(c: Constraint, pods: Pod[], namespace: string): number {
  if (!c.countsPods) return 0;
  return pods.filter((p) => !isTerminating(p) && namespaceOf(p) === namespace && c.selects(p)).length;
}

const hasAllKeys = (node: Node, constraints: Constraint[]): boolean => {
  const labels = labelsOf(node);
  return constraints.every((c) => Object.hasOwn(labels, c.topologyKey));
};

/** True when the node's domain counts for the constraint under its node inclusion policies. */
const included = (c: Constraint, pod: Pod, node: Node): boolean =>
  (!c.honorNodeAffinity || matchesNodeSelectorAndAffinity(pod, node)) && (!c.honorTaints || toleratesNode(pod, node));

interface FilterState {
  constraints: Constraint[];
  counts: Map<string, number>;
  /** The global minimum per topology key (0 when fewer domains than minDomains). */
  minimum: Map<string, number>;
}

function filterState(cycle: Cycle): FilterState {
  return memo(cycle, 'podTopologySpread/filter', () => {
    const { pod } = cycle;
    const { constraints } = spreadConstraints(pod, 'DoNotSchedule');
    const counts = new Map<string, number>();
    const domains = new Map<string, number[]>();
    for (const info of cycle.nodes) {
      if (!hasAllKeys(info.node, constraints)) continue;
      const labels = labelsOf(info.node);
      for (const c of constraints) {
        if (!included(c, pod, info.node)) continue;
        const key = pairKey(c.topologyKey, labels[c.topologyKey]!);
        counts.set(key, (counts.get(key) ?? 0) + countMatching(c, info.pods, namespaceOf(pod)));
      }
    }
    for (const [key, n] of counts) {
      const tpKey = key.slice(0, key.indexOf('\u0000'));
      domains.set(tpKey, [...(domains.get(tpKey) ?? []), n]);
    }
    const minimum = new Map<string, number>();
    for (const c of constraints) {
      const values = domains.get(c.topologyKey) ?? [];
      minimum.set(c.topologyKey, values.length < c.minDomains ? 0 : Math.min(...values));
    }
    return { constraints, counts, minimum };
  });
}

/** PodTopologySpread filter: every DoNotSchedule constraint's skew stays within maxSkew on this node. */
export const podTopologySpread: Filter = (pod, info, cycle) => {
  if (!cycle) throw new Error('podTopologySpread needs the scheduling cycle');
  const s = filterState(cycle);
  const labels = labelsOf(info.node);
  for (const c of s.constraints) {
    if (!Object.hasOwn(labels, c.topologyKey)) return reject(true, REASON_SPREAD_LABEL);
    const matching = s.counts.get(pairKey(c.topologyKey, labels[c.topologyKey]!)) ?? 0;
    const self = c.selects(pod) ? 1 : 0;
    if (matching + self - (s.minimum.get(c.topologyKey) ?? 0) > c.maxSkew) return reject(false, REASON_SPREAD);
  }
  return undefined;
};

/** PodTopologySpread score (0-100 per feasible node): fewer matching pods in the node's domains scores higher. */
export function topologySpreadScores(cycle: Cycle, feasible: NodeInfo[]): number[] {
  const { pod } = cycle;
  const { constraints, systemDefaulted } = spreadConstraints(pod, 'ScheduleAnyway');
  if (!constraints.length) return feasible.map(() => 0);
  const requireAll = list(pod.spec?.topologySpreadConstraints).length > 0 || !systemDefaulted;
  const ignored = new Set<string>();
  const perValue = constraints.map(() => new Map<string, number>());
  for (const info of feasible) {
    if (requireAll && !hasAllKeys(info.node, constraints)) {
      ignored.add(info.name);
      continue;
    }
    const labels = labelsOf(info.node);
    constraints.forEach((c, i) => c.topologyKey !== HOSTNAME_LABEL && perValue[i]!.set(labels[c.topologyKey] ?? '', 0));
  }
  const weights = constraints.map((c, i) => Math.log((c.topologyKey === HOSTNAME_LABEL ? feasible.length - ignored.size : perValue[i]!.size) + 2));
  for (const info of cycle.nodes) {
    if (requireAll && !hasAllKeys(info.node, constraints)) continue;
    const labels = labelsOf(info.node);
    constraints.forEach((c, i) => {
      const value = labels[c.topologyKey] ?? '';
      const counts = perValue[i]!;
      if (!included(c, pod, info.node) || !counts.has(value)) return;
      counts.set(value, counts.get(value)! + countMatching(c, info.pods, namespaceOf(pod)));
    });
  }
  const raw = feasible.map((info) => {
    if (ignored.has(info.name)) return undefined;
    const labels = labelsOf(info.node);
    let score = 0;
    constraints.forEach((c, i) => {
      if (!Object.hasOwn(labels, c.topologyKey)) return;
      const n = c.topologyKey === HOSTNAME_LABEL ? countMatching(c, info.pods, namespaceOf(pod)) : perValue[i]!.get(labels[c.topologyKey]!) ?? 0;
      score += n * weights[i]! + (c.maxSkew - 1);
    });
    return Math.round(score);
  });
  const valid = raw.filter((s): s is number => s !== undefined);
  const min = valid.length ? Math.min(...valid) : 0;
  const max = Math.max(0, ...valid);
  return raw.map((s) => (s === undefined ? 0 : max === 0 ? 100 : Math.trunc((100 * (max + min - s)) / max)));
}
