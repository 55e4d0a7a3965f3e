// One HPA sync decided, pure: from the target's scale, its pods, their metrics and the HPA's
// remembered recommendations, the replica count to set and why — the conditions, events and
// status upstream's controller would write. The I/O (scale, metrics, status, events) is hpa.ts.
import type { Requirement } from '../api/selectors.js';
import { matchesLabels } from '../api/selectors.js';
import { parseQuantity } from '../api/types/core-quantity.js';
import { stableJson } from '../api/stable-json.js';
import { ambiguousSelector, computeReplicasForMetrics, parseScaleSelector, type FetchedMetrics } from './hpa-compute.js';
import { boundsWithBehavior, boundsWithoutBehavior, filledRules, recordScaleEvent, stabilize, stabilizeWithBehavior, type HpaHistory } from './hpa-normalize.js';
import { DEFAULT_TOLERANCE, type CalcContext, type Tolerances } from './hpa-replicas.js';
import type { Hpa, HpaStatus, MetricStatus, ScaleView, SyncDraft } from './hpa-types.js';
import { rfc3339, type Pod } from './workload-util.js';

/** The cluster-wide default scale-down stabilization window (upstream's flag default, 5 minutes). */
export const DEFAULT_DOWNSCALE_STABILIZATION_S = 300;

/** Cluster-wide settings of the HPA controller. */
export interface HpaSettings {
  /** Scale-down stabilization for HPAs without behavior, and for behaviors that leave the window unset (s). */
  downscaleStabilizationS: number;
  /** Tolerance for HPAs that do not set their own (default 0.1). */
  tolerance?: number;
  cpuInitializationMs?: number;
  readinessDelayMs?: number;
}

/** What a sync reads once it has the target's scale. */
export interface SyncInput {
  hpa: Hpa;
  scale: ScaleView;
  /** Pods of the HPA's namespace (the selector is applied here). */
  pods: Pod[];
  /** Other HPAs of the namespace and the selectors they last used. */
  others: { name: string; reqs: Requirement[] }[];
  /** The PodMetrics of the target's pods, when needsPodMetrics said they are needed. */
  metrics?: FetchedMetrics;
  /** What the HPA remembers from earlier syncs; undefined on its first. */
  history: HpaHistory | undefined;
  now: number;
  settings: HpaSettings;
}

/** What a sync decided. */
export interface SyncPlan {
  current: number;
  desired: number;
  /** Whether to write desired into the scale. */
  rescale: boolean;
  /** Why, for the SuccessfulRescale / FailedRescale event. */
  reason: string;
  statuses: MetricStatus[] | null;
  /** The metrics step failed: write current replicas and statuses only, then stop. */
  failed?: string;
  /** Some metrics failed but others gave a count (logged, as upstream does). */
  partialError?: string;
  /** The selector's requirements when it parsed (remembered for the ambiguity check of other HPAs). */
  selector?: Requirement[];
  history: HpaHistory;
}

/** minReplicas, defaulting to 1. */
export const minReplicasOf = (hpa: Hpa): number => hpa.spec.minReplicas ?? 1;

/** True when the sync will read metrics: scaling is enabled and the count is within bounds. */
export function needsMetrics(hpa: Hpa, specReplicas: number): boolean {
  const min = minReplicasOf(hpa);
  return !(specReplicas === 0 && min !== 0) && specReplicas <= hpa.spec.maxReplicas && specReplicas >= min;
}

/** The HPA's tolerances: behavior.scaleUp/scaleDown.tolerance when set, else the cluster's. */
export function tolerancesOf(hpa: Hpa, fallback = DEFAULT_TOLERANCE): Tolerances {
  const read = (q: unknown) => {
    const p = parseQuantity(q);
    return p ? Number(p.digits) * 10 ** p.exp : fallback;
  };
  const b = hpa.spec.behavior;
  return { up: b?.scaleUp?.tolerance !== undefined ? read(b.scaleUp.tolerance) : fallback, down: b?.scaleDown?.tolerance !== undefined ? read(b.scaleDown.tolerance) : fallback };
}

/**
 * Decides one sync after the scale was read: scaling disabled at 0 replicas, back within
 * min/max, or the metrics' recommendation stabilized and bounded. Sets AbleToScale,
 * ScalingActive and ScalingLimited in `draft` as upstream does; records the recommendation.
 */
export function planSync(input: SyncInput, draft: SyncDraft): SyncPlan {
  const { hpa, scale, now, settings } = input;
  const current = scale.specReplicas;
  const min = minReplicasOf(hpa);
  const max = hpa.spec.maxReplicas;
  let history: HpaHistory = input.history ?? { recommendations: [{ replicas: current, at: now }], up: [], down: [] };
  draft.set('AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale");
  const plan = (desired: number, rescale: boolean, reason: string, statuses: MetricStatus[] | null, extra: Partial<SyncPlan> = {}): SyncPlan => ({ current, desired, rescale, reason, statuses, history, ...extra });

  if (current === 0 && min !== 0) {
    draft.set('ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero');
    return plan(0, false, '', null);
  }
  if (current > max) return plan(max, true, 'Current number of replicas above Spec.MaxReplicas', null);
  if (current < min) return plan(min, true, 'Current number of replicas below Spec.MinReplicas', null);

  const failed = (error: string, statuses: MetricStatus[] | null, selector?: Requirement[]) => {
    draft.warn('FailedComputeMetricsReplicas', error);
    return plan(current, false, '', statuses, { failed: error, ...(selector ? { selector } : {}) });
  };
  const parsed = parseScaleSelector(scale.selector, draft);
  if ('error' in parsed) return failed(parsed.error, null);
  const reqs = parsed.reqs;
  const pods = input.pods.filter((p) => matchesLabels(reqs, p.metadata.labels));
  const ambiguous = ambiguousSelector(hpa, scale.selector, pods, input.others, draft);
  if (ambiguous) return failed(ambiguous, null, reqs);

  const calc: CalcContext = { now, tolerances: tolerancesOf(hpa, settings.tolerance), cpuInitializationMs: settings.cpuInitializationMs, readinessDelayMs: settings.readinessDelayMs };
  const m = computeReplicasForMetrics({ hpa, specReplicas: current, pods, metrics: input.metrics, calc }, draft);
  if (m.replicas === -1) return failed(m.error ?? '', m.statuses, reqs);
  let desired = m.replicas;
  const reason = desired > current ? `${m.metric} above target` : desired < current ? 'All metrics below target' : '';

  const behavior = hpa.spec.behavior;
  if (!behavior) {
    const st = stabilize(history.recommendations, desired, settings.downscaleStabilizationS * 1000, now);
    history = { ...history, recommendations: st.recommendations };
    draft.set('AbleToScale', 'True', st.reason, st.message);
    const b = boundsWithoutBehavior(current, st.replicas, min, max);
    draft.set('ScalingLimited', b.replicas === st.replicas ? 'False' : 'True', b.reason, b.message);
    desired = b.replicas;
  } else {
    const rules = filledRules(behavior, settings.downscaleStabilizationS);
    const st = stabilizeWithBehavior(history.recommendations, current, desired, rules.up.stabilizationWindowSeconds, rules.down.stabilizationWindowSeconds, now);
    history = { ...history, recommendations: st.recommendations };
    draft.set('AbleToScale', 'True', st.reason, st.message);
    const b = boundsWithBehavior(current, st.replicas, min, max, history, rules, now);
    draft.set('ScalingLimited', b.replicas === st.replicas ? 'False' : 'True', b.reason, b.message);
    desired = b.replicas;
  }
  return plan(desired, desired !== current, reason, m.statuses, { selector: reqs, ...(m.error ? { partialError: m.error } : {}) });
}

/** Records a successful rescale: condition, event and (with a behavior) the scale event. */
export function rescaled(hpa: Hpa, plan: SyncPlan, draft: SyncDraft, now: number, settings: HpaSettings): HpaHistory {
  draft.set('AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${plan.desired}`);
  draft.normal('SuccessfulRescale', `New size: ${plan.desired}; reason: ${plan.reason}`);
  if (!hpa.spec.behavior) return plan.history;
  const rules = filledRules(hpa.spec.behavior, settings.downscaleStabilizationS);
  return { ...plan.history, ...recordScaleEvent(plan.history, rules, plan.current, plan.desired, now) };
}

/** Records a failed rescale: condition and event. */
export function rescaleFailed(plan: SyncPlan, draft: SyncDraft, error: string): void {
  draft.warn('FailedRescale', `New size: ${plan.desired}; reason: ${plan.reason}; error: ${error}`);
  draft.set('AbleToScale', 'False', 'FailedUpdateScale', `the HPA controller was unable to update the target scale: ${error}`);
}

/** Records a failure to read the target's scale: event and AbleToScale False FailedGetScale. */
export function getScaleFailed(draft: SyncDraft, error: string): void {
  draft.warn('FailedGetScale', error);
  draft.set('AbleToScale', 'False', 'FailedGetScale', `the HPA controller was unable to get the target's current scale: ${error}`);
}

/**
 * The status to write: `replicas` (current, and desired unless kept from before), the metrics,
 * the draft's conditions, lastScaleTime when it rescaled now, and the generation observed.
 */
export function nextStatus(hpa: Hpa, draft: SyncDraft, now: number, replicas?: { current: number; desired?: number; statuses: MetricStatus[] | null; rescaled: boolean }): HpaStatus {
  const old = hpa.status ?? {};
  const status: HpaStatus = {
    ...old,
    observedGeneration: hpa.metadata.generation,
    conditions: draft.conditions.length ? draft.conditions : null,
  };
  if (replicas) {
    status.currentReplicas = replicas.current;
    status.desiredReplicas = replicas.desired ?? old.desiredReplicas ?? 0;
    status.currentMetrics = replicas.statuses?.length ? replicas.statuses : null;
    if (replicas.rescaled) status.lastScaleTime = rfc3339(now);
  }
  return status;
}

/** True when two statuses say the same (what a sync compares before writing). */
export function sameHpaStatus(a: HpaStatus | undefined, b: HpaStatus): boolean {
  const norm = (s: HpaStatus | undefined) => stableJson({ ...s, currentMetrics: s?.currentMetrics?.length ? s.currentMetrics : null, conditions: s?.conditions?.length ? s.conditions : null, currentReplicas: s?.currentReplicas ?? 0, desiredReplicas: s?.desiredReplicas ?? 0 });
  return norm(a) === norm(b);
}
