import { describe, expect, it } from 'vitest';
import type { Node, Pod } from '../../api/types';
import { internalIP, nodeRoles, nodeStatus, nodeTone, requested, NODE_COLUMNS } from './columns';

const node = (ready: string | undefined, opts: { unschedulable?: boolean; labels?: Record<string, string> } = {}): Node => ({
  metadata: { name: 'n1', labels: opts.labels ?? {}, creationTimestamp: '2024-01-01T00:00:00Z' },
  spec: { unschedulable: opts.unschedulable ?? false, podCIDR: '10.244.1.0/24' },
  status: {
    conditions: ready === undefined ? [] : [{ type: 'Ready', status: ready }],
    addresses: [{ type: 'InternalIP', address: '172.18.0.3' }, { type: 'Hostname', address: 'n1' }],
    nodeInfo: { kubeletVersion: 'v1.34.0+kubelab.0.1.0' },
  },
});

describe('nodeStatus', () => {
  it.each([
    ['True', false, 'Ready', 'ok'],
    ['False', false, 'NotReady', 'bad'],
    ['Unknown', false, 'Unknown', 'bad'],
    [undefined, false, 'Unknown', 'bad'],
    ['True', true, 'Ready,SchedulingDisabled', 'warn'],
  ] as const)('Ready=%s cordoned=%s → %s', (ready, unschedulable, status, tone) => {
    const n = node(ready, { unschedulable });
    expect(nodeStatus(n)).toBe(status);
    expect(nodeTone(n)).toBe(tone);
  });
});

describe('nodeRoles', () => {
  it.each([
    [{}, '<none>'],
    [{ 'node-role.kubernetes.io/control-plane': '' }, 'control-plane'],
    [{ 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/infra': 'x' }, 'infra,worker'],
    [{ 'kubernetes.io/role': 'edge' }, 'edge'],
    [{ 'node-role.kubernetes.io/': '' }, '<none>'],
  ])('%j → %s', (labels, want) => {
    expect(nodeRoles(node('True', { labels }))).toBe(want);
  });
});

describe('requested', () => {
  const pod = (cpu: string | undefined, memory: string | undefined, phase = 'Running'): Pod => ({
    metadata: { name: 'p' },
    spec: { containers: [{ name: 'a', resources: { requests: { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) } } }] },
    status: { phase },
  });
  it('sums container requests of pods that are not finished', () => {
    const pods = [pod('100m', '64Mi'), pod('250m', undefined), pod('1', '1Gi', 'Succeeded'), pod(undefined, '64Mi')];
    expect(requested(pods, 'cpu')).toBeCloseTo(0.35);
    expect(requested(pods, 'memory')).toBe(128 * 2 ** 20);
  });
});

describe('node columns', () => {
  it('show what kubectl get nodes -o wide shows', () => {
    const n = node('True', { labels: { 'node-role.kubernetes.io/control-plane': '' } });
    expect(internalIP(n)).toBe('172.18.0.3');
    expect(NODE_COLUMNS.map((c) => c.text(n, Date.parse('2024-01-03T00:00:00Z')))).toEqual([
      'n1',
      'Ready',
      'control-plane',
      '2d',
      'v1.34.0+kubelab.0.1.0',
      '172.18.0.3',
      '10.244.1.0/24',
    ]);
  });
});
