import { describe, expect, it } from 'vitest';
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
