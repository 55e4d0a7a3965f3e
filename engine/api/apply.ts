// Server-side apply and managedFields: who owns which fields, merging an applied configuration
// into the live object, conflicts between managers, and the bookkeeping of ordinary updates.
import {
  describePath,
  diffFields,
  fieldSchema,
  fieldsOf,
  fromFieldsV1,
  intersect,
  itemSchema,
  keyElement,
  pathExists,
  removePath,
  shapeOf,
  subtract,
  toFieldsV1,
  union,
  type FieldSet,
} from './field-sets.js';
import type { ApiObject } from './resource-type.js';
import type { FieldSchema } from './schema.js';

/** One metadata.managedFields entry. */
export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

/** One field another manager owns with a different value. */
export interface FieldConflict {
  manager: string;
  apiVersion: string;
  path: string;
}

/** Thrown by an apply that would change fields other managers own (without force). */
export class ApplyConflictError extends Error {
  constructor(readonly conflicts: FieldConflict[]) {
    super(`Apply failed with ${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'}: ${conflicts.map((c) => `conflict with "${c.manager}" using ${c.apiVersion}: ${c.path}`).join('\n')}`);
  }
}

/** Who writes and how. */
export interface WriteManager {
  manager: string;
  apiVersion: string;
  subresource?: string;
  time: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Metadata that nobody owns: identity and the server's own bookkeeping. */
const UNOWNED_META = ['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink', 'managedFields', 'generateName'];

/** The part of an object that fields are owned in. */
function ownable(obj: ApiObject | undefined): Record<string, unknown> | undefined {
  if (!obj) return undefined;
  const { apiVersion: _a, kind: _k, metadata, ...rest } = obj;
  const meta = Object.fromEntries(Object.entries(metadata ?? {}).filter(([k]) => !UNOWNED_META.includes(k)));
  return Object.keys(meta).length ? { ...rest, metadata: meta } : rest;
}

interface Entry {
  e: ManagedFieldsEntry;
  set: FieldSet;
}

function entriesOf(obj: ApiObject | undefined): Entry[] {
  const list = (obj?.metadata.managedFields as ManagedFieldsEntry[] | undefined) ?? [];
  return list.filter((e) => isObject(e) && typeof e.manager === 'string').map((e) => ({ e: { ...e }, set: fromFieldsV1(e.fieldsV1) }));
}

const same = (e: ManagedFieldsEntry, m: WriteManager, op: 'Apply' | 'Update') => e.manager === m.manager && e.operation === op && (e.subresource ?? '') === (m.subresource ?? '');

/** Writes the entries back, dropping empty ones and those whose fields are all gone from `obj`. */
function writeEntries(obj: ApiObject, entries: Entry[], schema: FieldSchema): void {
  const body = ownable(obj);
  const out: ManagedFieldsEntry[] = [];
  for (const { e, set } of entries) {
    const kept = new Set([...set].filter((p) => pathExists(body, p, schema)));
    if (kept.size === 0) continue;
    out.push({ ...e, fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(kept) });
  }
  if (out.length) obj.metadata.managedFields = out;
  else delete obj.metadata.managedFields;
}

/** Merges an applied configuration into a live value: maps field by field, keyed lists item by item, sets by union, the rest replaced. */
export function mergeApplied(live: unknown, applied: unknown, schema: FieldSchema | undefined): unknown {
  const shape = shapeOf(schema);
  if (shape.kind === 'map' && isObject(applied) && isObject(live)) {
    const out: Record<string, unknown> = { ...live };
    for (const [k, v] of Object.entries(applied)) {
      if (v === null) delete out[k];
      else out[k] = mergeApplied(live[k], v, fieldSchema(schema, k));
    }
    return out;
  }
  if (shape.kind === 'listMap' && Array.isArray(applied) && Array.isArray(live)) {
    const out = live.map((i) => structuredClone(i));
    const items = itemSchema(schema);
    for (const item of applied) {
      const key = keyElement(item, shape.keys!, items);
      const at = out.findIndex((i) => keyElement(i, shape.keys!, items) === key);
      if (at >= 0) out[at] = mergeApplied(out[at], item, itemSchema(schema));
      else out.push(structuredClone(item));
    }
    return out;
  }
  if (shape.kind === 'set' && Array.isArray(applied) && Array.isArray(live)) {
    const out = [...live];
    for (const v of applied) if (!out.some((o) => JSON.stringify(o) === JSON.stringify(v))) out.push(structuredClone(v));
    return out;
  }
  return structuredClone(applied);
}

/**
 * Server-side apply of `applied` by `m` onto `live` (undefined: the object is new). Returns the
 * new object with managedFields updated; throws ApplyConflictError when fields owned by others
 * would change and `force` is not set (with force, their ownership moves to `m`).
 */
export function serverSideApply(live: ApiObject | undefined, applied: ApiObject, schema: FieldSchema, m: WriteManager, force: boolean): ApiObject {
  const entries = entriesOf(live);
  const newApplied = fieldsOf(ownable(applied), schema);
  const { managedFields: _mf, ...appliedMeta } = applied.metadata;
  const base = live ?? ({ metadata: {} } as ApiObject);
  const merged = mergeApplied(base, { ...applied, metadata: appliedMeta }, schema) as ApiObject;
  merged.metadata = { ...merged.metadata, managedFields: base.metadata.managedFields };
  // Fields this manager applied before but no longer does go, unless someone else owns them too.
  const mine = entries.find((x) => same(x.e, m, 'Apply'));
  const othersOwn = entries.filter((x) => x !== mine).reduce<FieldSet>((acc, x) => union(acc, x.set), new Set());
  const dropped = [...subtract(mine?.set ?? new Set(), newApplied)].filter((p) => !othersOwn.has(p)).sort((a, b) => b.length - a.length);
  const body = merged as Record<string, unknown>;
  for (const p of dropped) removePath(body, p, schema);
  const changed = diffFields(ownable(live), ownable(merged), schema);
  const conflicts: FieldConflict[] = [];
  for (const x of entries) {
    if (x.e.manager === m.manager) continue;
    const c = intersect(changed, intersect(x.set, newApplied));
    for (const p of c) conflicts.push({ manager: x.e.manager, apiVersion: x.e.apiVersion, path: describePath(p) });
  }
  if (conflicts.length && !force) throw new ApplyConflictError(conflicts);
  for (const x of entries) if (x !== mine) x.set = subtract(x.set, changed);
  const entry: Entry = { e: { manager: m.manager, operation: 'Apply', apiVersion: m.apiVersion, time: m.time, fieldsType: 'FieldsV1', fieldsV1: {}, ...(m.subresource ? { subresource: m.subresource } : {}) }, set: newApplied };
  const next = mine ? entries.map((x) => (x === mine ? entry : x)) : [...entries, entry];
  writeEntries(merged, next, schema);
  return merged;
}

/** Records an ordinary write (create, update, patch) by `m` from `old` to `next` in next's managedFields. */
export function trackUpdate(old: ApiObject | undefined, next: ApiObject, schema: FieldSchema, m: WriteManager): void {
  const entries = entriesOf(old);
  const changed = diffFields(ownable(old), ownable(next), schema);
  if (changed.size === 0 && old) {
    if (old.metadata.managedFields) next.metadata.managedFields = old.metadata.managedFields;
    else delete next.metadata.managedFields;
    return;
  }
  const body = ownable(next);
  const mine = entries.find((x) => same(x.e, m, 'Update'));
  for (const x of entries) if (x !== mine) x.set = subtract(x.set, changed);
  const gained = new Set([...changed].filter((p) => pathExists(body, p, schema)));
  const entry: Entry = {
    e: { manager: m.manager, operation: 'Update', apiVersion: m.apiVersion, time: m.time, fieldsType: 'FieldsV1', fieldsV1: {}, ...(m.subresource ? { subresource: m.subresource } : {}) },
    set: union(mine?.set ?? new Set(), gained),
  };
  writeEntries(next, mine ? entries.map((x) => (x === mine ? entry : x)) : [...entries, entry], schema);
}

/** The manager of a request: the fieldManager parameter, else the client's name from its User-Agent (`kubectl/v1.34…` → kubectl). */
export function managerOf(fieldManager: string | null, userAgent: string | undefined): string {
  if (fieldManager) return fieldManager;
  const ua = (userAgent ?? '').split('/')[0]?.trim();
  return ua || 'unknown';
}
