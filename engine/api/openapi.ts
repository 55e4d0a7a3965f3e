import { createHash } from 'node:crypto';
import { RESOURCES, type ResourceType } from './registry.js';
import { KIND_SCHEMAS, SHARED_SCHEMAS, type FieldSchema } from './schemas.js';

/** The OpenAPI v3 path of a group-version: "api/v1" or "apis/GROUP/VERSION". */
export function groupVersionPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

function toOpenApi(f: FieldSchema): Record<string, unknown> {
  if (f.ref) return { description: f.description, allOf: [{ $ref: `#/components/schemas/${f.ref}` }] };
  return {
    ...(f.type ? { type: f.type } : {}),
    ...(f.format ? { format: f.format } : {}),
    description: f.description,
    ...(f.items ? { items: toOpenApi(f.items) } : {}),
    ...(f.additionalProperties ? { additionalProperties: toOpenApi(f.additionalProperties) } : {}),
    ...(f.properties ? { properties: Object.fromEntries(Object.entries(f.properties).map(([k, v]) => [k, toOpenApi(v)])) } : {}),
    ...(f.required ? { required: f.required } : {}),
  };
}

function kindSchema(t: ResourceType): Record<string, unknown> {
  const gvk = [{ group: t.group, version: t.version, kind: t.kind }];
  return {
    type: 'object',
    description: t.description,
    properties: {
      apiVersion: { type: 'string', description: 'Versioned schema of this representation of the object, e.g. v1.' },
      kind: { type: 'string', description: 'The kind of object, in CamelCase.' },
      ...Object.fromEntries(Object.entries(KIND_SCHEMAS[t.kind] ?? {}).map(([k, v]) => [k, toOpenApi(v)])),
    },
    'x-kubernetes-group-version-kind': gvk,
  };
}

function listSchema(t: ResourceType): Record<string, unknown> {
  return {
    type: 'object',
    description: `A list of ${t.kind} objects.`,
    required: ['items'],
    properties: {
      apiVersion: { type: 'string', description: 'Versioned schema of this representation of the list.' },
      kind: { type: 'string', description: 'The kind of the list.' },
      items: { type: 'array', description: `The ${t.resource}.`, items: { $ref: `#/components/schemas/${t.schemaName}` } },
      metadata: { type: 'object', description: 'List metadata: resourceVersion and continue token.' },
    },
    'x-kubernetes-group-version-kind': [{ group: t.group, version: t.version, kind: `${t.kind}List` }],
  };
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
  const schemas: Record<string, unknown> = Object.fromEntries(Object.entries(SHARED_SCHEMAS).map(([k, v]) => [k, toOpenApi(v)]));
  for (const t of types) {
    schemas[t.schemaName] = kindSchema(t);
    schemas[`${t.schemaName}List`] = listSchema(t);
  }
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

