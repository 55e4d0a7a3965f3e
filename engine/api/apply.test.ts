import { describe, expect, it } from 'vitest';
import { ApplyConflictError, managerOf, mergeApplied, serverSideApply, trackUpdate } from './apply.js';
import { describePath, diffFields, fieldsOf, fromFieldsV1, toFieldsV1 } from './field-sets.js';
import type { ApiObject } from './resource-type.js';
import { f, type FieldSchema } from './schema.js';

const container = f.obj(0, 'container', { name: f.str(1, 'name'), image: f.str(2, 'image'), args: f.list(3, 'args', 'string', { listType: 'atomic' }) });
const schema: FieldSchema = f.obj(0, 'deploy', {
  metadata: f.obj(1, 'meta', { name: f.str(1, 'name'), labels: f.map(2, 'labels', 'string'), finalizers: f.list(3, 'fin', 'string', { listType: 'set', patchStrategy: 'merge' }), managedFields: f.list(4, 'mf', f.obj(0, 'e', {}), { listType: 'atomic' }) }),
  spec: f.obj(2, 'spec', {
    replicas: f.int32(1, 'replicas'),
    containers: f.list(2, 'containers', container, { mergeKey: 'name' }),
    selector: f.obj(3, 'selector', { matchLabels: f.map(1, 'ml', 'string') }, { mapType: 'atomic' }),
  }),
});

const at = (time: string, manager: string) => ({ manager, apiVersion: 'apps/v1', time });
const applied = (spec: Record<string, unknown>, labels?: Record<string, string>): ApiObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', ...(labels ? { labels } : {}) }, spec });

describe('field sets', () => {
  it('lists the paths a value sets, with keyed items, set values and atomic leaves', () => {
    const set = fieldsOf({ spec: { replicas: 2, containers: [{ name: 'web', image: 'nginx' }], selector: { matchLabels: { a: 'b' } } }, metadata: { finalizers: ['x'] } }, schema);
    expect(toFieldsV1(set)).toEqual({
      'f:metadata': { 'f:finalizers': { 'v:"x"': {} } },
      'f:spec': { 'f:replicas': {}, 'f:selector': {}, 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:name': {}, 'f:image': {} } } },
    });
    expect(fromFieldsV1(toFieldsV1(set))).toEqual(set);
  });

  it('finds what changed between two values', () => {
    const a = { spec: { replicas: 2, containers: [{ name: 'web', image: 'nginx:1' }, { name: 'log', image: 'x' }] } };
    const b = { spec: { replicas: 2, containers: [{ name: 'web', image: 'nginx:2' }] } };
    expect([...diffFields(a, b, schema)].map(describePath).sort()).toEqual(['.spec.containers[name="log"]', '.spec.containers[name="log"].image', '.spec.containers[name="log"].name', '.spec.containers[name="web"].image']);
  });
});

describe('server-side apply', () => {
  it('merges keyed lists and records the applier as owner', () => {
    const live = serverSideApply(undefined, applied({ replicas: 1, containers: [{ name: 'web', image: 'nginx:1' }] }), schema, at('t1', 'a'), false);
    expect(live.metadata.managedFields).toEqual([{ manager: 'a', operation: 'Apply', apiVersion: 'apps/v1', time: 't1', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {}, 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:name': {}, 'f:image': {} } } } } }]);
    const b = serverSideApply(live, applied({ containers: [{ name: 'log', image: 'fluent' }] }), schema, at('t2', 'b'), false);
    expect((b.spec as { containers: { name: string }[] }).containers.map((c) => c.name)).toEqual(['web', 'log']);
    expect((b.metadata.managedFields as { manager: string }[]).map((e) => e.manager)).toEqual(['a', 'b']);
  });

  it('refuses to change a field another manager owns, unless forced; then ownership moves', () => {
    const live = serverSideApply(undefined, applied({ replicas: 1 }), schema, at('t1', 'a'), false);
    let caught: unknown;
    try {
      serverSideApply(live, applied({ replicas: 3 }), schema, at('t2', 'b'), false);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ApplyConflictError);
    expect((caught as ApplyConflictError).message).toBe('Apply failed with 1 conflict: conflict with "a" using apps/v1: .spec.replicas');
    const forced = serverSideApply(live, applied({ replicas: 3 }), schema, at('t2', 'b'), true);
    expect((forced.spec as { replicas: number }).replicas).toBe(3);
    expect((forced.metadata.managedFields as { manager: string }[]).map((e) => e.manager)).toEqual(['b']);
  });

  it('shares fields applied with the same value, and removes fields no longer applied by their only owner', () => {
    const live = serverSideApply(undefined, applied({ replicas: 1 }, { app: 'web', old: 'yes' }), schema, at('t1', 'a'), false);
    const shared = serverSideApply(live, applied({ replicas: 1 }), schema, at('t2', 'b'), false);
    expect((shared.metadata.managedFields as unknown[]).length).toBe(2);
    const dropped = serverSideApply(shared, applied({ replicas: 1 }, { app: 'web' }), schema, at('t3', 'a'), false);
    expect(dropped.metadata.labels).toEqual({ app: 'web' });
    // replicas is still owned by b, so a dropping it leaves it in place.
    const kept = serverSideApply(dropped, applied({}, { app: 'web' }), schema, at('t4', 'a'), false);
    expect((kept.spec as { replicas: number }).replicas).toBe(1);
  });

  it('records ordinary updates, taking changed fields away from other managers', () => {
    const live = serverSideApply(undefined, applied({ replicas: 1, containers: [{ name: 'web', image: 'nginx:1' }] }), schema, at('t1', 'kubectl'), false);
    const next = structuredClone(live);
    (next.spec as { replicas: number }).replicas = 5;
    trackUpdate(live, next, schema, at('t2', 'kubectl-scale'));
    const entries = next.metadata.managedFields as { manager: string; operation: string; fieldsV1: Record<string, unknown> }[];
    expect(entries.map((e) => `${e.manager}:${e.operation}`)).toEqual(['kubectl:Apply', 'kubectl-scale:Update']);
    expect(entries[1]!.fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });
    expect(JSON.stringify(entries[0]!.fieldsV1)).not.toContain('replicas');
  });

  it('merges sets by union and replaces atomic values', () => {
    expect(mergeApplied({ metadata: { finalizers: ['a'] } }, { metadata: { finalizers: ['b'] } }, schema)).toEqual({ metadata: { finalizers: ['a', 'b'] } });
    expect(mergeApplied({ spec: { selector: { matchLabels: { a: '1' } } } }, { spec: { selector: { matchLabels: { b: '2' } } } }, schema)).toEqual({ spec: { selector: { matchLabels: { b: '2' } } } });
  });

  it('names the manager from fieldManager or the User-Agent', () => {
    expect(managerOf('helm', 'x')).toBe('helm');
    expect(managerOf(null, 'kubectl/v1.34.5 (linux/amd64) kubernetes/abc')).toBe('kubectl');
    expect(managerOf(null, undefined)).toBe('unknown');
  });
});
