// Reusable checks for kind-specific validation: names, keys, ports, selectors. Pure functions
// returning FieldErrors with the messages kubectl users know.
import { invalidValue, required, type FieldError } from './field-error.js';

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const C_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Errors for a DNS-1123 label (namespaces, container names) or subdomain (most names). */
export function nameErrors(field: string, name: string, kind: 'label' | 'subdomain'): FieldError[] {
  const max = kind === 'label' ? 63 : 253;
  if (name.length > max) return [{ reason: 'FieldValueTooLong', field, message: `Too long: may not be more than ${max} characters` }];
  const ok = kind === 'label' ? LABEL.test(name) : SUBDOMAIN.test(name);
  if (!ok) {
    const what = kind === 'label' ? 'a lowercase RFC 1123 label' : 'a lowercase RFC 1123 subdomain';
    return [invalidValue(field, name, `${what} must consist of lower case alphanumeric characters, '-'${kind === 'subdomain' ? " or '.'" : ''}, and must start and end with an alphanumeric character (e.g. 'my-name'${kind === 'subdomain' ? ", or 'example.com'" : ''})`)];
  }
  return [];
}

/** Errors for a required DNS label at `field` (empty → Required). */
export function requiredLabel(field: string, value: unknown): FieldError[] {
  if (value === undefined || value === null || value === '') return [required(field)];
  return typeof value === 'string' ? nameErrors(field, value, 'label') : [];
}

/** Errors for a qualified name: optional DNS-subdomain prefix and "/", then a name of ≤ 63 characters (label and annotation keys). */
export function qualifiedNameErrors(field: string, key: string): FieldError[] {
  const parts = key.split('/');
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  if (parts.length > 2 || !name || name.length > 63 || !QUALIFIED.test(name) || (prefix !== undefined && (prefix.length > 253 || !SUBDOMAIN.test(prefix)))) {
    return [invalidValue(field, key, "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc'), with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')")];
  }
  return [];
}

/** Errors for a label value: empty, or ≤ 63 characters of [-_.A-Za-z0-9] starting and ending alphanumeric. */
export function labelValueErrors(field: string, v: unknown): FieldError[] {
  if (typeof v !== 'string' || v.length > 63 || (v !== '' && !QUALIFIED.test(v))) {
    return [invalidValue(field, v, "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345')")];
  }
  return [];
}

/** Errors for a map of labels at `field`. */
export function labelMapErrors(field: string, labels: unknown): FieldError[] {
  if (labels === undefined || labels === null) return [];
  if (typeof labels !== 'object' || Array.isArray(labels)) return [invalidValue(field, labels, 'must be a map of strings')];
  return Object.entries(labels).flatMap(([k, v]) => [...qualifiedNameErrors(field, k), ...labelValueErrors(`${field}`, v)]);
}

/** Errors for the keys of a ConfigMap's or Secret's data. */
export function dataKeyErrors(field: string, data: unknown): FieldError[] {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return [];
  return Object.keys(data)
    .filter((k) => k.length > 253 || !CONFIG_KEY.test(k))
    .map((k) => invalidValue(`${field}[${k}]`, k, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name')"));
}

/** Errors for a port number (1-65535). */
export function portErrors(field: string, port: unknown, allowZero = false): FieldError[] {
  if (port === undefined && allowZero) return [];
  if (typeof port !== 'number' || !Number.isInteger(port) || port < (allowZero ? 0 : 1) || port > 65535) return [invalidValue(field, port, 'must be between 1 and 65535, inclusive')];
  return [];
}

/** Errors for a port name (IANA service name: ≤ 15 lowercase alphanumerics and '-', at least one letter). */
export function portNameErrors(field: string, name: unknown): FieldError[] {
  if (typeof name !== 'string') return [];
  if (name.length > 15 || !IANA_SVC_NAME.test(name) || !/[a-z]/.test(name) || name.includes('--')) {
    return [invalidValue(field, name, 'must be no more than 15 characters, contain only lowercase alphanumerics and "-", contain at least one letter and not start or end with "-"')];
  }
  return [];
}

/** Errors for an environment variable name. */
export function envNameErrors(field: string, name: unknown): FieldError[] {
  if (typeof name !== 'string' || name === '') return [required(field)];
  return /^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name) ? [] : [invalidValue(field, name, "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit")];
}

/** True for a C identifier (some names must be one). */
export const isCIdentifier = (s: string): boolean => C_IDENTIFIER.test(s);

/** Errors for a LabelSelector value (operators and their values). */
export function labelSelectorErrors(field: string, sel: unknown): FieldError[] {
  if (!sel || typeof sel !== 'object') return [];
  const s = sel as { matchLabels?: unknown; matchExpressions?: unknown };
  const errs = labelMapErrors(`${field}.matchLabels`, s.matchLabels);
  if (Array.isArray(s.matchExpressions)) {
    s.matchExpressions.forEach((e: { key?: string; operator?: string; values?: unknown[] }, i) => {
      const p = `${field}.matchExpressions[${i}]`;
      if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(String(e?.operator))) errs.push(invalidValue(`${p}.operator`, e?.operator, 'not a valid selector operator'));
      const n = Array.isArray(e?.values) ? e.values.length : 0;
      if ((e?.operator === 'In' || e?.operator === 'NotIn') && n === 0) errs.push(required(`${p}.values`, 'must be specified when `operator` is \'In\' or \'NotIn\''));
      if ((e?.operator === 'Exists' || e?.operator === 'DoesNotExist') && n > 0) errs.push({ reason: 'FieldValueForbidden', field: `${p}.values`, message: "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'" });
      errs.push(...qualifiedNameErrors(`${p}.key`, String(e?.key ?? '')));
    });
  }
  return errs;
}

/** True when `labels` satisfy a LabelSelector value (matchLabels and matchExpressions). */
export function selectorMatches(sel: unknown, labels: Record<string, string> | undefined): boolean {
  if (!sel || typeof sel !== 'object') return false;
  const s = sel as { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
  const l = labels ?? {};
  for (const [k, v] of Object.entries(s.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of s.matchExpressions ?? []) {
    const has = Object.hasOwn(l, e.key);
    const inValues = has && (e.values ?? []).includes(l[e.key]!);
    if (e.operator === 'In' && !inValues) return false;
    if (e.operator === 'NotIn' && inValues) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** Errors when `value` differs from `old` at a field that cannot change. */
export function immutable(field: string, value: unknown, old: unknown): FieldError[] {
  return sameValue(value ?? null, old ?? null) ? [] : [invalidValue(field, value, 'field is immutable')];
}

/** Deep equality of JSON values, whatever the order of object keys. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Errors for a number that must be ≥ 0 (when present). */
export function nonNegative(field: string, v: unknown): FieldError[] {
  return typeof v === 'number' && v < 0 ? [invalidValue(field, v, 'must be greater than or equal to 0')] : [];
}

/** Errors for an int-or-percent value ("25%" or 3) that must not be negative. */
export function intOrPercentErrors(field: string, v: unknown): FieldError[] {
  if (v === undefined) return [];
  if (typeof v === 'number') return nonNegative(field, v);
  if (typeof v === 'string' && /^\d+%$/.test(v)) return [];
  return [invalidValue(field, v, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%')")];
}

const PATH_SEGMENT_BAD = ['/', '%'];

/** Problems with a path segment name (RBAC names, references): empty list when it is fine. */
export function pathSegmentProblems(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  return PATH_SEGMENT_BAD.filter((c) => name.includes(c)).map((c) => `may not contain '${c}'`);
}

/** Errors of a name that only has to be a usable path segment (RBAC objects, IP addresses). */
export function pathSegmentErrors(field: string, name: string): FieldError[] {
  return pathSegmentProblems(name).map((p) => invalidValue(field, name, p));
}
