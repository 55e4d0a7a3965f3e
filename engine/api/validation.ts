import { kindFields, type ApiObject, type ResourceType } from './registry.js';
import { KIND_SCHEMAS, type FieldSchema } from './schemas.js';

/** One reason an object is invalid, on one field (Kubernetes' StatusCause). */
export interface FieldError {
  reason: 'FieldValueInvalid' | 'FieldValueRequired' | 'FieldValueTooLong' | 'FieldValueForbidden' | 'FieldValueDuplicate';
  field: string;
  message: string;
}

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const invalid = (field: string, value: unknown, why: string): FieldError => ({
  reason: 'FieldValueInvalid',
  field,
  message: `Invalid value: ${JSON.stringify(value)}: ${why}`,
});

/** Errors for a DNS-1123 label (namespaces) or subdomain (most names). */
export function nameErrors(field: string, name: string, kind: 'label' | 'subdomain'): FieldError[] {
  const max = kind === 'label' ? 63 : 253;
  if (name.length > max) return [{ reason: 'FieldValueTooLong', field, message: `Too long: may not be more than ${max} characters` }];
  const ok = kind === 'label' ? LABEL.test(name) : SUBDOMAIN.test(name);
  if (!ok) {
    const what = kind === 'label' ? 'a lowercase RFC 1123 label' : 'a lowercase RFC 1123 subdomain';
    return [invalid(field, name, `${what} must consist of lower case alphanumeric characters, '-'${kind === 'subdomain' ? " or '.'" : ''}, and must start and end with an alphanumeric character (e.g. 'my-name'${kind === 'subdomain' ? ", or 'example.com'" : ''})`)];
  }
  return [];
}

/** Errors for a label or annotation key: optional DNS-subdomain prefix, "/", then a name of ≤ 63 characters. */
function keyErrors(field: string, key: string): FieldError[] {
  const parts = key.split('/');
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  if (parts.length > 2 || !name || name.length > 63 || !QUALIFIED.test(name) || (prefix !== undefined && (prefix.length > 253 || !SUBDOMAIN.test(prefix)))) {
    return [invalid(field, key, "a qualified name must be an optional DNS subdomain prefix and '/', then at most 63 alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric character (e.g. 'app.kubernetes.io/name')")];
  }
  return [];
}

function labelErrors(labels: unknown): FieldError[] {
  if (labels === undefined || labels === null) return [];
  if (typeof labels !== 'object' || Array.isArray(labels)) return [invalid('metadata.labels', labels, 'must be a map of strings')];
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels)) {
    errs.push(...keyErrors('metadata.labels', k));
    if (typeof v !== 'string' || v.length > 63 || (v !== '' && !QUALIFIED.test(v))) {
      errs.push(invalid(`metadata.labels`, v, "a label value must be empty or at most 63 alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric character"));
    }
  }
  return errs;
}

function annotationErrors(annotations: unknown): FieldError[] {
  if (annotations === undefined || annotations === null) return [];
  if (typeof annotations !== 'object' || Array.isArray(annotations)) return [invalid('metadata.annotations', annotations, 'must be a map of strings')];
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) {
    errs.push(...keyErrors('metadata.annotations', k));
    if (typeof v !== 'string') errs.push(invalid(`metadata.annotations`, v, 'annotation values must be strings'));
    size += k.length + String(v).length;
  }
  if (size > 256 * 1024) errs.push({ reason: 'FieldValueTooLong', field: 'metadata.annotations', message: 'Too long: must have at most 262144 bytes' });
  return errs;
}

/** Errors for the keys of a ConfigMap's or Secret's data (values are checked against the schema). */
function dataKeyErrors(field: string, data: unknown): FieldError[] {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return [];
  return Object.keys(data)
    .filter((k) => k.length > 253 || !CONFIG_KEY.test(k))
    .map((k) => invalid(`${field}[${k}]`, k, "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"));
}

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/;

/** Errors where `value` does not have the type the schema says (recursively); named schemas are checked elsewhere. */
export function typeErrors(schema: FieldSchema, value: unknown, path: string): FieldError[] {
  if (value === undefined || value === null || schema.ref) return [];
  const wrong = (what: string) => [invalid(path, schema.format === 'byte' ? '<value omitted>' : value, what)];
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') return wrong('must be a string');
      if (schema.format === 'date-time' && !RFC3339.test(value)) return wrong('must be a time in RFC 3339 form, e.g. 2026-01-02T15:04:05Z');
      if (schema.format === 'byte' && !BASE64.test(value)) return wrong('must be base64-encoded');
      return [];
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return wrong('must be a whole number');
      if (schema.format === 'int32' && (value < -(2 ** 31) || value >= 2 ** 31)) return wrong('must fit in 32 bits');
      return [];
    case 'number':
      return typeof value === 'number' ? [] : wrong('must be a number');
    case 'boolean':
      return typeof value === 'boolean' ? [] : wrong('must be true or false');
    case 'array':
      if (!Array.isArray(value)) return wrong('must be a list');
      return schema.items ? value.flatMap((v, i) => typeErrors(schema.items!, v, `${path}[${i}]`)) : [];
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return wrong('must be an object');
      const errs: FieldError[] = [];
      for (const [k, v] of Object.entries(value)) {
        const sub = schema.properties?.[k] ?? schema.additionalProperties;
        if (sub) errs.push(...typeErrors(sub, v, schema.properties?.[k] ? `${path}.${k}` : `${path}[${k}]`));
      }
      return errs;
    }
    default:
      return [];
  }
}

/** Everything wrong with `obj` as a `type`; empty when it may be stored. `old` is the stored version on updates. */
export function validate(type: ResourceType, obj: ApiObject, old?: ApiObject): FieldError[] {
  const errs: FieldError[] = [];
  const meta = obj.metadata;
  if (!meta.name) errs.push({ reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' });
  else errs.push(...nameErrors('metadata.name', meta.name, type.kind === 'Namespace' ? 'label' : 'subdomain'));
  errs.push(...labelErrors(meta.labels), ...annotationErrors(meta.annotations));
  if (meta.finalizers !== undefined && (!Array.isArray(meta.finalizers) || meta.finalizers.some((f) => typeof f !== 'string'))) {
    errs.push(invalid('metadata.finalizers', meta.finalizers, 'must be a list of strings'));
  }
  for (const [field, schema] of Object.entries(KIND_SCHEMAS[type.kind] ?? {})) {
    if (field !== 'metadata') errs.push(...typeErrors(schema, obj[field], field));
  }
  switch (type.kind) {
    case 'ConfigMap': {
      errs.push(...dataKeyErrors('data', obj.data), ...dataKeyErrors('binaryData', obj.binaryData));
      const both = Object.keys((obj.data as object) ?? {}).filter((k) => Object.hasOwn((obj.binaryData as object) ?? {}, k));
      for (const k of both) errs.push({ reason: 'FieldValueDuplicate', field: `data[${k}]`, message: `Duplicate value: "${k}": the key is also in binaryData` });
      break;
    }
    case 'Secret':
      errs.push(...dataKeyErrors('data', obj.data));
      break;
    case 'Lease': {
      const spec = (obj.spec ?? {}) as { leaseDurationSeconds?: unknown; leaseTransitions?: unknown };
      if (typeof spec.leaseDurationSeconds === 'number' && spec.leaseDurationSeconds <= 0) errs.push(invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
      if (typeof spec.leaseTransitions === 'number' && spec.leaseTransitions < 0) errs.push(invalid('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0'));
      break;
    }
  }
  if (old) errs.push(...updateErrors(type, obj, old));
  return errs;
}

function updateErrors(type: ResourceType, obj: ApiObject, old: ApiObject): FieldError[] {
  const errs: FieldError[] = [];
  if (old.immutable === true) {
    if (obj.immutable !== true) errs.push({ reason: 'FieldValueForbidden', field: 'immutable', message: 'Forbidden: field is immutable when `immutable` is set' });
    for (const field of ['data', 'binaryData']) {
      if (JSON.stringify(obj[field] ?? {}) !== JSON.stringify(old[field] ?? {})) {
        errs.push({ reason: 'FieldValueForbidden', field, message: 'Forbidden: field is immutable when `immutable` is set' });
      }
    }
  }
  if (type.kind === 'Secret' && (obj.type ?? 'Opaque') !== (old.type ?? 'Opaque')) {
    errs.push(invalid('type', obj.type, 'field is immutable'));
  }
  return errs;
}

/** Top-level and metadata fields `obj` has that `type` does not know (for fieldValidation). */
export function unknownFields(type: ResourceType, obj: Record<string, unknown>, metaFields: string[]): string[] {
  const known = new Set(['apiVersion', 'kind', ...kindFields(type)]);
  const out = Object.keys(obj).filter((k) => !known.has(k)).map((k) => `.${k}`);
  const meta = obj.metadata;
  if (meta && typeof meta === 'object') {
    const m = new Set(metaFields);
    out.push(...Object.keys(meta).filter((k) => !m.has(k)).map((k) => `.metadata.${k}`));
  }
  return out;
}
