import { describe, expect, it } from 'vitest';
import { ApiRequestError } from '../client/rest-client.js';
import { goDurationMs, metricsApiError, milliValue, resourceSamples, RestMetricsSource } from './hpa-metrics.js';
import { NOW, podMetrics } from './hpa-test-fixtures.js';

describe('milliValue', () => {
  const cases: Array<[unknown, number]> = [
    ['250m', 250],
    ['1', 1000],
    ['12345678n', 13],
    ['1000000n', 1],
    ['1Ki', 1_024_000],
    ['2048Ki', 2_097_152_000],
    [0.5, 500],
    ['bogus', NaN],
  ];
  for (const [q, want] of cases) it(`${String(q)} → ${want}`, () => expect(milliValue(q)).toBe(want));
});

describe('goDurationMs', () => {
  const cases: Array<[string, number]> = [
    ['15s', 15_000],
    ['1m0s', 60_000],
    ['1m30.5s', 90_500],
    ['5.002s', 5002],
    ['250ms', 250],
    ['0', 0],
    ['15', NaN],
    ['', NaN],
  ];
  for (const [text, want] of cases) it(`${JSON.stringify(text)} → ${want}`, () => expect(goDurationMs(text)).toBe(want));
});

describe('resourceSamples', () => {
  const items = [
    podMetrics('a', { app: { cpu: '200m', memory: '10Mi' }, log: { cpu: '50m', memory: '2Mi' } }),
    podMetrics('b', { app: { cpu: '100m' } }),
    podMetrics('c', {}),
  ];
  it('sums the containers of each pod; a pod missing the resource in a container, or without containers, has no sample', () => {
    const cpu = resourceSamples(items, 'cpu');
    expect(Object.fromEntries([...cpu].map(([k, v]) => [k, v.value]))).toEqual({ a: 250, b: 100 });
    expect(cpu.get('a')).toEqual({ value: 250, timestamp: NOW, windowMs: 15_000 });
    expect([...resourceSamples(items, 'memory').keys()]).toEqual(['a']);
  });
  it('reads one named container, and fails when a pod lacks it', () => {
    expect(resourceSamples(items.slice(0, 1), 'cpu', 'log').get('a')?.value).toBe(50);
    expect(() => resourceSamples(items, 'cpu', 'log')).toThrow('failed to get container metrics: container log not present in metrics for pod default/b');
  });
  it('fails on an empty list as upstream does', () => {
    expect(() => resourceSamples([], 'cpu')).toThrow('no metrics returned from resource metrics API');
  });
});

describe('RestMetricsSource', () => {
  it('lists PodMetrics of the namespace by label selector', async () => {
    const calls: unknown[] = [];
    const src = new RestMetricsSource({ list: async (path: string, query?: unknown) => (calls.push([path, query]), { metadata: {}, items: [podMetrics('a', {})] }) } as never);
    expect(await src.podMetrics('team-a', 'app=web')).toHaveLength(1);
    expect(calls).toEqual([['/apis/metrics.k8s.io/v1beta1/namespaces/team-a/pods', { labelSelector: 'app=web' }]]);
  });
  it('words an unserved or unavailable API as client-go does', async () => {
    const failing = (code: number) => new RestMetricsSource({ list: async () => Promise.reject(new ApiRequestError(code, 'X', 'server said no')) } as never);
    await expect(failing(404).podMetrics('d', 'a=b')).rejects.toThrow('the server could not find the requested resource (get pods.metrics.k8s.io)');
    await expect(failing(503).podMetrics('d', 'a=b')).rejects.toThrow('the server is currently unable to handle the request (get pods.metrics.k8s.io)');
    expect(metricsApiError(new ApiRequestError(403, 'Forbidden', 'nope'))).toBe('nope');
  });
});
