// How an HPA turns a metrics recommendation into the replica count it sets, pure: stabilization
// over the recent recommendations (the highest within the scale-down window, the lowest within
// the scale-up window), then the bounds — minReplicas/maxReplicas and either the built-in rate
// (at most double, or 4, per sync) when the HPA has no behavior, or the behavior's policies over
// the scale changes of their periods. Each step says which condition reason explains it.

/** One past recommendation of the metrics (before normalization). */
export interface Recommendation {
  replicas: number;
  at: number;
}

/** One past change of the replica count (pods added or removed); `outdated` marks a slot for reuse. */
export interface ScaleEvent {
  change: number;
  at: number;
  outdated: boolean;
}

/** One scaling policy of a behavior. */
export interface ScalingPolicy {
  type: string;
  value: number;
  periodSeconds: number;
}

/** spec.behavior.scaleUp or scaleDown. */
export interface ScalingRules {
  stabilizationWindowSeconds?: number;
  selectPolicy?: string;
  policies?: ScalingPolicy[];
  tolerance?: string | number;
}

/** spec.behavior. */
export interface ScalingBehavior {
  scaleUp?: ScalingRules;
  scaleDown?: ScalingRules;
}

/** What one HPA remembers between syncs: recommendations and scale events (up and down). */
export interface HpaHistory {
  recommendations: Recommendation[];
  up: ScaleEvent[];
  down: ScaleEvent[];
}

/** A count with the ScalingLimited (or AbleToScale) reason and message that explain it. */
export interface Limited {
  replicas: number;
  reason: string;
  message: string;
}

/** The built-in scale-up rules (4 pods or 100% per 15 s, whichever is more, no stabilization). */
export const DEFAULT_SCALE_UP: Required<Omit<ScalingRules, 'tolerance'>> = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
};

/** The built-in scale-down rules (100% per 15 s; the window is the cluster's downscale stabilization). */
export const DEFAULT_SCALE_DOWN: Required<Omit<ScalingRules, 'tolerance' | 'stabilizationWindowSeconds'>> = {
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
};

/** Behavior rules with every field filled: given values, else the built-in ones (`downWindowS` for an unset scale-down window). */
export function filledRules(behavior: ScalingBehavior, downWindowS: number): { up: Required<Omit<ScalingRules, 'tolerance'>>; down: Required<Omit<ScalingRules, 'tolerance'>> } {
  const up = behavior.scaleUp ?? {};
  const down = behavior.scaleDown ?? {};
  return {
    up: {
      stabilizationWindowSeconds: up.stabilizationWindowSeconds ?? DEFAULT_SCALE_UP.stabilizationWindowSeconds,
      selectPolicy: up.selectPolicy ?? DEFAULT_SCALE_UP.selectPolicy,
      policies: up.policies?.length ? up.policies : DEFAULT_SCALE_UP.policies,
    },
    down: {
      stabilizationWindowSeconds: down.stabilizationWindowSeconds ?? downWindowS,
      selectPolicy: down.selectPolicy ?? DEFAULT_SCALE_DOWN.selectPolicy,
      policies: down.policies?.length ? down.policies : DEFAULT_SCALE_DOWN.policies,
    },
  };
}

const STABILIZED_DOWN = { reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' };
const STABILIZED_UP = { reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' };
const WITHIN = { reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
const TOO_MANY = { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
const TOO_FEW = { reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
const UP_LIMIT = { reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' };
const DOWN_LIMIT = { reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' };

/** Records `desired` in `recs` (reusing a slot that fell out of every window) and returns the list. */
function record(recs: Recommendation[], stale: number, desired: number, now: number): Recommendation[] {
  const out = [...recs];
  if (stale >= 0) out[stale] = { replicas: desired, at: now };
  else out.push({ replicas: desired, at: now });
  return out;
}

/**
 * Stabilization without a behavior: the highest recommendation of the last `windowMs` (and
 * `desired`), so scale-downs wait out the window. Returns the recommendation, the reason for
 * AbleToScale and the history with `desired` recorded.
 */
export function stabilize(recs: Recommendation[], desired: number, windowMs: number, now: number): Limited & { recommendations: Recommendation[] } {
  let max = desired;
  let stale = -1;
  recs.forEach((r, i) => {
    // At or before the cutoff is outside the window (so a window of 0 ignores even this sync's first sample).
    if (r.at <= now - windowMs) stale = i;
    else if (r.replicas > max) max = r.replicas;
  });
  const why = max !== desired ? STABILIZED_DOWN : { reason: 'ReadyForNewScale', message: 'recommended size matches current size' };
  return { replicas: max, ...why, recommendations: record(recs, stale, desired, now) };
}

/**
 * Stabilization with a behavior: the count moves from `current` toward `desired` no further than
 * the lowest recommendation of the scale-up window allows up and the highest of the scale-down
 * window allows down. The reason names the direction when it held the count back.
 */
export function stabilizeWithBehavior(recs: Recommendation[], current: number, desired: number, upWindowS: number, downWindowS: number, now: number): Limited & { recommendations: Recommendation[] } {
  const upCutoff = now - upWindowS * 1000;
  const downCutoff = now - downWindowS * 1000;
  let up = desired;
  let down = desired;
  let stale = -1;
  recs.forEach((r, i) => {
    if (r.at > upCutoff) up = Math.min(up, r.replicas);
    if (r.at > downCutoff) down = Math.max(down, r.replicas);
    if (r.at <= upCutoff && r.at <= downCutoff) stale = i;
  });
  let replicas = current;
  if (replicas < up) replicas = up;
  if (replicas > down) replicas = down;
  const moved = replicas !== desired ? (desired >= current ? STABILIZED_UP : STABILIZED_DOWN) : { reason: 'ReadyForNewScale', message: 'recommended size matches current size' };
  return { replicas, ...moved, recommendations: record(recs, stale, desired, now) };
}

/** The bounds without a behavior: minReplicas, and the lower of maxReplicas and max(2 × current, 4). */
export function boundsWithoutBehavior(current: number, desired: number, min: number, max: number): Limited {
  const rate = Math.max(2 * current, 4);
  const [upper, why] = max > rate ? [rate, UP_LIMIT] : [max, TOO_MANY];
  if (desired < min) return { replicas: min, ...TOO_FEW };
  if (desired > upper) return { replicas: upper, ...why };
  return { replicas: desired, ...WITHIN };
}

/** Sum of the changes in `events` newer than `periodSeconds`. */
function changeInPeriod(events: ScaleEvent[], periodSeconds: number, now: number): number {
  const cutoff = now - periodSeconds * 1000;
  return events.reduce((sum, e) => (e.at > cutoff ? sum + e.change : sum), 0);
}

/** The most replicas the scale-up rules allow now, given the recent scale events. */
export function scaleUpLimit(current: number, up: ScaleEvent[], down: ScaleEvent[], rules: Required<Omit<ScalingRules, 'tolerance'>>, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pickMin = rules.selectPolicy === 'Min';
  let result = pickMin ? Infinity : -Infinity;
  for (const p of rules.policies) {
    const start = current - changeInPeriod(up, p.periodSeconds, now) + changeInPeriod(down, p.periodSeconds, now);
    const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    result = pickMin ? Math.min(result, proposed) : Math.max(result, proposed);
  }
  return result;
}

/** The fewest replicas the scale-down rules allow now, given the recent scale events. */
export function scaleDownLimit(current: number, up: ScaleEvent[], down: ScaleEvent[], rules: Required<Omit<ScalingRules, 'tolerance'>>, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pickMin = rules.selectPolicy === 'Min';
  let result = pickMin ? -Infinity : Infinity;
  for (const p of rules.policies) {
    const start = current - changeInPeriod(up, p.periodSeconds, now) + changeInPeriod(down, p.periodSeconds, now);
    const proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
    result = pickMin ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result;
}

/** The bounds with a behavior: min/max replicas and the policies' rate over their periods. */
export function boundsWithBehavior(current: number, desired: number, min: number, max: number, history: Pick<HpaHistory, 'up' | 'down'>, rules: ReturnType<typeof filledRules>, now: number): Limited {
  if (desired > current) {
    const limit = Math.max(scaleUpLimit(current, history.up, history.down, rules.up, now), current);
    const [upper, why] = max > limit ? [limit, UP_LIMIT] : [max, TOO_MANY];
    if (desired > upper) return { replicas: upper, ...why };
  } else if (desired < current) {
    const limit = Math.min(scaleDownLimit(current, history.up, history.down, rules.down, now), current);
    const [lower, why] = min < limit ? [limit, DOWN_LIMIT] : [min, TOO_FEW];
    if (desired < lower) return { replicas: lower, ...why };
  }
  return { replicas: desired, ...WITHIN };
}

/**
 * The scale events after a change from `from` to `to` replicas: events older than the longest
 * policy period of that direction are marked outdated and one of them is reused for the new event.
 */
export function recordScaleEvent(history: Pick<HpaHistory, 'up' | 'down'>, rules: ReturnType<typeof filledRules>, from: number, to: number, now: number): Pick<HpaHistory, 'up' | 'down'> {
  if (to === from) return history;
  const upward = to > from;
  const longest = Math.max(0, ...(upward ? rules.up : rules.down).policies.map((p) => p.periodSeconds));
  const cutoff = now - longest * 1000;
  const events = (upward ? history.up : history.down).map((e) => (e.at < cutoff ? { ...e, outdated: true } : e));
  let slot = -1;
  events.forEach((e, i) => {
    if (e.outdated) slot = i;
  });
  const event = { change: Math.abs(to - from), at: now, outdated: false };
  if (slot >= 0) events[slot] = event;
  else events.push(event);
  return upward ? { up: events, down: history.down } : { up: history.up, down: events };
}
