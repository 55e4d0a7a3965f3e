// Strategic merge patch: a JSON merge patch that knows the schema. Lists with a merge key merge
// item by item, lists of scalars with strategy merge take the union, and the `$patch`,
// `$retainKeys`, `$deleteFromPrimitiveList/` and `$setElementOrder/` directives kubectl sends work.
import { PatchError } from './patch.js';
import { resolve } from './registry.js';
import type { FieldSchema } from './schema.js';

type Json = unknown;
type JsonObject = Record<string, Json>;

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

const DELETE_FROM = '$deleteFromPrimitiveList/';
const SET_ORDER = '$setElementOrder/';

/** The schema of a property of an object schema (following references), or undefined. */
function child(schema: FieldSchema | undefined, key: string): FieldSchema | undefined {
  if (!schema) return undefined;
  const s = resolve(schema);
  return s.properties?.[key] ?? s.additionalProperties;
}

/** The item schema of a list schema, resolved. */
function itemOf(schema: FieldSchema | undefined): FieldSchema | undefined {
  const s = schema && resolve(schema);
  return s?.items ? resolve(s.items) : undefined;
}

/** Applies a strategic merge `patch` to `original` following `schema`; returns a new value. */
export function strategicMerge(original: Json, patch: Json, schema: FieldSchema | undefined): Json {
  if (!isObject(patch)) {
    if (Array.isArray(patch)) throw new PatchError('a strategic merge patch must be a JSON object');
    return structuredClone(patch);
  }
  return mergeMap(isObject(original) ? original : {}, patch, schema);
}

function mergeMap(original: JsonObject, patch: JsonObject, schema: FieldSchema | undefined): JsonObject | undefined {
  const directive = patch.$patch;
  if (directive === 'delete') return undefined;
  if (directive === 'replace') {
    const { $patch: _, ...rest } = patch;
    return stripDirectives(rest) as JsonObject;
  }
  if (directive !== undefined) throw new PatchError(`unknown $patch directive "${String(directive)}" in a map`);
  const out: JsonObject = { ...original };
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys' || key.startsWith(SET_ORDER)) continue;
    if (key.startsWith(DELETE_FROM)) {
      const field = key.slice(DELETE_FROM.length);
      if (!Array.isArray(value)) throw new PatchError(`${key} must be a list`);
      if (Array.isArray(out[field])) out[field] = (out[field] as Json[]).filter((v) => !value.some((d) => JSON.stringify(d) === JSON.stringify(v)));
      continue;
    }
    if (key.startsWith('$')) throw new PatchError(`unknown directive "${key}"`);
    if (value === null) {
      delete out[key];
      continue;
    }
    const sub = child(schema, key);
    if (Array.isArray(value)) out[key] = mergeList(Array.isArray(out[key]) ? (out[key] as Json[]) : [], value, sub);
    else if (isObject(value)) {
      const merged = mergeMap(isObject(out[key]) ? (out[key] as JsonObject) : {}, value, sub);
      if (merged === undefined) delete out[key];
      else out[key] = merged;
    } else out[key] = value;
  }
  for (const [key, order] of Object.entries(patch)) {
    if (!key.startsWith(SET_ORDER)) continue;
    const field = key.slice(SET_ORDER.length);
    if (!Array.isArray(order)) throw new PatchError(`${key} must be a list`);
    if (Array.isArray(out[field])) out[field] = reorder(out[field] as Json[], order, resolveSafe(child(schema, field))?.patchMergeKey);
  }
  if (patch.$retainKeys !== undefined) {
    if (!Array.isArray(patch.$retainKeys)) throw new PatchError('$retainKeys must be a list');
    const keep = new Set(patch.$retainKeys.map(String));
    for (const k of Object.keys(out)) if (!keep.has(k)) delete out[k];
  }
  return out;
}

function resolveSafe(s: FieldSchema | undefined): FieldSchema | undefined {
  return s ? (s.ref ? resolve(s) : s) : undefined;
}

/** Merges two lists: by merge key, as a set union, or (atomic lists) by replacement. */
function mergeList(original: Json[], patch: Json[], schema: FieldSchema | undefined): Json[] {
  const s = resolveSafe(schema);
  const strategy = s?.patchStrategy ?? '';
  const replaceItem = patch.find((p) => isObject(p) && p.$patch === 'replace' && Object.keys(p).length === 1);
  if (replaceItem) return stripDirectives(patch.filter((p) => p !== replaceItem)) as Json[];
  if (!strategy.includes('merge')) return stripDirectives(patch) as Json[];
  const key = s?.patchMergeKey;
  if (!key) {
    // A list of scalars merged as a set: new values are appended.
    const out = [...original];
    for (const v of patch) if (!out.some((o) => JSON.stringify(o) === JSON.stringify(v))) out.push(structuredClone(v));
    return out;
  }
  const item = itemOf(s);
  const out = original.map((o) => structuredClone(o));
  for (const p of patch) {
    if (!isObject(p)) throw new PatchError(`items of a list merged on "${key}" must be objects`);
    if (!(key in p)) throw new PatchError(`an item of a list merged on "${key}" has no "${key}"`);
    const at = out.findIndex((o) => isObject(o) && JSON.stringify(o[key]) === JSON.stringify(p[key]));
    if (p.$patch === 'delete') {
      if (at >= 0) out.splice(at, 1);
      continue;
    }
    if (at >= 0) {
      const merged = mergeMap(out[at] as JsonObject, p, item);
      if (merged === undefined) out.splice(at, 1);
      else out[at] = merged;
    } else out.push(stripDirectives(p));
  }
  return out;
}

/** Orders `list` as `order` says (by merge key or by value); items the order does not name keep their place after the named ones. */
function reorder(list: Json[], order: Json[], key: string | undefined): Json[] {
  const id = (v: Json) => JSON.stringify(key && isObject(v) ? v[key] : isObject(v) ? undefined : v);
  const wanted = order.map((o) => JSON.stringify(key && isObject(o) ? o[key] : o));
  const rank = new Map(wanted.map((w, i) => [w, i]));
  const named = list.filter((v) => rank.has(id(v))).sort((a, b) => rank.get(id(a))! - rank.get(id(b))!);
  const others = list.filter((v) => !rank.has(id(v)));
  return [...named, ...others];
}

/** Removes directives from a value that is taken whole (new list items, replaced maps). */
function stripDirectives(v: Json): Json {
  if (Array.isArray(v)) return v.map(stripDirectives);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) {
    if (k.startsWith('$')) continue;
    if (x !== null) out[k] = stripDirectives(x);
  }
  return out;
}
