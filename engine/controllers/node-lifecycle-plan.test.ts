import { describe, expect, it } from 'vitest';
import { desiredTaints, evictionTime, observeHeartbeat, restoreConditions, staleConditions, tolerates, type NodeObj } from './node-lifecycle-plan.js';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const iso = (s: number) => new Date(T0 + s * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
const node = (ready: string | undefined, extra: Partial<NodeObj['spec']> = {}, more: { type: string; status: string }[] = []): NodeObj => ({
  metadata: { name: 'n1' },
  spec: extra,
  status: { conditions: [...(ready ? [{ type: 'Ready', status: ready, lastHeartbeatTime: iso(0) }] : []), ...more] },
});

describe('observeHeartbeat', () => {
  it('moves probeAt only when the Lease renewTime or the Ready heartbeat changes', () => {
    const first = observeHeartbeat(undefined, node('True'), 'r1', T0);
    expect(first.probeAt).toBe(T0);
    expect(observeHeartbeat(first, node('True'), 'r1', T0 + 30_000).probeAt).toBe(T0);
    expect(observeHeartbeat(first, node('True'), 'r2', T0 + 30_000).probeAt).toBe(T0 + 30_000);
    const beat = { ...node('True') };
    beat.status!.conditions![0]!.lastHeartbeatTime = iso(20);
    expect(observeHeartbeat(first, beat, 'r1', T0 + 30_000).probeAt).toBe(T0 + 30_000);
  });
});

describe('staleConditions / restoreConditions', () => {
  it('turns reported conditions Unknown, adds missing ones, and restores them when heartbeats resume', () => {
    const before = [
      { type: 'Ready', status: 'True', reason: 'KubeletReady' },
      { type: 'MemoryPressure', status: 'False' },
    ];
    const stale = staleConditions(before, T0)!;
    expect(stale.find((c) => c.type === 'Ready')).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: iso(0) });
    expect(stale.find((c) => c.type === 'DiskPressure')).toMatchObject({ status: 'Unknown', reason: 'NodeStatusNeverUpdated' });
    expect(staleConditions(stale, T0 + 1000)).toBeUndefined();
    const back = restoreConditions(stale, before, T0 + 5000)!;
    expect(back.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', reason: 'KubeletReady' });
    expect(back.find((c) => c.type === 'DiskPressure')).toMatchObject({ status: 'Unknown' });
  });
});

describe('desiredTaints', () => {
  const keys = (n: NodeObj) => desiredTaints(n, T0).map((t) => `${t.key}:${t.effect}`).sort();
  it.each([
    ['Ready', node('True'), []],
    ['Unknown', node('Unknown'), ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']],
    ['NotReady', node('False'), ['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/not-ready:NoSchedule']],
    ['unschedulable', node('True', { unschedulable: true }), ['node.kubernetes.io/unschedulable:NoSchedule']],
    ['memory pressure', node('True', {}, [{ type: 'MemoryPressure', status: 'True' }]), ['node.kubernetes.io/memory-pressure:NoSchedule']],
    ['no Ready condition yet', node(undefined), []],
  ])('%s', (_, n, want) => expect(keys(n)).toEqual(want));

  it('keeps foreign taints and the timeAdded of taints already there; swaps unreachable for not-ready', () => {
    const n = node('False', {
      taints: [
        { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: iso(-50) },
        { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: iso(-60) },
      ],
    });
    expect(desiredTaints(n, T0)).toEqual([
      { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: iso(-50) },
    ]);
  });
});

describe('evictionTime', () => {
  const unreachable = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: iso(0) };
  const seen = () => T0 + 99_000;
  it.each([
    ['no tolerations: at once', undefined, [unreachable], T0 + 5000],
    ['tolerated forever: never', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }], [unreachable], undefined],
    ['tolerationSeconds from timeAdded', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }], [unreachable], T0 + 300_000],
    ['the shortest matching toleration', [{ operator: 'Exists', tolerationSeconds: 60 }, { key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 10 }], [unreachable], T0 + 10_000],
    ['negative seconds count as 0', [{ operator: 'Exists', tolerationSeconds: -5 }], [unreachable], T0],
    ['a taint without timeAdded counts from when it was seen', [{ operator: 'Exists', tolerationSeconds: 1 }], [{ key: 'x', effect: 'NoExecute' }], T0 + 100_000],
    ['NoSchedule taints do not evict', undefined, [{ key: 'x', effect: 'NoSchedule' }], undefined],
    ['one untolerated taint of several: at once', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }], [unreachable, { key: 'other', effect: 'NoExecute' }], T0 + 5000],
  ])('%s', (_, tolerations, taints, want) => expect(evictionTime(tolerations, taints, seen, T0 + 5000)).toBe(want));

  it('matches tolerations as upstream does', () => {
    expect(tolerates({ key: 'k', operator: 'Equal', value: 'v', effect: 'NoExecute' }, { key: 'k', value: 'v', effect: 'NoExecute' })).toBe(true);
    expect(tolerates({ key: 'k', value: 'w' }, { key: 'k', value: 'v', effect: 'NoExecute' })).toBe(false);
    expect(tolerates({ operator: 'Exists' }, { key: 'anything', effect: 'NoSchedule' })).toBe(true);
    expect(tolerates({ key: 'k', operator: 'Exists', effect: 'NoSchedule' }, { key: 'k', effect: 'NoExecute' })).toBe(false);
  });
});
