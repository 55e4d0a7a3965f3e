// Defaulting, validation and printer cells of rbac.authorization.k8s.io/v1 roles and bindings.
import { labelSelectorErrors } from '../checks.js';
import { invalidValue, notSupported, required, type FieldError } from '../field-error.js';
import type { ApiObject } from '../resource-type.js';
import { pathSegmentProblems } from './networking-checks.js';

/** The RBAC API group, which roleRef and User/Group subjects name. */
export const RBAC_GROUP = 'rbac.authorization.k8s.io';

type Rule = { verbs?: string[]; apiGroups?: string[]; resources?: string[]; resourceNames?: string[]; nonResourceURLs?: string[] };
type Subject = { kind?: string; apiGroup?: string; name?: string; namespace?: string };
type RoleRef = { apiGroup?: string; kind?: string; name?: string };

const SUBJECT_KINDS = ['ServiceAccount', 'User', 'Group'];

/** Errors of one policy rule: verbs, and either resources (with groups) or non-resource URLs. */
export function policyRuleErrors(field: string, rule: Rule, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!rule.verbs?.length) errs.push(required(`${field}.verbs`, 'verbs must contain at least one value'));
  if (rule.nonResourceURLs?.length) {
    if (namespaced) errs.push(invalidValue(`${field}.nonResourceURLs`, rule.nonResourceURLs, 'namespaced rules cannot apply to non-resource URLs'));
    if (rule.apiGroups?.length || rule.resources?.length || rule.resourceNames?.length) {
      errs.push(invalidValue(`${field}.nonResourceURLs`, rule.nonResourceURLs, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if (!rule.apiGroups?.length) errs.push(required(`${field}.apiGroups`, 'resource rules must supply at least one api group'));
  if (!rule.resources?.length) errs.push(required(`${field}.resources`, 'resource rules must supply at least one resource'));
  return errs;
}

/** Errors of a Role (namespaced) or ClusterRole: every rule, and the aggregation selectors. */
export function roleErrors(obj: ApiObject, namespaced: boolean): FieldError[] {
  const errs = ((obj.rules as Rule[] | undefined) ?? []).flatMap((r, i) => policyRuleErrors(`rules[${i}]`, r, namespaced));
  const agg = obj.aggregationRule as { clusterRoleSelectors?: unknown[] } | undefined;
  if (agg) {
    if (!agg.clusterRoleSelectors?.length) errs.push(required('aggregationRule.clusterRoleSelectors', 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
    (agg.clusterRoleSelectors ?? []).forEach((s, i) => errs.push(...labelSelectorErrors(`aggregationRule.clusterRoleSelectors[${i}]`, s)));
  }
  return errs;
}

/** Fills a binding's defaults: roleRef.apiGroup, and each subject's apiGroup by its kind. */
export function defaultBinding(obj: ApiObject): void {
  const ref = ((obj.roleRef ??= {}) as RoleRef);
  if (!ref.apiGroup) ref.apiGroup = RBAC_GROUP;
  for (const s of (obj.subjects as Subject[] | undefined) ?? []) {
    if (s.apiGroup === '') delete s.apiGroup; // Kubernetes leaves an empty group out of JSON
    if (!s.apiGroup && (s.kind === 'User' || s.kind === 'Group')) s.apiGroup = RBAC_GROUP;
  }
}

function subjectErrors(field: string, s: Subject, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!s.name) errs.push(required(`${field}.name`));
  switch (s.kind) {
    case 'ServiceAccount':
      if (s.name && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(s.name)) {
        errs.push(invalidValue(`${field}.name`, s.name, "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')"));
      }
      if (s.apiGroup) errs.push(notSupported(`${field}.apiGroup`, s.apiGroup, ['']));
      if (!namespaced && !s.namespace) errs.push(required(`${field}.namespace`));
      break;
    case 'User':
    case 'Group':
      if (s.apiGroup !== RBAC_GROUP) errs.push(notSupported(`${field}.apiGroup`, s.apiGroup ?? '', [RBAC_GROUP]));
      break;
    default:
      errs.push(notSupported(`${field}.kind`, s.kind ?? '', SUBJECT_KINDS));
  }
  return errs;
}

/** How Kubernetes prints a RoleRef value in errors (a Go struct). */
const showRoleRef = (r: RoleRef) => `rbac.RoleRef{APIGroup:${JSON.stringify(r.apiGroup ?? '')}, Kind:${JSON.stringify(r.kind ?? '')}, Name:${JSON.stringify(r.name ?? '')}}`;

/** Errors of a RoleBinding or ClusterRoleBinding: its roleRef (which never changes) and subjects. */
export function bindingErrors(obj: ApiObject, old: ApiObject | undefined, namespaced: boolean): FieldError[] {
  const ref = (obj.roleRef ?? {}) as RoleRef;
  const errs: FieldError[] = [];
  if (ref.apiGroup !== RBAC_GROUP) errs.push(notSupported('roleRef.apiGroup', ref.apiGroup ?? '', [RBAC_GROUP]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(ref.kind ?? '')) errs.push(notSupported('roleRef.kind', ref.kind ?? '', kinds));
  if (!ref.name) errs.push(required('roleRef.name'));
  else errs.push(...pathSegmentProblems(ref.name).map((p) => invalidValue('roleRef.name', ref.name, p)));
  ((obj.subjects as Subject[] | undefined) ?? []).forEach((s, i) => errs.push(...subjectErrors(`subjects[${i}]`, s, namespaced)));
  if (old) {
    const before = (old.roleRef ?? {}) as RoleRef;
    if (before.apiGroup !== ref.apiGroup || before.kind !== ref.kind || before.name !== ref.name) {
      errs.push({ reason: 'FieldValueInvalid', field: 'roleRef', message: `Invalid value: ${showRoleRef(ref)}: cannot change roleRef` });
    }
  }
  return errs;
}

/** The subjects of a binding as kubectl -o wide prints them: users, groups, and namespace/name of service accounts. */
export function subjectsCell(kind: 'User' | 'Group' | 'ServiceAccount') {
  return (o: ApiObject): string =>
    ((o.subjects as Subject[] | undefined) ?? [])
      .filter((s) => s.kind === kind)
      .map((s) => (kind === 'ServiceAccount' ? `${s.namespace ?? ''}/${s.name ?? ''}` : (s.name ?? '')))
      .join(', ');
}

/** The creation time as an RFC 3339 UTC timestamp (the Created At column). */
export const createdAt = (o: ApiObject): string => {
  const t = o.metadata.creationTimestamp;
  return t ? new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z') : '<unknown>';
};
