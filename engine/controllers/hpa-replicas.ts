// The HPA's replica calculator, pure: from the pods a target selects and their metric samples,
// how many replicas would bring the average to the target. It follows upstream's rules: pods
// being deleted or failed are ignored; pending pods, and for CPU pods not ready yet (or sampled
// before they had been ready for a whole metrics window), count as unready; pods without a
// sample are missing. Missing pods count as 0% on a scale-up and as 100% (or the target, when
// it is higher) on a scale-down; unready pods count as 0% on a scale-up only; a change within
// the tolerance, or one the fill-ins would turn around, keeps the current count.
import { milliValue, type PodSamples } from './hpa-metrics.js';
import { podCondition, type Pod } from './workload-util.js';

/** How far the usage ratio may stray from 1 before the count changes (upstream's default is 0.1 each way). */
export interface Tolerances {
  up: number;
  down: number;
}

/** The cluster-wide default tolerance. */
export const DEFAULT_TOLERANCE = 0.1;
/** How long after a pod starts its CPU readiness is judged by its Ready transition (upstream: 5 minutes). */
export const CPU_INITIALIZATION_MS = 5 * 60_000;
/** How long after start a pod that is not ready is taken as never having been ready (upstream: 30 s). */
export const READINESS_DELAY_MS = 30_000;

/** What the calculator needs besides pods and samples. */
export interface CalcContext {
  now: number;
  tolerances: Tolerances;
  cpuInitializationMs?: number;
  readinessDelayMs?: number;
}

/** True when `ratio` is close enough to 1 that the count should not change. */
export const withinTolerance = (ratio: number, t: Tolerances): boolean => 1 - t.down <= ratio && ratio <= 1 + t.up;

/** The pods of a calculation sorted out. */
export interface PodGroups {
  readyCount: number;
  unready: Set<string>;
  missing: Set<string>;
  ignored: Set<string>;
}

/** Sorts pods into ready (counted), unready, missing (no sample) and ignored (deleted or failed). */
export function groupPods(pods: Pod[], samples: PodSamples, resource: string, ctx: CalcContext): PodGroups {
  const g: PodGroups = { readyCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  const initMs = ctx.cpuInitializationMs ?? CPU_INITIALIZATION_MS;
  const delayMs = ctx.readinessDelayMs ?? READINESS_DELAY_MS;
  for (const pod of pods) {
    const name = pod.metadata.name;
    if (pod.metadata.deletionTimestamp || pod.status?.phase === 'Failed') {
      g.ignored.add(name);
      continue;
    }
    if ((pod.status?.phase ?? 'Pending') === 'Pending') {
      g.unready.add(name);
      continue;
    }
    const sample = samples.get(name);
    if (!sample) {
      g.missing.add(name);
      continue;
    }
    if (resource === 'cpu') {
      const ready = podCondition(pod, 'Ready');
      const started = Date.parse(String(pod.status?.startTime ?? ''));
      let unready: boolean;
      if (!ready || Number.isNaN(started)) unready = true;
      else {
        const transition = Date.parse(ready.lastTransitionTime ?? '') || 0;
        unready =
          started + initMs > ctx.now
            ? ready.status === 'False' || sample.timestamp < transition + sample.windowMs
            : ready.status === 'False' && started + delayMs > transition;
      }
      if (unready) {
        g.unready.add(name);
        continue;
      }
    }
    g.readyCount++;
  }
  return g;
}

type Resources = { requests?: Record<string, unknown> };
type PodSpec = { containers?: { name: string; resources?: Resources }[]; initContainers?: { name: string; restartPolicy?: string; resources?: Resources }[]; resources?: Resources };

/**
 * Each pod's request for `resource` in milli-units: the pod-level request when the pod has one
 * (and no container is named), else the sum over its containers (sidecars included), or only the
 * named container's. Throws upstream's "missing request for …" when a container has none.
 */
export function podRequests(pods: Pod[], container: string, resource: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const pod of pods) {
    const spec = (pod.spec ?? {}) as PodSpec;
    const name = pod.metadata.name;
    const podLevel = spec.resources?.requests?.[resource];
    if (!container && podLevel !== undefined) {
      out.set(name, milli(podLevel));
      continue;
    }
    const containers = [...(spec.containers ?? []), ...(spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')];
    let sum = 0;
    let found = false;
    for (const c of containers) {
      if (container && c.name !== container) continue;
      const req = c.resources?.requests?.[resource];
      if (req === undefined || req === null) throw new Error(`missing request for ${resource} in container ${c.name} of Pod ${name}`);
      sum += milli(req);
      found = true;
      if (container) break;
    }
    if (container && !found) throw new Error(`container ${container} not found in Pod ${name}`);
    out.set(name, sum);
  }
  return out;
}

/** Milli-units of a request quantity (rounded up; 0 when it is not a quantity). */
function milli(q: unknown): number {
  const v = milliValue(q);
  return Number.isNaN(v) ? 0 : v;
}

/** Usage over requests of the pods that have both: the ratio to the target, the utilization (%) and the average use (milli). */
export function utilizationRatio(samples: PodSamples, requests: Map<string, number>, target: number): { ratio: number; utilization: number; rawAverage: number } {
  let used = 0;
  let requested = 0;
  let n = 0;
  for (const [pod, s] of samples) {
    const req = requests.get(pod);
    if (req === undefined) continue;
    used += s.value;
    requested += req;
    n++;
  }
  if (requested === 0) throw new Error('no metrics returned matched known pods');
  const utilization = Math.trunc((used * 100) / requested);
  return { ratio: utilization / target, utilization, rawAverage: Math.trunc(used / n) };
}

/** The average use and its ratio to `target` (milli), over all samples. */
export function usageRatio(samples: PodSamples, target: number): { ratio: number; usage: number } {
  let total = 0;
  for (const s of samples.values()) total += s.value;
  const usage = Math.trunc(total / samples.size);
  return { ratio: usage / target, usage };
}

/** The samples left once ignored and unready pods are dropped (a copy). */
function usable(samples: PodSamples, g: PodGroups): PodSamples {
  const out: PodSamples = new Map(samples);
  for (const p of [...g.ignored, ...g.unready]) out.delete(p);
  return out;
}

/** The count after the fill-ins, or `current` when the fill-ins make it pointless or turn it around. */
function settle(current: number, ratio: number, newRatio: number, counted: number, t: Tolerances): number {
  if (withinTolerance(newRatio, t) || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1)) return current;
  const replicas = Math.ceil(newRatio * counted);
  if ((newRatio < 1 && replicas > current) || (newRatio > 1 && replicas < current)) return current;
  return replicas;
}

/** A calculator result for a utilization target. */
export interface UtilizationResult {
  replicas: number;
  utilization: number;
  rawAverage: number;
}

/** Replicas for a target average utilization (% of request) of `resource`; throws upstream's errors. */
export function resourceReplicas(current: number, target: number, resource: string, container: string, pods: Pod[], samples: PodSamples, ctx: CalcContext): UtilizationResult {
  if (pods.length === 0) throw new Error('no pods returned by selector while calculating replica count');
  const g = groupPods(pods, samples, resource, ctx);
  const metrics = usable(samples, g);
  if (metrics.size === 0) throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  const requests = podRequests(pods, container, resource);
  const { ratio, utilization, rawAverage } = utilizationRatio(metrics, requests, target);
  const result = (replicas: number) => ({ replicas, utilization, rawAverage });
  const scaleUpWithUnready = g.unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && g.missing.size === 0) {
    return result(withinTolerance(ratio, ctx.tolerances) ? current : Math.ceil(ratio * g.readyCount));
  }
  if (ratio < 1) {
    const fallback = Math.max(100, target);
    for (const p of g.missing) metrics.set(p, { value: Math.trunc(((requests.get(p) ?? 0) * fallback) / 100), timestamp: 0, windowMs: 0 });
  } else if (ratio > 1) for (const p of g.missing) metrics.set(p, { value: 0, timestamp: 0, windowMs: 0 });
  if (scaleUpWithUnready) for (const p of g.unready) metrics.set(p, { value: 0, timestamp: 0, windowMs: 0 });
  const next = utilizationRatio(metrics, requests, target).ratio;
  return result(settle(current, ratio, next, metrics.size, ctx.tolerances));
}

/** A calculator result for a target average value. */
export interface ValueResult {
  replicas: number;
  usage: number;
}

/** Replicas for a target average use (milli) of `resource` per pod; throws upstream's errors. */
export function rawResourceReplicas(current: number, target: number, resource: string, pods: Pod[], samples: PodSamples, ctx: CalcContext): ValueResult {
  if (pods.length === 0) throw new Error('no pods returned by selector while calculating replica count');
  const g = groupPods(pods, samples, resource, ctx);
  const metrics = usable(samples, g);
  if (metrics.size === 0) throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  const { ratio, usage } = usageRatio(metrics, target);
  const scaleUpWithUnready = g.unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && g.missing.size === 0) {
    return { replicas: withinTolerance(ratio, ctx.tolerances) ? current : Math.ceil(ratio * g.readyCount), usage };
  }
  if (ratio < 1) for (const p of g.missing) metrics.set(p, { value: target, timestamp: 0, windowMs: 0 });
  else if (ratio > 1) for (const p of g.missing) metrics.set(p, { value: 0, timestamp: 0, windowMs: 0 });
  if (scaleUpWithUnready) for (const p of g.unready) metrics.set(p, { value: 0, timestamp: 0, windowMs: 0 });
  const next = usageRatio(metrics, target).ratio;
  return { replicas: settle(current, ratio, next, metrics.size, ctx.tolerances), usage };
}
