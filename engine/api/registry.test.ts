import { describe, expect, it } from 'vitest';
import { namedMessage } from './proto-schemas.js';
import { DEFINITIONS, RESOURCES } from './registry.js';
import type { FieldSchema } from './schema.js';

/** Every schema inside a definition, with its path, for structural checks. */
function* walk(s: FieldSchema, path: string): Generator<[string, FieldSchema]> {
  yield [path, s];
  if (s.items) yield* walk(s.items, `${path}[]`);
  if (s.additionalProperties) yield* walk(s.additionalProperties, `${path}{}`);
  for (const [k, v] of Object.entries(s.properties ?? {})) yield* walk(v, `${path}.${k}`);
}

describe('the registry of served types', () => {
  it('has a schema with metadata for every kind, and unique kind and resource names per group-version', () => {
    const seen = new Set<string>();
    for (const t of RESOURCES) {
      expect(DEFINITIONS[t.schemaName]?.properties?.metadata, t.kind).toBeDefined();
      for (const key of [`${t.group}/${t.version}/${t.kind}`, `${t.group}/${t.version}/${t.resource}`]) {
        expect(seen.has(key), key).toBe(false);
        seen.add(key);
      }
      // Every table names its objects (Events lead with Last Seen, as upstream's do).
      expect(t.columns.map((c) => c.name), t.kind).toContain('Name');
    }
  });

  it('resolves every reference, and lists only properties an object has as required', () => {
    for (const [name, def] of Object.entries(DEFINITIONS)) {
      for (const [path, s] of walk(def, name)) {
        if (s.ref) expect(DEFINITIONS[s.ref], `${path} → ${s.ref}`).toBeDefined();
        for (const r of s.required ?? []) expect(s.properties?.[r], `${path} requires ${r}`).toBeDefined();
        expect(s.description, `${path} has no description`).toBeTypeOf('string');
      }
    }
  });

  it('gives each message field a distinct protobuf number', () => {
    for (const [name, def] of Object.entries(DEFINITIONS)) {
      for (const [path, s] of walk(def, name)) {
        const numbers = Object.values(s.properties ?? {}).map((p) => p.proto).filter((n) => n !== undefined);
        expect(new Set(numbers).size, `${path} repeats a protobuf number`).toBe(numbers.length);
      }
      if (def.type === 'object' && !def.protoKind) expect(() => namedMessage(name)).not.toThrow();
    }
  });

  it('names a merge key that the list items have', () => {
    for (const [name, def] of Object.entries(DEFINITIONS)) {
      for (const [path, s] of walk(def, name)) {
        if (!s.patchMergeKey || !s.items) continue;
        const item = s.items.ref ? DEFINITIONS[s.items.ref] : s.items;
        if (item?.type === 'object') expect(item.properties?.[s.patchMergeKey], `${path} merges on ${s.patchMergeKey}`).toBeDefined();
      }
    }
  });
});
