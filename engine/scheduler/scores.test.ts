import { describe, expect, it } from 'vitest';
import { balancedAllocation, leastAllocated, nodeAffinityPreference, normalize, taintPreference } from './scores.js';
import { cluster, node, pod } from './test-fixtures.js';

const sized = pod('p', { requests: { cpu: '1', memory: '2Gi' } });

describe('normalize', () => {
  it.each([
    [[2, 10, 0], false, [20, 100, 0]],
    [[0, 0], false, [0, 0]],
    [[0, 1, 2], true, [100, 50, 0]],
    [[0, 0], true, [100, 100]],
    [[1, 3], false, [33, 100]],
  ])('%j (reverse %s) → %j', (raw, reverse, want) => expect(normalize(raw, reverse)).toEqual(want));
});

describe('NodeResourcesFit LeastAllocated', () => {
  it.each([
    ['an empty node', sized, [], [75]],
    ['a half-used node', sized, [pod('q', { requests: { cpu: '2', memory: '4Gi' } })], [25]],
    ['a best-effort pod counts as 100m and 200Mi', pod('p'), [], [97]],
    ['best-effort pods on the node count the same way', sized, [pod('a'), pod('b')], [70]],
    ['a request beyond capacity scores 0 for that resource', pod('p', { requests: { cpu: '8', memory: '2Gi' } }), [], [37]],
  ])('%s', (_name, p, onNode, want) => expect(leastAllocated(p, cluster([node('n1'), onNode]))).toEqual(want));

  it('prefers the emptier node', () => {
    const [busy, idle] = leastAllocated(sized, cluster([node('n1'), [pod('q', { requests: { cpu: '3' } })]], [node('n2')]));
    expect(idle).toBeGreaterThan(busy!);
  });
});

describe('NodeResourcesBalancedAllocation', () => {
  it.each([
    ['equal shares', sized, [], [100]],
    ['cpu used, memory free', sized, [pod('q', { requests: { cpu: '2' } })], [75]],
    ['shares cap at the whole node', pod('p', { requests: { cpu: '8', memory: '0' } }), [], [50]],
    ['best-effort pods are not scored', pod('p'), [pod('q', { requests: { cpu: '2' } })], [0]],
  ])('%s', (_name, p, onNode, want) => expect(balancedAllocation(p, cluster([node('n1'), onNode]))).toEqual(want));
});

describe('NodeAffinity preferred terms', () => {
  const nodes = cluster([node('n1', { labels: { zone: 'a' } })], [node('n2', { labels: { zone: 'a', disk: 'ssd' } })], [node('n3')]);
  const prefer = (...terms: object[]) => pod('p', { spec: { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: terms } } } });
  const term = (weight: number, key: string, values: string[]) => ({ weight, preference: { matchExpressions: [{ key, operator: 'In', values }] } });
  it.each([
    ['no preferences', pod('p'), [0, 0, 0]],
    ['weights add up, scaled to the best node', prefer(term(2, 'zone', ['a']), term(8, 'disk', ['ssd'])), [20, 100, 0]],
    ['a single preference', prefer(term(50, 'disk', ['ssd'])), [0, 100, 0]],
    ['weight 0 counts nothing', prefer(term(0, 'zone', ['a'])), [0, 0, 0]],
  ])('%s', (_name, p, want) => expect(nodeAffinityPreference(p, nodes)).toEqual(want));
});

describe('TaintToleration PreferNoSchedule', () => {
  const soft = (key: string) => ({ key, effect: 'PreferNoSchedule' });
  const nodes = cluster([node('n1')], [node('n2', { taints: [soft('a')] })], [node('n3', { taints: [soft('a'), soft('b'), { key: 'hard', effect: 'NoSchedule' }] })]);
  it.each([
    ['fewer untolerated taints score higher', pod('p'), [100, 50, 0]],
    ['tolerated taints do not count', pod('p', { spec: { tolerations: [{ key: 'a', operator: 'Exists', effect: 'PreferNoSchedule' }] } }), [100, 100, 0]],
    ['a toleration without effect tolerates them too', pod('p', { spec: { tolerations: [{ operator: 'Exists' }] } }), [100, 100, 100]],
    ['a NoSchedule toleration does not help', pod('p', { spec: { tolerations: [{ key: 'a', operator: 'Exists', effect: 'NoSchedule' }] } }), [100, 50, 0]],
  ])('%s', (_name, p, want) => expect(taintPreference(p, nodes)).toEqual(want));
});
