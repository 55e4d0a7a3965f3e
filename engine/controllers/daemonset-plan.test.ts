import { describe, expect, it } from 'vitest';
import {
  daemonPodTemplate,
  daemonSetStatus,
  daemonTolerations,
  FailedPodBackoff,
  nodeShouldRunDaemonPod,
  oldestFirst,
  pinToNode,
  planManage,
  podsByNode,
  targetNodeName,
  type DaemonSet,
  type DsNode,
} from './daemonset-plan.js';
import type { Pod } from './workload-util.js';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const iso = (s: number) => new Date(T0 + s * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
type Taint = { key: string; value?: string; effect: string };
const node = (name: string, o: { labels?: Record<string, string>; taints?: Taint[]; unschedulable?: boolean } = {}): DsNode => ({
  metadata: { name, labels: { 'kubernetes.io/hostname': name, ...o.labels } },
  spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
});
const ds = (o: { spec?: Record<string, unknown>; surge?: number | string; unavailable?: number | string; minReady?: number; generation?: string } = {}): DaemonSet => ({
  metadata: { name: 'agent', namespace: 'ns', uid: 'ds-1', generation: 1, annotations: { 'deprecated.daemonset.template.generation': o.generation ?? '2' } },
  spec: {
    selector: { matchLabels: { app: 'agent' } },
    template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...o.spec } },
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: o.unavailable ?? 1, maxSurge: o.surge ?? 0 } },
    minReadySeconds: o.minReady ?? 0,
  },
});
const pod = (name: string, nodeName: string | undefined, o: { hash?: string; phase?: string; ready?: number; created?: number; deleting?: boolean; pinned?: string } = {}): Pod => ({
  metadata: {
    name,
    namespace: 'ns',
    uid: `u-${name}`,
    creationTimestamp: iso(o.created ?? 0),
    labels: { app: 'agent', 'controller-revision-hash': o.hash ?? 'new' },
    ...(o.deleting ? { deletionTimestamp: iso(1) } : {}),
  },
  spec: { ...(nodeName ? { nodeName } : {}), ...(o.pinned ? { affinity: pinToNode(undefined, o.pinned) } : {}) },
  status: {
    phase: o.phase ?? 'Running',
    conditions: o.ready !== undefined ? [{ type: 'Ready', status: 'True', lastTransitionTime: iso(o.ready) }] : [{ type: 'Ready', status: 'False' }],
  },
});
const names = (pods: Pod[]) => pods.map((p) => p.metadata.name);

describe('nodeShouldRunDaemonPod', () => {
  it.each([
    ['a plain node', node('n'), ds(), true, true],
    ['a cordoned node (daemon pods tolerate unschedulable)', node('n', { unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] }), ds(), true, true],
    ['a not-ready node', node('n', { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] }), ds(), true, true],
    ['a node under memory pressure', node('n', { taints: [{ key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' }] }), ds(), true, true],
    ['an untolerated NoSchedule taint: no new pod, the old one stays', node('n', { taints: [{ key: 'gpu', effect: 'NoSchedule' }] }), ds(), false, true],
    ['an untolerated NoExecute taint: the pod goes', node('n', { taints: [{ key: 'gpu', value: 'x', effect: 'NoExecute' }] }), ds(), false, false],
    ['a tolerated NoExecute taint', node('n', { taints: [{ key: 'gpu', effect: 'NoExecute' }] }), ds({ spec: { tolerations: [{ key: 'gpu', operator: 'Exists' }] } }), true, true],
    ['PreferNoSchedule does not count', node('n', { taints: [{ key: 'gpu', effect: 'PreferNoSchedule' }] }), ds(), true, true],
    ['network-unavailable for a pod network pod', node('n', { taints: [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }] }), ds(), false, true],
    ['network-unavailable for a hostNetwork pod', node('n', { taints: [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }] }), ds({ spec: { hostNetwork: true } }), true, true],
    ['nodeSelector matching', node('n', { labels: { disk: 'ssd' } }), ds({ spec: { nodeSelector: { disk: 'ssd' } } }), true, true],
    ['nodeSelector not matching', node('n'), ds({ spec: { nodeSelector: { disk: 'ssd' } } }), false, false],
    [
      'required node affinity not matching',
      node('n', { labels: { zone: 'b' } }),
      ds({ spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } } } }),
      false,
      false,
    ],
    ['matchFields on the node name', node('n'), ds({ spec: { affinity: pinToNode(undefined, 'n') } }), true, true],
    ['template nodeName of another node', node('n'), ds({ spec: { nodeName: 'other' } }), false, false],
  ])('%s', (_what, n, set, shouldRun, shouldContinueRunning) => {
    expect(nodeShouldRunDaemonPod(n, set)).toEqual({ shouldRun, shouldContinueRunning });
  });
});

describe('daemonTolerations', () => {
  it('adds the daemon tolerations, network-unavailable only with hostNetwork', () => {
    const keys = (ts: { key?: string; effect?: string }[]) => ts.map((t) => `${t.key}:${t.effect}`);
    const base = ['not-ready:NoExecute', 'unreachable:NoExecute', 'disk-pressure:NoSchedule', 'memory-pressure:NoSchedule', 'pid-pressure:NoSchedule', 'unschedulable:NoSchedule'].map((k) => `node.kubernetes.io/${k}`);
    expect(keys(daemonTolerations(undefined, false))).toEqual(base);
    expect(keys(daemonTolerations([], true))).toEqual([...base, 'node.kubernetes.io/network-unavailable:NoSchedule']);
  });

  it('replaces a same toleration that had tolerationSeconds and keeps the others', () => {
    const own = [
      { key: 'gpu', operator: 'Exists' },
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ];
    const out = daemonTolerations(own, false);
    expect(out[0]).toEqual({ key: 'gpu', operator: 'Exists' });
    expect(out[1]).toEqual({ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' });
    expect(out).toHaveLength(7);
  });
});

describe('daemonPodTemplate and pinToNode', () => {
  it('labels the template with hash and generation and adds tolerations', () => {
    const t = daemonPodTemplate(ds({ generation: '3' }), 'h1');
    expect(t.metadata?.labels).toEqual({ app: 'agent', 'controller-revision-hash': 'h1', 'pod-template-generation': '3' });
    expect((t.spec?.tolerations as unknown[]).length).toBe(6);
  });

  it('replaces only the required node terms', () => {
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] },
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: 'ssd', operator: 'Exists' }] } }],
      },
      podAntiAffinity: {},
    };
    expect(pinToNode(affinity, 'n1')).toEqual({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }] },
        preferredDuringSchedulingIgnoredDuringExecution: affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution,
      },
      podAntiAffinity: {},
    });
    expect(affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]).toHaveProperty('matchExpressions');
  });
});

describe('targetNodeName and podsByNode', () => {
  it.each([
    ['bound', pod('a', 'n1'), 'n1'],
    ['pinned, not bound yet', pod('a', undefined, { pinned: 'n2' }), 'n2'],
    ['neither', pod('a', undefined), undefined],
  ])('%s', (_what, p, want) => expect(targetNodeName(p)).toBe(want));

  it('leaves out finished pods being deleted unless asked', () => {
    const pods = [pod('a', 'n1'), pod('b', 'n1', { phase: 'Failed', deleting: true }), pod('c', 'n2', { deleting: true })];
    expect([...podsByNode(pods, false)].map(([n, ps]) => [n, names(ps)])).toEqual([['n1', ['a']], ['n2', ['c']]]);
    expect(names(podsByNode(pods, true).get('n1')!)).toEqual(['a', 'b']);
  });

  it('orders scheduled pods first, then by age and name', () => {
    expect(names(oldestFirst([pod('u', undefined, { created: 0 }), pod('b', 'n', { created: 5 }), pod('a', 'n', { created: 5 }), pod('z', 'n', { created: 1 })]))).toEqual(['z', 'a', 'b', 'u']);
  });
});

describe('planManage', () => {
  const nodes = [node('n1'), node('n2'), node('n3', { taints: [{ key: 'x', effect: 'NoExecute' }] })];
  const plan = (set: DaemonSet, pods: Pod[], ns = nodes, backoff = new FailedPodBackoff(), now = T0 + 100_000) => planManage(set, ns, podsByNode(pods, true), 'new', now, backoff);

  it.each([
    ['a pod for each eligible node without one', [pod('a', 'n1')], ['n2'], []],
    ['no pod while one is still terminating', [pod('a', 'n1'), pod('b', 'n2', { deleting: true })], [], []],
    ['the pod on a NoExecute-tainted node goes', [pod('a', 'n1'), pod('b', 'n2'), pod('c', 'n3')], [], ['c']],
    ['extra pods beyond the oldest go', [pod('a', 'n1', { created: 5 }), pod('b', 'n1', { created: 1 }), pod('c', 'n2')], [], ['a']],
    ['a succeeded pod goes', [pod('a', 'n1', { phase: 'Succeeded' }), pod('b', 'n2')], [], ['a']],
    ['an unscheduled pod for a deleted node goes', [pod('a', 'n1'), pod('b', 'n2'), pod('g', undefined, { pinned: 'gone' })], [], ['g']],
  ])('%s', (_what, pods, create, remove) => {
    const p = plan(ds(), pods);
    expect(p.create).toEqual(create);
    expect(names(p.remove)).toEqual(remove);
  });

  it('deletes a failed pod, then holds the next one back with a growing back-off', () => {
    const backoff = new FailedPodBackoff();
    const failed = [pod('f1', 'n1', { phase: 'Failed' }), pod('b', 'n2')];
    const first = plan(ds(), failed, nodes, backoff, T0);
    expect(names(first.failed)).toEqual(['f1']);
    expect(names(first.remove)).toEqual(['f1']);
    const again = plan(ds(), [pod('f2', 'n1', { phase: 'Failed' }), pod('b', 'n2')], nodes, backoff, T0 + 400);
    expect(again.remove).toEqual([]);
    expect(again.requeueAfter).toBe(600);
    expect(names(plan(ds(), [pod('f2', 'n1', { phase: 'Failed' }), pod('b', 'n2')], nodes, backoff, T0 + 1000).remove)).toEqual(['f2']);
    expect(backoff.remaining('ds-1/n1', T0 + 1000)).toBe(2000);
  });

  describe('with maxSurge', () => {
    const surge = ds({ surge: 1, unavailable: 0 });
    it.each([
      ['keeps an old and a new pod while the new one is not available', [pod('old', 'n1', { hash: 'old', ready: 0 }), pod('new', 'n1', { created: 5 }), pod('b', 'n2')], []],
      ['drops the old pod once the new one is available', [pod('old', 'n1', { hash: 'old', ready: 0 }), pod('new', 'n1', { created: 5, ready: 10 }), pod('b', 'n2')], ['old']],
      ['drops an old pod that is not ready', [pod('old', 'n1', { hash: 'old' }), pod('new', 'n1', { created: 5 }), pod('b', 'n2')], ['old']],
      ['drops a second new pod', [pod('new1', 'n1', { created: 1 }), pod('new2', 'n1', { created: 5 }), pod('b', 'n2')], ['new2']],
    ])('%s', (_what, pods, remove) => expect(names(plan(surge, pods).remove)).toEqual(remove));
  });
});

describe('daemonSetStatus', () => {
  const nodes = [node('n1'), node('n2'), node('n3'), node('tainted', { taints: [{ key: 'x', effect: 'NoSchedule' }] })];
  it('counts desired, scheduled, misscheduled, ready, updated and available nodes', () => {
    const pods = [
      pod('a', 'n1', { ready: 0 }),
      pod('b', 'n2', { ready: 95, hash: 'old' }),
      pod('t', 'tainted', { ready: 0 }),
      pod('x', 'n1', { created: 9 }),
    ];
    const { counts, requeueAfter } = daemonSetStatus(ds({ minReady: 10 }), nodes, podsByNode(pods, false), 'new', T0 + 100_000);
    expect(counts).toEqual({
      desiredNumberScheduled: 3,
      currentNumberScheduled: 2,
      numberMisscheduled: 1,
      numberReady: 2,
      updatedNumberScheduled: 1,
      numberAvailable: 1,
      numberUnavailable: 2,
    });
    expect(requeueAfter).toBe(5050);
  });

  it('counts a pod of the current template generation as updated', () => {
    const { counts } = daemonSetStatus(ds({ generation: '4' }), [node('n1')], podsByNode([{ ...pod('a', 'n1'), metadata: { ...pod('a', 'n1').metadata, labels: { 'pod-template-generation': '4' } } }], false), 'new', T0);
    expect(counts.updatedNumberScheduled).toBe(1);
  });
});
