// Validation every kind gets: metadata rules, and the kind's schema (types, required fields,
// enums) followed through named schemas; then the kind's own rules from the registry.
import { labelMapErrors, nameErrors, pathSegmentErrors, qualifiedNameErrors } from './checks.js';
import { invalidValue, notSupported, required, type FieldError } from './field-error.js';
import { kindSchema, resolve, RESOURCES } from './registry.js';
import type { ApiObject, ResourceType } from './resource-type.js';
import { INT_OR_STRING, QUANTITY, type FieldSchema } from './schema.js';

export type { FieldError } from './field-error.js';
export { nameErrors } from './checks.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/;
/** A resource quantity: a signed decimal number with an optional SI, binary or exponent suffix. */
export const QUANTITY_PATTERN = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|[KMGTPE]i|[numkMGTPE])?$/;

function annotationErrors(annotations: unknown): FieldError[] {
  if (annotations === undefined || annotations === null) return [];
  if (typeof annotations !== 'object' || Array.isArray(annotations)) return [invalidValue('metadata.annotations', annotations, 'must be a map of strings')];
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) {
    errs.push(...qualifiedNameErrors('metadata.annotations', k));
    if (typeof v !== 'string') errs.push(invalidValue('metadata.annotations', v, 'annotation values must be strings'));
    size += k.length + String(v).length;
  }
  if (size > 256 * 1024) errs.push({ reason: 'FieldValueTooLong', field: 'metadata.annotations', message: 'Too long: must have at most 262144 bytes' });
  return errs;
}

/** Errors where `value` does not fit `schema` (types, enums, required properties), recursively through named schemas. */
export function typeErrors(schema: FieldSchema, value: unknown, path: string): FieldError[] {
  if (value === undefined || value === null) return [];
  const wrong = (what: string) => [invalidValue(path, schema.format === 'byte' ? '<value omitted>' : value, what)];
  if (schema.ref === QUANTITY) {
    if (typeof value === 'number') return [];
    return typeof value === 'string' && QUANTITY_PATTERN.test(value) ? [] : wrong("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  }
  if (schema.ref === INT_OR_STRING) return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value)) ? [] : wrong('must be a whole number or a string');
  const s = resolve(schema);
  if (s.intOrString) return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value)) ? [] : wrong('must be a whole number or a string');
  if (s.preserveUnknown && !s.properties) return [];
  const bounds = keywordErrors(s, value, path);
  if (bounds.length) return bounds;
  switch (s.type) {
    case 'string':
      if (typeof value !== 'string') return wrong('must be a string');
      if (s.format === 'date-time' && !RFC3339.test(value)) return wrong('must be a time in RFC 3339 form, e.g. 2026-01-02T15:04:05Z');
      if (s.format === 'byte' && !BASE64.test(value)) return wrong('must be base64-encoded');
      if (s.enum && !s.enum.includes(value)) return [notSupported(path, value, s.enum)];
      return [];
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return wrong('must be a whole number');
      if (s.format === 'int32' && (value < -(2 ** 31) || value >= 2 ** 31)) return wrong('must fit in 32 bits');
      return [];
    case 'number':
      return typeof value === 'number' ? [] : wrong('must be a number');
    case 'boolean':
      return typeof value === 'boolean' ? [] : wrong('must be true or false');
    case 'array':
      if (!Array.isArray(value)) return wrong('must be a list');
      return s.items ? value.flatMap((v, i) => typeErrors(s.items!, v, `${path}[${i}]`)) : [];
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return wrong('must be an object');
      const errs: FieldError[] = [];
      const obj = value as Record<string, unknown>;
      for (const r of s.required ?? []) if (obj[r] === undefined || obj[r] === null) errs.push(required(path ? `${path}.${r}` : r));
      for (const [k, v] of Object.entries(obj)) {
        const sub = s.properties?.[k] ?? s.additionalProperties;
        if (sub) errs.push(...typeErrors(sub, v, s.properties?.[k] ? (path ? `${path}.${k}` : k) : `${path}[${k}]`));
      }
      return errs;
    }
    default:
      return [];
  }
}

/** Errors of the JSON-schema bounds a (custom resource) schema may carry: minimum, lengths, pattern, item counts. */
function keywordErrors(s: FieldSchema, value: unknown, path: string): FieldError[] {
  const bad = (why: string) => [invalidValue(path, value, `${path} in body ${why}`)];
  if (typeof value === 'number') {
    if (s.minimum !== undefined && value < s.minimum) return bad(`should be greater than or equal to ${s.minimum}`);
    if (s.maximum !== undefined && value > s.maximum) return bad(`should be less than or equal to ${s.maximum}`);
  }
  if (typeof value === 'string') {
    if (s.minLength !== undefined && value.length < s.minLength) return bad(`should be at least ${s.minLength} chars long`);
    if (s.maxLength !== undefined && value.length > s.maxLength) return bad(`may not be longer than ${s.maxLength}`);
    if (s.pattern !== undefined && !new RegExp(s.pattern, 'u').test(value)) return bad(`should match '${s.pattern}'`);
  }
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems) return bad(`should have at least ${s.minItems} items`);
    if (s.maxItems !== undefined && value.length > s.maxItems) return bad(`should have at most ${s.maxItems} items`);
  }
  return [];
}

/** Everything wrong with `obj` as a `type`; empty when it may be stored. `old` is the stored version on updates. */
export function validate(type: ResourceType, obj: ApiObject, old?: ApiObject): FieldError[] {
  const errs: FieldError[] = [];
  const meta = obj.metadata;
  if (!meta.name) errs.push(required('metadata.name', 'name or generateName is required'));
  else if (typeof meta.name !== 'string') errs.push(invalidValue('metadata.name', meta.name, 'must be a string'));
  else {
    const format = type.nameFormat ?? (type.kind === 'Namespace' ? 'label' : 'subdomain');
    errs.push(...(format === 'path-segment' ? pathSegmentErrors('metadata.name', meta.name) : nameErrors('metadata.name', meta.name, format)));
  }
  errs.push(...labelMapErrors('metadata.labels', meta.labels), ...annotationErrors(meta.annotations));
  if (meta.finalizers !== undefined && (!Array.isArray(meta.finalizers) || meta.finalizers.some((f) => typeof f !== 'string'))) {
    errs.push(invalidValue('metadata.finalizers', meta.finalizers, 'must be a list of strings'));
  }
  const root = kindSchema(type);
  for (const r of root.required ?? []) if (r !== 'metadata' && (obj[r] === undefined || obj[r] === null)) errs.push(required(r));
  for (const [field, schema] of Object.entries(root.properties ?? {})) {
    if (field !== 'metadata') errs.push(...typeErrors(schema, obj[field], field));
  }
  // The rest of metadata by its schema (name, labels, annotations and finalizers are checked above).
  const metaSchema = resolve(root.properties?.metadata ?? { description: '' });
  for (const [field, schema] of Object.entries(metaSchema.properties ?? {})) {
    if (!['name', 'labels', 'annotations', 'finalizers'].includes(field)) errs.push(...typeErrors(schema, meta[field], `metadata.${field}`));
  }
  // Kind rules assume well-typed input; they run only when the shapes are right.
  if (errs.length === 0 && type.validate) errs.push(...type.validate(obj, old));
  return errs;
}

/**
 * The type errors of an object (wrong JSON types anywhere, by its schema), without missing
 * required fields, which defaulting may still fill: checked before the kind's defaulting runs,
 * so that defaulting code only ever sees well-typed objects.
 */
export function shapeErrors(type: ResourceType, obj: ApiObject): FieldError[] {
  const root = kindSchema(type);
  const errs = Object.entries(root.properties ?? {}).flatMap(([field, schema]) => typeErrors(schema, (obj as Record<string, unknown>)[field], field));
  if (obj.metadata && typeof obj.metadata.name !== 'string' && obj.metadata.name !== undefined) errs.push(invalidValue('metadata.name', obj.metadata.name, 'must be a string'));
  return errs.filter((e) => e.reason !== 'FieldValueRequired');
}

/**
 * Paths of fields in `value` that `schema` does not know (for fieldValidation), e.g.
 * `spec.containers[0].imagePullPolcy`; with `remove` they are deleted from `value` as found.
 */
export function unknownFields(schema: FieldSchema, value: unknown, path: string, remove = false): string[] {
  if (value === null || typeof value !== 'object' || schema.ref === QUANTITY || schema.ref === INT_OR_STRING) return [];
  const s = resolve(schema);
  if (s.preserveUnknown) return [];
  if (Array.isArray(value)) return s.items ? value.flatMap((v, i) => unknownFields(s.items!, v, `${path}[${i}]`, remove)) : [];
  if (s.type !== 'object') return [];
  const out: string[] = [];
  const obj = value as Record<string, unknown>;
  for (const [k, v] of Object.entries(obj)) {
    const sub = s.properties?.[k];
    const here = path ? `${path}.${k}` : k;
    if (sub) out.push(...unknownFields(sub, v, here, remove));
    else if (s.additionalProperties) out.push(...unknownFields(s.additionalProperties, v, `${path}[${k}]`, remove));
    else if (!((k === 'apiVersion' || k === 'kind') && (path === '' || isKindSchema(schema)))) {
      out.push(here);
      if (remove) delete obj[k];
    }
  }
  return out;
}

/** Whether a schema is a kind's own (embedded objects of a kind, like a StatefulSet's claim templates, may carry apiVersion and kind). */
function isKindSchema(schema: FieldSchema): boolean {
  return schema.ref !== undefined && RESOURCES.some((t) => t.schemaName === schema.ref);
}

/** Unknown fields of a whole object of `type`. */
export function unknownObjectFields(type: ResourceType, obj: Record<string, unknown>, remove = false): string[] {
  return unknownFields(kindSchema(type), obj, '', remove);
}
