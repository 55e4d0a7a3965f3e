import { describe, expect, it } from 'vitest';
import { parseLabelSelector } from '../api/selectors.js';
import type { FetchedMetrics } from './hpa-compute.js';
import type { HpaHistory } from './hpa-normalize.js';
import { nextStatus, planSync, rescaled, rescaleFailed, sameHpaStatus, tolerancesOf, type HpaSettings, type SyncInput } from './hpa-plan.js';
import { cpuUtilization, hpa, memoryAverage, NOW, pod, podMetrics } from './hpa-test-fixtures.js';
import { SyncDraft, type Hpa, type HpaCondition } from './hpa-types.js';

const settings: HpaSettings = { downscaleStabilizationS: 300 };
const CPU_NAME = 'cpu resource utilization (percentage of request)';
const cpuUse = (...milli: number[]): FetchedMetrics => ({ items: milli.map((m, i) => podMetrics(`p${i}`, { app: { cpu: `${m}m`, memory: '1Mi' } })) });
const pods = (n: number, o: Parameters<typeof pod>[1] = {}) => Array.from({ length: n }, (_, i) => pod(`p${i}`, o));

function run(o: Partial<SyncInput> & { replicas: number }) {
  const h = o.hpa ?? hpa();
  const draft = new SyncDraft(h.status?.conditions, NOW);
  const plan = planSync(
    {
      hpa: h,
      scale: o.scale ?? { specReplicas: o.replicas, statusReplicas: o.replicas, selector: 'app=web' },
      pods: o.pods ?? pods(o.replicas),
      others: o.others ?? [],
      metrics: o.metrics,
      history: o.history,
      now: NOW,
      settings: o.settings ?? settings,
    },
    draft,
  );
  const cond = (type: string) => draft.conditions.find((c) => c.type === type);
  const brief = (type: string) => [cond(type)?.status, cond(type)?.reason];
  return { plan, draft, cond, brief, hpa: h };
}

describe('planSync: scaling on metrics', () => {
  it('scales up on CPU over target, reports ValidMetricFound, the current metrics and the reason of the rescale', () => {
    const r = run({ replicas: 2, metrics: cpuUse(900, 900) });
    expect([r.plan.desired, r.plan.rescale, r.plan.reason]).toEqual([4, true, `${CPU_NAME} above target`]);
    expect(r.cond('ScalingActive')).toMatchObject({ status: 'True', reason: 'ValidMetricFound', message: `the HPA was able to successfully calculate a replica count from ${CPU_NAME}` });
    expect(r.brief('ScalingLimited')).toEqual(['False', 'DesiredWithinRange']);
    expect(r.plan.statuses).toEqual([{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 90, averageValue: '900m' } } }]);
    rescaled(r.hpa, r.plan, r.draft, NOW, settings);
    expect(r.cond('AbleToScale')).toMatchObject({ status: 'True', reason: 'SucceededRescale', message: 'the HPA controller was able to update the target scale to 4' });
    expect(r.draft.events).toEqual([{ type: 'Normal', reason: 'SuccessfulRescale', message: `New size: 4; reason: ${CPU_NAME} above target` }]);
  });

  it('limits a scale-up without behavior to double (at least 4) per sync', () => {
    const r = run({ replicas: 1, metrics: cpuUse(1000), hpa: hpa({ metrics: [cpuUtilization(10)] }) });
    expect([r.plan.desired, ...r.brief('ScalingLimited')]).toEqual([4, 'True', 'ScaleUpLimit']);
  });

  it('holds a scale-down for the stabilization window, then scales down when it has passed', () => {
    const history: HpaHistory = { recommendations: [{ replicas: 4, at: NOW - 60_000 }], up: [], down: [] };
    const held = run({ replicas: 4, metrics: cpuUse(100, 100, 100, 100), history });
    expect([held.plan.desired, held.plan.rescale, ...held.brief('AbleToScale')]).toEqual([4, false, 'True', 'ScaleDownStabilized']);
    expect(held.plan.history.recommendations).toContainEqual({ replicas: 1, at: NOW });
    const demo = run({ replicas: 4, metrics: cpuUse(100, 100, 100, 100), history, settings: { downscaleStabilizationS: 0 } });
    expect([demo.plan.desired, demo.plan.rescale, demo.plan.reason]).toEqual([1, true, 'All metrics below target']);
  });

  it('reports TooFewReplicas and TooManyReplicas at the bounds', () => {
    const low = run({ replicas: 3, metrics: cpuUse(1, 1, 1), hpa: hpa({ min: 2 }), settings: { downscaleStabilizationS: 0 } });
    expect([low.plan.desired, ...low.brief('ScalingLimited')]).toEqual([2, 'True', 'TooFewReplicas']);
    const high = run({ replicas: 4, metrics: cpuUse(1000, 1000, 1000, 1000), hpa: hpa({ max: 5 }) });
    expect([high.plan.desired, ...high.brief('ScalingLimited')]).toEqual([5, 'True', 'TooManyReplicas']);
  });

  it('applies behavior policies and records the scale event for the next period', () => {
    const h = hpa({ max: 50, behavior: { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } } });
    const r = run({ replicas: 2, metrics: cpuUse(1000, 1000), hpa: h });
    expect([r.plan.desired, ...r.brief('ScalingLimited')]).toEqual([3, 'True', 'ScaleUpLimit']);
    const history = rescaled(h, r.plan, r.draft, NOW, settings);
    expect(history.up).toEqual([{ change: 1, at: NOW, outdated: false }]);
    const next = run({ replicas: 3, metrics: cpuUse(1000, 1000, 1000), hpa: h, history });
    expect([next.plan.desired, next.plan.rescale]).toEqual([3, false]);
  });

  it('reads memory against an average value and reports the average as a quantity', () => {
    const metrics: FetchedMetrics = { items: [podMetrics('p0', { app: { cpu: '1m', memory: '200Mi' } }), podMetrics('p1', { app: { cpu: '1m', memory: '200Mi' } })] };
    const r = run({ replicas: 2, metrics, hpa: hpa({ metrics: [memoryAverage('100Mi')] }) });
    expect([r.plan.desired, r.plan.reason]).toEqual([4, 'memory resource above target']);
    expect(r.plan.statuses).toEqual([{ type: 'Resource', resource: { name: 'memory', current: { averageValue: '209715200' } } }]);
  });
});

describe('planSync: failures', () => {
  it('pods without a CPU request: ScalingActive False FailedGetResourceMetric, with upstream events', () => {
    const r = run({ replicas: 2, pods: pods(2, { requests: { memory: '64Mi' } }), metrics: cpuUse(100, 100) });
    const cause = 'failed to get cpu utilization: missing request for cpu in container app of Pod p0';
    expect(r.cond('ScalingActive')).toMatchObject({ status: 'False', reason: 'FailedGetResourceMetric', message: `the HPA was unable to compute the replica count: ${cause}` });
    const failed = `invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: ${cause}`;
    expect(r.draft.events).toEqual([
      { type: 'Warning', reason: 'FailedGetResourceMetric', message: cause },
      { type: 'Warning', reason: 'FailedComputeMetricsReplicas', message: failed },
    ]);
    expect([r.plan.failed, r.plan.rescale, r.plan.statuses]).toEqual([failed, false, [{ type: '' }]]);
  });

  it('the metrics API not served: the message users know from clusters without metrics-server', () => {
    const r = run({ replicas: 1, metrics: { error: 'the server could not find the requested resource (get pods.metrics.k8s.io)' } });
    expect(r.cond('ScalingActive')?.message).toBe(
      'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)',
    );
  });

  it('an unserved metric beside a valid one: scales on the valid one when it scales up, fails when it would scale down', () => {
    const metrics = [cpuUtilization(50), { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '10' } } }];
    const up = run({ replicas: 2, metrics: cpuUse(900, 900), hpa: hpa({ metrics }) });
    expect([up.plan.desired, ...up.brief('ScalingActive')]).toEqual([4, 'True', 'ValidMetricFound']);
    expect(up.plan.partialError).toBe('invalid metrics (1 invalid out of 2), first error is: failed to get pods metric value: unable to get metric rps: unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered');
    expect(up.draft.events[0]).toMatchObject({ reason: 'FailedGetPodsMetric' });
    const down = run({ replicas: 2, metrics: cpuUse(10, 10), hpa: hpa({ metrics }) });
    expect([down.plan.failed !== undefined, ...down.brief('ScalingActive')]).toEqual([true, 'False', 'FailedGetPodsMetric']);
  });

  it('external and object metrics fail as upstream words them without the APIs', () => {
    const ext = run({ replicas: 1, hpa: hpa({ metrics: [{ type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: '5' } } }] }) });
    expect(ext.draft.events[0]).toEqual({
      type: 'Warning',
      reason: 'FailedGetExternalMetric',
      message: 'unable to get external metric default/queue/nil: unable to fetch metrics from external metrics API: the server could not find the requested resource (get queue.external.metrics.k8s.io)',
    });
    const obj = run({ replicas: 1, hpa: hpa({ metrics: [{ type: 'Object', object: { describedObject: { kind: 'Ingress', name: 'main' }, metric: { name: 'rps' }, target: { type: 'Value', value: '5' } } }] }) });
    expect(obj.brief('ScalingActive')).toEqual(['False', 'FailedGetObjectMetric']);
  });

  it('a target without a selector, or with pods another HPA drives, cannot be scaled', () => {
    const none = run({ replicas: 1, scale: { specReplicas: 1, statusReplicas: 1, selector: '' } });
    expect([...none.brief('ScalingActive'), none.plan.failed]).toEqual(['False', 'InvalidSelector', 'selector is required']);
    expect(none.draft.events.map((e) => e.reason)).toEqual(['SelectorRequired', 'FailedComputeMetricsReplicas']);
    const shared = run({ replicas: 1, metrics: cpuUse(500), others: [{ name: 'other', reqs: parseLabelSelector('app') }] });
    expect(shared.cond('ScalingActive')).toMatchObject({ status: 'False', reason: 'AmbiguousSelector', message: 'pods by selector app=web are controlled by multiple HPAs: [{other default} {web default}]' });
  });
});

describe('planSync: before metrics', () => {
  it('a target at 0 replicas disables scaling', () => {
    const r = run({ replicas: 0 });
    expect([r.plan.desired, r.plan.rescale, ...r.brief('ScalingActive')]).toEqual([0, false, 'False', 'ScalingDisabled']);
  });
  it('brings a target back within min and max without reading metrics', () => {
    expect([run({ replicas: 12 }).plan.desired, run({ replicas: 12 }).plan.reason]).toEqual([10, 'Current number of replicas above Spec.MaxReplicas']);
    const low = run({ replicas: 1, hpa: hpa({ min: 3 }) });
    expect([low.plan.desired, low.plan.rescale, low.plan.reason]).toEqual([3, true, 'Current number of replicas below Spec.MinReplicas']);
    expect(low.cond('ScalingActive')).toBeUndefined();
  });
  it('remembers the first count as the first recommendation', () => {
    expect(run({ replicas: 12 }).plan.history.recommendations).toEqual([{ replicas: 12, at: NOW }]);
  });
});

describe('status', () => {
  const old: HpaCondition = { type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale', message: 'x', lastTransitionTime: '2024-01-01T00:00:00Z' };
  it('keeps a condition’s lastTransitionTime unless its status flips', () => {
    const d = new SyncDraft([old], NOW);
    d.set('AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size');
    expect(d.conditions[0]!.lastTransitionTime).toBe('2024-01-01T00:00:00Z');
    d.set('AbleToScale', 'False', 'FailedGetScale', 'gone');
    expect(d.conditions[0]!.lastTransitionTime).toBe('2025-01-01T00:10:00Z');
  });
  it('writes replicas, metrics, lastScaleTime on a rescale and the generation observed; equal statuses are not rewritten', () => {
    const h: Hpa = { ...hpa({ status: { currentReplicas: 2, desiredReplicas: 2, conditions: [old] } }) };
    const d = new SyncDraft(h.status?.conditions, NOW);
    const s = nextStatus(h, d, NOW, { current: 2, desired: 4, statuses: [{ type: '' }], rescaled: true });
    expect(s).toMatchObject({ observedGeneration: 1, currentReplicas: 2, desiredReplicas: 4, lastScaleTime: '2025-01-01T00:10:00Z', currentMetrics: [{ type: '' }], conditions: [old] });
    expect(sameHpaStatus(s, { ...s })).toBe(true);
    expect(sameHpaStatus(h.status, s)).toBe(false);
    // A failure before replicas are known keeps desiredReplicas as it was.
    expect(nextStatus(h, d, NOW, { current: 3, statuses: null, rescaled: false })).toMatchObject({ currentReplicas: 3, desiredReplicas: 2, currentMetrics: null });
  });
  it('records a failed rescale', () => {
    const r = run({ replicas: 2, metrics: cpuUse(900, 900) });
    rescaleFailed(r.plan, r.draft, 'conflict');
    expect(r.cond('AbleToScale')).toMatchObject({ status: 'False', reason: 'FailedUpdateScale', message: 'the HPA controller was unable to update the target scale: conflict' });
    expect(r.draft.events.at(-1)).toEqual({ type: 'Warning', reason: 'FailedRescale', message: `New size: 4; reason: ${CPU_NAME} above target; error: conflict` });
  });
  it('reads per-direction tolerances from the behavior', () => {
    expect(tolerancesOf(hpa({ behavior: { scaleUp: { tolerance: '50m' } } }))).toEqual({ up: 0.05, down: 0.1 });
  });
});
