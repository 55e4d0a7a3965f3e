// The HorizontalPodAutoscaler controller, run in-process with the workload controllers on a real
// apiserver and etcd and driven with real kubectl. The test plays the node agent (pods become
// Running and Ready through pods/status). Pods' CPU use comes from the apiserver's
// metrics.k8s.io API, except in namespaces where the test sets the use itself ("plain data"
// standing in for the node agents' figures): the scale decisions, the scale subresource writes,
// status, events and kubectl's views are the real ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiObject } from '../engine/api/resource-type.js';
import { RestMetricsSource, type MetricsSource, type PodMetrics } from '../engine/controllers/hpa-metrics.js';
import { startTestApiServer, type TestApiServer } from './helpers/apiserver.js';
import { apiShorthands, startControllers, type InProcessControllers } from './helpers/in-process.js';

let api: TestApiServer;
let controllers: InProcessControllers;
const stops: Array<() => void> = [];
/** CPU use of every container, by namespace, for namespaces whose metrics the test sets. */
const cpuUse = new Map<string, string>();

type Pod = ApiObject & { spec: { containers: { name: string }[] }; status?: { phase?: string } };
type Condition = { type: string; status: string; reason?: string; message?: string };
type Hpa = ApiObject & { spec: Record<string, unknown>; status?: { currentReplicas?: number; desiredReplicas?: number; conditions?: Condition[]; currentMetrics?: unknown[] } };

const { ok, getJson, until, podsIn, eventsIn: events, fakeNodeAgent } = apiShorthands(() => api, { untilMs: 30_000, pollMs: 200 });
const hpaOf = (ns: string, name: string) => getJson<Hpa>(`/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers/${name}`);
const condition = (h: Hpa, type: string) => h.status?.conditions?.find((c) => c.type === type);
const replicasOf = async (ns: string, name: string) => (await getJson<{ spec: { replicas: number } }>(`/apis/apps/v1/namespaces/${ns}/deployments/${name}`)).spec.replicas;

/** Plays the node agent for the pods of `ns`: each becomes Running and Ready. */
const fakeKubelet = (ns: string) => void stops.push(fakeNodeAgent(ns));

/** The metrics API, or for namespaces in `cpuUse` PodMetrics of their running pods with that use. */
function metricsSource(rest: MetricsSource): MetricsSource {
  return {
    async podMetrics(ns, selector) {
      const cpu = cpuUse.get(ns);
      if (cpu === undefined) return rest.podMetrics(ns, selector);
      const pods = await podsIn<Pod>(ns, selector);
      return pods
        .filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp)
        .map(
          (p): PodMetrics => ({
            metadata: { name: p.metadata.name, namespace: ns },
            timestamp: new Date().toISOString(),
            window: '1s',
            containers: p.spec.containers.map((c) => ({ name: c.name, usage: { cpu, memory: '10Mi' } })),
          }),
        );
    },
  };
}

const deployment = (name: string, replicas: number, resources = '') => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: app, image: busybox${resources}}]
`;

beforeAll(async () => {
  api = await startTestApiServer();
  controllers = await startControllers(api, (client) => ({ hpaSyncPeriodMs: 1000, hpaDownscaleStabilizationSeconds: 0, hpaMetrics: metricsSource(new RestMetricsSource(client)) }));
  for (const ns of ['auto', 'norequest', 'busy', 'missing']) await ok(['create', 'namespace', ns]);
});

afterAll(async () => {
  for (const stop of stops) stop();
  await controllers?.stop();
  await api?.stop();
});

describe.sequential('HorizontalPodAutoscaler controller', () => {
  it('kubectl autoscale makes a valid autoscaling/v2 HPA; without the metrics API it reports what upstream reports', async () => {
    await ok(['-n', 'auto', 'apply', '-f', '-'], deployment('web', 1, ', resources: {requests: {cpu: 100m}}'));
    expect(await ok(['-n', 'auto', 'autoscale', 'deployment', 'web', '--cpu-percent=50', '--min=1', '--max=5'])).toMatch(/horizontalpodautoscaler.autoscaling\/web autoscaled/);
    const h = await hpaOf('auto', 'web');
    expect(h.apiVersion).toBe('autoscaling/v2');
    expect(h.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 1,
      maxReplicas: 5,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
    });
    expect(await ok(['-n', 'auto', 'get', 'hpa', 'web', '--no-headers'])).toMatch(/^web\s+Deployment\/web\s+cpu: <unknown>\/50%\s+1\s+5\s+\d+\s+/);
    fakeKubelet('auto');
    // The apiserver answers metrics.k8s.io itself; this test apiserver cannot reach node agents, so the
    // API is unavailable (503) — or, on an apiserver that does not serve it, not found (404).
    const unavailable = /^the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server (is currently unable to handle the request|could not find the requested resource) \(get pods\.metrics\.k8s\.io\)$/;
    const active = await until('ScalingActive False', async () => {
      const c = condition(await hpaOf('auto', 'web'), 'ScalingActive');
      return c?.status === 'False' && c;
    });
    expect(active.reason).toBe('FailedGetResourceMetric');
    expect(active.message).toMatch(unavailable);
    const status = (await hpaOf('auto', 'web')).status!;
    expect(condition({ status } as Hpa, 'AbleToScale')).toMatchObject({ status: 'True', reason: 'SucceededGetScale' });
    expect([status.currentReplicas, status.currentMetrics]).toEqual([1, [{ type: '' }]]);
    const evs = await events('auto');
    expect(evs.find((e) => e.reason === 'FailedGetResourceMetric')).toMatchObject({ type: 'Warning', involvedObject: { kind: 'HorizontalPodAutoscaler', name: 'web' } });
    expect(evs.find((e) => e.reason === 'FailedComputeMetricsReplicas')?.message).toMatch(/^invalid metrics \(1 invalid out of 1\), first error is: failed to get cpu resource metric value: failed to get cpu utilization: unable to get metrics for resource cpu: /);
    expect(await ok(['-n', 'auto', 'describe', 'hpa', 'web'])).toMatch(/ScalingActive\s+False\s+FailedGetResourceMetric/);
  });

  it('pods without a CPU request: ScalingActive False FailedGetResourceMetric naming the container and pod', async () => {
    cpuUse.set('norequest', '100m');
    fakeKubelet('norequest');
    await ok(['-n', 'norequest', 'apply', '-f', '-'], deployment('web', 1));
    await ok(['-n', 'norequest', 'autoscale', 'deployment', 'web', '--cpu-percent=50', '--max=3']);
    const c = await until('FailedGetResourceMetric', async () => {
      const x = condition(await hpaOf('norequest', 'web'), 'ScalingActive');
      return x?.reason === 'FailedGetResourceMetric' && /missing request/.test(x.message ?? '') && x;
    });
    expect(c.message).toMatch(/^the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container app of Pod web-[a-z0-9]+-[a-z0-9]{5}$/);
    // A sync before the pod ran reports missing metrics instead: look for the event of this cause.
    const e = await until('the event', async () => (await events('norequest')).find((x) => x.reason === 'FailedGetResourceMetric' && /missing request/.test(x.message)));
    expect(e.message).toMatch(/^failed to get cpu utilization: missing request for cpu in container app of Pod web-/);
  });

  it('scales a busy Deployment up, shows it in kubectl, and back down once the load is gone', async () => {
    cpuUse.set('busy', '200m');
    fakeKubelet('busy');
    await ok(['-n', 'busy', 'apply', '-f', '-'], deployment('web', 1, ', resources: {requests: {cpu: 100m}}'));
    await ok(['-n', 'busy', 'autoscale', 'deployment', 'web', '--cpu-percent=50', '--min=1', '--max=4']);
    await until('4 replicas', async () => (await replicasOf('busy', 'web')) === 4);
    const up = await until('SuccessfulRescale', async () => (await events('busy')).find((e) => e.reason === 'SuccessfulRescale'));
    expect(up.message).toBe('New size: 4; reason: cpu resource utilization (percentage of request) above target');
    const h = await until('TooManyReplicas', async () => {
      const x = await hpaOf('busy', 'web');
      return condition(x, 'ScalingLimited')?.reason === 'TooManyReplicas' && x.status?.currentReplicas === 4 && x;
    });
    expect(condition(h, 'ScalingLimited')).toMatchObject({ status: 'True', message: 'the desired replica count is more than the maximum replica count' });
    expect(condition(h, 'ScalingActive')).toMatchObject({ status: 'True', reason: 'ValidMetricFound' });
    expect(h.status?.currentMetrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 200, averageValue: '200m' } } }]);
    expect(await ok(['-n', 'busy', 'get', 'hpa', '--no-headers'])).toMatch(/^web\s+Deployment\/web\s+cpu: 200%\/50%\s+1\s+4\s+4\s+/);
    expect(await ok(['-n', 'busy', 'describe', 'hpa', 'web'])).toMatch(/200% \(200m\) \/ 50%/);

    cpuUse.set('busy', '5m');
    await until('1 replica', async () => (await replicasOf('busy', 'web')) === 1);
    await until('the scale-down event', async () => (await events('busy')).some((e) => e.reason === 'SuccessfulRescale' && e.message === 'New size: 1; reason: All metrics below target'));
  });

  it('an HPA whose target does not exist gets FailedGetScale', async () => {
    await ok(['-n', 'missing', 'apply', '-f', '-'], `
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: ghost}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: nope}
  maxReplicas: 3
`);
    const c = await until('AbleToScale False', async () => {
      const x = condition(await hpaOf('missing', 'ghost'), 'AbleToScale');
      return x?.status === 'False' && x;
    });
    expect(c).toMatchObject({ reason: 'FailedGetScale', message: `the HPA controller was unable to get the target's current scale: deployments.apps "nope" not found` });
    const e = await until('FailedGetScale event', async () => (await events('missing')).find((x) => x.reason === 'FailedGetScale'));
    expect(e).toMatchObject({ type: 'Warning', message: 'deployments.apps "nope" not found' });
    expect(await ok(['-n', 'missing', 'get', 'hpa', 'ghost', '--no-headers'])).toMatch(/^ghost\s+Deployment\/nope\s+cpu: <unknown>\/80%\s+1\s+3\s+0\s+/);
  });
});
