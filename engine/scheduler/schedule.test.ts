import { describe, expect, it } from 'vitest';
import { schedule } from './schedule.js';
import { cluster, CONTROL_PLANE_TAINT, node, place, pod, replica } from './test-fixtures.js';
import { ZONE_LABEL, type Node, type Pod } from './types.js';
import type { NodeInfo } from './node-info.js';

const cp = (name = 'cp') => node(name, { taints: [CONTROL_PLANE_TAINT] });
const CP_TAINT = 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }';
const first = { random: () => 0 };
const cpu = (n: string) => pod(`uses-${n}`, { requests: { cpu: n } });
const withPriority = (p: Pod, priority: number, startTime?: string): Pod => ({ ...p, spec: { ...p.spec, priority }, status: { ...p.status, ...(startTime ? { startTime } : {}) } });

describe('schedule: the FailedScheduling message', () => {
  const pinnedTo = (name: string) => ({
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [name] }] }] } } },
  });
  it.each<[string, Pod, NodeInfo[], string]>([
    [
      'only a control-plane node',
      pod('p'),
      cluster([cp()]),
      `0/1 nodes are available: 1 ${CP_TAINT}. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.`,
    ],
    [
      'a nodeSelector no worker matches',
      pod('p', { spec: { nodeSelector: { disktype: 'ssd' } } }),
      cluster([cp()], [node('w1')], [node('w2')]),
      `0/3 nodes are available: 1 ${CP_TAINT}, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.`,
    ],
    [
      'a request larger than any worker',
      pod('p', { requests: { cpu: '3' } }),
      cluster([cp('cp1')], [cp('cp2')], [node('w1', { cpu: '2' })]),
      `0/3 nodes are available: 1 Insufficient cpu, 2 ${CP_TAINT}. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.`,
    ],
    [
      'workers used up by pods of equal priority',
      pod('p', { requests: { cpu: '2' } }),
      cluster([cp()], [node('w1'), [cpu('3')]], [node('w2'), [cpu('3')]]),
      `0/3 nodes are available: 1 ${CP_TAINT}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.`,
    ],
    [
      'every reason of a node counts',
      pod('p', { requests: { cpu: '2', memory: '2Gi' } }),
      cluster([node('w1', { memory: '4Gi' }), [pod('q', { requests: { cpu: '3', memory: '3Gi' } })]]),
      '0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    ],
    [
      'reasons sort as whole strings, counts included',
      pod('p'),
      cluster(...Array.from({ length: 10 }, (_, i): [Node] => [node(`c${i}`, { unschedulable: true })]), [cp('cp1')], [cp('cp2')]),
      `0/12 nodes are available: 10 node(s) were unschedulable, 2 ${CP_TAINT}. preemption: 0/12 nodes are available: 12 Preemption is not helpful for scheduling.`,
    ],
    [
      'a DaemonSet pod whose node is full',
      pod('p', { requests: { cpu: '2' }, spec: pinnedTo('w2') }),
      cluster([cp()], [node('w1')], [node('w2'), [cpu('3')]], [node('w3')]),
      "0/4 nodes are available: 1 Insufficient cpu, 3 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/4 nodes are available: 1 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.",
    ],
    [
      'node name requirements that contradict each other',
      pod('p', {
        spec: {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['w1'] }, { key: 'metadata.name', operator: 'In', values: ['w2'] }] }],
              },
            },
          },
        },
      }),
      cluster([node('w1')], [node('w2')]),
      '0/2 nodes are available: pod affinity terms conflict. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
    ],
    [
      'a pod that may not preempt',
      { ...pod('p', { requests: { cpu: '2' } }), spec: { ...pod('p', { requests: { cpu: '2' } }).spec, priority: 1000, preemptionPolicy: 'Never' } },
      cluster([node('w1'), [cpu('3')]]),
      '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.',
    ],
    [
      'evicting every lower-priority pod would still not make room',
      withPriority(pod('p', { requests: { cpu: '3' } }), 1000),
      cluster([node('w1'), [withPriority(cpu('1'), 0), withPriority(cpu('2'), 2000)]]),
      '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Insufficient cpu.',
    ],
    ['no nodes at all', pod('p'), [], 'no nodes available to schedule pods'],
  ])('%s', (_name, p, nodes, message) => {
    expect(schedule(p, nodes, first)).toEqual({ unschedulable: message });
  });
});

describe('schedule: placement', () => {
  it('keeps ordinary pods off the control-plane node', () => {
    for (let i = 0; i < 5; i++) expect(schedule(pod(`p${i}`), cluster([cp()], [node('w1')]))).toMatchObject({ node: 'w1' });
  });

  it('places a pod that tolerates the control-plane taint on the emptier node', () => {
    const p = pod('p', { spec: { tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] } });
    expect(schedule(p, cluster([cp()], [node('w1'), [cpu('3')]]))).toMatchObject({ node: 'cp' });
  });

  it('spreads three replicas over three nodes', () => {
    let nodes = cluster([cp()], [node('w1')], [node('w2')], [node('w3')]);
    const placed: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = replica(`web-${i}`, 'web', { requests: { cpu: '100m' } });
      const result = schedule(r, nodes, first);
      if (!('node' in result)) throw new Error(result.unschedulable);
      placed.push(result.node);
      nodes = place(nodes, r, result.node);
    }
    expect(placed.sort()).toEqual(['w1', 'w2', 'w3']);
  });

  it('spreads replicas across zones before nodes', () => {
    const inZone = (name: string, zone: string) => node(name, { labels: { [ZONE_LABEL]: zone } });
    let nodes = cluster([inZone('a1', 'a')], [inZone('a2', 'a')], [inZone('b1', 'b')], [inZone('b2', 'b')]);
    const zones: string[] = [];
    for (let i = 0; i < 2; i++) {
      const r = replica(`web-${i}`, 'web');
      const result = schedule(r, nodes, first);
      if (!('node' in result)) throw new Error(result.unschedulable);
      zones.push(result.node[0]!);
      nodes = place(nodes, r, result.node);
    }
    expect(zones.sort()).toEqual(['a', 'b']);
  });

  it('puts one anti-affine replica per node, then explains why the next cannot go anywhere', () => {
    const antiWeb = { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' }] } } };
    let nodes = cluster([cp()], [node('w1')], [node('w2')], [node('w3')]);
    const placed: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = replica(`web-${i}`, 'web', { spec: antiWeb });
      const result = schedule(r, nodes);
      if (!('node' in result)) throw new Error(result.unschedulable);
      placed.push(result.node);
      nodes = place(nodes, r, result.node);
    }
    expect(placed.sort()).toEqual(['w1', 'w2', 'w3']);
    expect(schedule(replica('web-3', 'web', { spec: antiWeb }), nodes)).toEqual({
      unschedulable: `0/4 nodes are available: 1 ${CP_TAINT}, 3 node(s) didn't match pod anti-affinity rules. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.`,
    });
  });

  it('fills the workers until cpu runs out', () => {
    let nodes = cluster([node('w1', { cpu: '2' })], [node('w2', { cpu: '2' })]);
    for (let i = 0; i < 4; i++) {
      const p = pod(`p${i}`, { requests: { cpu: '1' } });
      const result = schedule(p, nodes);
      if (!('node' in result)) throw new Error(result.unschedulable);
      nodes = place(nodes, p, result.node);
    }
    expect(nodes.map((n) => n.pods.length)).toEqual([2, 2]);
    expect(schedule(pod('p4', { requests: { cpu: '1' } }), nodes)).toEqual({
      unschedulable: '0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.',
    });
  });

  it('prefers nodes without untolerated PreferNoSchedule taints and with preferred labels', () => {
    const nodes = cluster([node('soft', { taints: [{ key: 'x', effect: 'PreferNoSchedule' }] })], [node('plain')]);
    expect(schedule(pod('p'), nodes)).toMatchObject({ node: 'plain' });
    const prefer = pod('q', { spec: { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } }] } } } });
    expect(schedule(prefer, cluster([node('hdd')], [node('ssd', { labels: { disk: 'ssd' } })]))).toMatchObject({ node: 'ssd' });
  });

  it('breaks ties with the injected random number', () => {
    const nodes = cluster([node('a')], [node('b')], [node('c')]);
    expect(schedule(pod('p'), nodes, { random: () => 0 })).toEqual({ node: 'a', scores: { a: expect.any(Number), b: expect.any(Number), c: expect.any(Number) } });
    expect(schedule(pod('p'), nodes, { random: () => 0.5 })).toMatchObject({ node: 'b' });
    expect(schedule(pod('p'), nodes, { random: () => 0.99 })).toMatchObject({ node: 'c' });
    const result = schedule(pod('p'), nodes, first);
    expect('scores' in result && new Set(Object.values(result.scores)).size).toBe(1);
  });

  it('takes the only feasible node without scoring', () => {
    expect(schedule(pod('p'), cluster([cp()], [node('w1')]))).toEqual({ node: 'w1', scores: { w1: 0 } });
  });
});

describe('schedule: preemption', () => {
  it('plans to evict the fewest, least important pods that make room', () => {
    const early = withPriority(pod('early', { requests: { cpu: '2' } }), 0, '2026-01-01T00:00:00Z');
    const late = withPriority(pod('late', { requests: { cpu: '2' } }), 0, '2026-01-02T00:00:00Z');
    const important = withPriority(pod('p', { requests: { cpu: '2' } }), 1000);
    const result = schedule(important, cluster([node('w1'), [early, late]]));
    expect(result).toMatchObject({ unschedulable: '0/1 nodes are available: 1 Insufficient cpu.', preemption: { node: 'w1' } });
    expect('preemption' in result && result.preemption?.victims.map((v) => v.metadata?.name)).toEqual(['late']);
  });

  it('prefers the node whose victims matter least', () => {
    const important = withPriority(pod('p', { requests: { cpu: '2' } }), 1000);
    const nodes = cluster([node('w1'), [withPriority(cpu('3'), 500)]], [node('w2'), [withPriority(cpu('3'), 100)]]);
    expect(schedule(important, nodes)).toMatchObject({ preemption: { node: 'w2' } });
  });
});
