import { describe, expect, it } from 'vitest';
import { groupPods, podRequests, rawResourceReplicas, resourceReplicas, type CalcContext } from './hpa-replicas.js';
import { NOW, pod, samples } from './hpa-test-fixtures.js';

const ctx: CalcContext = { now: NOW, tolerances: { up: 0.1, down: 0.1 } };
const MI = 1024 * 1024 * 1000; // 1Mi in milli-units

describe('resourceReplicas (target utilization of requests)', () => {
  // Every pod requests 1 CPU (1000m) unless it says otherwise; the target is 50%.
  const cases: Array<{ name: string; current: number; pods: ReturnType<typeof pod>[]; usage: Record<string, number>; target?: number; tolerance?: number; want: number; utilization: number; rawAverage: number }> = [
    { name: 'scales up by usage over target', current: 3, pods: [pod('a'), pod('b'), pod('c')], usage: { a: 800, b: 900, c: 1000 }, want: 6, utilization: 90, rawAverage: 900 },
    { name: 'keeps the count within the 10% tolerance', current: 3, pods: [pod('a'), pod('b'), pod('c')], usage: { a: 500, b: 520, c: 540 }, want: 3, utilization: 52, rawAverage: 520 },
    { name: 'a wider tolerance keeps a bigger change', current: 3, pods: [pod('a'), pod('b'), pod('c')], usage: { a: 650, b: 700, c: 750 }, tolerance: 0.5, want: 3, utilization: 70, rawAverage: 700 },
    { name: 'scales down', current: 3, pods: [pod('a'), pod('b'), pod('c')], usage: { a: 100, b: 100, c: 100 }, want: 1, utilization: 10, rawAverage: 100 },
    { name: 'missing metrics count as 0% on a scale-up', current: 4, pods: [pod('a'), pod('b'), pod('c'), pod('d')], usage: { a: 900, b: 900, c: 900 }, want: 6, utilization: 90, rawAverage: 900 },
    { name: 'missing metrics count as 100% on a scale-down', current: 4, pods: [pod('a'), pod('b'), pod('c'), pod('d')], usage: { a: 100, b: 100, c: 100 }, want: 3, utilization: 10, rawAverage: 100 },
    { name: 'missing metrics count as the target when it is above 100%', current: 4, pods: [pod('a'), pod('b'), pod('c'), pod('d')], usage: { a: 100, b: 100, c: 100 }, target: 200, want: 2, utilization: 10, rawAverage: 100 },
    { name: 'fill-ins that turn the direction around keep the count', current: 4, pods: [pod('a'), pod('b'), pod('c'), pod('d')], usage: { a: 600 }, want: 4, utilization: 60, rawAverage: 600 },
    { name: 'unready pods count as 0% on a scale-up', current: 3, pods: [pod('a'), pod('b'), pod('c', { ready: 'False', startedAgo: 60_000, readySinceAgo: 50_000 })], usage: { a: 900, b: 900, c: 900 }, want: 4, utilization: 90, rawAverage: 900 },
    { name: 'unready pods are left out of a scale-down', current: 3, pods: [pod('a'), pod('b'), pod('c', { ready: 'False', startedAgo: 60_000, readySinceAgo: 50_000 })], usage: { a: 100, b: 100, c: 100 }, want: 1, utilization: 10, rawAverage: 100 },
    { name: 'pending pods count as unready', current: 3, pods: [pod('a'), pod('b'), pod('c', { phase: 'Pending' })], usage: { a: 900, b: 900 }, want: 4, utilization: 90, rawAverage: 900 },
    { name: 'pods being deleted and failed pods are ignored', current: 4, pods: [pod('a'), pod('b'), pod('c', { deleting: true }), pod('d', { phase: 'Failed' })], usage: { a: 900, b: 900, c: 900, d: 0 }, want: 4, utilization: 90, rawAverage: 900 },
    { name: 'utilization weighs pods by their requests', current: 2, pods: [pod('a', { requests: { cpu: '100m' } }), pod('b', { requests: { cpu: '300m' } })], usage: { a: 260, b: 0 }, want: 3, utilization: 65, rawAverage: 130 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = resourceReplicas(c.current, c.target ?? 50, 'cpu', '', c.pods, samples(c.usage), { ...ctx, ...(c.tolerance ? { tolerances: { up: c.tolerance, down: c.tolerance } } : {}) });
      expect(r).toEqual({ replicas: c.want, utilization: c.utilization, rawAverage: c.rawAverage });
    });
  }

  it('names the container and pod without a request, as upstream does', () => {
    const pods = [pod('a'), pod('b', { requests: { memory: '64Mi' } })];
    expect(() => resourceReplicas(2, 50, 'cpu', '', pods, samples({ a: 100, b: 100 }), ctx)).toThrow('missing request for cpu in container app of Pod b');
  });

  it('fails without pods, and without any usable sample', () => {
    expect(() => resourceReplicas(1, 50, 'cpu', '', [], samples({}), ctx)).toThrow('no pods returned by selector while calculating replica count');
    expect(() => resourceReplicas(1, 50, 'cpu', '', [pod('a', { phase: 'Pending' })], samples({ a: 10 }), ctx)).toThrow('did not receive metrics for targeted pods (pods might be unready)');
  });

  it('reads one container of each pod for a container metric', () => {
    const sidecar = { containers: [{ name: 'app', resources: { requests: { cpu: '1' } } }, { name: 'log', resources: { requests: { cpu: '9' } } }] };
    const r = resourceReplicas(2, 50, 'cpu', 'app', [pod('a', { spec: sidecar }), pod('b', { spec: sidecar })], samples({ a: 1000, b: 1000 }), ctx);
    expect(r).toEqual({ replicas: 4, utilization: 100, rawAverage: 1000 });
  });
});

describe('groupPods (CPU readiness)', () => {
  it('judges CPU samples by readiness: young pods by their Ready transition and the metrics window, old pods by ever having been ready', () => {
    const pods = [
      pod('ready'),
      pod('young-just-ready', { startedAgo: 60_000, readySinceAgo: 10_000 }),
      pod('young-ready-a-window', { startedAgo: 60_000, readySinceAgo: 20_000 }),
      pod('old-never-ready', { ready: 'False', startedAgo: 10 * 60_000, readySinceAgo: 10 * 60_000 - 5_000 }),
      pod('old-was-ready', { ready: 'False', startedAgo: 10 * 60_000, readySinceAgo: 60_000 }),
      pod('no-condition', { ready: null }),
      pod('no-sample'),
    ];
    const s = samples({ ready: 1, 'young-just-ready': 1, 'young-ready-a-window': 1, 'old-never-ready': 1, 'old-was-ready': 1, 'no-condition': 1 });
    const g = groupPods(pods, s, 'cpu', ctx);
    expect(g.readyCount).toBe(3);
    expect([...g.unready].sort()).toEqual(['no-condition', 'old-never-ready', 'young-just-ready']);
    expect([...g.missing]).toEqual(['no-sample']);
    // Memory does not look at readiness.
    expect(groupPods(pods, s, 'memory', ctx).readyCount).toBe(6);
  });
});

describe('podRequests', () => {
  it('adds sidecars (restartable init containers), prefers pod-level requests, and names a missing container', () => {
    const withSidecar = pod('s', { spec: { initContainers: [{ name: 'init', restartPolicy: 'Always', resources: { requests: { cpu: '250m' } } }, { name: 'once', resources: {} }] } });
    const podLevel = pod('p', { spec: { resources: { requests: { cpu: '2' } } } });
    expect(Object.fromEntries(podRequests([withSidecar, podLevel], '', 'cpu'))).toEqual({ s: 1250, p: 2000 });
    expect(() => podRequests([pod('x')], 'nope', 'cpu')).toThrow('container nope not found in Pod x');
  });
});

describe('rawResourceReplicas (target average value)', () => {
  const target = 100 * MI; // 100Mi
  const cases: Array<{ name: string; current: number; pods: ReturnType<typeof pod>[]; usage: Record<string, number>; want: number; usage_: number }> = [
    { name: 'scales up by average over target', current: 2, pods: [pod('a'), pod('b')], usage: { a: 200 * MI, b: 200 * MI }, want: 4, usage_: 200 * MI },
    { name: 'keeps the count within tolerance', current: 2, pods: [pod('a'), pod('b')], usage: { a: 105 * MI, b: 105 * MI }, want: 2, usage_: 105 * MI },
    { name: 'missing pods count as the target on a scale-down', current: 3, pods: [pod('a'), pod('b'), pod('c')], usage: { a: 10 * MI, b: 10 * MI }, want: 2, usage_: 10 * MI },
    { name: 'missing pods count as 0 on a scale-up', current: 3, pods: [pod('a'), pod('b'), pod('c')], usage: { a: 300 * MI, b: 300 * MI }, want: 6, usage_: 300 * MI },
    { name: 'memory counts pods that are not ready', current: 2, pods: [pod('a'), pod('b', { ready: 'False' })], usage: { a: 200 * MI, b: 200 * MI }, want: 4, usage_: 200 * MI },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(rawResourceReplicas(c.current, target, 'memory', c.pods, samples(c.usage), ctx)).toEqual({ replicas: c.want, usage: c.usage_ });
    });
  }
});
