import { describe, expect, it } from 'vitest';
import { newCycle } from './cycle.js';
import { cluster, node, pod, replica } from './test-fixtures.js';
import { podTopologySpread, spreadConstraints, topologySpreadScores } from './topology-spread.js';
import { ZONE_LABEL, type Pod } from './types.js';

const SKEW = "node(s) didn't match pod topology spread constraints";
const LABEL = "node(s) didn't match pod topology spread constraints (missing required label)";
const HOST = 'kubernetes.io/hostname';

const web = (name: string, extra: { namespace?: string; deletionTimestamp?: string } = {}): Pod => pod(name, { meta: { labels: { app: 'web' }, ...extra } });
const spread = (topologyKey: string, extra: object = {}, spec: object = {}, action = 'DoNotSchedule'): Pod =>
  pod('new', {
    meta: { labels: { app: 'web' } },
    spec: { topologySpreadConstraints: [{ maxSkew: 1, topologyKey, whenUnsatisfiable: action, labelSelector: { matchLabels: { app: 'web' } }, ...extra }], ...spec },
  });
const taint = { key: 'dedicated', effect: 'NoSchedule' };
const revision = (rev: string): Pod => ({ ...spread(HOST, { matchLabelKeys: ['rev'] }), metadata: { name: 'new', namespace: 'default', labels: { app: 'web', rev } } });

/** n1 and n2 in zone a, n3 in zone b (tainted when asked). */
const nodes = (on: [Pod[], Pod[], Pod[]], opts: { taintN3?: boolean } = {}) =>
  cluster(
    [node('n1', { labels: { [ZONE_LABEL]: 'a' } }), on[0]],
    [node('n2', { labels: { [ZONE_LABEL]: 'a' } }), on[1]],
    [node('n3', { labels: { [ZONE_LABEL]: 'b' }, ...(opts.taintN3 ? { taints: [taint] } : {}) }), on[2]],
  );

describe('PodTopologySpread filter', () => {
  it.each([
    ['by hostname', spread(HOST), [[web('a')], [], []], {}, [SKEW, undefined, undefined]],
    ['by zone', spread(ZONE_LABEL), [[web('a')], [], []], {}, [SKEW, SKEW, undefined]],
    ['balanced zones take either', spread(ZONE_LABEL), [[web('a')], [], [web('b')]], {}, [undefined, undefined, undefined]],
    ['maxSkew 2 allows a second pod', spread(HOST, { maxSkew: 2 }), [[web('a')], [], []], {}, [undefined, undefined, undefined]],
    ['a label no node has', spread('rack'), [[], [], []], {}, [LABEL, LABEL, LABEL]],
    ['pods of other namespaces do not count', spread(HOST), [[web('a', { namespace: 'other' })], [], []], {}, [undefined, undefined, undefined]],
    ['terminating pods do not count', spread(HOST), [[web('a', { deletionTimestamp: '2026-01-01T00:00:00Z' })], [], []], {}, [undefined, undefined, undefined]],
    ['a pod outside its own selector adds no skew', pod('new', { spec: spread(HOST).spec }), [[web('a')], [], []], {}, [undefined, undefined, undefined]],
    // n3 is excluded by the pod's node selector: with nodeAffinityPolicy Honor (default) its empty domain
    // does not count (n3 itself is turned down by the NodeAffinity filter before this one runs).
    ['node affinity policy Honor', spread(HOST, {}, { nodeSelector: { [ZONE_LABEL]: 'a' } }), [[web('a')], [web('b')], []], {}, [undefined, undefined, undefined]],
    ['node affinity policy Ignore', spread(HOST, { nodeAffinityPolicy: 'Ignore' }, { nodeSelector: { [ZONE_LABEL]: 'a' } }), [[web('a')], [web('b')], []], {}, [SKEW, SKEW, undefined]],
    // n3 carries an untolerated taint: with nodeTaintsPolicy Ignore (default) its empty domain still counts
    // (n3 itself is turned down by the TaintToleration filter before this one runs).
    ['node taints policy Ignore', spread(HOST), [[web('a')], [web('b')], []], { taintN3: true }, [SKEW, SKEW, undefined]],
    ['node taints policy Honor', spread(HOST, { nodeTaintsPolicy: 'Honor' }), [[web('a')], [web('b')], []], { taintN3: true }, [undefined, undefined, undefined]],
    ['minDomains above the domain count makes the minimum 0', spread(ZONE_LABEL, { minDomains: 3 }), [[web('a')], [], [web('b')]], {}, [SKEW, SKEW, SKEW]],
    ['matchLabelKeys narrow the selector', revision('2'), [[pod('old', { meta: { labels: { app: 'web', rev: '1' } } })], [], []], {}, [undefined, undefined, undefined]],
    ['matchLabelKeys count the same revision', revision('1'), [[pod('old', { meta: { labels: { app: 'web', rev: '1' } } })], [], []], {}, [SKEW, undefined, undefined]],
  ])('%s', (_name, p, on, opts, want) => {
    const infos = nodes(on as [Pod[], Pod[], Pod[]], opts);
    const cycle = newCycle(p, infos);
    expect(infos.map((n) => podTopologySpread(p, n, cycle)?.reasons[0])).toEqual(want);
  });

  it('ignores ScheduleAnyway constraints and system defaults', () => {
    const infos = nodes([[web('a'), web('b')], [], []]);
    for (const p of [spread(HOST, {}, {}, 'ScheduleAnyway'), replica('r', 'web')]) {
      expect(infos.map((n) => podTopologySpread(p, n, newCycle(p, infos)))).toEqual([undefined, undefined, undefined]);
    }
  });
});

describe('PodTopologySpread score', () => {
  const rs = (name: string) => replica(name, 'web');
  it.each([
    ['ScheduleAnyway by hostname', spread(HOST, {}, {}, 'ScheduleAnyway'), [[web('a'), web('b')], [web('c')], []], [0, 33, 100]],
    ['no constraints and no controller', pod('new'), [[web('a')], [], []], [0, 0, 0]],
    ['system defaults spread a ReplicaSet by hostname and zone', rs('new'), [[rs('a')], [], []], [66, 88, 100]],
    ['system defaults count only pods of the same ReplicaSet', rs('new'), [[replica('x', 'other')], [], []], [100, 100, 100]],
    ['a Job pod gets no system defaults', pod('new', { meta: { ownerReferences: [{ kind: 'Job', uid: 'j', controller: true }] } }), [[], [], []], [0, 0, 0]],
  ])('%s', (_name, p, on, want) => {
    const infos = nodes(on as [Pod[], Pod[], Pod[]]);
    expect(topologySpreadScores(newCycle(p, infos), infos)).toEqual(want);
  });

  it('gives 0 to nodes lacking the label of a constraint the pod declares', () => {
    const infos = cluster([node('n1', { labels: { [ZONE_LABEL]: 'a' } }), [web('a')]], [node('n2', { labels: { [ZONE_LABEL]: 'b' } })], [node('bare')]);
    const p = spread(ZONE_LABEL, {}, {}, 'ScheduleAnyway');
    expect(topologySpreadScores(newCycle(p, infos), infos)).toEqual([0, 100, 0]);
  });

  it('still spreads system-defaulted pods by hostname on nodes without zones', () => {
    const infos = cluster([node('n1'), [replica('a', 'web')]], [node('n2')]);
    const [busy, idle] = topologySpreadScores(newCycle(replica('new', 'web'), infos), infos);
    expect(idle).toBe(100);
    expect(busy).toBeLessThan(100);
  });

  it('builds the system defaults for ReplicaSet, StatefulSet and ReplicationController pods', () => {
    for (const kind of ['ReplicaSet', 'StatefulSet', 'ReplicationController']) {
      const p = pod('p', { meta: { ownerReferences: [{ kind, uid: 'o', controller: true }] } });
      const { constraints, systemDefaulted } = spreadConstraints(p, 'ScheduleAnyway');
      expect(systemDefaulted).toBe(true);
      expect(constraints.map((c) => [c.topologyKey, c.maxSkew])).toEqual([
        [HOST, 3],
        [ZONE_LABEL, 5],
      ]);
    }
  });
});
