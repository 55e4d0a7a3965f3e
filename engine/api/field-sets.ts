// Sets of field paths, the unit of ownership in server-side apply. A path is a list of elements
// as managedFields writes them: `f:name` (a field), `k:{"name":"web"}` (a list item by its keys),
// `v:"value"` (a set item); a set is stored as a JS Set of encoded paths and written out as the
// FieldsV1 trie (`{"f:spec":{"f:replicas":{}}}`, `.` marking a node that is itself a member).
import { resolve } from './registry.js';
import type { FieldSchema } from './schema.js';

/** A set of paths, each encoded as its elements joined by NUL. */
export type FieldSet = Set<string>;

const SEP = '\u0000';
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const join = (base: string, el: string) => (base ? `${base}${SEP}${el}` : el);

/** How a schema's value is owned: field by field (map), item by key (list map), by value (set), or whole (atomic). */
export function shapeOf(schema: FieldSchema | undefined): { kind: 'map' | 'listMap' | 'set' | 'atomic'; keys?: string[] } {
  if (!schema) return { kind: 'atomic' };
  const s = schema.ref ? resolve(schema) : schema;
  if (s.preserveUnknown && !s.properties) return { kind: 'atomic' };
  if (s.type === 'array') {
    const listType = s.listType ?? (s.patchMergeKey ? 'map' : s.patchStrategy?.includes('merge') ? 'set' : 'atomic');
    if (listType === 'map') return { kind: 'listMap', keys: s.listMapKeys ?? (s.patchMergeKey ? [s.patchMergeKey] : []) };
    return { kind: listType };
  }
  if ((s.properties || s.additionalProperties) && s.mapType !== 'atomic' && !s.intOrString) return { kind: 'map' };
  return { kind: 'atomic' };
}

/** The schema of a field of a map schema. */
export function fieldSchema(schema: FieldSchema | undefined, key: string): FieldSchema | undefined {
  if (!schema) return undefined;
  const s = schema.ref ? resolve(schema) : schema;
  return s.properties?.[key] ?? s.additionalProperties;
}

/** The item schema of a list schema. */
export function itemSchema(schema: FieldSchema | undefined): FieldSchema | undefined {
  if (!schema) return undefined;
  const s = schema.ref ? resolve(schema) : schema;
  return s.items;
}

/**
 * The `k:` element of a list item: its key fields, in key order. A key field the item leaves out
 * takes its schema default (a port without protocol is the TCP one), as the server fills it in.
 */
export function keyElement(item: unknown, keys: string[], schema?: FieldSchema): string {
  const obj = isObject(item) ? item : {};
  const props = schema ? (schema.ref ? resolve(schema) : schema).properties : undefined;
  const k: Record<string, unknown> = {};
  for (const key of keys) {
    const v = obj[key] ?? props?.[key]?.default;
    if (v !== undefined) k[key] = v;
  }
  return `k:${JSON.stringify(k)}`;
}

/** Every path a value sets, below `base`. */
export function fieldsOf(value: unknown, schema: FieldSchema | undefined, base = '', out: FieldSet = new Set()): FieldSet {
  const shape = shapeOf(schema);
  if (shape.kind === 'map' && isObject(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) if (v !== undefined) fieldsOf(v, fieldSchema(schema, k), join(base, `f:${k}`), out);
    return out;
  }
  if (shape.kind === 'listMap' && Array.isArray(value) && value.length > 0) {
    for (const item of value) {
      const p = join(base, keyElement(item, shape.keys!, itemSchema(schema)));
      out.add(join(p, '.'));
      fieldsOf(item, itemSchema(schema), p, out);
    }
    return out;
  }
  if (shape.kind === 'set' && Array.isArray(value) && value.length > 0) {
    for (const item of value) out.add(join(base, `v:${JSON.stringify(item)}`));
    return out;
  }
  if (base) out.add(base);
  return out;
}

/** The paths where `a` and `b` differ (added, removed or changed), below `base`. */
export function diffFields(a: unknown, b: unknown, schema: FieldSchema | undefined, base = '', out: FieldSet = new Set()): FieldSet {
  if (JSON.stringify(a) === JSON.stringify(b)) return out;
  if (a === undefined) return fieldsOf(b, schema, base, out);
  if (b === undefined) return fieldsOf(a, schema, base, out);
  const shape = shapeOf(schema);
  if (shape.kind === 'map' && isObject(a) && isObject(b) && Object.keys(a).length && Object.keys(b).length) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) diffFields(a[k], b[k], fieldSchema(schema, k), join(base, `f:${k}`), out);
    return out;
  }
  if (shape.kind === 'listMap' && Array.isArray(a) && Array.isArray(b) && a.length && b.length) {
    const byKey = (list: unknown[]) => new Map(list.map((i) => [keyElement(i, shape.keys!, itemSchema(schema)), i]));
    const [ia, ib] = [byKey(a), byKey(b)];
    for (const k of new Set([...ia.keys(), ...ib.keys()])) {
      const p = join(base, k);
      if (!ia.has(k) || !ib.has(k)) out.add(join(p, '.'));
      diffFields(ia.get(k), ib.get(k), itemSchema(schema), p, out);
    }
    return out;
  }
  if (shape.kind === 'set' && Array.isArray(a) && Array.isArray(b) && a.length && b.length) {
    const [sa, sb] = [new Set(a.map((v) => JSON.stringify(v))), new Set(b.map((v) => JSON.stringify(v)))];
    for (const v of sa) if (!sb.has(v)) out.add(join(base, `v:${v}`));
    for (const v of sb) if (!sa.has(v)) out.add(join(base, `v:${v}`));
    return out;
  }
  if (base) out.add(base);
  return out;
}

/** Paths in both sets. */
export const intersect = (a: FieldSet, b: FieldSet): FieldSet => new Set([...a].filter((p) => b.has(p)));
/** Paths in `a` but not in `b`. */
export const subtract = (a: FieldSet, b: FieldSet): FieldSet => new Set([...a].filter((p) => !b.has(p)));
/** Paths in either. */
export const union = (a: FieldSet, b: FieldSet): FieldSet => new Set([...a, ...b]);

/** The FieldsV1 trie of a set. */
export function toFieldsV1(set: FieldSet): Record<string, unknown> {
  const root: Record<string, Record<string, unknown>> = {};
  for (const path of [...set].sort()) {
    let node: Record<string, unknown> = root;
    for (const el of path.split(SEP)) node = (node[el] ??= {}) as Record<string, unknown>;
  }
  return root;
}

/** The set of a FieldsV1 trie (members: leaves and nodes marked with `.`). */
export function fromFieldsV1(trie: unknown, base = '', out: FieldSet = new Set()): FieldSet {
  if (!isObject(trie)) return out;
  const keys = Object.keys(trie);
  if (keys.length === 0 && base) out.add(base);
  for (const k of keys) {
    if (k === '.') out.add(join(base, '.'));
    else fromFieldsV1(trie[k], join(base, k), out);
  }
  return out;
}

/** A path as people read it in conflict messages: `.spec.containers[name="web"].image`. */
export function describePath(path: string): string {
  return path
    .split(SEP)
    .filter((el) => el !== '.')
    .map((el) => {
      if (el.startsWith('f:')) return `.${el.slice(2)}`;
      if (el.startsWith('k:')) {
        const k = JSON.parse(el.slice(2)) as Record<string, unknown>;
        return `[${Object.entries(k).map(([n, v]) => `${n}=${JSON.stringify(v)}`).join(',')}]`;
      }
      return `[=${el.slice(2)}]`;
    })
    .join('');
}

/** True when the path exists in `value` (so pruning ownership of removed fields keeps the rest). */
export function pathExists(value: unknown, path: string, schema: FieldSchema | undefined): boolean {
  let cur: unknown = value;
  let s = schema;
  for (const el of path.split(SEP)) {
    if (el === '.') continue;
    if (el.startsWith('f:')) {
      if (!isObject(cur) || !(el.slice(2) in cur)) return false;
      cur = cur[el.slice(2)];
      s = fieldSchema(s, el.slice(2));
    } else if (el.startsWith('k:')) {
      const keys = shapeOf(s).keys ?? [];
      if (!Array.isArray(cur)) return false;
      cur = cur.find((i) => keyElement(i, keys, itemSchema(s)) === el);
      if (cur === undefined) return false;
      s = itemSchema(s);
    } else if (el.startsWith('v:')) {
      return Array.isArray(cur) && cur.some((i) => JSON.stringify(i) === el.slice(2));
    }
  }
  return true;
}

/** Removes the value at `path` from `value` in place (a field, a list item or a set value). */
export function removePath(value: unknown, path: string, schema: FieldSchema | undefined): void {
  const els = path.split(SEP).filter((e, i, all) => !(e === '.' && i === all.length - 1));
  let cur: unknown = value;
  let s = schema;
  for (let i = 0; i < els.length; i++) {
    const el = els[i]!;
    const last = i === els.length - 1;
    if (el.startsWith('f:')) {
      const k = el.slice(2);
      if (!isObject(cur)) return;
      if (last) return void delete cur[k];
      cur = cur[k];
      s = fieldSchema(s, k);
    } else if (el.startsWith('k:')) {
      if (!Array.isArray(cur)) return;
      const keys = shapeOf(s).keys ?? [];
      const at = cur.findIndex((item) => keyElement(item, keys, itemSchema(s)) === el);
      if (at < 0) return;
      if (last) return void cur.splice(at, 1);
      cur = cur[at];
      s = itemSchema(s);
    } else if (el.startsWith('v:')) {
      if (!Array.isArray(cur)) return;
      const at = cur.findIndex((item) => JSON.stringify(item) === el.slice(2));
      if (at >= 0) cur.splice(at, 1);
      return;
    }
  }
}
