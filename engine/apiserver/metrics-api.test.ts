import { describe, expect, it } from 'vitest';
import { metricsResourceList, nodeMetrics, podMetrics, usageQuantities, windowText } from './metrics-api.js';

const AT = Date.parse('2026-01-01T00:00:10Z');

describe('resource metrics objects', () => {
  it('prints windows as Go durations and usage as quantities', () => {
    expect(windowText(5018)).toBe('5.018s');
    expect(windowText(15000)).toBe('15s');
    expect(usageQuantities({ cpu: 12_345_678.4, memory: 20 * 1024 * 1024 })).toEqual({ cpu: '12345678n', memory: '20480Ki' });
    expect(usageQuantities({ cpu: -3, memory: 10 })).toEqual({ cpu: '0n', memory: '0Ki' });
  });

  it('makes NodeMetrics whose timestamp ends the window (the interval is [timestamp - window, timestamp])', () => {
    const m = nodeMetrics({ metadata: { name: 'n1', labels: { a: 'b' } } }, { at: AT, windowMs: 5000, cpu: 1e9, memory: 1024 }, AT) as Record<string, unknown>;
    expect(m).toMatchObject({ kind: 'NodeMetrics', apiVersion: 'metrics.k8s.io/v1beta1', metadata: { name: 'n1', labels: { a: 'b' } }, timestamp: '2026-01-01T00:00:10Z', window: '5s', usage: { cpu: '1000000000n', memory: '1Ki' } });
  });

  it('makes PodMetrics with one entry per container', () => {
    const u = { at: AT, windowMs: 5000, cpu: 5e6, memory: 2048 };
    const m = podMetrics({ metadata: { name: 'p', namespace: 'ns' } }, [{ name: 'a', usage: u }, { name: 'b', usage: { ...u, cpu: 0 } }], AT);
    expect(m).toMatchObject({ kind: 'PodMetrics', metadata: { name: 'p', namespace: 'ns' }, containers: [{ name: 'a', usage: { cpu: '5000000n', memory: '2Ki' } }, { name: 'b', usage: { cpu: '0n' } }] });
  });

  it('lists nodes (cluster-wide) and pods (namespaced) for discovery', () => {
    const list = metricsResourceList() as { groupVersion: string; resources: Array<{ name: string; namespaced: boolean; kind: string }> };
    expect(list.groupVersion).toBe('metrics.k8s.io/v1beta1');
    expect(list.resources.map((r) => [r.name, r.namespaced, r.kind])).toEqual([['nodes', false, 'NodeMetrics'], ['pods', true, 'PodMetrics']]);
  });
});
