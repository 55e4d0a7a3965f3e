// authorization.k8s.io/v1: the access reviews, which are created and answered, never stored.
import { required, invalidValue, type FieldError } from '../field-error.js';
import { ageColumn, nameColumn, type ApiObject, type ResourceType, type TypeGroup } from '../resource-type.js';
import { def, f, metadataField, type FieldSchema } from '../schema.js';

const AZ = 'io.k8s.api.authorization.v1.';
/** Names of the protobuf views of the review kinds whose wire form differs from their JSON form (extra). */
const PROTO = 'kubelab.protobuf.authorization.v1.';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

type Selector = { rawSelector?: string; requirements?: { key?: string; operator?: string; values?: string[] }[] };
type Attrs = { namespace?: string; fieldSelector?: Selector; labelSelector?: Selector };
type ReviewSpec = { resourceAttributes?: Attrs; nonResourceAttributes?: unknown; user?: string; groups?: string[]; extra?: Record<string, unknown> };

/** Turns the protobuf form of `extra` values ({items: [...]}) into the JSON form (a list of strings). */
export function normalizeExtra(extra: Record<string, unknown> | undefined): void {
  for (const [k, v] of Object.entries(extra ?? {})) {
    if (v && typeof v === 'object' && !Array.isArray(v)) extra![k] = ((v as { items?: string[] }).items ?? []) as unknown;
  }
}

function selectorErrors(field: string, s: Selector | undefined): FieldError[] {
  if (!s) return [];
  const errs: FieldError[] = [];
  if (s.rawSelector && s.requirements?.length) errs.push(invalidValue(`${field}.rawSelector`, s.rawSelector, 'may not specified at the same time as requirements'));
  (s.requirements ?? []).forEach((r, i) => {
    const at = `${field}.requirements[${i}]`;
    if (!r.key) errs.push(required(`${at}.key`));
    if (!OPERATORS.includes(r.operator ?? '')) errs.push(invalidValue(`${at}.operator`, r.operator ?? '', 'not a valid selector operator'));
    const n = r.values?.length ?? 0;
    if ((r.operator === 'In' || r.operator === 'NotIn') && n === 0) errs.push(required(`${at}.values`, 'must be specified when `operator` is \'In\' or \'NotIn\''));
    if ((r.operator === 'Exists' || r.operator === 'DoesNotExist') && n > 0) errs.push({ reason: 'FieldValueForbidden', field: `${at}.values`, message: "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'" });
  });
  return errs;
}

/** Errors of an access review's spec: exactly one of the attribute kinds; a user or group for SubjectAccessReview. */
export function accessReviewErrors(obj: ApiObject, kind: 'SubjectAccessReview' | 'SelfSubjectAccessReview' | 'LocalSubjectAccessReview'): FieldError[] {
  const spec = (obj.spec ?? {}) as ReviewSpec;
  const errs: FieldError[] = [];
  if (!spec.resourceAttributes && !spec.nonResourceAttributes) errs.push(required('spec.resourceAttributes', 'exactly one of nonResourceAttributes or resourceAttributes must be specified'));
  if (spec.resourceAttributes && spec.nonResourceAttributes) errs.push(invalidValue('spec.nonResourceAttributes', spec.nonResourceAttributes, 'cannot be specified in combination with resourceAttributes'));
  if (kind !== 'SelfSubjectAccessReview' && !spec.user && !spec.groups?.length) errs.push(invalidValue('spec.user', spec.user ?? '', 'at least one of user or group must be specified'));
  if (kind === 'LocalSubjectAccessReview') {
    if (spec.nonResourceAttributes) errs.push(invalidValue('spec.nonResourceAttributes', spec.nonResourceAttributes, 'disallowed on this kind of request'));
    const ns = spec.resourceAttributes?.namespace;
    if (spec.resourceAttributes && ns !== obj.metadata.namespace) errs.push(invalidValue('spec.resourceAttributes.namespace', ns ?? '', 'must match metadata.namespace'));
  }
  const attrs = spec.resourceAttributes;
  errs.push(...selectorErrors('spec.resourceAttributes.fieldSelector', attrs?.fieldSelector), ...selectorErrors('spec.resourceAttributes.labelSelector', attrs?.labelSelector));
  return errs;
}

const review = (kind: ResourceType['kind'], resource: string, namespaced: boolean, description: string): ResourceType => ({
  group: 'authorization.k8s.io', version: 'v1', kind, resource, singular: kind.toLowerCase(), namespaced,
  shortNames: [], categories: [], schemaName: `${AZ}${kind}`, verbs: ['create'], description,
  columns: [nameColumn, ageColumn],
  ...(kind === 'SelfSubjectRulesReview'
    ? {}
    : {
        defaults: (obj: ApiObject) => normalizeExtra((obj.spec as ReviewSpec | undefined)?.extra),
        validate: (obj: ApiObject) => accessReviewErrors(obj, kind as 'SubjectAccessReview'),
      }),
});

const extraField = (n: number): FieldSchema =>
  f.map(n, 'Extra attributes of the user, as the authenticator gives them.', n ? `${PROTO}ExtraValue` : { type: 'array', description: '', items: { type: 'string', description: '' } });

const reviewSpec = (n: number) =>
  def('The request to check, and who makes it.', {
    resourceAttributes: f.ref(1, `${AZ}ResourceAttributes`, 'The request, when it is on a resource.'),
    nonResourceAttributes: f.ref(2, `${AZ}NonResourceAttributes`, 'The request, when it is on a non-resource URL.'),
    user: f.str(3, 'User to check for; without groups, as if the user belonged to none.'),
    groups: f.list(4, 'Groups to check for.', 'string', { listType: 'atomic' }),
    extra: extraField(n),
    uid: f.str(6, 'UID of the user to check for.'),
  });

const reviewKind = (description: string, specRef: string, statusRef: string) =>
  def(description, {
    metadata: metadataField(),
    spec: f.ref(2, specRef, 'The request to check.'),
    status: f.ref(3, statusRef, 'The answer, filled in by the server.'),
  });

const SAR = 'Whether a given user or group may make a given request.';
const LSAR = 'Whether a given user or group may make a given request in this namespace.';

/** The authorization.k8s.io/v1 kinds. */
export const AUTHORIZATION: TypeGroup = {
  resources: [
    review('SelfSubjectAccessReview', 'selfsubjectaccessreviews', false, 'Whether the caller may make a given request.'),
    review('SubjectAccessReview', 'subjectaccessreviews', false, SAR),
    review('LocalSubjectAccessReview', 'localsubjectaccessreviews', true, LSAR),
    review('SelfSubjectRulesReview', 'selfsubjectrulesreviews', false, 'What the caller may do in a namespace.'),
  ],
  bodyKinds: [
    { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', schemaName: `${PROTO}SubjectAccessReview` },
    { apiVersion: 'authorization.k8s.io/v1', kind: 'LocalSubjectAccessReview', schemaName: `${PROTO}LocalSubjectAccessReview` },
  ],
  definitions: {
    [`${AZ}SelfSubjectAccessReview`]: reviewKind('Whether the caller may make a given request.', `${AZ}SelfSubjectAccessReviewSpec`, `${AZ}SubjectAccessReviewStatus`),
    [`${AZ}SubjectAccessReview`]: reviewKind(SAR, `${AZ}SubjectAccessReviewSpec`, `${AZ}SubjectAccessReviewStatus`),
    [`${AZ}LocalSubjectAccessReview`]: reviewKind(LSAR, `${AZ}SubjectAccessReviewSpec`, `${AZ}SubjectAccessReviewStatus`),
    [`${AZ}SelfSubjectRulesReview`]: reviewKind('What the caller may do in a namespace.', `${AZ}SelfSubjectRulesReviewSpec`, `${AZ}SubjectRulesReviewStatus`),
    [`${AZ}SelfSubjectAccessReviewSpec`]: def('The request the caller wants to check (exactly one of the two).', {
      resourceAttributes: f.ref(1, `${AZ}ResourceAttributes`, 'The request, when it is on a resource.'),
      nonResourceAttributes: f.ref(2, `${AZ}NonResourceAttributes`, 'The request, when it is on a non-resource URL.'),
    }),
    [`${AZ}SubjectAccessReviewSpec`]: reviewSpec(0),
    [`${AZ}SelfSubjectRulesReviewSpec`]: def('The namespace to list permissions in.', {
      namespace: f.str(1, 'Namespace to evaluate the rules in.'),
    }),
    [`${AZ}ResourceAttributes`]: def('A request on a resource, as the authorizer sees it.', {
      namespace: f.str(1, 'Namespace of the request; empty means all namespaces (or a cluster-wide resource).'),
      verb: f.str(2, 'Verb, e.g. get, list, watch, create, update, delete; * for all.'),
      group: f.str(3, 'API group of the resource; * for all.'),
      version: f.str(4, 'API version of the resource; * for all.'),
      resource: f.str(5, 'Resource, e.g. pods; * for all.'),
      subresource: f.str(6, 'Subresource, e.g. log; empty for none.'),
      name: f.str(7, 'Name of the object; empty for all.'),
      fieldSelector: f.ref(8, `${AZ}FieldSelectorAttributes`, 'Field selector the request is limited by.'),
      labelSelector: f.ref(9, `${AZ}LabelSelectorAttributes`, 'Label selector the request is limited by.'),
    }),
    [`${AZ}FieldSelectorAttributes`]: def('A field selector a request is limited by, raw or parsed (not both).', {
      rawSelector: f.str(1, 'The selector as written in a query, e.g. spec.nodeName=node-a.'),
      requirements: f.list(2, 'The selector as parsed requirements, which must all hold.', `${AZ}FieldSelectorRequirement`, { listType: 'atomic' }),
    }),
    [`${AZ}FieldSelectorRequirement`]: def(
      'One condition on a field.',
      {
        key: f.str(1, 'The field, e.g. spec.nodeName.'),
        operator: f.str(2, 'In, NotIn, Exists or DoesNotExist.'),
        values: f.list(3, 'Values for In and NotIn; empty for Exists and DoesNotExist.', 'string', { listType: 'atomic' }),
      },
      { required: ['key', 'operator'] },
    ),
    [`${AZ}LabelSelectorAttributes`]: def('A label selector a request is limited by, raw or parsed (not both).', {
      rawSelector: f.str(1, 'The selector as written in a query, e.g. app=web.'),
      requirements: f.list(2, 'The selector as parsed requirements, which must all hold.', `${META}LabelSelectorRequirement`, { listType: 'atomic' }),
    }),
    [`${AZ}NonResourceAttributes`]: def('A request on a non-resource URL, as the authorizer sees it.', {
      path: f.str(1, 'URL path, e.g. /healthz.'),
      verb: f.str(2, 'HTTP verb in lowercase, e.g. get.'),
    }),
    [`${AZ}SubjectAccessReviewStatus`]: def('The answer to an access review.', {
      allowed: f.bool(1, 'Whether the request would be allowed.', { keepZero: true }),
      denied: f.bool(4, 'Whether the request would be denied outright; both false means no authorizer had an opinion.'),
      reason: f.str(2, 'Why it is allowed or denied.'),
      evaluationError: f.str(3, 'An error met while checking; the answer may still hold.'),
    }),
    [`${AZ}SubjectRulesReviewStatus`]: def('What a user may do in a namespace; possibly incomplete.', {
      resourceRules: f.list(1, 'Allowed verbs on resources.', `${AZ}ResourceRule`, { listType: 'atomic' }),
      nonResourceRules: f.list(2, 'Allowed verbs on non-resource URLs.', `${AZ}NonResourceRule`, { listType: 'atomic' }),
      incomplete: f.bool(3, 'Whether the list may be missing rules, e.g. from authorizers that cannot list them.', { keepZero: true }),
      evaluationError: f.str(4, 'An error met while listing rules.'),
    }),
    [`${AZ}ResourceRule`]: def(
      'Verbs allowed on some resources.',
      {
        verbs: f.list(1, 'Verbs allowed; * for all.', 'string', { listType: 'atomic' }),
        apiGroups: f.list(2, 'API groups of the resources; * for all.', 'string', { listType: 'atomic' }),
        resources: f.list(3, 'Resources; * for all, */foo for subresource foo of all.', 'string', { listType: 'atomic' }),
        resourceNames: f.list(4, 'Object names the rule is limited to; every object when empty.', 'string', { listType: 'atomic' }),
      },
      { required: ['verbs'] },
    ),
    [`${AZ}NonResourceRule`]: def(
      'Verbs allowed on some non-resource URLs.',
      {
        verbs: f.list(1, 'Verbs allowed, e.g. get, post; * for all.', 'string', { listType: 'atomic' }),
        nonResourceURLs: f.list(2, 'URL paths; a trailing * matches any rest of the path.', 'string', { listType: 'atomic' }),
      },
      { required: ['verbs'] },
    ),
    // Protobuf views: extra carries its values in an ExtraValue message, {items: [...]} on the wire.
    [`${PROTO}SubjectAccessReview`]: reviewKind(SAR, `${PROTO}SubjectAccessReviewSpec`, `${AZ}SubjectAccessReviewStatus`),
    [`${PROTO}LocalSubjectAccessReview`]: reviewKind(LSAR, `${PROTO}SubjectAccessReviewSpec`, `${AZ}SubjectAccessReviewStatus`),
    [`${PROTO}SubjectAccessReviewSpec`]: reviewSpec(5),
    [`${PROTO}ExtraValue`]: def('Values of one extra attribute, as protobuf carries them.', {
      items: f.list(1, 'The values.', 'string'),
    }),
  },
};
