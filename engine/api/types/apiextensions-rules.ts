// Defaulting and validation of CustomResourceDefinitions, as the Kubernetes apiserver does them.
// Like Kubernetes, a setting (schema, subresources, columns) that is identical in every version is
// checked once, and reported under its top-level path (spec.validation, spec.subresources…).
import { immutable, nameErrors, sameValue } from '../checks.js';
import { forbiddenValue, invalidValue, notSupported, required, type FieldError } from '../field-error.js';
import type { ApiObject } from '../resource-type.js';
import { protoSchemaToJson, structuralSchemaErrors } from './apiextensions-schema.js';
import { dns1035Errors } from './networking-checks.js';

type Names = { plural?: string; singular?: string; kind?: string; listKind?: string; shortNames?: string[]; categories?: string[] };
type Column = { name?: string; type?: string; format?: string; jsonPath?: string };
type Scale = { specReplicasPath?: string; statusReplicasPath?: string; labelSelectorPath?: string };
type Version = {
  name?: string; served?: boolean; storage?: boolean; deprecated?: boolean; deprecationWarning?: string;
  schema?: { openAPIV3Schema?: unknown }; subresources?: { status?: object; scale?: Scale }; additionalPrinterColumns?: Column[]; selectableFields?: { jsonPath?: string }[];
};
type Service = { namespace?: string; name?: string; path?: string; port?: number };
type Conversion = { strategy?: string; webhook?: { clientConfig?: { url?: string; service?: Service }; conversionReviewVersions?: string[] } };
type Spec = { group?: string; names?: Names; scope?: string; versions?: Version[]; conversion?: Conversion; preserveUnknownFields?: boolean };
type Status = { storedVersions?: string[]; conditions?: { type?: string; status?: string }[] };

const COLUMN_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];
const COLUMN_FORMATS = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];
const REVIEW_VERSIONS = ['v1', 'v1beta1'];

const specOf = (o: ApiObject) => (o.spec ?? {}) as Spec;
const same = (a: unknown, b: unknown) => sameValue(a ?? null, b ?? null);

/** Fills a CRD's defaults: singular and list kind names, conversion None, webhook port 443, the stored versions; turns protobuf-form schemas into JSON form. */
export function defaultCrd(obj: ApiObject): void {
  const spec = (obj.spec ??= {}) as Spec;
  for (const v of spec.versions ?? []) {
    protoSchemaToJson(v.schema?.openAPIV3Schema);
    v.served ??= false;
    v.storage ??= false;
  }
  const names = (spec.names ??= {});
  if (!names.singular && names.kind) names.singular = names.kind.toLowerCase();
  if (!names.listKind && names.kind) names.listKind = `${names.kind}List`;
  spec.conversion ??= { strategy: 'None' };
  const service = spec.conversion.webhook?.clientConfig?.service;
  if (service) service.port ??= 443;
  const status = (obj.status ??= {}) as Status;
  const storage = spec.versions?.find((v) => v.storage)?.name;
  if (storage && !(status.storedVersions ??= []).includes(storage)) status.storedVersions.push(storage);
}

/** Errors for a simple JSON path (".spec.replicas"). */
function simplePathErrors(field: string, p: string | undefined): FieldError[] {
  if (!p) return [invalidValue(field, p ?? '', 'must not be empty')];
  if (!p.startsWith('.')) return [invalidValue(field, p, 'must be a simple json path starting with .')];
  return [];
}

function namesErrors(names: Names): FieldError[] {
  const at = 'spec.names';
  const errs: FieldError[] = [];
  for (const k of ['plural', 'singular', 'kind', 'listKind'] as const) if (!names[k]) errs.push(required(`${at}.${k}`));
  for (const k of ['plural', 'singular'] as const) if (names[k]) errs.push(...dns1035Errors(`${at}.${k}`, names[k]!));
  for (const k of ['kind', 'listKind'] as const) {
    const v = names[k];
    if (v && dns1035Errors('', v.toLowerCase()).length) errs.push(invalidValue(`${at}.${k}`, v, `may have mixed case, but should otherwise match: ${dns1035Errors('', v.toLowerCase())[0]!.message.replace(/^Invalid value: "[^"]*": /, '')}`));
  }
  if (names.kind && names.kind === names.listKind) errs.push(invalidValue(`${at}.listKind`, names.listKind, 'kind and listKind may not be the same'));
  (names.shortNames ?? []).forEach((s, i) => errs.push(...dns1035Errors(`${at}.shortNames[${i}]`, s)));
  (names.categories ?? []).forEach((c, i) => errs.push(...dns1035Errors(`${at}.categories[${i}]`, c)));
  return errs;
}

function subresourceErrors(at: string, sub: Version['subresources']): FieldError[] {
  const scale = sub?.scale;
  if (!scale) return [];
  const errs: FieldError[] = [];
  for (const [k, under] of [['specReplicasPath', '.spec.'], ['statusReplicasPath', '.status.']] as const) {
    const p = scale[k];
    if (!p) errs.push(required(`${at}.scale.${k}`));
    else {
      const bad = simplePathErrors(`${at}.scale.${k}`, p);
      errs.push(...(bad.length ? bad : p.startsWith(under) ? [] : [invalidValue(`${at}.scale.${k}`, p, `should be a json path under ${under.slice(0, -1)}`)]));
    }
  }
  const sel = scale.labelSelectorPath;
  if (sel) {
    const bad = simplePathErrors(`${at}.scale.labelSelectorPath`, sel);
    errs.push(...(bad.length ? bad : sel.startsWith('.spec.') || sel.startsWith('.status.') ? [] : [invalidValue(`${at}.scale.labelSelectorPath`, sel, 'should be a json path under either .spec or .status')]));
  }
  return errs;
}

function columnErrors(at: string, c: Column): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(required(`${at}.name`));
  if (!c.type) errs.push(required(`${at}.type`, `must be one of ${COLUMN_TYPES.join(',')}`));
  else if (!COLUMN_TYPES.includes(c.type)) errs.push(notSupported(`${at}.type`, c.type, COLUMN_TYPES));
  if (c.format && !COLUMN_FORMATS.includes(c.format)) errs.push(notSupported(`${at}.format`, c.format, COLUMN_FORMATS));
  errs.push(...(c.jsonPath ? simplePathErrors(`${at}.jsonPath`, c.jsonPath) : [required(`${at}.jsonPath`)]));
  return errs;
}

/** Where a per-version setting is reported: its top-level path when every version has the same value. */
function hoisted<T>(versions: Version[], get: (v: Version) => T, top: string, own: (i: number) => string): { path: (i: number) => string; once: boolean } {
  const first = get(versions[0] ?? {});
  const once = versions.length > 0 && versions.every((v) => same(get(v), first));
  return { path: once ? () => top : own, once };
}

function versionErrors(spec: Spec): FieldError[] {
  const versions = spec.versions ?? [];
  const errs: FieldError[] = [];
  const schema = hoisted(versions, (v) => v.schema, 'spec.validation', (i) => `spec.versions[${i}].schema`);
  const subs = hoisted(versions, (v) => v.subresources, 'spec.subresources', (i) => `spec.versions[${i}].subresources`);
  const cols = hoisted(versions, (v) => v.additionalPrinterColumns, 'spec.additionalPrinterColumns', (i) => `spec.versions[${i}].additionalPrinterColumns`);
  versions.forEach((v, i) => {
    const at = `spec.versions[${i}]`;
    errs.push(...dns1035Errors(`${at}.name`, v.name ?? ''));
    if (v.deprecationWarning !== undefined && !v.deprecated) errs.push(invalidValue(`${at}.deprecationWarning`, v.deprecationWarning, 'can only be set for deprecated versions'));
    if ((v.deprecationWarning?.length ?? 0) > 256) errs.push({ reason: 'FieldValueTooLong', field: `${at}.deprecationWarning`, message: 'Too long: may not be more than 256 bytes' });
    const first = i === 0;
    const s = v.schema?.openAPIV3Schema;
    if (s === undefined) errs.push(required(`${at}.schema.openAPIV3Schema`, 'schemas are required'));
    else if (!schema.once || first) errs.push(...structuralSchemaErrors(`${schema.path(i)}.openAPIV3Schema`, s));
    if (!subs.once || first) errs.push(...subresourceErrors(subs.path(i), v.subresources));
    if (!cols.once || first) (v.additionalPrinterColumns ?? []).forEach((c, j) => errs.push(...columnErrors(`${cols.path(i)}[${j}]`, c)));
    const fields = v.selectableFields ?? [];
    if (fields.length > 8) errs.push(invalidValue(`${at}.selectableFields`, fields.length, 'must have at most 8 items'));
    const seen = new Set<string>();
    fields.forEach((sf, j) => {
      const p = `${at}.selectableFields[${j}].jsonPath`;
      if (!sf.jsonPath) errs.push(required(p));
      else if (seen.has(sf.jsonPath)) errs.push({ reason: 'FieldValueDuplicate', field: p, message: `Duplicate value: "${sf.jsonPath}"` });
      else errs.push(...simplePathErrors(p, sf.jsonPath));
      if (sf.jsonPath) seen.add(sf.jsonPath);
    });
  });
  if (new Set(versions.map((v) => v.name)).size !== versions.length) errs.push(invalidValue('spec.versions', versions, 'must contain unique version names'));
  if (versions.filter((v) => v.storage).length !== 1) errs.push(invalidValue('spec.versions', versions, 'must have exactly one version marked as storage version'));
  return errs;
}

function webhookErrors(conversion: Conversion, preserveUnknown: boolean): FieldError[] {
  const at = 'spec.conversion';
  const errs: FieldError[] = [];
  const cc = conversion.webhook?.clientConfig;
  if (!cc) errs.push(required(`${at}.webhookClientConfig`, 'required when strategy is set to Webhook'));
  else if ((cc.url === undefined) === (cc.service === undefined)) errs.push(required(`${at}.webhookClientConfig`, 'exactly one of url or service is required'));
  else if (cc.url !== undefined) {
    const p = `${at}.webhookClientConfig.url`;
    let u: URL | undefined;
    try {
      u = new URL(cc.url);
    } catch {
      errs.push(invalidValue(p, cc.url, 'must be a valid URL'));
    }
    if (u && u.protocol !== 'https:') errs.push(invalidValue(p, u.protocol.replace(/:$/, ''), "'https' is the only allowed URL scheme"));
    if (u && (u.username || u.password)) errs.push(invalidValue(p, cc.url, 'user information is not permitted in the URL'));
    if (u && u.hash) errs.push(invalidValue(p, cc.url, 'fragments are not permitted in the URL'));
    if (u && u.search) errs.push(invalidValue(p, cc.url, 'query parameters are not permitted in the URL'));
  } else {
    const s = cc.service!;
    const p = `${at}.webhookClientConfig.service`;
    if (!s.name) errs.push(required(`${p}.name`, 'service name is required'));
    if (!s.namespace) errs.push(required(`${p}.namespace`, 'service namespace is required'));
    if (s.port !== undefined && (s.port < 1 || s.port > 65535)) errs.push(invalidValue(`${p}.port`, s.port, 'port is not valid: must be between 1 and 65535, inclusive'));
    if (s.path && s.path !== '/' && !s.path.startsWith('/')) errs.push(invalidValue(`${p}.path`, s.path, "must start with a '/'"));
  }
  const versions = conversion.webhook?.conversionReviewVersions ?? [];
  if (versions.length === 0) errs.push(required(`${at}.conversionReviewVersions`));
  else if (!versions.some((v) => REVIEW_VERSIONS.includes(v))) errs.push(invalidValue(`${at}.conversionReviewVersions`, versions, `must include at least one of ${REVIEW_VERSIONS.join(', ')}`));
  if (preserveUnknown) errs.push(invalidValue(`${at}.strategy`, conversion.strategy, 'must be None if spec.preserveUnknownFields is true'));
  return errs;
}

function storedVersionErrors(obj: ApiObject): FieldError[] {
  const stored = ((obj.status as Status | undefined)?.storedVersions ?? []) as string[];
  const versions = specOf(obj).versions ?? [];
  if (stored.length === 0) return [invalidValue('status.storedVersions', stored, 'must have at least one stored version')];
  const errs: FieldError[] = [];
  for (const v of versions) if (v.storage && !stored.includes(v.name ?? '')) errs.push(invalidValue('status.storedVersions', v, `must have the storage version ${v.name}`));
  stored.forEach((s, i) => {
    if (!versions.some((v) => v.name === s)) errs.push(invalidValue(`status.storedVersions[${i}]`, s, 'must appear in spec.versions'));
  });
  return errs;
}

/** Errors of a CustomResourceDefinition, create or update: names, group, scope, versions, schemas, conversion. */
export function crdErrors(obj: ApiObject, old?: ApiObject): FieldError[] {
  const spec = specOf(obj);
  const names = spec.names ?? {};
  const errs: FieldError[] = [];
  if (obj.metadata.name !== `${names.plural ?? ''}.${spec.group ?? ''}`) errs.push(invalidValue('metadata.name', obj.metadata.name, 'must be spec.names.plural+"."+spec.group'));
  if (!spec.group) errs.push(required('spec.group'));
  else if (nameErrors('spec.group', spec.group, 'subdomain').length) errs.push(...nameErrors('spec.group', spec.group, 'subdomain'));
  else if (!spec.group.includes('.')) errs.push(invalidValue('spec.group', spec.group, 'should be a domain with at least one dot'));
  if (!spec.scope) errs.push(required('spec.scope'));
  errs.push(...versionErrors(spec), ...namesErrors(names));
  if (spec.preserveUnknownFields) errs.push(invalidValue('spec.preserveUnknownFields', true, 'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead'));
  const conversion = spec.conversion ?? {};
  if (!conversion.strategy) errs.push(required('spec.conversion.strategy'));
  else if (conversion.strategy === 'Webhook') errs.push(...webhookErrors(conversion, spec.preserveUnknownFields === true));
  else if (conversion.webhook?.clientConfig) errs.push(forbiddenValue('spec.conversion.webhookClientConfig', 'should not be set when strategy is not set to Webhook'));
  errs.push(...storedVersionErrors(obj));
  if (old) {
    const before = specOf(old);
    const established = ((old.status as Status | undefined)?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True');
    if (established) errs.push(...immutable('spec.scope', spec.scope, before.scope), ...immutable('spec.names.kind', names.kind, before.names?.kind));
    errs.push(...immutable('spec.group', spec.group, before.group), ...immutable('spec.names.plural', names.plural, before.names?.plural));
  }
  return errs;
}

