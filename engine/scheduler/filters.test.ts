import { describe, expect, it } from 'vitest';
import {
  nodeAffinity,
  nodeName,
  nodeNamesFromAffinity,
  nodePorts,
  nodeResourcesFit,
  nodeUnschedulable,
  taintToleration,
  type Filter,
} from './filters.js';
import { nodeInfo } from './node-info.js';
import { container, CONTROL_PLANE_TAINT, node, pod } from './test-fixtures.js';
import type { Node, Pod } from './types.js';

type Case = [name: string, filter: Filter, pod: Pod, node: Node, podsOnNode: Pod[], want: { reasons: string[]; unresolvable: boolean } | undefined];

const UNSCHEDULABLE = { reasons: ['node(s) were unschedulable'], unresolvable: true };
const AFFINITY = { reasons: ["node(s) didn't match Pod's node affinity/selector"], unresolvable: true };
const PORTS = { reasons: ["node(s) didn't have free ports for the requested pod ports"], unresolvable: false };
const taintReason = (kv: string) => ({ reasons: [`node(s) had untolerated taint {${kv}}`], unresolvable: true });

const withSpec = (spec: object) => pod('p', { spec });
const tolerating = (...tolerations: object[]) => withSpec({ tolerations });
const affinityTo = (...nodeSelectorTerms: object[]) => withSpec({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms } } } });
const expr = (key: string, operator: string, values?: string[]) => ({ matchExpressions: [{ key, operator, values }] });
const zoned = node('n1', { labels: { zone: 'a', gpus: '4' } });
const hostPort = (port: number, extra: object = {}) => withSpec({ containers: [container({}, { ports: [{ containerPort: port, hostPort: port, ...extra }] })] });

const cases: Case[] = [
  // NodeUnschedulable
  ['cordoned node', nodeUnschedulable, pod('p'), node('n1', { unschedulable: true }), [], UNSCHEDULABLE],
  ['cordoned node, pod tolerates unschedulable', nodeUnschedulable, tolerating({ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }), node('n1', { unschedulable: true }), [], undefined],
  ['schedulable node', nodeUnschedulable, pod('p'), node('n1'), [], undefined],
  // NodeName
  ['pod names another node', nodeName, withSpec({ nodeName: 'n2' }), node('n1'), [], { reasons: ["node(s) didn't match the requested node name"], unresolvable: true }],
  ['pod names this node', nodeName, withSpec({ nodeName: 'n1' }), node('n1'), [], undefined],
  // TaintToleration
  ['control-plane taint', taintToleration, pod('p'), node('cp', { taints: [CONTROL_PLANE_TAINT] }), [], taintReason('node-role.kubernetes.io/control-plane: ')],
  ['control-plane taint tolerated by key', taintToleration, tolerating({ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }), node('cp', { taints: [CONTROL_PLANE_TAINT] }), [], undefined],
  ['everything tolerated by an empty Exists', taintToleration, tolerating({ operator: 'Exists' }), node('n1', { taints: [CONTROL_PLANE_TAINT, { key: 'x', value: 'y', effect: 'NoExecute' }] }), [], undefined],
  ['value taint tolerated by Equal', taintToleration, tolerating({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }), node('n1', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }), [], undefined],
  ['value taint, toleration with another value', taintToleration, tolerating({ key: 'dedicated', value: 'db' }), node('n1', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }), [], taintReason('dedicated: gpu')],
  ['toleration for another effect', taintToleration, tolerating({ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }), node('n1', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }), [], taintReason('dedicated: gpu')],
  ['NoExecute taint', taintToleration, pod('p'), node('n1', { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] }), [], taintReason('node.kubernetes.io/not-ready: ')],
  ['PreferNoSchedule only scores', taintToleration, pod('p'), node('n1', { taints: [{ key: 'soft', effect: 'PreferNoSchedule' }] }), [], undefined],
  ['first untolerated taint is reported', taintToleration, tolerating({ key: 'a', operator: 'Exists' }), node('n1', { taints: [{ key: 'a', effect: 'NoSchedule' }, { key: 'b', value: '1', effect: 'NoSchedule' }, { key: 'c', effect: 'NoSchedule' }] }), [], taintReason('b: 1')],
  // NodeAffinity
  ['nodeSelector mismatch', nodeAffinity, withSpec({ nodeSelector: { disktype: 'ssd' } }), node('n1'), [], AFFINITY],
  ['nodeSelector match', nodeAffinity, withSpec({ nodeSelector: { zone: 'a' } }), zoned, [], undefined],
  ['In', nodeAffinity, affinityTo(expr('zone', 'In', ['a', 'b'])), zoned, [], undefined],
  ['In, other value', nodeAffinity, affinityTo(expr('zone', 'In', ['b'])), zoned, [], AFFINITY],
  ['NotIn', nodeAffinity, affinityTo(expr('zone', 'NotIn', ['a'])), zoned, [], AFFINITY],
  ['NotIn, label absent', nodeAffinity, affinityTo(expr('rack', 'NotIn', ['r1'])), zoned, [], undefined],
  ['Exists', nodeAffinity, affinityTo(expr('zone', 'Exists')), zoned, [], undefined],
  ['DoesNotExist', nodeAffinity, affinityTo(expr('zone', 'DoesNotExist')), zoned, [], AFFINITY],
  ['Gt', nodeAffinity, affinityTo(expr('gpus', 'Gt', ['3'])), zoned, [], undefined],
  ['Gt, not greater', nodeAffinity, affinityTo(expr('gpus', 'Gt', ['4'])), zoned, [], AFFINITY],
  ['Lt', nodeAffinity, affinityTo(expr('gpus', 'Lt', ['5'])), zoned, [], undefined],
  ['Lt on a non-integer label', nodeAffinity, affinityTo(expr('zone', 'Lt', ['5'])), zoned, [], AFFINITY],
  ['matchFields metadata.name', nodeAffinity, affinityTo({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }), zoned, [], undefined],
  ['matchFields another name', nodeAffinity, affinityTo({ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n1'] }] }), zoned, [], AFFINITY],
  ['terms are ORed', nodeAffinity, affinityTo(expr('zone', 'In', ['b']), expr('gpus', 'Exists')), zoned, [], undefined],
  ['expressions in a term are ANDed', nodeAffinity, affinityTo({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }, { key: 'gpus', operator: 'DoesNotExist' }] }), zoned, [], AFFINITY],
  ['an empty term matches nothing', nodeAffinity, affinityTo({}), zoned, [], AFFINITY],
  ['nodeSelector and affinity must both hold', nodeAffinity, withSpec({ nodeSelector: { zone: 'b' }, affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [expr('zone', 'Exists')] } } } }), zoned, [], AFFINITY],
  // NodePorts
  ['host port in use', nodePorts, hostPort(8080), node('n1'), [hostPort(8080)], PORTS],
  ['host port in use on another protocol', nodePorts, hostPort(8080, { protocol: 'UDP' }), node('n1'), [hostPort(8080)], undefined],
  ['host port in use on another address', nodePorts, hostPort(8080, { hostIP: '10.0.0.1' }), node('n1'), [hostPort(8080, { hostIP: '10.0.0.2' })], undefined],
  ['wildcard address clashes with a specific one', nodePorts, hostPort(8080, { hostIP: '10.0.0.1' }), node('n1'), [hostPort(8080)], PORTS],
  ['free host port', nodePorts, hostPort(8081), node('n1'), [hostPort(8080)], undefined],
  // NodeResourcesFit
  ['fits', nodeResourcesFit, pod('p', { requests: { cpu: '1', memory: '1Gi' } }), node('n1', { cpu: '2' }), [pod('q', { requests: { cpu: '1' } })], undefined],
  ['Insufficient cpu', nodeResourcesFit, pod('p', { requests: { cpu: '1500m' } }), node('n1', { cpu: '2' }), [pod('q', { requests: { cpu: '1' } })], { reasons: ['Insufficient cpu'], unresolvable: false }],
  ['Insufficient memory', nodeResourcesFit, pod('p', { requests: { memory: '5Gi' } }), node('n1'), [pod('q', { requests: { memory: '4Gi' } })], { reasons: ['Insufficient memory'], unresolvable: false }],
  ['Insufficient cpu and memory', nodeResourcesFit, pod('p', { requests: { cpu: '4', memory: '8Gi' } }), node('n1'), [pod('q', { requests: { cpu: '1', memory: '1Gi' } })], { reasons: ['Insufficient cpu', 'Insufficient memory'], unresolvable: false }],
  ['more than the node has at all', nodeResourcesFit, pod('p', { requests: { cpu: '8' } }), node('n1'), [], { reasons: ['Insufficient cpu'], unresolvable: true }],
  ['Too many pods', nodeResourcesFit, pod('p'), node('n1', { pods: '2' }), [pod('a'), pod('b')], { reasons: ['Too many pods'], unresolvable: false }],
  ['init container larger than the node', nodeResourcesFit, withSpec({ containers: [container({ cpu: '1' })], initContainers: [container({ cpu: '5' })] }), node('n1'), [], { reasons: ['Insufficient cpu'], unresolvable: true }],
  ['overhead tips it over', nodeResourcesFit, withSpec({ containers: [container({ cpu: '3' })], overhead: { cpu: '500m' } }), node('n1'), [pod('q', { requests: { cpu: '600m' } })], { reasons: ['Insufficient cpu'], unresolvable: false }],
  ['extended resource the node lacks', nodeResourcesFit, pod('p', { requests: { 'example.com/gpu': '1' } }), node('n1'), [], { reasons: ['Insufficient example.com/gpu'], unresolvable: true }],
  ['best-effort pod fits a full node', nodeResourcesFit, pod('p'), node('n1', { cpu: '1' }), [pod('q', { requests: { cpu: '1' } })], undefined],
];

describe('filters', () => {
  it.each(cases)('%s', (_name, filter, p, n, onNode, want) => {
    expect(filter(p, nodeInfo(n, onNode))).toEqual(want);
  });
});

describe('nodeNamesFromAffinity', () => {
  const byName = (...terms: string[][]) => affinityTo(...terms.map((values) => ({ matchFields: [{ key: 'metadata.name', operator: 'In', values }] })));
  it.each([
    ['no affinity', pod('p'), undefined],
    ['a DaemonSet pod pinned to one node', byName(['n2']), ['n2']],
    ['terms are unioned', byName(['n1'], ['n3']), ['n1', 'n3']],
    ['a term without names allows every node', affinityTo({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }, expr('zone', 'Exists')), undefined],
    ['requirements in a term intersect', affinityTo({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1', 'n2'] }, { key: 'metadata.name', operator: 'In', values: ['n2'] }] }), ['n2']],
    ['contradicting requirements leave none', affinityTo({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }, { key: 'metadata.name', operator: 'In', values: ['n2'] }] }), []],
  ])('%s', (_name, p, want) => {
    const got = nodeNamesFromAffinity(p);
    expect(got && [...got].sort()).toEqual(want);
  });
});
