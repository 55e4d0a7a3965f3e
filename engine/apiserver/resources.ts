import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyDefaults } from '../api/defaults.js';
import { jsonPatch, mergePatch, PatchError, strategicIsPlainMerge } from '../api/patch.js';
import { apiVersionOf, RESOURCES, type ApiObject, type ResourceType } from '../api/registry.js';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from '../api/selectors.js';
import { unknownObjectFields, validate } from '../api/validation.js';
import { StoreError } from '../store/errors.js';
import type { Storage, StoredObject } from '../store/storage.js';
import type { ResourcePath } from './request.js';
import { readJson } from './request.js';
import { badRequest, failure, forbidden, invalid, methodNotAllowed, notFound, toApiError, type Subject } from './status.js';
import { tableVersion, toTable, wantsTable } from './table.js';

/** Writes a JSON answer. */
export function sendJson(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

const NAMESPACES = { resource: 'namespaces' };

/** The CRUD, list and watch handlers of every registered type, on top of Storage. */
export class ResourceHandlers {
  constructor(private readonly storage: Storage) {}

  /** Serves one resource request; throws ApiError for the caller to answer. */
  async handle(type: ResourceType, path: ResourcePath, req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
    if (path.subresource) throw notFound({ ...subject(type), name: `${path.name}/${path.subresource}` });
    if (type.namespaced === false && path.namespace) throw failure(404, 'NotFound', `${type.resource} is not a namespaced resource`);
    const ref = { resource: type.resource, namespace: type.namespaced ? path.namespace : undefined };
    const s = { ...subject(type), name: path.name };
    const method = req.method ?? 'GET';
    try {
      if (!path.name) {
        if (method === 'GET' && query.get('watch') && ['1', 'true'].includes(query.get('watch')!)) return this.watch(type, ref, req, res, query);
        if (method === 'GET') return await this.list(type, ref, req, res, query);
        if (method === 'POST') return await this.create(type, path, req, res, query);
        throw methodNotAllowed(method, s);
      }
      switch (method) {
        case 'GET':
          return sendJson(res, 200, this.present(type, await this.storage.get(ref, path.name), req));
        case 'PUT':
          return await this.update(type, path, req, res, query);
        case 'PATCH':
          return await this.patch(type, path, req, res, query);
        case 'DELETE':
          return await this.delete(type, path, req, res);
        default:
          throw methodNotAllowed(method, s);
      }
    } catch (err) {
      throw err instanceof StoreError ? toApiError(err, s) : err;
    }
  }

  private present(type: ResourceType, obj: StoredObject, req: IncomingMessage): unknown {
    const full = { apiVersion: apiVersionOf(type), kind: type.kind, ...obj };
    if (wantsTable(req.headers.accept)) return toTable(type, [full as ApiObject], { apiVersion: tableVersion(req.headers.accept), resourceVersion: obj.metadata.resourceVersion });
    return full;
  }

  private async list(type: ResourceType, ref: { resource: string; namespace?: string }, req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
    const { labels, fields } = selectors(query);
    const limit = Number(query.get('limit') ?? 0) || undefined;
    const page = await this.storage.list(ref, { limit, continue: query.get('continue') ?? undefined, resourceVersion: query.get('resourceVersion') ?? undefined });
    const items = page.items
      .filter((o) => matchesLabels(labels, o.metadata.labels as Record<string, string>) && matchesFields(fields, o))
      .map((o) => ({ apiVersion: apiVersionOf(type), kind: type.kind, ...o }) as ApiObject);
    if (wantsTable(req.headers.accept)) {
      return sendJson(res, 200, toTable(type, items, { apiVersion: tableVersion(req.headers.accept), resourceVersion: page.resourceVersion, continue: page.continue, remainingItemCount: page.remainingItemCount }));
    }
    sendJson(res, 200, {
      kind: `${type.kind}List`,
      apiVersion: apiVersionOf(type),
      metadata: { resourceVersion: page.resourceVersion, ...(page.continue ? { continue: page.continue, remainingItemCount: page.remainingItemCount } : {}) },
      items,
    });
  }

  private watch(type: ResourceType, ref: { resource: string; namespace?: string }, req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void {
    const { labels, fields } = selectors(query);
    const table = wantsTable(req.headers.accept);
    const version = tableVersion(req.headers.accept);
    let first = true;
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked', 'cache-control': 'no-cache' });
    res.flushHeaders();
    const write = (event: unknown) => res.write(`${JSON.stringify(event)}\n`);
    const w = this.storage.watch(
      ref,
      query.get('resourceVersion') ?? undefined,
      (e) => {
        if (!matchesLabels(labels, e.object.metadata.labels as Record<string, string>) || !matchesFields(fields, e.object)) return;
        const obj = { apiVersion: apiVersionOf(type), kind: type.kind, ...e.object } as ApiObject;
        write({ type: e.type, object: table ? toTable(type, [obj], { apiVersion: version, resourceVersion: obj.metadata.resourceVersion, withColumns: first }) : obj });
        first = false;
      },
      (err) => {
        write({ type: 'ERROR', object: toApiError(err).status });
        res.end();
      },
    );
    const timeout = Number(query.get('timeoutSeconds') ?? 0);
    const timer = timeout > 0 ? setTimeout(() => res.end(), timeout * 1000) : undefined;
    const stop = () => {
      clearTimeout(timer);
      w.cancel();
    };
    res.on('close', stop);
  }

  private async decodeBody(type: ResourceType, req: IncomingMessage, query: URLSearchParams, res: ServerResponse): Promise<ApiObject> {
    const body = await readJson(req);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('the request body must be a JSON object');
    const obj = body as Record<string, unknown>;
    if (obj.kind !== undefined && obj.kind !== type.kind) throw badRequest(`the body is a ${String(obj.kind)}, but the request is for ${type.resource} (kind ${type.kind})`);
    if (obj.apiVersion !== undefined && obj.apiVersion !== apiVersionOf(type)) throw badRequest(`the body's apiVersion "${String(obj.apiVersion)}" does not match the request's "${apiVersionOf(type)}"`);
    if (typeof obj.metadata !== 'object' || obj.metadata === null || Array.isArray(obj.metadata)) obj.metadata = {};
    checkUnknownFields(type, obj, query, res);
    return obj as ApiObject;
  }

  private async create(type: ResourceType, path: ResourcePath, req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
    const obj = await this.decodeBody(type, req, query, res);
    const meta = obj.metadata;
    if (type.namespaced) {
      if (meta.namespace && meta.namespace !== path.namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      if (!path.namespace) throw failure(404, 'NotFound', `${type.resource} must be created in a namespace`);
      meta.namespace = path.namespace;
      await this.requireActiveNamespace(path.namespace);
    } else delete meta.namespace;
    if (!meta.name && typeof meta.generateName === 'string' && meta.generateName) meta.name = `${meta.generateName}${randomSuffix()}`;
    for (const k of ['uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink']) delete meta[k];
    applyDefaults(type, obj);
    const errors = validate(type, obj);
    if (errors.length) throw invalid({ ...subject(type), name: meta.name }, errors);
    meta.uid = randomUUID();
    meta.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    if (isDryRun(query)) return sendJson(res, 201, { apiVersion: apiVersionOf(type), kind: type.kind, ...obj });
    const stored = await this.storage
      .create(ref(type, path), { ...obj, apiVersion: apiVersionOf(type), kind: type.kind } as StoredObject)
      .catch((err: unknown) => {
        throw toApiError(err, { ...subject(type), name: meta.name });
      });
    sendJson(res, 201, this.present(type, stored, req));
  }

  private async update(type: ResourceType, path: ResourcePath, req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
    const obj = await this.decodeBody(type, req, query, res);
    if (obj.metadata.name && obj.metadata.name !== path.name) throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${path.name})`);
    obj.metadata.name = path.name!;
    await this.write(type, path, res, req, query, obj);
  }

  private async patch(type: ResourceType, path: ResourcePath, req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
    const body = await readJson(req);
    const current = await this.storage.get(ref(type, path), path.name!);
    let next: unknown;
    try {
      if (contentType === 'application/json-patch+json') next = jsonPatch(current, body);
      else if (contentType === 'application/merge-patch+json') next = mergePatch(current, body);
      else if (contentType === 'application/strategic-merge-patch+json') {
        if (!strategicIsPlainMerge(body)) throw failure(415, 'UnsupportedMediaType', 'strategic merge patches with lists or $ directives are not supported yet; use a JSON merge patch or a JSON patch');
        next = mergePatch(current, body);
      } else throw failure(415, 'UnsupportedMediaType', `the patch type "${contentType}" is not supported; use application/json-patch+json, application/merge-patch+json or application/strategic-merge-patch+json`);
    } catch (err) {
      if (err instanceof PatchError) throw failure(422, 'Invalid', `the patch could not be applied: ${err.message}`);
      throw err;
    }
    if (typeof next !== 'object' || next === null || Array.isArray(next)) throw failure(422, 'Invalid', 'the patched object is not an object');
    const obj = next as ApiObject;
    if (typeof obj.metadata !== 'object' || obj.metadata === null) obj.metadata = { name: path.name! };
    checkUnknownFields(type, obj, query, res);
    if (obj.metadata.name !== path.name) throw failure(422, 'Invalid', 'a patch may not change metadata.name');
    if (!('resourceVersion' in ((body as { metadata?: object })?.metadata ?? {}))) obj.metadata.resourceVersion = current.metadata.resourceVersion;
    await this.write(type, path, res, req, query, obj, current);
  }

  /** Shared end of update and patch: keep what clients cannot change, default, validate, store. */
  private async write(type: ResourceType, path: ResourcePath, res: ServerResponse, req: IncomingMessage, query: URLSearchParams, obj: ApiObject, known?: StoredObject): Promise<void> {
    const old = known ?? (await this.storage.get(ref(type, path), path.name!));
    const meta = obj.metadata;
    if (type.namespaced) {
      if (meta.namespace && meta.namespace !== path.namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      meta.namespace = path.namespace;
    }
    for (const k of ['uid', 'creationTimestamp', 'deletionTimestamp', 'generateName'] as const) {
      if (old.metadata[k] !== undefined) meta[k] = old.metadata[k] as string;
      else delete meta[k];
    }
    if (type.kind === 'Namespace') obj.status = old.status;
    applyDefaults(type, obj, old as ApiObject);
    const errors = validate(type, obj, old as ApiObject);
    if (errors.length) throw invalid({ ...subject(type), name: meta.name }, errors);
    if (isDryRun(query)) return sendJson(res, 200, { apiVersion: apiVersionOf(type), kind: type.kind, ...obj });
    const stored = await this.storage.update(ref(type, path), { ...obj, apiVersion: apiVersionOf(type), kind: type.kind } as StoredObject);
    sendJson(res, 200, this.present(type, stored, req));
  }

  private async delete(type: ResourceType, path: ResourcePath, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    const options = (hasBody ? ((await readJson(req)) as { preconditions?: { uid?: string; resourceVersion?: string } }) : {}) ?? {};
    const r = ref(type, path);
    const current = await this.storage.get(r, path.name!);
    const pre = options.preconditions ?? {};
    if (pre.uid && pre.uid !== current.metadata.uid) {
      throw failure(409, 'Conflict', `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${String(current.metadata.uid)}`);
    }
    if (pre.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
      throw failure(409, 'Conflict', `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${String(current.metadata.resourceVersion)}`);
    }
    const finalizers = (current.metadata.finalizers as string[] | undefined) ?? [];
    if (type.kind === 'Namespace' || finalizers.length > 0) {
      // Marked for deletion; the object goes once its finalizers are done (namespaces: once emptied).
      const marked = current.metadata.deletionTimestamp
        ? current
        : await this.storage.guaranteedUpdate(r, path.name!, (o) => {
            o.metadata.deletionTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
            if (type.kind === 'Namespace') o.status = { phase: 'Terminating' };
            return o;
          });
      if (type.kind === 'Namespace') void this.finalizeNamespace(path.name!);
      return sendJson(res, 200, this.present(type, marked, req));
    }
    const gone = await this.storage.delete(r, path.name!, pre.resourceVersion);
    sendJson(res, 200, this.present(type, gone, req));
  }

  /** Empties a terminating namespace, then removes it. Safe to run again after a restart. */
  async finalizeNamespace(name: string): Promise<void> {
    for (const t of RESOURCES.filter((r) => r.namespaced)) {
      const { items } = await this.storage.list({ resource: t.resource, namespace: name });
      for (const item of items) await this.storage.delete({ resource: t.resource, namespace: name }, item.metadata.name).catch(ignoreNotFound);
    }
    await this.storage.delete(NAMESPACES, name).catch(ignoreNotFound);
  }

  private async requireActiveNamespace(namespace: string): Promise<void> {
    let ns: StoredObject;
    try {
      ns = await this.storage.get(NAMESPACES, namespace);
    } catch (err) {
      if (err instanceof StoreError && err.reason === 'NotFound') throw notFound({ resource: 'namespaces', kind: 'Namespace', group: '', name: namespace });
      throw err;
    }
    if (ns.metadata.deletionTimestamp) throw forbidden(`unable to create new content in namespace ${namespace} because it is being terminated`);
  }
}

function subject(type: ResourceType): Subject {
  return { resource: type.resource, kind: type.kind, group: type.group };
}

function ref(type: ResourceType, path: ResourcePath) {
  return { resource: type.resource, namespace: type.namespaced ? path.namespace : undefined };
}

function selectors(query: URLSearchParams) {
  try {
    return {
      labels: parseLabelSelector(query.get('labelSelector') ?? undefined),
      fields: parseFieldSelector(query.get('fieldSelector') ?? undefined, ['metadata.name', 'metadata.namespace']),
    };
  } catch (err) {
    throw badRequest((err as Error).message);
  }
}

function isDryRun(query: URLSearchParams): boolean {
  const d = query.getAll('dryRun');
  if (d.some((v) => v !== 'All')) throw badRequest(`unsupported dryRun value "${d.find((v) => v !== 'All')}": the only value is All`);
  return d.length > 0;
}

/**
 * Applies fieldValidation to fields the type does not know: Strict rejects them (400), Warn (the
 * default) answers with a Warning header, Ignore says nothing. Unknown fields are never stored.
 */
function checkUnknownFields(type: ResourceType, obj: Record<string, unknown>, query: URLSearchParams, res: ServerResponse): void {
  const mode = query.get('fieldValidation') ?? 'Warn';
  if (!['Strict', 'Warn', 'Ignore'].includes(mode)) throw badRequest(`fieldValidation must be Strict, Warn or Ignore, not "${mode}"`);
  const unknown = unknownObjectFields(type, obj, mode !== 'Strict');
  if (unknown.length === 0) return;
  if (mode === 'Strict') throw badRequest(`strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`);
  if (mode === 'Warn') res.setHeader('Warning', unknown.map((f) => `299 - "unknown field \\"${f}\\""`));
}

function randomSuffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return [...randomBytes(5)].map((b) => alphabet[b % alphabet.length]).join('');
}

function ignoreNotFound(err: unknown): void {
  if (!(err instanceof StoreError && err.reason === 'NotFound')) throw err;
}

