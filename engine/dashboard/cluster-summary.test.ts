import { describe, expect, it } from 'vitest';
import type { ClusterStatus } from '../cluster/cluster.js';
import { summarizeClusters } from './cluster-summary.js';
import type { OperationState } from './contract.js';

const node = (name: string, role: 'control-plane' | 'worker', state: string, ready: boolean, index: number) => ({
  name,
  cluster: 'dev',
  role,
  index,
  state,
  ip: state === 'running' ? `172.18.0.${index + 2}` : '',
  ports: [],
  podCIDR: `10.244.${index}.0/24`,
  ready,
});

const dev: ClusterStatus = { name: 'dev', state: 'degraded', nodes: [node('dev-control-plane', 'control-plane', 'running', true, 0), node('dev-worker', 'worker', 'exited', false, 1)] };
const lab: ClusterStatus = { name: 'lab', state: 'stopped', nodes: [] };
const op = (cluster: string, kind: OperationState['kind']): OperationState => ({ id: `op-${cluster}`, kind, cluster, state: 'running', steps: [{ step: 'x', status: 'start' }] });

describe('summarizeClusters', () => {
  it('maps nodes and leaves out Docker-only fields', () => {
    const [s] = summarizeClusters([dev], new Set(), []);
    expect(s).toEqual({
      name: 'dev',
      state: 'degraded',
      nodes: [
        { name: 'dev-control-plane', role: 'control-plane', state: 'running', ready: true, ip: '172.18.0.2', podCIDR: '10.244.0.0/24' },
        { name: 'dev-worker', role: 'worker', state: 'exited', ready: false, ip: undefined, podCIDR: '10.244.1.0/24' },
      ],
    });
  });

  it.each([
    ['in the kubeconfig', new Set(['kubelab-dev', 'other']), 'kubelab-dev'],
    ['not in the kubeconfig', new Set(['kubelab-lab']), undefined],
  ])('names the context when it is %s', (_n, contexts, context) => {
    expect(summarizeClusters([dev], contexts, [])[0]!.context).toBe(context);
  });

  it('marks the cluster whose context is current, and only it', () => {
    const both: ClusterStatus[] = [dev, { ...lab, nodes: [] }];
    const out = summarizeClusters(both, new Set(['kubelab-dev', 'kubelab-lab']), [], 'kubelab-lab');
    expect(out.map((c) => [c.name, c.current])).toEqual([
      ['dev', undefined],
      ['lab', true],
    ]);
    expect(summarizeClusters(both, new Set(['kubelab-dev']), [], 'prod').some((c) => c.current)).toBe(false);
    // A current-context that names a context no longer in the file marks nothing.
    expect(summarizeClusters([dev], new Set(), [], 'kubelab-dev')[0]!.current).toBeUndefined();
  });

  it('attaches the running operation, and lists clusters still being created, sorted by name', () => {
    const out = summarizeClusters([lab, dev], new Set(), [op('dev', 'stop'), op('new', 'create')]);
    expect(out.map((c) => [c.name, c.state, c.operation?.kind])).toEqual([
      ['dev', 'degraded', 'stop'],
      ['lab', 'stopped', undefined],
      ['new', 'stopped', 'create'],
    ]);
    expect(out[2]!.nodes).toEqual([]);
  });
});
