// InterPodAffinity: required pod affinity and anti-affinity by topology domain (the pod's own
// terms, and existing pods' anti-affinity against it), and the preferred terms as a score.
import { affinityTerms, termMatchesPod, type AffinityTerm, type PodAffinityTermJson } from './affinity-terms.js';
import { memo, type Cycle } from './cycle.js';
import type { Filter } from './filters.js';
import type { NodeInfo } from './node-info.js';
import { labelsOf, list, pairKey, reject, type Pod } from './types.js';

/** The pod's required affinity finds no matching pod in the node's domain (unresolvable). */
export const REASON_AFFINITY = "node(s) didn't match pod affinity rules";
/** The pod's required anti-affinity finds a matching pod in the node's domain. */
export const REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
/** A pod in the node's domain has required anti-affinity against the pod. */
export const REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";

type Counts = Map<string, number>;
const bump = (m: Counts, key: string, by = 1) => m.set(key, (m.get(key) ?? 0) + by);

const required = (pod: Pod, kind: 'podAffinity' | 'podAntiAffinity'): AffinityTerm[] =>
  affinityTerms(pod, list<PodAffinityTermJson>(pod.spec?.affinity?.[kind]?.requiredDuringSchedulingIgnoredDuringExecution));

interface FilterState {
  affinity: AffinityTerm[];
  anti: AffinityTerm[];
  /** Domains holding pods that match all of the pod's affinity terms. */
  affinityCounts: Counts;
  /** Domains holding pods that match one of the pod's anti-affinity terms. */
  antiCounts: Counts;
  /** Domains whose existing pods' anti-affinity terms match the pod. */
  existingAntiCounts: Counts;
}

function filterState(cycle: Cycle): FilterState {
  return memo(cycle, 'interPodAffinity/filter', () => {
    const { pod } = cycle;
    const s: FilterState = { affinity: required(pod, 'podAffinity'), anti: required(pod, 'podAntiAffinity'), affinityCounts: new Map(), antiCounts: new Map(), existingAntiCounts: new Map() };
    for (const info of cycle.nodes) {
      const labels = labelsOf(info.node);
      for (const existing of info.pods) {
        if (s.affinity.length && s.affinity.every((t) => termMatchesPod(t, existing, cycle.namespaceLabels))) {
          for (const t of s.affinity) if (Object.hasOwn(labels, t.topologyKey)) bump(s.affinityCounts, pairKey(t.topologyKey, labels[t.topologyKey]!));
        }
        for (const t of s.anti)
          if (Object.hasOwn(labels, t.topologyKey) && termMatchesPod(t, existing, cycle.namespaceLabels)) bump(s.antiCounts, pairKey(t.topologyKey, labels[t.topologyKey]!));
        for (const t of required(existing, 'podAntiAffinity'))
          if (Object.hasOwn(labels, t.topologyKey) && termMatchesPod(t, pod, cycle.namespaceLabels)) bump(s.existingAntiCounts, pairKey(t.topologyKey, labels[t.topologyKey]!));
      }
    }
    return s;
  });
}

function satisfiesAffinity(s: FilterState, labels: Record<string, string>, cycle: Cycle): boolean {
  let podsExist = true;
  for (const t of s.affinity) {
    if (!Object.hasOwn(labels, t.topologyKey)) return false;
    if (!((s.affinityCounts.get(pairKey(t.topologyKey, labels[t.topologyKey]!)) ?? 0) > 0)) podsExist = false;
  }
  if (podsExist) return true;
  // The first pod of a group with affinity to itself may go anywhere its topology keys exist.
  return s.affinityCounts.size === 0 && s.affinity.every((t) => termMatchesPod(t, cycle.pod, cycle.namespaceLabels));
}

/** InterPodAffinity filter: the pod's required affinity and anti-affinity, then existing pods' anti-affinity. */
export const interPodAffinity: Filter = (_pod, info, cycle) => {
  if (!cycle) throw new Error('interPodAffinity needs the scheduling cycle');
  const s = filterState(cycle);
  const labels = labelsOf(info.node);
  if (s.affinity.length && !satisfiesAffinity(s, labels, cycle)) return reject(true, REASON_AFFINITY);
  for (const t of s.anti)
    if (Object.hasOwn(labels, t.topologyKey) && (s.antiCounts.get(pairKey(t.topologyKey, labels[t.topologyKey]!)) ?? 0) > 0) return reject(false, REASON_ANTI_AFFINITY);
  if (s.existingAntiCounts.size)
    for (const [k, v] of Object.entries(labels)) if ((s.existingAntiCounts.get(pairKey(k, v)) ?? 0) > 0) return reject(false, REASON_EXISTING_ANTI_AFFINITY);
  return undefined;
};

const preferred = (pod: Pod, kind: 'podAffinity' | 'podAntiAffinity'): AffinityTerm[] =>
  affinityTerms(
    pod,
    list<{ weight?: number; podAffinityTerm?: PodAffinityTermJson }>(pod.spec?.affinity?.[kind]?.preferredDuringSchedulingIgnoredDuringExecution).map((w) => w.podAffinityTerm ?? {}),
    list<{ weight?: number }>(pod.spec?.affinity?.[kind]?.preferredDuringSchedulingIgnoredDuringExecution).map((w) => Number(w.weight ?? 0)),
  );

const hasAffinity = (pod: Pod): boolean => Boolean(pod.spec?.affinity?.podAffinity || pod.spec?.affinity?.podAntiAffinity);

/** Upstream's weight for an existing pod's required affinity term that the new pod matches. */
const HARD_POD_AFFINITY_WEIGHT = 1;

/** Raw InterPodAffinity scores: the summed weights of matched preferred terms, both ways, per node. */
function rawScores(cycle: Cycle, feasible: NodeInfo[]): number[] | undefined {
  const { pod } = cycle;
  const own = { affinity: preferred(pod, 'podAffinity'), anti: preferred(pod, 'podAntiAffinity') };
  const byDomain = new Map<string, Map<string, number>>();
  const add = (t: AffinityTerm, candidate: Pod, labels: Record<string, string>, sign: number) => {
    if (!Object.hasOwn(labels, t.topologyKey) || !termMatchesPod(t, candidate, cycle.namespaceLabels)) return;
    const values = byDomain.get(t.topologyKey) ?? new Map<string, number>();
    byDomain.set(t.topologyKey, values);
    const v = labels[t.topologyKey]!;
    values.set(v, (values.get(v) ?? 0) + sign * t.weight);
  };
  const processAll = own.affinity.length > 0 || own.anti.length > 0;
  for (const info of cycle.nodes) {
    const labels = labelsOf(info.node);
    for (const existing of info.pods) {
      if (!processAll && !hasAffinity(existing)) continue;
      for (const t of own.affinity) add(t, existing, labels, 1);
      for (const t of own.anti) add(t, existing, labels, -1);
      for (const t of required(existing, 'podAffinity')) add({ ...t, weight: HARD_POD_AFFINITY_WEIGHT }, pod, labels, 1);
      for (const t of preferred(existing, 'podAffinity')) add(t, pod, labels, 1);
      for (const t of preferred(existing, 'podAntiAffinity')) add(t, pod, labels, -1);
    }
  }
  if (!byDomain.size) return undefined;
  return feasible.map((info) => {
    const labels = labelsOf(info.node);
    let score = 0;
    for (const [key, values] of byDomain) if (Object.hasOwn(labels, key)) score += values.get(labels[key]!) ?? 0;
    return score;
  });
}

/** InterPodAffinity score (0-100 per feasible node): raw weights scaled between the lowest and highest. */
export function interPodAffinityScores(cycle: Cycle, feasible: NodeInfo[]): number[] {
  const raw = rawScores(cycle, feasible);
  if (!raw) return feasible.map(() => 0);
  const min = Math.min(...raw);
  const spread = Math.max(...raw) - min;
  return raw.map((s) => (spread > 0 ? Math.trunc((100 * (s - min)) / spread) : 0));
}
