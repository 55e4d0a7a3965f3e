// core/v1 LimitRange and ResourceQuota: per-namespace limits on what pods and claims may use.
import { qualifiedNameErrors } from '../checks.js';
import { forbiddenValue, invalidValue, required, type FieldError } from '../field-error.js';
import { ageColumn, column, nameColumn, type ApiObject, type TypeGroup } from '../resource-type.js';
import { def, f, metadataField } from '../schema.js';
import { rec, recs } from './core-checks.js';
import { canonicalQuantity, compareQuantities, formatQuantity, isWholeQuantity, parseQuantity, quantitySign, type Quantity } from './core-quantity.js';

const CORE = 'io.k8s.api.core.v1.';
const LIMIT_TYPES = ['Container', 'PersistentVolumeClaim', 'Pod'];
const COMPUTE = ['cpu', 'memory', 'ephemeral-storage'];
const COUNTS = ['pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers'];
const QUOTA_RESOURCES = new Set([...COMPUTE, ...COMPUTE.flatMap((r) => [`requests.${r}`, `limits.${r}`]), 'requests.storage', ...COUNTS]);
const LIMIT_RESOURCES = new Set([...QUOTA_RESOURCES, 'storage']);
const SCOPES = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity', 'VolumeAttributesClass'];
const POD_RESOURCES = new Set(['pods', 'cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);
const isHugePages = (name: string) => /^(requests\.)?hugepages-/.test(name);

/** Errors for a resource name: a qualified name, and a standard one unless it has a domain prefix. */
function resourceNameErrors(field: string, name: string, standard: Set<string>, why: string): FieldError[] {
  const errs = qualifiedNameErrors(field, name);
  if (errs.length === 0 && !name.includes('/') && !standard.has(name) && !isHugePages(name)) errs.push(invalidValue(field, name, why));
  return errs;
}

/** Whether a quota scope can limit a resource. */
function scopeFits(scope: string, resource: string): boolean {
  if (scope === 'BestEffort') return resource === 'pods';
  if (scope === 'VolumeAttributesClass') return resource === 'persistentvolumeclaims' || resource === 'requests.storage';
  return !SCOPES.includes(scope) || POD_RESOURCES.has(resource);
}

/** Fills a LimitRange's defaults: for containers, the default limit falls back to max, the default request to the default limit, then to min. */
export function defaultLimitRange(obj: ApiObject): void {
  for (const item of recs(rec(obj.spec).limits)) {
    if (item.type !== 'Container') continue;
    const limit = { ...rec(item.default) };
    const request = { ...rec(item.defaultRequest) };
    for (const [k, v] of Object.entries(rec(item.max))) limit[k] ??= v;
    for (const [k, v] of Object.entries(limit)) request[k] ??= v;
    for (const [k, v] of Object.entries(rec(item.min))) request[k] ??= v;
    if (Object.keys(limit).length) item.default = limit;
    if (Object.keys(request).length) item.defaultRequest = request;
  }
}

/** Everything wrong with a LimitRange: names, one item per type, and min ≤ default request ≤ default ≤ max. */
export function limitRangeErrors(obj: ApiObject): FieldError[] {
  const errs: FieldError[] = [];
  const types = new Set<string>();
  recs(rec(obj.spec).limits).forEach((item, i) => {
    const at = `spec.limits[${i}]`;
    const type = String(item.type ?? '');
    const typeErrs = qualifiedNameErrors(`${at}.type`, type);
    if (typeErrs.length === 0 && !type.includes('/') && !LIMIT_TYPES.includes(type)) typeErrs.push(invalidValue(`${at}.type`, type, 'must be a standard limit type or fully qualified'));
    errs.push(...typeErrs);
    if (types.has(type)) errs.push({ reason: 'FieldValueDuplicate', field: `${at}.type`, message: `Duplicate value: ${JSON.stringify(type)}` });
    types.add(type);
    const maps: Record<string, Record<string, Quantity>> = {};
    for (const part of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']) {
      if (part === 'maxLimitRequestRatio' && type === 'Pod') continue;
      maps[part] = {};
      for (const [k, v] of Object.entries(rec(item[part]))) {
        errs.push(...resourceNameErrors(`${at}.${part}[${k}]`, k, LIMIT_RESOURCES, 'must be a standard resource type or fully qualified'));
        const q = parseQuantity(v);
        if (q) maps[part]![k] = q;
      }
    }
    if (type === 'Pod') {
      if (Object.keys(rec(item.default)).length) errs.push(forbiddenValue(`${at}.default`, "may not be specified when `type` is 'Pod'"));
      if (Object.keys(rec(item.defaultRequest)).length) errs.push(forbiddenValue(`${at}.defaultRequest`, "may not be specified when `type` is 'Pod'"));
    }
    if (type === 'PersistentVolumeClaim' && rec(item.min).storage === undefined && rec(item.max).storage === undefined) {
      errs.push(required(`${at}.limits`, 'either minimum or maximum storage value is required, but neither was provided'));
    }
    const { max = {}, min = {}, default: limit = {}, defaultRequest: request = {}, maxLimitRequestRatio: ratio = {} } = maps;
    const keys = new Set(Object.values(maps).flatMap((m) => Object.keys(m)));
    const show = formatQuantity;
    const over = (field: string, value: Quantity, why: string) => errs.push(invalidValue(`${at}.${field}`, show(value), why));
    for (const k of keys) {
      const [mn, mx, df, dr, rt] = [min[k], max[k], limit[k], request[k], ratio[k]];
      if (mn && mx && compareQuantities(mn, mx) > 0) over(`min[${k}]`, mn, `min value ${show(mn)} is greater than max value ${show(mx)}`);
      if (dr && mn && compareQuantities(mn, dr) > 0) over(`defaultRequest[${k}]`, dr, `min value ${show(mn)} is greater than default request value ${show(dr)}`);
      if (dr && mx && compareQuantities(dr, mx) > 0) over(`defaultRequest[${k}]`, dr, `default request value ${show(dr)} is greater than max value ${show(mx)}`);
      if (dr && df && compareQuantities(dr, df) > 0) over(`defaultRequest[${k}]`, dr, `default request value ${show(dr)} is greater than default limit value ${show(df)}`);
      if (df && mn && compareQuantities(mn, df) > 0) over(`default[${k}]`, mn, `min value ${show(mn)} is greater than default value ${show(df)}`);
      if (df && mx && compareQuantities(df, mx) > 0) over(`default[${k}]`, mx, `default value ${show(df)} is greater than max value ${show(mx)}`);
      if (rt && compareQuantities(rt, { digits: 1n, exp: 0, format: 'DecimalSI' }) < 0) over(`maxLimitRequestRatio[${k}]`, rt, `ratio ${show(rt)} is less than 1`);
    }
  });
  return errs;
}

/** Errors for a map of quota amounts: known resource names, no negative amounts, whole numbers for counts. */
function quotaMapErrors(field: string, map: unknown): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(rec(map))) {
    const at = `${field}[${k}]`;
    errs.push(...resourceNameErrors(at, k, QUOTA_RESOURCES, 'must be a standard resource for quota'));
    const q = parseQuantity(v);
    if (q && quantitySign(q) < 0) errs.push(invalidValue(at, v, 'must be greater than or equal to 0'));
    if (q && (COUNTS.includes(k) || k.startsWith('count/')) && !isWholeQuantity(q)) errs.push(invalidValue(at, v, 'must be an integer'));
  }
  return errs;
}

/** Everything wrong with a ResourceQuota: resource names and amounts, scopes and scope selectors. */
export function resourceQuotaErrors(obj: ApiObject): FieldError[] {
  const spec = rec(obj.spec);
  const status = rec(obj.status);
  const hard = Object.keys(rec(spec.hard)).filter((k) => QUOTA_RESOURCES.has(k) || isHugePages(k));
  const errs = [...quotaMapErrors('spec.hard', spec.hard), ...quotaMapErrors('status.hard', status.hard), ...quotaMapErrors('status.used', status.used)];
  const scopes = Array.isArray(spec.scopes) ? (spec.scopes as string[]) : [];
  for (const scope of scopes) {
    if (!SCOPES.includes(scope)) errs.push(invalidValue('spec.scopes', scopes, 'unsupported scope'));
    for (const k of hard) if (!scopeFits(scope, k)) errs.push(invalidValue('spec.scopes', scopes, 'unsupported scope applied to resource'));
  }
  for (const [a, b] of [['BestEffort', 'NotBestEffort'], ['Terminating', 'NotTerminating']]) {
    if (scopes.includes(a!) && scopes.includes(b!)) errs.push(invalidValue('spec.scopes', scopes, 'conflicting scopes'));
  }
  const at = 'spec.scopeSelector.matchExpressions';
  for (const req of recs(rec(spec.scopeSelector).matchExpressions)) {
    const scope = String(req.scopeName ?? '');
    const values = Array.isArray(req.values) ? req.values : [];
    if (!SCOPES.includes(scope)) errs.push(invalidValue(`${at}.scopeName`, scope, 'unsupported scope'));
    for (const k of hard) if (!scopeFits(scope, k)) errs.push(invalidValue(at, spec.scopeSelector, 'unsupported scope applied to resource'));
    if (['BestEffort', 'NotBestEffort', 'Terminating', 'NotTerminating', 'CrossNamespacePodAffinity'].includes(scope) && req.operator !== 'Exists') {
      errs.push(invalidValue(`${at}.operator`, req.operator, "must be 'Exist' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity"));
    }
    if ((req.operator === 'In' || req.operator === 'NotIn') && values.length === 0) {
      errs.push(required(`${at}.values`, "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector"));
    }
    if ((req.operator === 'Exists' || req.operator === 'DoesNotExist') && values.length > 0) {
      errs.push(invalidValue(`${at}.values`, values, "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector"));
    }
  }
  return errs;
}

/** The Request and Limit cells of `kubectl get quota`: "name: used/hard" for each enforced resource, limits.* in the second. */
export function quotaUsage(obj: ApiObject, limits: boolean): string {
  const status = rec(obj.status);
  return Object.keys(rec(status.hard))
    .sort()
    .filter((k) => (k.split('.').length > 1 && k.split('.')[0] === 'limits') === limits)
    .map((k) => `${k}: ${canonicalQuantity(rec(status.used)[k] ?? 0)}/${canonicalQuantity(rec(status.hard)[k])}`)
    .join(', ');
}

/** LimitRange and ResourceQuota. */
export const CORE_QUOTA: TypeGroup = {
  resources: [
    {
      group: '', version: 'v1', kind: 'LimitRange', resource: 'limitranges', singular: 'limitrange', namespaced: true,
      shortNames: ['limits'], categories: [], schemaName: `${CORE}LimitRange`,
      description: 'Per-object minimums, maximums and defaults of resources in a namespace.',
      columns: [nameColumn, column('Created At', 'When the object was created.', (o) => String(o.metadata.creationTimestamp ?? ''), { type: 'date' })],
      defaults: defaultLimitRange,
      validate: limitRangeErrors,
    },
    {
      group: '', version: 'v1', kind: 'ResourceQuota', resource: 'resourcequotas', singular: 'resourcequota', namespaced: true,
      shortNames: ['quota'], categories: [], schemaName: `${CORE}ResourceQuota`, subresources: { status: true },
      description: 'Limits on the total resources and object counts a namespace may use.',
      columns: [
        nameColumn,
        ageColumn,
        column('Request', 'Use and limit of each resource other than limits.*.', (o) => quotaUsage(o, false)),
        column('Limit', 'Use and limit of each limits.* resource.', (o) => quotaUsage(o, true)),
      ],
      validate: resourceQuotaErrors,
    },
  ],
  definitions: {
    [`${CORE}LimitRange`]: def('Per-object minimums, maximums and defaults of resources in a namespace.', {
      metadata: metadataField(),
      spec: f.ref(2, `${CORE}LimitRangeSpec`, 'The limits.'),
    }),
    [`${CORE}LimitRangeSpec`]: def('The limits of a LimitRange.', {
      limits: f.list(1, 'Limits, at most one item per type.', `${CORE}LimitRangeItem`, { listType: 'atomic' }),
    }),
    [`${CORE}LimitRangeItem`]: def(
      'Limits for one type of object.',
      {
        type: f.str(1, 'What the limits apply to: Container, Pod or PersistentVolumeClaim.'),
        max: f.map(2, 'Largest amount of each resource an object may use.', 'quantity'),
        min: f.map(3, 'Smallest amount of each resource an object must ask for.', 'quantity'),
        default: f.map(4, 'Limit given to containers that set none.', 'quantity'),
        defaultRequest: f.map(5, 'Request given to containers that set none.', 'quantity'),
        maxLimitRequestRatio: f.map(6, 'Largest allowed ratio of limit to request, by resource.', 'quantity'),
      },
      { required: ['type'] },
    ),
    [`${CORE}ResourceQuota`]: def('Limits on the total resources and object counts a namespace may use.', {
      metadata: metadataField(),
      spec: f.ref(2, `${CORE}ResourceQuotaSpec`, 'The limits and which objects they count.'),
      status: f.ref(3, `${CORE}ResourceQuotaStatus`, 'The enforced limits and what is used.'),
    }),
    [`${CORE}ResourceQuotaSpec`]: def('Limits of a quota and which objects they count.', {
      hard: f.map(1, 'Limit of each resource, e.g. requests.cpu, pods or count/deployments.apps.', 'quantity'),
      scopes: f.list(2, 'Only objects in all these scopes are counted, e.g. BestEffort or NotTerminating.', 'string', { listType: 'atomic' }),
      scopeSelector: f.ref(3, `${CORE}ScopeSelector`, 'Scope conditions objects must meet to be counted.'),
    }),
    [`${CORE}ScopeSelector`]: def(
      'Scope conditions that must all hold.',
      { matchExpressions: f.list(1, 'The conditions.', `${CORE}ScopedResourceSelectorRequirement`, { listType: 'atomic' }) },
      { mapType: 'atomic' },
    ),
    [`${CORE}ScopedResourceSelectorRequirement`]: def(
      'One scope condition.',
      {
        scopeName: f.str(1, 'The scope, e.g. PriorityClass.'),
        operator: f.str(2, 'In, NotIn, Exists or DoesNotExist.', { enum: ['DoesNotExist', 'Exists', 'In', 'NotIn'] }),
        values: f.list(3, 'Values for In and NotIn; empty for Exists and DoesNotExist.', 'string', { listType: 'atomic' }),
      },
      { required: ['scopeName', 'operator'] },
    ),
    [`${CORE}ResourceQuotaStatus`]: def('Enforced limits of a quota and what is used.', {
      hard: f.map(1, 'The limits being enforced.', 'quantity'),
      used: f.map(2, 'What the namespace uses now.', 'quantity'),
    }),
  },
};
