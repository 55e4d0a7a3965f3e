import { describe, expect, it } from 'vitest';
import type { ClusterSummary, NodeSummary } from '../../../engine/dashboard/contract';
import { poweredBoxes, poweredStatus } from './node-power';
import type { NodeBox } from './topology-plan';

const box = (name: string, status = 'Ready', roles = '<none>'): NodeBox => ({ name, status, ready: status === 'Ready', cordoned: false, roles, pods: [] });
const node = (name: string, state: string, role: NodeSummary['role'] = 'worker'): NodeSummary => ({ name, role, state, ready: state === 'running', ip: '172.30.0.9', podCIDR: '10.244.9.0/24' });
const summary = (state: ClusterSummary['state'], nodes: NodeSummary[], operation?: ClusterSummary['operation']): ClusterSummary => ({ name: 'dev', state, nodes, ...(operation ? { operation } : {}) });

const cp = box('dev-control-plane', 'Ready', 'control-plane');
const w1 = box('dev-worker');
const w2 = box('dev-worker2');

describe('poweredBoxes', () => {
  it('running nodes can be stopped; a stopped worker of a degraded cluster can be started', () => {
    const out = poweredBoxes([cp, w1, w2], summary('degraded', [node('dev-control-plane', 'running', 'control-plane'), node('dev-worker', 'running'), node('dev-worker2', 'exited')]));
    expect(out.map((p) => [p.box.name, p.container, p.canStop, p.canStart, p.controlPlane])).toEqual([
      ['dev-control-plane', 'running', true, false, true],
      ['dev-worker', 'running', true, false, false],
      ['dev-worker2', 'stopped', false, true, false],
    ]);
    // The Node may still say Ready for a while after its container stopped.
    expect(poweredStatus(out[2]!)).toBe('Ready · stopped');
    expect(poweredStatus(out[1]!)).toBe('Ready');
    expect(poweredStatus({ ...out[2]!, box: { ...out[2]!.box, status: 'Unknown', ready: false } })).toBe('Unknown · stopped');
  });

  it('a stopped control plane (no Node list) still gets a box to start it from, first', () => {
    const out = poweredBoxes([], summary('degraded', [node('dev-worker', 'running'), node('dev-control-plane', 'exited', 'control-plane')]));
    expect(out.map((p) => [p.box.name, p.listed, p.container, p.canStart, p.controlPlane, poweredStatus(p)])).toEqual([
      ['dev-control-plane', false, 'stopped', true, true, 'Stopped'],
      ['dev-worker', false, 'running', false, false, 'Unknown'],
    ]);
    expect(out[0]!.box.ip).toBe('172.30.0.9');
  });

  it('nodes of a stopped cluster are not started one by one', () => {
    const out = poweredBoxes([w1], summary('stopped', [node('dev-control-plane', 'exited', 'control-plane'), node('dev-worker', 'exited')]));
    expect(out.every((p) => !p.canStart && !p.canStop)).toBe(true);
  });

  it('without the cluster list yet: no buttons, the Node objects as they are', () => {
    const out = poweredBoxes([cp, w1], undefined);
    expect(out.map((p) => [p.container, p.canStop, p.canStart])).toEqual([
      ['unknown', false, false],
      ['unknown', false, false],
    ]);
  });

  it('says why the buttons are off while an operation runs on the cluster', () => {
    const op = { id: 'o1', kind: 'node-stop' as const, cluster: 'dev', node: 'dev-worker', state: 'running' as const, steps: [] };
    const out = poweredBoxes([w1], summary('running', [node('dev-worker', 'running')], op));
    expect(out[0]!.busy).toBe('a node-stop of dev-worker is running on dev');
    expect(poweredBoxes([w1], summary('running', [node('dev-worker', 'running')], { ...op, state: 'succeeded' }))[0]!.busy).toBeUndefined();
  });
});
