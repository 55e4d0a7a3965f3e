import { describe, expect, it } from 'vitest';
import { podsByNode, type DaemonSet, type DsNode } from './daemonset-plan.js';
import { planRollingUpdate, updateBudget, updatedPodsOnNode } from './daemonset-update-plan.js';
import type { Pod } from './workload-util.js';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const NOW = T0 + 100_000;
const iso = (s: number) => new Date(T0 + s * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
const node = (name: string, taint?: string): DsNode => ({ metadata: { name, labels: {} }, spec: taint ? { taints: [{ key: taint, effect: 'NoSchedule' }] } : {} });
const ds = (ru: { maxUnavailable?: number | string; maxSurge?: number | string }, type = 'RollingUpdate'): DaemonSet => ({
  metadata: { name: 'agent', namespace: 'ns', uid: 'ds-1', annotations: { 'deprecated.daemonset.template.generation': '2' } },
  spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: {} }, updateStrategy: { type, rollingUpdate: ru } },
});
/** A pod on `n`: `new`/`old` revision, available (ready long ago) unless `unready`. */
const pod = (name: string, n: string, rev: 'new' | 'old', o: { unready?: boolean; deleting?: boolean } = {}): Pod => ({
  metadata: { name, namespace: 'ns', creationTimestamp: iso(0), labels: { app: 'agent', 'controller-revision-hash': rev, 'pod-template-generation': rev === 'new' ? '2' : '1' }, ...(o.deleting ? { deletionTimestamp: iso(1) } : {}) },
  spec: { nodeName: n },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: o.unready ? 'False' : 'True', lastTransitionTime: iso(0) }] },
});
const nodes = ['n1', 'n2', 'n3', 'n4'].map((n) => node(n));
const plan = (set: DaemonSet, pods: Pod[], ns: DsNode[] = nodes) => planRollingUpdate(set, ns, podsByNode(pods, false), 'new', NOW);
const names = (pods: Pod[]) => pods.map((p) => p.metadata.name);
const allOld = () => nodes.map((n, i) => pod(`o${i + 1}`, n.metadata.name, 'old'));

describe('updateBudget', () => {
  it.each([
    [{ maxUnavailable: 1, maxSurge: 0 }, 10, { maxSurge: 0, maxUnavailable: 1 }],
    [{ maxUnavailable: '25%', maxSurge: 0 }, 10, { maxSurge: 0, maxUnavailable: 3 }],
    [{ maxUnavailable: 0, maxSurge: '10%' }, 10, { maxSurge: 1, maxUnavailable: 0 }],
    [{ maxUnavailable: 0, maxSurge: 0 }, 4, { maxSurge: 0, maxUnavailable: 1 }],
    [{ maxUnavailable: '0%', maxSurge: '0%' }, 0, { maxSurge: 0, maxUnavailable: 0 }],
  ])('%j over %i nodes', (ru, desired, want) => expect(updateBudget(ds(ru), desired)).toEqual(want));

  it('is zero for OnDelete', () => expect(updateBudget(ds({}, 'OnDelete'), 5)).toEqual({ maxSurge: 0, maxUnavailable: 0 }));
});

describe('updatedPodsOnNode', () => {
  it.each([
    ['one of each', [pod('a', 'n', 'new'), pod('b', 'n', 'old')], 'a', 'b', true],
    ['deleted pods ignored', [pod('a', 'n', 'new'), pod('b', 'n', 'new', { deleting: true })], 'a', undefined, true],
    ['two old pods', [pod('a', 'n', 'old'), pod('b', 'n', 'old')], undefined, undefined, false],
  ])('%s', (_what, pods, newName, oldName, ok) => {
    const r = updatedPodsOnNode(pods, 'new', 2);
    expect([r.newPod?.metadata.name, r.oldPod?.metadata.name, r.ok]).toEqual([newName, oldName, ok]);
  });
});

describe('planRollingUpdate without surge', () => {
  it.each([
    ['deletes maxUnavailable available old pods', { maxUnavailable: 2 }, allOld(), ['o1', 'o2']],
    ['waits while a new pod is not yet available', { maxUnavailable: 1 }, [pod('a', 'n1', 'new', { unready: true }), pod('o2', 'n2', 'old'), pod('o3', 'n3', 'old'), pod('o4', 'n4', 'old')], []],
    ['a node without any pod counts as unavailable', { maxUnavailable: 2 }, [pod('o2', 'n2', 'old'), pod('o3', 'n3', 'old'), pod('o4', 'n4', 'old')], ['o2']],
    ['replaces unavailable old pods regardless of the budget', { maxUnavailable: 1 }, [pod('o1', 'n1', 'old', { unready: true }), pod('o2', 'n2', 'old', { unready: true }), pod('o3', 'n3', 'old'), pod('o4', 'n4', 'old')], ['o1', 'o2']],
    ['percentages round up', { maxUnavailable: '30%' }, allOld(), ['o1', 'o2']],
    ['nothing once every pod is new', { maxUnavailable: 4 }, nodes.map((n, i) => pod(`p${i}`, n.metadata.name, 'new')), []],
  ])('%s', (_what, ru, pods, remove) => {
    const p = plan(ds(ru), pods);
    expect(names(p.remove)).toEqual(remove);
    expect(p.create).toEqual([]);
  });
});

describe('planRollingUpdate with surge', () => {
  const surge = ds({ maxUnavailable: 0, maxSurge: 2 });
  it.each([
    ['starts new pods beside maxSurge old ones', allOld(), [], ['n1', 'n2']],
    [
      'removes the old pod where the new one is available, counts the unavailable new one',
      [pod('o1', 'n1', 'old'), pod('a', 'n1', 'new'), pod('o2', 'n2', 'old'), pod('b', 'n2', 'new', { unready: true }), pod('o3', 'n3', 'old'), pod('o4', 'n4', 'old')],
      ['o1'],
      ['n3'],
    ],
    ['an unavailable old pod gets its replacement at once', [pod('o1', 'n1', 'old', { unready: true }), pod('a', 'n2', 'new', { unready: true }), pod('o3', 'n2', 'old'), pod('b', 'n3', 'new', { unready: true }), pod('o5', 'n3', 'old'), pod('o4', 'n4', 'old')], [], ['n1']],
  ])('%s', (_what, pods, remove, create) => {
    const p = plan(surge, pods);
    expect(names(p.remove)).toEqual(remove);
    expect(p.create).toEqual(create);
  });

  it('keeps an available pod on a node that no longer qualifies until another node has one', () => {
    const ns = [node('n1'), node('n2', 'gpu')];
    expect(names(plan(surge, [pod('o2', 'n2', 'old')], ns).remove)).toEqual([]);
    expect(names(plan(surge, [pod('a', 'n1', 'new'), pod('o2', 'n2', 'old')], ns).remove)).toEqual(['o2']);
  });
});
