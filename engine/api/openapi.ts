import { createHash } from 'node:crypto';
import { DEFINITIONS, RESOURCES, type ResourceType } from './registry.js';
import type { FieldSchema } from './schema.js';

/** The OpenAPI v3 path of a group-version: "api/v1" or "apis/GROUP/VERSION". */
export function groupVersionPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

/** Kubernetes' OpenAPI extensions carried by a schema. */
function extensions(f: FieldSchema): Record<string, unknown> {
  return {
    ...(f.listType ? { 'x-kubernetes-list-type': f.listType } : {}),
    ...(f.listMapKeys ? { 'x-kubernetes-list-map-keys': f.listMapKeys } : {}),
    ...(f.mapType ? { 'x-kubernetes-map-type': f.mapType } : {}),
    ...(f.patchStrategy ? { 'x-kubernetes-patch-strategy': f.patchStrategy } : {}),
    ...(f.patchMergeKey ? { 'x-kubernetes-patch-merge-key': f.patchMergeKey } : {}),
    ...(f.intOrString ? { 'x-kubernetes-int-or-string': true } : {}),
    ...(f.preserveUnknown ? { 'x-kubernetes-preserve-unknown-fields': true } : {}),
    ...(f.embeddedResource ? { 'x-kubernetes-embedded-resource': true } : {}),
  };
}

/** One schema as OpenAPI; `v2` writes references as $ref beside the description (Swagger 2.0 style). */
export function toOpenApi(f: FieldSchema, v2 = false): Record<string, unknown> {
  const refBase = v2 ? '#/definitions/' : '#/components/schemas/';
  if (f.ref) {
    const ref = { $ref: `${refBase}${f.ref}` };
    return v2 ? { ...ref, description: f.description, ...extensions(f) } : { description: f.description, allOf: [ref], ...extensions(f) };
  }
  const keep = ['enum', 'default', 'minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems'] as const;
  return {
    ...(f.type && !f.intOrString ? { type: f.type } : {}),
    ...(f.format ? { format: f.format } : {}),
    description: f.description,
    ...Object.fromEntries(keep.filter((k) => f[k] !== undefined).map((k) => [k, f[k]])),
    ...(f.items ? { items: toOpenApi(f.items, v2) } : {}),
    ...(f.additionalProperties ? { additionalProperties: toOpenApi(f.additionalProperties, v2) } : {}),
    ...(f.properties ? { properties: Object.fromEntries(Object.entries(f.properties).map(([k, v]) => [k, toOpenApi(v, v2)])) } : {}),
    ...(f.required?.length ? { required: f.required } : {}),
    ...extensions(f),
  };
}

/** Names of every named schema reachable from `roots`. */
function reachable(roots: string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (f: FieldSchema | undefined) => {
    if (!f) return;
    if (f.ref) return visitName(f.ref);
    visit(f.items);
    visit(f.additionalProperties);
    for (const p of Object.values(f.properties ?? {})) visit(p);
  };
  const visitName = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    visit(DEFINITIONS[name]);
  };
  roots.forEach(visitName);
  return seen;
}

function kindSchema(t: ResourceType, v2: boolean): Record<string, unknown> {
  const base = toOpenApi(DEFINITIONS[t.schemaName]!, v2) as { properties?: Record<string, unknown> };
  return {
    ...base,
    description: t.description,
    properties: {
      apiVersion: { type: 'string', description: 'Versioned schema of this representation of the object, e.g. v1.' },
      kind: { type: 'string', description: 'The kind of object, in CamelCase.' },
      ...base.properties,
    },
    'x-kubernetes-group-version-kind': [{ group: t.group, version: t.version, kind: t.kind }],
  };
}

function listSchema(t: ResourceType, v2: boolean): Record<string, unknown> {
  const refBase = v2 ? '#/definitions/' : '#/components/schemas/';
  return {
    type: 'object',
    description: `A list of ${t.kind} objects.`,
    required: ['items'],
    properties: {
      apiVersion: { type: 'string', description: 'Versioned schema of this representation of the list.' },
      kind: { type: 'string', description: 'The kind of the list.' },
      items: { type: 'array', description: `The ${t.resource}.`, items: { $ref: `${refBase}${t.schemaName}` } },
      metadata: { $ref: `${refBase}io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta`, description: 'List metadata: resourceVersion and continue token.' },
    },
    'x-kubernetes-group-version-kind': [{ group: t.group, version: t.version, kind: `${t.kind}List` }],
  };
}

/** Component schemas for `types`: their kinds, lists, and every named schema they reach. */
function schemasFor(types: ResourceType[], v2: boolean): Record<string, unknown> {
  const names = reachable([...types.map((t) => t.schemaName), 'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta']);
  const out: Record<string, unknown> = {};
  for (const n of [...names].sort()) out[n] = toOpenApi(DEFINITIONS[n]!, v2);
  for (const t of types) {
    out[t.schemaName] = kindSchema(t, v2);
    out[`${t.schemaName}List`] = listSchema(t, v2);
  }
  return out;
}

const query = (name: string, description: string) => ({ name, in: 'query', description, schema: { type: 'string', uniqueItems: true } });
const WRITE_PARAMS = [
  query('dryRun', 'When All, the request is checked and answered but nothing is stored.'),
  query('fieldManager', 'Name of the actor making the change.'),
  query('fieldValidation', 'What to do with unknown or duplicate fields: Ignore, Warn (default) or Strict.'),
];
const LIST_PARAMS = [
  query('labelSelector', 'Only objects whose labels match.'),
  query('fieldSelector', 'Only objects whose fields match (metadata.name, metadata.namespace).'),
  query('limit', 'Largest number of objects in one answer; continue with the returned token.'),
  query('continue', 'Token from the previous page of a list.'),
  query('resourceVersion', 'Read or watch from this version.'),
  query('watch', 'Stream changes instead of answering once.'),
  query('timeoutSeconds', 'End a watch after this many seconds.'),
];

function operations(t: ResourceType): Record<string, unknown> {
  const gvk = { group: t.group, version: t.version, kind: t.kind };
  const ref = { $ref: `#/components/schemas/${t.schemaName}` };
  const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
  const op = (action: string, summary: string, params: unknown[], body?: boolean, list?: boolean) => ({
    operationId: `${action}${t.kind}`,
    description: summary,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    parameters: params,
    ...(body ? { requestBody: { required: true, ...json(ref) } } : {}),
    responses: { '200': { description: 'OK', ...json(list ? { $ref: `#/components/schemas/${t.schemaName}List` } : ref) } },
  });
  const base = `/${groupVersionPath(t.group, t.version)}${t.namespaced ? '/namespaces/{namespace}' : ''}/${t.resource}`;
  const scope = t.namespaced ? [{ name: 'namespace', in: 'path', required: true, description: 'The namespace.', schema: { type: 'string' } }] : [];
  const name = [{ name: 'name', in: 'path', required: true, description: `Name of the ${t.kind}.`, schema: { type: 'string' } }];
  return {
    [base]: {
      parameters: scope,
      get: op('list', `List or watch ${t.resource}.`, LIST_PARAMS, false, true),
      post: op('post', `Create a ${t.kind}.`, WRITE_PARAMS, true),
    },
    [`${base}/{name}`]: {
      parameters: [...scope, ...name],
      get: op('get', `Read a ${t.kind}.`, []),
      put: op('put', `Replace a ${t.kind}.`, WRITE_PARAMS, true),
      patch: op('patch', `Partially update a ${t.kind}.`, [...WRITE_PARAMS, query('force', 'Take over conflicting fields (server-side apply).')]),
      delete: op('delete', `Delete a ${t.kind}.`, [query('dryRun', 'When All, nothing is deleted.'), query('gracePeriodSeconds', 'Seconds before the object is removed.'), query('propagationPolicy', 'Orphan, Background or Foreground.')]),
    },
  };
}

/** The OpenAPI v3 document of one group-version; undefined when nothing is served there. */
export function openApiV3(group: string, version: string): Record<string, unknown> | undefined {
  const types = RESOURCES.filter((t) => t.group === group && t.version === version);
  if (types.length === 0) return undefined;
  const schemas = schemasFor(types, false);
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.34.0' },
    paths: Object.assign({}, ...types.map(operations)),
    components: { schemas },
  };
}

/** GET /openapi/v3: where each group-version's document is, with a content hash for caching. */
export function openApiV3Index(): Record<string, unknown> {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const t of RESOURCES) {
    const gv = groupVersionPath(t.group, t.version);
    if (paths[gv]) continue;
    const hash = createHash('sha512').update(JSON.stringify(openApiV3(t.group, t.version))).digest('hex').slice(0, 128).toUpperCase();
    paths[gv] = { serverRelativeURL: `/openapi/v3/${gv}?hash=${hash}` };
  }
  return { paths };
}


/** The OpenAPI v2 (Swagger 2.0) document of everything served: definitions only, which is what clients read from it. */
export function openApiV2(): Record<string, unknown> {
  const definitions = schemasFor(RESOURCES, true);
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: 'v1.34.0' },
    paths: Object.fromEntries(
      RESOURCES.map((t) => [`/${groupVersionPath(t.group, t.version)}${t.namespaced ? '/namespaces/{namespace}' : ''}/${t.resource}/{name}`, { get: { operationId: `read${t.kind}`, 'x-kubernetes-group-version-kind': { group: t.group, version: t.version, kind: t.kind }, responses: { '200': { description: 'OK', schema: { $ref: `#/definitions/${t.schemaName}` } } } } }]),
    ),
    definitions,
  };
}
