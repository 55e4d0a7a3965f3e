import { describe, expect, it } from 'vitest';
import { applyDefaults } from './defaults.js';
import { jsonPatch, mergePatch, PatchError, strategicIsPlainMerge } from './patch.js';
import { decodeMessage, K8S_MAGIC, ProtoError, unwrapEnvelope } from './protobuf.js';
import { field, str, vint } from './protobuf-encode.js';
import { kindMessage, namedMessage } from './proto-schemas.js';
import { RESOURCES, type ApiObject } from './registry.js';
import { age } from './resource-type.js';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from './selectors.js';
import { unknownObjectFields, validate } from './validation.js';

const type = (kind: string) => RESOURCES.find((r) => r.kind === kind)!;


describe('protobuf decoding', () => {
  const meta = Buffer.concat([str(1, 'app'), str(2, ''), str(3, 'demo'), field(8, Buffer.alloc(0)), field(11, Buffer.concat([str(1, 'tier'), str(2, 'web')])), str(14, 'a'), str(14, 'b')]);
  const cm = Buffer.concat([field(1, meta), field(2, Buffer.concat([str(1, 'k'), str(2, 'v')])), field(3, Buffer.concat([str(1, 'bin'), field(2, Buffer.from([0, 1, 2]))])), vint(4, 1)]);

  it('decodes a ConfigMap with maps, repeated fields, bytes and bools', () => {
    expect(decodeMessage(cm, kindMessage('v1', 'ConfigMap')!)).toEqual({
      metadata: { name: 'app', namespace: 'demo', labels: { tier: 'web' }, finalizers: ['a', 'b'] },
      data: { k: 'v' },
      binaryData: { bin: 'AAEC' },
      immutable: true,
    });
  });

  it('unwraps the k8s envelope', () => {
    const body = Buffer.concat([K8S_MAGIC, field(1, Buffer.concat([str(1, 'v1'), str(2, 'ConfigMap')])), field(2, cm), str(3, ''), str(4, '')]);
    const { apiVersion, kind, raw } = unwrapEnvelope(body);
    expect([apiVersion, kind]).toEqual(['v1', 'ConfigMap']);
    expect(raw.equals(cm)).toBe(true);
  });

  it('decodes timestamps and skips unknown fields', () => {
    const time = Buffer.concat([vint(1, 1_700_000_000), vint(2, 5)]);
    const m = decodeMessage(Buffer.concat([str(1, 'x'), field(8, time), vint(99, 7), str(98, 'ignored')]), namedMessage('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'));
    expect(m).toEqual({ name: 'x', creationTimestamp: '2023-11-14T22:13:20Z' });
  });

  it('rejects truncated or foreign bytes', () => {
    expect(() => decodeMessage(Buffer.from([0x0a, 0x10, 0x61]), kindMessage('v1', 'ConfigMap')!)).toThrow(ProtoError);
    expect(() => unwrapEnvelope(Buffer.from('{"kind":"ConfigMap"}'))).toThrow(/prefix/);
    expect(() => decodeMessage(vint(1, 3), kindMessage('v1', 'ConfigMap')!)).toThrow(/expected a message/);
  });
});

describe('label and field selectors', () => {
  const labels = { app: 'web', tier: 'front', env: 'prod' };
  it.each([
    ['app=web', true],
    ['app==web,tier=front', true],
    ['app!=web', false],
    ['missing!=x', true],
    ['env in (prod, staging)', true],
    ['env notin (prod)', false],
    ['tier', true],
    ['!tier', false],
    ['!legacy,app=web', true],
    ['', true],
  ])('%s → %s', (sel, expected) => {
    expect(matchesLabels(parseLabelSelector(sel), labels)).toBe(expected);
  });

  it('rejects nonsense', () => {
    expect(() => parseLabelSelector('app=web=x')).toThrow(/unable to parse/);
    expect(() => parseFieldSelector('spec.nodeName=a', ['metadata.name'])).toThrow(/not supported/);
  });

  it('selects by metadata fields', () => {
    const obj = { metadata: { name: 'a', namespace: 'demo' } };
    expect(matchesFields(parseFieldSelector('metadata.name=a', ['metadata.name']), obj)).toBe(true);
    expect(matchesFields(parseFieldSelector('metadata.namespace!=demo', ['metadata.namespace']), obj)).toBe(false);
  });
});

describe('patches', () => {
  it('merge patch merges maps and deletes with null', () => {
    expect(mergePatch({ a: 1, m: { x: 1, y: 2 }, l: [1, 2] }, { m: { y: null, z: 3 }, l: [3], b: 2 })).toEqual({ a: 1, m: { x: 1, z: 3 }, l: [3], b: 2 });
  });

  it('knows when a strategic merge patch is a plain merge patch', () => {
    expect(strategicIsPlainMerge({ metadata: { labels: { a: 'b' } } })).toBe(true);
    expect(strategicIsPlainMerge({ spec: { containers: [{ name: 'x' }] } })).toBe(false);
    expect(strategicIsPlainMerge({ metadata: { $retainKeys: ['a'] } })).toBe(false);
  });

  it('JSON patch adds, removes, replaces, moves, copies and tests', () => {
    const doc = { a: { b: 1 }, list: [1, 2], 'x/y': 1 };
    expect(
      jsonPatch(doc, [
        { op: 'add', path: '/a/c', value: 2 },
        { op: 'add', path: '/list/-', value: 3 },
        { op: 'add', path: '/list/0', value: 0 },
        { op: 'remove', path: '/x~1y' },
        { op: 'replace', path: '/a/b', value: 10 },
        { op: 'copy', from: '/a/b', path: '/copied' },
        { op: 'move', from: '/a/c', path: '/moved' },
        { op: 'test', path: '/list/3', value: 3 },
      ]),
    ).toEqual({ a: { b: 10 }, list: [0, 1, 2, 3], copied: 10, moved: 2 });
    expect(doc).toEqual({ a: { b: 1 }, list: [1, 2], 'x/y': 1 }); // input untouched
  });

  it.each([
    [[{ op: 'remove', path: '/nope' }], /does not exist/],
    [[{ op: 'test', path: '/a', value: 2 }], /test failed/],
    [[{ op: 'frob', path: '/a' }], /unknown JSON patch operation/],
    [{ op: 'add' }, /list of operations/],
    [[{ op: 'add', path: '/l/9', value: 1 }], /out of range/],
  ])('JSON patch %j fails clearly', (ops, message) => {
    expect(() => jsonPatch({ a: 1, l: [] }, ops)).toThrow(PatchError);
    expect(() => jsonPatch({ a: 1, l: [] }, ops)).toThrow(message);
  });
});

describe('validation and defaults', () => {
  const cm = (o: Partial<ApiObject> & { metadata: ApiObject['metadata'] }): ApiObject => ({ apiVersion: 'v1', kind: 'ConfigMap', ...o });

  it('accepts a good ConfigMap', () => {
    expect(validate(type('ConfigMap'), cm({ metadata: { name: 'app.config', labels: { 'app.kubernetes.io/name': 'web', empty: '' } }, data: { 'a.b_c-d': 'x' } }))).toEqual([]);
  });

  it.each([
    [{ metadata: { name: '' } }, 'metadata.name', 'FieldValueRequired'],
    [{ metadata: { name: 'Bad_Name' } }, 'metadata.name', 'FieldValueInvalid'],
    [{ metadata: { name: 'a'.repeat(254) } }, 'metadata.name', 'FieldValueTooLong'],
    [{ metadata: { name: 'ok', labels: { 'bad key!': 'v' } } }, 'metadata.labels', 'FieldValueInvalid'],
    [{ metadata: { name: 'ok', labels: { k: 'bad value!' } } }, 'metadata.labels', 'FieldValueInvalid'],
    [{ metadata: { name: 'ok' }, data: { 'bad key': 'v' } }, 'data[bad key]', 'FieldValueInvalid'],
    [{ metadata: { name: 'ok' }, data: { k: 1 } }, 'data[k]', 'FieldValueInvalid'],
    [{ metadata: { name: 'ok' }, binaryData: { k: 'not base64!' } }, 'binaryData[k]', 'FieldValueInvalid'],
    [{ metadata: { name: 'ok' }, data: { k: 'a' }, binaryData: { k: 'YQ==' } }, 'data[k]', 'FieldValueDuplicate'],
  ])('reports %j at %s', (obj, fieldName, reason) => {
    const errs = validate(type('ConfigMap'), cm(obj as never));
    expect(errs.map((e) => [e.field, e.reason])).toContainEqual([fieldName, reason]);
  });

  it('namespaces must be DNS labels', () => {
    expect(validate(type('Namespace'), { metadata: { name: 'a.b' } })[0]?.message).toMatch(/RFC 1123 label/);
  });

  it('refuses changes to an immutable ConfigMap', () => {
    const old = cm({ metadata: { name: 'x' }, data: { a: '1' }, immutable: true });
    expect(validate(type('ConfigMap'), cm({ metadata: { name: 'x' }, data: { a: '2' }, immutable: true }), old).map((e) => e.field)).toEqual(['data']);
    expect(validate(type('ConfigMap'), cm({ metadata: { name: 'x' }, data: { a: '1' } }), old).map((e) => e.field)).toEqual(['immutable']);
  });

  it('lists unknown fields at any depth, and removes them when asked', () => {
    const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', colour: 1, ownerReferences: [{ uid: 'u', size: 2 }] }, data: {}, spec: {} };
    expect(unknownObjectFields(type('ConfigMap'), obj)).toEqual(['metadata.colour', 'metadata.ownerReferences[0].size', 'spec']);
    unknownObjectFields(type('ConfigMap'), obj, true);
    expect(obj).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', ownerReferences: [{ uid: 'u' }] }, data: {} });
  });

  it('defaults Secrets and Namespaces as Kubernetes does', () => {
    const s = applyDefaults(type('Secret'), { metadata: { name: 's' }, stringData: { p: 'hunter2' }, data: { q: 'eA==' } });
    expect(s).toEqual({ metadata: { name: 's' }, type: 'Opaque', data: { q: 'eA==', p: 'aHVudGVyMg==' } });
    const ns = applyDefaults(type('Namespace'), { metadata: { name: 'demo' } });
    expect(ns).toMatchObject({ spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' }, metadata: { labels: { 'kubernetes.io/metadata.name': 'demo' } } });
  });
});

describe('schema type checks', () => {
  it.each([
    [{ metadata: { name: 'l' }, spec: { holderIdentity: 7 } }, 'spec.holderIdentity', /must be a string/],
    [{ metadata: { name: 'l' }, spec: { leaseDurationSeconds: 1.5 } }, 'spec.leaseDurationSeconds', /whole number/],
    [{ metadata: { name: 'l' }, spec: { leaseDurationSeconds: 2 ** 31 } }, 'spec.leaseDurationSeconds', /32 bits/],
    [{ metadata: { name: 'l' }, spec: { leaseDurationSeconds: 0 } }, 'spec.leaseDurationSeconds', /greater than 0/],
    [{ metadata: { name: 'l' }, spec: { renewTime: 'yesterday' } }, 'spec.renewTime', /RFC 3339/],
    [{ metadata: { name: 'l' }, spec: 'held' }, 'spec', /must be an object/],
  ])('Lease %j: %s', (obj, fieldName, message) => {
    const errs = validate(type('Lease'), obj as ApiObject);
    expect(errs.find((e) => e.field === fieldName)?.message).toMatch(message);
  });

  it('accepts a well-formed Lease with microsecond times', () => {
    expect(validate(type('Lease'), { metadata: { name: 'node-1' }, spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2026-11-22T04:00:00.123456Z' } })).toEqual([]);
  });

  it('decodes MicroTime with microseconds', () => {
    const time = Buffer.concat([vint(1, 1_700_000_000), vint(2, 123_456_789)]);
    const spec = Buffer.concat([str(1, 'node-1'), field(4, time)]);
    expect(decodeMessage(field(2, spec), kindMessage('coordination.k8s.io/v1', 'Lease')!)).toEqual({ spec: { holderIdentity: 'node-1', renewTime: '2023-11-14T22:13:20.123456Z' } });
  });
});

describe('age', () => {
  const now = Date.parse('2026-11-22T12:00:00Z');
  it.each([
    ['2026-11-22T11:59:55Z', '5s'],
    ['2026-11-22T11:58:00Z', '2m'],
    ['2026-11-22T11:55:30Z', '4m30s'],
    ['2026-11-22T11:00:00Z', '60m'],
    ['2026-11-22T06:30:00Z', '5h30m'],
    ['2026-11-20T12:00:00Z', '2d'],
    ['2026-11-19T08:00:00Z', '3d4h'],
  ])('%s is %s old', (t, expected) => expect(age(t, now)).toBe(expected));
});

describe('protobuf messages JSON flattens', () => {
  it('decodes an embedded message into the enclosing object', async () => {
    const { DEFINITIONS } = await import('./registry.js');
    const { f } = await import('./schema.js');
        DEFINITIONS['test.Outer'] = { type: 'object', description: '', properties: { name: f.str(1, 'n'), path: f.str(0, 'p'), kind: f.str(0, 'k') }, protoEmbedded: { 2: { path: 1, kind: 2 } } };
    try {
      const msg = Buffer.concat([str(1, 'data'), field(2, Buffer.concat([str(1, '/srv'), str(2, 'Directory')]))]);
      expect(decodeMessage(msg, namedMessage('test.Outer'))).toEqual({ name: 'data', path: '/srv', kind: 'Directory' });
    } finally {
      delete DEFINITIONS['test.Outer'];
    }
  });
});

describe('canonical quantities', () => {
  it('rewrites quantities in place by the schema, leaving other strings alone', async () => {
    const { canonicalizeQuantities } = await import('./quantities.js');
    const { findResource, kindSchema } = await import('./registry.js');
    const pod = { metadata: { name: 'p', labels: { size: '1024Mi' } }, spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: 0.5, memory: '1024Mi' }, limits: { cpu: '1000m' } } }] } };
    canonicalizeQuantities(kindSchema(findResource('', 'v1', 'pods')!), pod);
    expect(pod.spec.containers[0]!.resources).toEqual({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1' } });
    expect(pod.metadata.labels.size).toBe('1024Mi');
  });
});
