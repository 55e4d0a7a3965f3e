import { describe, expect, it } from 'vitest';
import { newCycle } from './cycle.js';
import { interPodAffinity, interPodAffinityScores } from './inter-pod-affinity.js';
import { cluster, node, pod } from './test-fixtures.js';
import { ZONE_LABEL, type Pod } from './types.js';

const AFF = "node(s) didn't match pod affinity rules";
const ANTI = "node(s) didn't match pod anti-affinity rules";
const EXISTING = "node(s) didn't satisfy existing pods anti-affinity rules";
const HOST = 'kubernetes.io/hostname';

const labelled = (name: string, labels: Record<string, string>, spec: object = {}, namespace = 'default'): Pod => pod(name, { meta: { labels, namespace }, spec });
const term = (app: string, topologyKey: string, extra: object = {}) => ({ labelSelector: { matchLabels: { app } }, topologyKey, ...extra });
const required = (kind: 'podAffinity' | 'podAntiAffinity', ...terms: object[]) => ({ affinity: { [kind]: { requiredDuringSchedulingIgnoredDuringExecution: terms } } });
const preferred = (kind: 'podAffinity' | 'podAntiAffinity', weight: number, t: object) => ({
  affinity: { [kind]: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight, podAffinityTerm: t }] } },
});

/** n1 and n2 in zone a, n3 in zone b; `onN1` runs on n1. */
const nodes = (onN1: Pod[], onN3: Pod[] = []) =>
  cluster([node('n1', { labels: { [ZONE_LABEL]: 'a' } }), onN1], [node('n2', { labels: { [ZONE_LABEL]: 'a' } })], [node('n3', { labels: { [ZONE_LABEL]: 'b' } }), onN3]);

const db = labelled('db', { app: 'db' });
const teams = (ns: string) => (ns === 'team-x' ? { team: 'x' } : undefined);

describe('InterPodAffinity filter', () => {
  it.each([
    ['affinity by hostname', labelled('p', {}, required('podAffinity', term('db', HOST))), [db], [undefined, AFF, AFF]],
    ['affinity by zone', labelled('p', {}, required('podAffinity', term('db', ZONE_LABEL))), [db], [undefined, undefined, AFF]],
    ['affinity to a label no node has', labelled('p', {}, required('podAffinity', term('db', 'rack'))), [db], [AFF, AFF, AFF]],
    ['the first pod of a self-affine group goes anywhere', labelled('p', { app: 'cache' }, required('podAffinity', term('cache', HOST))), [db], [undefined, undefined, undefined]],
    ['self-affine group once a member runs', labelled('p', { app: 'cache' }, required('podAffinity', term('cache', HOST))), [labelled('c0', { app: 'cache' })], [undefined, AFF, AFF]],
    ['anti-affinity by hostname', labelled('p', {}, required('podAntiAffinity', term('db', HOST))), [db], [ANTI, undefined, undefined]],
    ['anti-affinity by zone', labelled('p', {}, required('podAntiAffinity', term('db', ZONE_LABEL))), [db], [ANTI, ANTI, undefined]],
    ['an existing pod keeps the pod off its node', labelled('p', { app: 'web' }), [labelled('w0', { app: 'db' }, required('podAntiAffinity', term('web', HOST)))], [EXISTING, undefined, undefined]],
    ['an existing pod keeps the pod off its zone', labelled('p', { app: 'web' }), [labelled('w0', { app: 'db' }, required('podAntiAffinity', term('web', ZONE_LABEL)))], [EXISTING, EXISTING, undefined]],
    ["an existing pod's anti-affinity covers its own namespace only", labelled('p', { app: 'web' }), [labelled('w0', {}, required('podAntiAffinity', term('web', HOST)), 'other')], [undefined, undefined, undefined]],
    ['affinity to pods of a listed namespace', labelled('p', {}, required('podAffinity', term('db', HOST, { namespaces: ['other'] }))), [labelled('db', { app: 'db' }, {}, 'other')], [undefined, AFF, AFF]],
    ['affinity ignores pods of other namespaces', labelled('p', {}, required('podAffinity', term('db', HOST))), [labelled('db', { app: 'db' }, {}, 'other')], [AFF, AFF, AFF]],
    ['namespaceSelector by namespace labels', labelled('p', {}, required('podAntiAffinity', term('db', HOST, { namespaceSelector: { matchLabels: { team: 'x' } } }))), [labelled('db', { app: 'db' }, {}, 'team-x')], [ANTI, undefined, undefined]],
    ['an empty namespaceSelector covers every namespace', labelled('p', {}, required('podAntiAffinity', term('db', HOST, { namespaceSelector: {} }))), [labelled('db', { app: 'db' }, {}, 'elsewhere')], [ANTI, undefined, undefined]],
  ])('%s', (_name, p, onN1, want) => {
    const infos = nodes(onN1);
    const cycle = newCycle(p, infos, { namespaceLabels: teams });
    expect(infos.map((n) => interPodAffinity(p, n, cycle)?.reasons[0])).toEqual(want);
  });

  it('marks pod affinity unresolvable and anti-affinity resolvable by preemption', () => {
    const infos = nodes([db]);
    const aff = labelled('p', {}, required('podAffinity', term('db', HOST)));
    const anti = labelled('p', {}, required('podAntiAffinity', term('db', HOST)));
    expect(interPodAffinity(aff, infos[1]!, newCycle(aff, infos))?.unresolvable).toBe(true);
    expect(interPodAffinity(anti, infos[0]!, newCycle(anti, infos))?.unresolvable).toBe(false);
  });
});

describe('InterPodAffinity score', () => {
  it.each([
    ['no terms anywhere', labelled('p', {}), [db], [], [0, 0, 0]],
    ['preferred affinity by hostname', labelled('p', {}, preferred('podAffinity', 10, term('db', HOST))), [db], [], [100, 0, 0]],
    ['preferred affinity by zone', labelled('p', {}, preferred('podAffinity', 10, term('db', ZONE_LABEL))), [db], [], [100, 100, 0]],
    ['preferred anti-affinity by zone', labelled('p', {}, preferred('podAntiAffinity', 10, term('db', ZONE_LABEL))), [db], [], [0, 0, 100]],
    ['weights add up', labelled('p', {}, preferred('podAffinity', 4, term('db', HOST))), [db, labelled('db2', { app: 'db' })], [labelled('db3', { app: 'db' })], [100, 0, 50]],
    ["an existing pod's required affinity to the pod", labelled('p', { app: 'web' }), [labelled('x', {}, required('podAffinity', term('web', HOST)))], [], [100, 0, 0]],
    ["an existing pod's preferred anti-affinity to the pod", labelled('p', { app: 'web' }), [labelled('x', {}, preferred('podAntiAffinity', 5, term('web', ZONE_LABEL)))], [], [0, 0, 100]],
  ])('%s', (_name, p, onN1, onN3, want) => {
    const infos = nodes(onN1, onN3);
    expect(interPodAffinityScores(newCycle(p, infos), infos)).toEqual(want);
  });
});
