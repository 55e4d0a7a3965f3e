import { describe, expect, it } from 'vitest';
import type { Node, Pod, Service } from '../../api/types';
import { groupByNode, serviceLinks } from './topology-plan';

const node = (name: string, roles: string[] = [], ready = 'True', unschedulable = false): Node => ({
  metadata: { name, uid: `n-${name}`, labels: Object.fromEntries(roles.map((r) => [`node-role.kubernetes.io/${r}`, ''])) },
  spec: { unschedulable, podCIDR: `10.244.${name.length}.0/24` },
  status: { conditions: [{ type: 'Ready', status: ready }], addresses: [{ type: 'InternalIP', address: `172.18.0.${name.length}` }] },
});

const pod = (name: string, nodeName?: string, opts: { ns?: string; labels?: Record<string, string>; ip?: string; phase?: string; deleting?: boolean } = {}): Pod => ({
  metadata: { name, namespace: opts.ns ?? 'default', uid: `p-${opts.ns ?? 'default'}-${name}`, labels: opts.labels ?? {}, ...(opts.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}) },
  spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'app' }] },
  status: {
    phase: opts.phase ?? 'Running',
    ...(opts.ip ? { podIP: opts.ip, podIPs: [{ ip: opts.ip }] } : {}),
    containerStatuses: opts.phase === 'Pending' ? [] : [{ name: 'app', ready: true, restartCount: 0, state: { running: {} } }],
  },
});

describe('groupByNode', () => {
  it('puts each pod in the box of its node, control plane first, pods by name', () => {
    const t = groupByNode(
      [node('w2'), node('cp', ['control-plane']), node('w1')],
      [pod('web-b', 'w1', { ip: '10.244.1.3' }), pod('web-a', 'w1', { ip: '10.244.1.2' }), pod('dns', 'cp', { ip: '10.244.0.2' })],
    );
    expect(t.nodes.map((n) => `${n.name}:${n.pods.map((p) => p.name).join(',')}`)).toEqual(['cp:dns', 'w1:web-a,web-b', 'w2:']);
    expect(t.nodes[1]!.pods[0]).toMatchObject({ name: 'web-a', ip: '10.244.1.2', status: 'Running', ready: '1/1', tone: 'ok', terminating: false });
    expect(t.unplaced).toEqual([]);
  });

  it('keeps pending pods and pods of unknown nodes apart', () => {
    const t = groupByNode([node('w1')], [pod('new', undefined, { phase: 'Pending' }), pod('orphan', 'gone')]);
    expect(t.unplaced.map((p) => p.name)).toEqual(['new', 'orphan']);
    expect(t.unplaced[0]).toMatchObject({ status: 'Pending', tone: 'progress' });
    expect(t.unplaced[0]!.ip).toBeUndefined();
  });

  it('reports node state: not ready, cordoned', () => {
    const t = groupByNode([node('a', [], 'False'), node('b', ['worker'], 'True', true)], []);
    expect(t.nodes.map((n) => [n.name, n.status, n.ready, n.cordoned, n.roles])).toEqual([
      ['a', 'NotReady', false, false, '<none>'],
      ['b', 'Ready,SchedulingDisabled', true, true, 'worker'],
    ]);
    expect(t.nodes[0]).toMatchObject({ ip: '172.18.0.1', podCIDR: '10.244.1.0/24' });
  });

  it('marks terminating pods', () => {
    const t = groupByNode([node('w1')], [pod('old', 'w1', { deleting: true })]);
    expect(t.nodes[0]!.pods[0]).toMatchObject({ terminating: true, status: 'Terminating' });
  });

  it('keeps same-named pods of two namespaces apart', () => {
    const t = groupByNode([node('w1')], [pod('x', 'w1', { ns: 'a' }), pod('x', 'w1', { ns: 'b' })]);
    expect(t.nodes[0]!.pods.map((p) => `${p.namespace}/${p.name}`)).toEqual(['a/x', 'b/x']);
    expect(new Set(t.nodes[0]!.pods.map((p) => p.key)).size).toBe(2);
  });
});

describe('serviceLinks', () => {
  const svc = (name: string, selector?: Record<string, string>, ns = 'default'): Service => ({
    metadata: { name, namespace: ns, uid: `s-${name}` },
    spec: { type: 'ClusterIP', clusterIP: '10.96.0.10', ...(selector ? { selector } : {}) },
  });
  it('links each Service to the pods of its namespace its selector matches', () => {
    const pods = [pod('web-1', 'w1', { labels: { app: 'web' } }), pod('web-2', 'w1', { labels: { app: 'web' } }), pod('db', 'w1', { labels: { app: 'db' } }), pod('web-x', 'w1', { ns: 'other', labels: { app: 'web' } })];
    const links = serviceLinks([svc('web', { app: 'web' }), svc('manual'), svc('none', { app: 'nothing' })], pods);
    expect(links.map((l) => [l.name, l.pods?.map((p) => p.name)])).toEqual([
      ['manual', undefined],
      ['none', []],
      ['web', ['web-1', 'web-2']],
    ]);
  });
});
