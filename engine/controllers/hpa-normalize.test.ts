import { describe, expect, it } from 'vitest';
import {
  boundsWithBehavior,
  boundsWithoutBehavior,
  filledRules,
  recordScaleEvent,
  scaleDownLimit,
  scaleUpLimit,
  stabilize,
  stabilizeWithBehavior,
  type ScaleEvent,
  type ScalingBehavior,
} from './hpa-normalize.js';

const NOW = 1_000_000_000;
const s = (seconds: number) => NOW - seconds * 1000;
const rec = (replicas: number, agoS: number) => ({ replicas, at: s(agoS) });
const ev = (change: number, agoS: number): ScaleEvent => ({ change, at: s(agoS), outdated: false });

describe('stabilize (no behavior: the highest recommendation of the scale-down window)', () => {
  const cases = [
    { name: 'a lower recommendation waits for higher ones of the window', recs: [rec(5, 100), rec(3, 200)], desired: 2, want: 5, reason: 'ScaleDownStabilized' },
    { name: 'recommendations older than the window no longer count', recs: [rec(5, 400), rec(3, 200)], desired: 2, want: 3, reason: 'ScaleDownStabilized' },
    { name: 'a higher recommendation applies at once', recs: [rec(3, 100)], desired: 6, want: 6, reason: 'ReadyForNewScale' },
    { name: 'an empty history takes the recommendation', recs: [], desired: 2, want: 2, reason: 'ReadyForNewScale' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = stabilize(c.recs, c.desired, 300_000, NOW);
      expect([r.replicas, r.reason]).toEqual([c.want, c.reason]);
      expect(r.recommendations).toContainEqual({ replicas: c.desired, at: NOW });
    });
  }

  it('reuses the slot of a recommendation that fell out of the window', () => {
    const r = stabilize([rec(5, 100), rec(3, 400)], 2, 300_000, NOW);
    expect(r.recommendations).toEqual([rec(5, 100), { replicas: 2, at: NOW }]);
  });

  it('a zero window (the demo setting) scales down at once', () => {
    expect(stabilize([rec(5, 1)], 2, 0, NOW).replicas).toBe(2);
  });
});

describe('stabilizeWithBehavior (up: lowest of the up window, down: highest of the down window)', () => {
  const cases = [
    { name: 'scale-up window holds the count at the lowest recent recommendation', recs: [rec(3, 30)], current: 2, desired: 6, up: 60, down: 300, want: 3, reason: 'ScaleUpStabilized' },
    { name: 'no scale-up window: straight up', recs: [rec(3, 30)], current: 2, desired: 6, up: 0, down: 300, want: 6, reason: 'ReadyForNewScale' },
    { name: 'scale-down window holds the count at the highest recent recommendation', recs: [rec(8, 120), rec(5, 30)], current: 8, desired: 2, up: 0, down: 300, want: 8, reason: 'ScaleDownStabilized' },
    { name: 'a short scale-down window lets a drop through', recs: [rec(8, 120), rec(5, 30)], current: 8, desired: 2, up: 0, down: 60, want: 5, reason: 'ScaleDownStabilized' },
    { name: 'never moves past the current count the other way', recs: [rec(1, 10)], current: 4, desired: 4, up: 0, down: 300, want: 4, reason: 'ReadyForNewScale' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = stabilizeWithBehavior(c.recs, c.current, c.desired, c.up, c.down, NOW);
      expect([r.replicas, r.reason]).toEqual([c.want, c.reason]);
    });
  }
});

describe('boundsWithoutBehavior', () => {
  const cases = [
    { current: 2, desired: 10, min: 1, max: 20, want: 4, reason: 'ScaleUpLimit' },
    { current: 4, desired: 10, min: 1, max: 20, want: 8, reason: 'ScaleUpLimit' },
    { current: 10, desired: 30, min: 1, max: 15, want: 15, reason: 'TooManyReplicas' },
    { current: 3, desired: 0, min: 2, max: 10, want: 2, reason: 'TooFewReplicas' },
    { current: 3, desired: 5, min: 1, max: 10, want: 5, reason: 'DesiredWithinRange' },
  ];
  for (const c of cases) {
    it(`${c.current} → ${c.desired} within [${c.min}, ${c.max}]: ${c.want} (${c.reason})`, () => {
      const r = boundsWithoutBehavior(c.current, c.desired, c.min, c.max);
      expect([r.replicas, r.reason]).toEqual([c.want, c.reason]);
    });
  }
});

describe('scale limits of behavior policies over their periods', () => {
  const rules = (b: ScalingBehavior) => filledRules(b, 300);
  it('default scale-up: 4 pods or 100% per 15 s, whichever is more', () => {
    expect(scaleUpLimit(2, [], [], rules({}).up, NOW)).toBe(6);
    expect(scaleUpLimit(10, [], [], rules({}).up, NOW)).toBe(20);
    // 4 pods were added 5 s ago: the period started at 2.
    expect(scaleUpLimit(6, [ev(4, 5)], [], rules({}).up, NOW)).toBe(6);
    // ... and 16 s ago: a new period.
    expect(scaleUpLimit(6, [ev(4, 16)], [], rules({}).up, NOW)).toBe(12);
  });
  it('selectPolicy Min takes the smaller change, Disabled none', () => {
    expect(scaleUpLimit(10, [], [], rules({ scaleUp: { selectPolicy: 'Min' } }).up, NOW)).toBe(14);
    expect(scaleUpLimit(10, [], [], rules({ scaleUp: { selectPolicy: 'Disabled' } }).up, NOW)).toBe(10);
    expect(scaleDownLimit(10, [], [], rules({ scaleDown: { selectPolicy: 'Disabled' } }).down, NOW)).toBe(10);
  });
  it('scale-down policies: percent rounds down the pods kept, pods removed per period', () => {
    const down = rules({ scaleDown: { policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }, { type: 'Pods', value: 1, periodSeconds: 60 }] } }).down;
    expect(scaleDownLimit(9, [], [], down, NOW)).toBe(4);
    expect(scaleDownLimit(9, [], [], { ...down, selectPolicy: 'Min' }, NOW)).toBe(8);
    // 5 pods were removed 30 s ago: the period started at 10.
    expect(scaleDownLimit(5, [], [ev(5, 30)], down, NOW)).toBe(5);
  });
});

describe('boundsWithBehavior', () => {
  const behavior: ScalingBehavior = { scaleDown: { policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] } };
  const cases = [
    { name: 'scale-up limited by the rate', current: 2, desired: 20, min: 1, max: 50, hist: { up: [], down: [] }, want: 6, reason: 'ScaleUpLimit' },
    { name: 'scale-up limited by maxReplicas', current: 2, desired: 20, min: 1, max: 5, hist: { up: [], down: [] }, want: 5, reason: 'TooManyReplicas' },
    { name: 'no scale-up until the period of the last one is over', current: 6, desired: 20, min: 1, max: 50, hist: { up: [ev(4, 5)], down: [] }, want: 6, reason: 'ScaleUpLimit' },
    { name: 'scale-down limited by the rate', current: 10, desired: 1, min: 1, max: 50, hist: { up: [], down: [] }, want: 8, reason: 'ScaleDownLimit' },
    { name: 'scale-down limited by minReplicas', current: 3, desired: 1, min: 2, max: 50, hist: { up: [], down: [] }, want: 2, reason: 'TooFewReplicas' },
    { name: 'within range', current: 3, desired: 4, min: 1, max: 50, hist: { up: [], down: [] }, want: 4, reason: 'DesiredWithinRange' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = boundsWithBehavior(c.current, c.desired, c.min, c.max, c.hist, filledRules(behavior, 300), NOW);
      expect([r.replicas, r.reason]).toEqual([c.want, c.reason]);
    });
  }
});

describe('filledRules and recordScaleEvent', () => {
  it('fills unset fields with the built-in rules and the cluster scale-down window', () => {
    const r = filledRules({ scaleUp: { stabilizationWindowSeconds: 30 } }, 42);
    expect(r.up).toEqual({ stabilizationWindowSeconds: 30, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] });
    expect(r.down).toEqual({ stabilizationWindowSeconds: 42, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] });
  });
  it('records the change in its direction, reusing a slot older than the longest period', () => {
    const rules = filledRules({}, 300);
    const h = recordScaleEvent({ up: [ev(2, 100), ev(1, 5)], down: [] }, rules, 3, 7, NOW);
    expect(h.up).toEqual([{ change: 4, at: NOW, outdated: false }, ev(1, 5)]);
    const d = recordScaleEvent(h, rules, 7, 5, NOW);
    expect(d.down).toEqual([{ change: 2, at: NOW, outdated: false }]);
    expect(d.up).toBe(h.up);
  });
});
