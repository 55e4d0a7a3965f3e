import { describe, expect, it } from 'vitest';
import type { NodeInfo } from '../docker/provider.js';
import { KubelabError } from '../errors.js';
import { controlPlaneStopWarning, nodeIsUp, planNodePower } from './node-power.js';

const node = (name: string, index: number, state: string): NodeInfo => ({
  name,
  cluster: 'dev',
  role: index === 0 ? 'control-plane' : 'worker',
  index,
  state,
  ip: `172.30.0.${index + 2}`,
  ports: [],
});
const cluster = (cp: string, w1: string, w2: string) => [node('dev-control-plane', 0, cp), node('dev-worker', 1, w1), node('dev-worker2', 2, w2)];

describe('planNodePower', () => {
  it.each([
    ['stop a running worker', cluster('running', 'running', 'running'), 'dev-worker2', 'stop', false],
    ['stop the control plane', cluster('running', 'running', 'running'), 'dev-control-plane', 'stop', true],
    ['stop a worker while the control plane is down', cluster('exited', 'running', 'running'), 'dev-worker', 'stop', false],
    ['start a stopped worker', cluster('running', 'running', 'exited'), 'dev-worker2', 'start', false],
    ['start a worker that was created but never ran', cluster('running', 'created', 'running'), 'dev-worker', 'start', false],
    ['start the stopped control plane of a degraded cluster', cluster('exited', 'running', 'running'), 'dev-control-plane', 'start', true],
  ] as const)('%s', (_name, nodes, target, action, controlPlane) => {
    const plan = planNodePower('dev', nodes, target, action);
    expect(plan.node.name).toBe(target);
    expect(plan.controlPlane).toBe(controlPlane);
  });

  it.each([
    ['an unknown node', cluster('running', 'running', 'running'), 'dev-worker9', 'stop', /node "dev-worker9" is not part of cluster "dev"/, /dev-control-plane, dev-worker, dev-worker2/],
    ['a node already stopped', cluster('running', 'running', 'exited'), 'dev-worker2', 'stop', /node "dev-worker2" is already stopped/, /kubelab node start dev-worker2/],
    ['a node already running', cluster('running', 'running', 'running'), 'dev-worker', 'start', /node "dev-worker" is already running/, /kubelab node stop dev-worker/],
    ['a restarting node (on its way up)', cluster('running', 'restarting', 'running'), 'dev-worker', 'start', /already running/, /node stop/],
    ['starting one node of a stopped cluster', cluster('exited', 'exited', 'exited'), 'dev-worker', 'start', /cluster "dev" is stopped/, /kubelab start --name dev/],
    ['stopping a node of a stopped cluster', cluster('exited', 'exited', 'exited'), 'dev-worker', 'stop', /cluster "dev" is stopped/, /kubelab start --name dev/],
  ] as const)('refuses %s', (_name, nodes, target, action, message, hint) => {
    let err: unknown;
    try {
      planNodePower('dev', nodes, target, action);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KubelabError);
    expect((err as KubelabError).message).toMatch(message);
    expect((err as KubelabError).hint).toMatch(hint);
  });

  it('counts running and restarting containers as up', () => {
    expect(['running', 'restarting', 'exited', 'created', 'paused', 'dead'].map((state) => nodeIsUp({ state }))).toEqual([true, true, false, false, false, false]);
  });

  it('warns that the API goes away with the control plane, and how to bring it back', () => {
    expect(controlPlaneStopWarning('dev-control-plane')).toMatch(/API server is gone.*kubelab node start dev-control-plane/);
  });
});
