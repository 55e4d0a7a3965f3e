// What every resource handler works with: the request, its parsed path and type, and small
// shared helpers for answering.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiVersionOf, type ApiObject, type ResourceType } from '../api/registry.js';
import { parseFieldSelector, parseLabelSelector } from '../api/selectors.js';
import type { ResourceRef, StoredObject } from '../store/storage.js';
import type { ResourcePath } from './request.js';
import { fieldLabels } from './field-selectors.js';
import { badRequest, type Subject } from './status.js';
import { tableVersion, toTable, wantsTable } from './table.js';

/** One resource request on its way through the handlers. */
export interface RequestContext {
  type: ResourceType;
  path: ResourcePath;
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
  /** Who made the request (for managedFields and events). */
  user: string;
}

/** Writes a JSON answer. */
export function sendJson(res: ServerResponse, code: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** The subject of error messages for a type (and name). */
export function subject(type: ResourceType, name?: string): Subject {
  return { resource: type.resource, kind: type.kind, group: type.group, ...(name !== undefined ? { name } : {}) };
}

/** The storage reference of the request's collection. */
export function refOf(ctx: Pick<RequestContext, 'type' | 'path'>): ResourceRef {
  return { resource: storageResource(ctx.type), namespace: ctx.type.namespaced ? ctx.path.namespace : undefined };
}

/** Where a type's objects live in the store: by group and resource, so two groups' same-named resources do not mix. */
export function storageResource(type: ResourceType): string {
  if (type.conversion) return type.conversion.storageResource;
  return type.group ? `${type.group}/${type.resource}` : type.resource;
}

/** The object with apiVersion and kind, as clients see it. */
export function withKind(type: ResourceType, obj: StoredObject | ApiObject): ApiObject {
  const view = type.conversion ? type.conversion.fromStored(obj as ApiObject) : obj;
  const { apiVersion: _a, kind: _k, ...rest } = view;
  return { apiVersion: apiVersionOf(type), kind: type.kind, ...rest } as ApiObject;
}

/** The object as it is stored: converted to the storage version when the type is kept in another's store. */
export function toStorage(type: ResourceType, obj: ApiObject): StoredObject {
  if (type.conversion) return type.conversion.toStored({ ...obj, apiVersion: apiVersionOf(type), kind: type.kind }) as StoredObject;
  return { ...obj, apiVersion: apiVersionOf(type), kind: type.kind } as StoredObject;
}

/** The answer for one object: the object, or a one-row Table when kubectl asks for one. */
export function present(ctx: RequestContext, obj: StoredObject | ApiObject): unknown {
  const full = withKind(ctx.type, obj);
  const accept = ctx.req.headers.accept;
  if (wantsTable(accept)) return toTable(ctx.type, [full], { apiVersion: tableVersion(accept), resourceVersion: obj.metadata.resourceVersion });
  return full;
}

/** Label and field selectors of a list, watch or deletecollection (field labels as `kind` supports them). */
export function selectors(query: URLSearchParams, kind?: string) {
  try {
    return {
      labels: parseLabelSelector(query.get('labelSelector') ?? undefined),
      fields: parseFieldSelector(query.get('fieldSelector') ?? undefined, fieldLabels(kind)),
    };
  } catch (err) {
    throw badRequest((err as Error).message);
  }
}

/** Whether the request is a dry run (dryRun=All); any other value is refused. */
export function isDryRun(query: URLSearchParams, body?: { dryRun?: unknown }): boolean {
  const d = [...query.getAll('dryRun'), ...(Array.isArray(body?.dryRun) ? body.dryRun.map(String) : [])];
  if (d.some((v) => v !== 'All')) throw badRequest(`unsupported dryRun value "${d.find((v) => v !== 'All')}": the only value is All`);
  return d.length > 0;
}

/** Now, as Kubernetes writes timestamps (whole seconds, UTC). */
export function now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}
