import { describe, expect, it } from 'vitest';
import { EventRecorder } from './event-recorder.js';
import { isPending, nodeChangeMatters, podChangeMatters, releasesResources, scheduledCondition } from './pod-state.js';
import type { Pod } from './types.js';

describe('pending pods', () => {
  it.each<[string, Pod, boolean]>([
    ['unbound, default scheduler', { metadata: {}, spec: { schedulerName: 'default-scheduler' } }, true],
    ['unbound, no scheduler named', { metadata: {}, spec: {} }, true],
    ['bound', { metadata: {}, spec: { nodeName: 'n' } }, false],
    ['another scheduler', { metadata: {}, spec: { schedulerName: 'other' } }, false],
    ['being deleted', { metadata: { deletionTimestamp: 'now' }, spec: {} }, false],
    ['finished', { metadata: {}, spec: {}, status: { phase: 'Succeeded' } }, false],
  ])('%s: %s', (_, pod, want) => expect(isPending(pod)).toBe(want));
});

describe('changes worth another attempt', () => {
  it('retries pods on spec or label changes, not status ones', () => {
    const pod: Pod = { metadata: { labels: { a: '1' } }, spec: { nodeSelector: { x: 'y' } }, status: {} };
    expect(podChangeMatters(pod, { ...pod, status: { conditions: [{ type: 'PodScheduled' }] } })).toBe(false);
    expect(podChangeMatters(pod, { ...pod, metadata: { labels: { a: '2' } } })).toBe(true);
    expect(podChangeMatters(pod, { ...pod, spec: {} })).toBe(true);
  });

  it('moves unschedulable pods for node label, taint, capacity and readiness changes, not heartbeats', () => {
    const n = { metadata: { name: 'n', labels: { a: '1' } }, spec: {}, status: { allocatable: { cpu: '1' }, conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '1' }] } };
    expect(nodeChangeMatters(n, { ...n, status: { ...n.status, conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2' }] } })).toBe(false);
    expect(nodeChangeMatters(n, { ...n, metadata: { name: 'n', labels: { a: '2' } } })).toBe(true);
    expect(nodeChangeMatters(n, { ...n, spec: { taints: [{ key: 'k', effect: 'NoSchedule' }] } })).toBe(true);
    expect(nodeChangeMatters(n, { ...n, status: { ...n.status, allocatable: { cpu: '2' } } })).toBe(true);
  });

  it('sees a bound pod release its node when it finishes or starts terminating', () => {
    const bound: Pod = { metadata: {}, spec: { nodeName: 'n' }, status: { phase: 'Running' } };
    expect(releasesResources(bound, { ...bound, status: { phase: 'Succeeded' } })).toBe(true);
    expect(releasesResources(bound, { ...bound, metadata: { deletionTimestamp: 'now' } })).toBe(true);
    expect(releasesResources(bound, bound)).toBe(false);
  });
});

describe('the PodScheduled condition', () => {
  const at = new Date('2030-01-01T00:00:00Z');
  it('is written when missing or different, and skipped when the same', () => {
    const c = scheduledCondition({ status: {} }, '0/3 nodes are available.', at)!;
    expect(c).toEqual({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available.', lastProbeTime: null, lastTransitionTime: '2030-01-01T00:00:00Z' });
    expect(scheduledCondition({ status: { conditions: [c] } }, '0/3 nodes are available.', at)).toBeUndefined();
    const later = scheduledCondition({ status: { conditions: [c] } }, 'other', new Date('2031-01-01T00:00:00Z'))!;
    expect(later.lastTransitionTime).toBe('2030-01-01T00:00:00Z');
  });
});

describe('event recorder', () => {
  it('writes a repeat at most once per interval, bumping the count of the event written', async () => {
    let now = 1_000_000;
    const calls: Array<[string, string, Record<string, unknown>]> = [];
    const client = {
      create: async (path: string, body: unknown) => (calls.push(['create', path, body as Record<string, unknown>]), {}),
      patch: async (path: string, body: unknown) => (calls.push(['patch', path, body as Record<string, unknown>]), {}),
    };
    const rec = new EventRecorder(client as never, 60_000, 'test', () => now);
    const pod: Pod = { metadata: { name: 'p', namespace: 'ns', uid: 'u1' } };
    await rec.record(pod, 'Warning', 'FailedScheduling', 'Scheduling', 'no room');
    now += 59_999;
    await rec.record(pod, 'Warning', 'FailedScheduling', 'Scheduling', 'no room');
    expect(calls).toHaveLength(1);
    expect(calls[0]![2]).toMatchObject({ reason: 'FailedScheduling', type: 'Warning', count: 1, source: { component: 'default-scheduler' }, involvedObject: { kind: 'Pod', name: 'p', uid: 'u1' } });
    now += 1;
    await rec.record(pod, 'Warning', 'FailedScheduling', 'Scheduling', 'no room');
    expect(calls[1]![0]).toBe('patch');
    expect(calls[1]![1]).toBe(`/api/v1/namespaces/ns/events/${(calls[0]![2].metadata as { name: string }).name}`);
    expect(calls[1]![2]).toMatchObject({ count: 2 });
    await rec.record(pod, 'Warning', 'FailedScheduling', 'Scheduling', 'another reason');
    expect(calls[2]![0]).toBe('create');
  });
});
