// The node scores that need only the pod and the node, each 0-100 per feasible node after
// normalizing across them, as upstream's default plugins compute them.
import type { NodeSelectorTermJson } from '../api/types/pod-json.js';
import { termMatches, tolerates } from './matching.js';
import type { NodeInfo } from './node-info.js';
import { podRequests } from './resources.js';
import { list, taintsOf, tolerationsOf, type Pod } from './types.js';

/** A score plugin: one 0-100 score per node of `feasible`, in order. */
export type ScoreFn = (pod: Pod, feasible: NodeInfo[]) => number[];

const MAX = 100;
const SCORED = ['cpu', 'memory'];

/** Scales raw scores so the highest becomes 100 (or, reversed, the lowest); all 0 (reversed: 100) when none is above 0. */
export function normalize(raw: number[], reverse = false): number[] {
  const max = Math.max(0, ...raw);
  if (max === 0) return raw.map(() => (reverse ? MAX : 0));
  return raw.map((s) => {
    const scaled = Math.trunc((MAX * s) / max);
    return reverse ? MAX - scaled : scaled;
  });
}

/** NodeResourcesFit (LeastAllocated): the free share of cpu and memory after placing the pod, averaged. */
export const leastAllocated: ScoreFn = (pod, feasible) => {
  const req = podRequests(pod, { nonZero: true });
  return feasible.map((info) => {
    let sum = 0;
    for (const r of SCORED) {
      const capacity = info.allocatable[r] ?? 0;
      const requested = (info.nonZeroRequested[r] ?? 0) + (req[r] ?? 0);
      sum += capacity === 0 || requested > capacity ? 0 : Math.trunc(((capacity - requested) * MAX) / capacity);
    }
    return Math.trunc(sum / SCORED.length);
  });
};

/** NodeResourcesBalancedAllocation: nodes whose cpu and memory would be used in equal shares score higher. */
export const balancedAllocation: ScoreFn = (pod, feasible) => {
  const req = podRequests(pod);
  if (SCORED.every((r) => !req[r])) return feasible.map(() => 0);
  return feasible.map((info) => {
    const fractions: number[] = [];
    for (const r of SCORED) {
      const capacity = info.allocatable[r] ?? 0;
      if (capacity === 0) continue;
      fractions.push(Math.min(1, ((info.requested[r] ?? 0) + (req[r] ?? 0)) / capacity));
    }
    const std = fractions.length === 2 ? Math.abs(fractions[0]! - fractions[1]!) / 2 : 0;
    return Math.trunc((1 - std) * MAX);
  });
};

/** NodeAffinity: the summed weights of the preferred node affinity terms the node matches, scaled to the best. */
export const nodeAffinityPreference: ScoreFn = (pod, feasible) => {
  const terms = list<{ weight?: number; preference?: NodeSelectorTermJson }>(pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution);
  const raw = feasible.map((info) =>
    terms.reduce((sum, t) => sum + (Number(t.weight ?? 0) !== 0 && termMatches(t.preference ?? {}, info.node) ? Number(t.weight) : 0), 0),
  );
  return normalize(raw);
};

/** TaintToleration: fewer untolerated PreferNoSchedule taints scores higher. */
export const taintPreference: ScoreFn = (pod, feasible) => {
  const tolerations = tolerationsOf(pod).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
  const raw = feasible.map(
    (info) => taintsOf(info.node).filter((taint) => taint.effect === 'PreferNoSchedule' && !tolerations.some((t) => tolerates(t, taint))).length,
  );
  return normalize(raw, true);
};
