// Pieces every workload kind shares: printer cells for pod templates and selectors, the
// selector-and-template checks, order-insensitive comparison, and the zero values Go prints.
import { labelSelectorErrors, selectorMatches } from '../checks.js';
import { invalidValue, notSupported, required, type FieldError } from '../field-error.js';
import { at, column, type ApiObject, type Column } from '../resource-type.js';
import { podTemplateErrors } from './pod-rules.js';

/** A LabelSelector value. */
export interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** The parts of a pod template the workload rules read. */
export interface Template {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: { containers?: { name?: string; image?: string }[]; nodeSelector?: Record<string, string>; restartPolicy?: string; activeDeadlineSeconds?: number; [k: string]: unknown };
  [k: string]: unknown;
}

/** A plain JSON object (or an empty one when `v` is not an object). */
export const objectAt = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** `parent[key]` as an object, created when missing. */
export function child(parent: Record<string, unknown>, key: string): Record<string, unknown> {
  const v = parent[key];
  if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  const made: Record<string, unknown> = {};
  parent[key] = made;
  return made;
}

/** JSON with sorted keys: equal for equal values whatever the key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

/** Deep equality of JSON values, ignoring key order (Go's semantic DeepEqual on decoded objects). */
export const sameValue = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b);

/** "field is immutable" when `value` differs from `old`. */
export function immutableField(field: string, value: unknown, old: unknown): FieldError[] {
  return sameValue(value, old) ? [] : [invalidValue(field, value ?? null, 'field is immutable')];
}

/** Fills the status fields Go always prints (non-omitempty ones) with their zero values. */
export function statusZeros(obj: ApiObject, zeros: Record<string, unknown>): void {
  const status = child(obj as Record<string, unknown>, 'status');
  for (const [k, v] of Object.entries(zeros)) if (status[k] === undefined) status[k] = v;
}

/** A selector as labels.Selector prints it: requirements sorted by key, "" for an empty one. */
export function selectorText(sel: Selector | undefined): string {
  if (!sel) return '';
  const reqs: [string, string][] = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => [k, `${k}=${v}`]);
  for (const e of sel.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    const text = { In: `${e.key} in (${values})`, NotIn: `${e.key} notin (${values})`, Exists: e.key, DoesNotExist: `!${e.key}` }[e.operator];
    reqs.push([e.key, text ?? '<error>']);
  }
  return reqs
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map((r) => r[1])
    .join(',');
}

/** metav1.FormatLabelSelector: the selector text, or <none>. */
export const formatLabelSelector = (sel: Selector | undefined): string => selectorText(sel) || '<none>';

/** labels.FormatLabels: k=v pairs sorted by key, or <none>. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const text = Object.keys(labels ?? {})
    .sort()
    .map((k) => `${k}=${labels![k]}`)
    .join(',');
  return text || '<none>';
}

/** The containers of the pod template at `path`. */
const containersAt = (o: ApiObject, path: string) => ((at(o, path) as Template | undefined)?.spec?.containers ?? []);

/** The wide Containers and Images columns of a kind whose pod template is at `path`. */
export function templateColumns(path = 'spec.template'): Column[] {
  return [
    column('Containers', 'Names of the containers in the pod template.', (o) => containersAt(o, path).map((c) => c.name ?? '').join(','), { wide: true }),
    column('Images', 'Images of the containers in the pod template.', (o) => containersAt(o, path).map((c) => c.image ?? '').join(','), { wide: true }),
  ];
}

/** The wide Selector column reading the LabelSelector at `path`. */
export const selectorColumn = (path: string, description: string): Column => column('Selector', description, (o) => formatLabelSelector(at(o, path) as Selector | undefined), { wide: true });

/** A number from the object at `path` (0 when absent), for count cells. */
export const num = (o: ApiObject, path: string): number => Number(at(o, path) ?? 0);

const isEmptySelector = (sel: Selector) => Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0;

/** Errors of a workload's required selector: present, well-formed and not empty. */
export function selectorErrors(path: string, sel: Selector | undefined, kind: string): FieldError[] {
  if (!sel) return [required(path)];
  const errs = labelSelectorErrors(path, sel);
  if (isEmptySelector(sel)) errs.push(invalidValue(path, sel, `empty selector is invalid for ${kind}`));
  return errs;
}

/** The "`selector` does not match template `labels`" check (skipped for empty or missing selectors). */
export function selectorMatchErrors(templatePath: string, sel: Selector | undefined, template: Template | undefined): FieldError[] {
  if (!sel || isEmptySelector(sel)) return [];
  const labels = template?.metadata?.labels;
  return selectorMatches(sel, labels) ? [] : [invalidValue(`${templatePath}.metadata.labels`, labels ?? null, '`selector` does not match template `labels`')];
}

/**
 * Errors of an embedded pod template: the pod rules, then the restart policies the kind allows
 * (an unset policy counts as Always, its default). Without `restartPolicies` the caller checks the policy itself.
 */
export function templateErrors(path: string, template: Template | undefined, restartPolicies?: string[]): FieldError[] {
  const rpPath = `${path}.spec.restartPolicy`;
  const errs = podTemplateErrors(path, template ?? {}).filter((e) => e.field !== rpPath);
  const rp = template?.spec?.restartPolicy ?? 'Always';
  if (restartPolicies && !restartPolicies.includes(rp)) errs.push(notSupported(rpPath, rp, restartPolicies));
  return errs;
}

/** Errors of an int-or-percent that must be ≥ 0; with `atMost100`, a percentage may not pass 100%. */
export function intOrPercentAtMost100(path: string, v: unknown, atMost100 = true): FieldError[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'number') return v < 0 ? [invalidValue(path, v, 'must be greater than or equal to 0')] : [];
  if (typeof v !== 'string' || !/^[0-9]+%$/.test(v)) {
    return [invalidValue(path, v, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%')")];
  }
  return atMost100 && Number.parseInt(v, 10) > 100 ? [invalidValue(path, v, 'must not be greater than 100%')] : [];
}

/** The value of an int-or-percent (25 for "25%"), 0 when absent; NaN for nonsense. */
export function intOrPercentValue(v: unknown): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  return /^[0-9]+%$/.test(String(v)) ? Number.parseInt(String(v), 10) : Number.NaN;
}
