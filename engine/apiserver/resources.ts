// Serving the resources of every registered type on top of Storage: routing by verb and
// subresource, reads (get, list, watch) here; writes in object-write.ts, deletes in deletion.ts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiVersionOf, findKind, type ApiObject, type ResourceType } from '../api/registry.js';
import { matchesFields, matchesLabels } from '../api/selectors.js';
import { StoreError } from '../store/errors.js';
import type { Storage, StoredObject } from '../store/storage.js';
import { WatchCache } from '../store/watch-cache.js';
import { present, refOf, selectors, sendJson, subject, withKind, type RequestContext } from './context.js';
import { serveComponentStatuses } from './component-status.js';
import { servePodLog, type NodeClientTls } from './pod-log.js';
import { serveNodeProxy } from './node-proxy.js';
import { finalizeNamespace, handleDelete, handleDeleteCollection } from './deletion.js';
import { handleApply } from './apply-request.js';
import { serveBinding } from './binding.js';
import { serveEviction } from './eviction.js';
import { admitPodUpdate, type PodAdmissionOptions } from './pod-admission.js';
import { ServiceAllocator } from './service-alloc.js';
import { checkUnknownFields } from './field-validation.js';
import { createObject, updateObject } from './object-write.js';
import { applyPatch } from './patching.js';
import type { ResourcePath } from './request.js';
import { readJson } from './request.js';
import { fromScale, toScale } from './scale.js';
import { badRequest, failure, forbidden, methodNotAllowed, notFound, toApiError } from './status.js';
import { tableVersion, toTable, wantsTable } from './table.js';

export { sendJson } from './context.js';

const NAMESPACES = { resource: 'namespaces' };

/** The CRUD, list and watch handlers of every registered type, on top of Storage. */
export class ResourceHandlers {
  /** Serves lists and watches without a round trip to etcd per request. */
  readonly cache: WatchCache;
  /** Cluster IPs and node ports of Services. */
  readonly services: ServiceAllocator;

  constructor(
    readonly storage: Storage,
    log: (m: string) => void = () => {},
    private readonly nodeTls?: NodeClientTls,
    /** Pod admission tuning (default tolerations). */
    readonly podAdmission: PodAdmissionOptions = {},
  ) {
    this.cache = new WatchCache(storage, log);
    this.services = new ServiceAllocator(storage);
  }

  /** Serves one resource request; throws ApiError for the caller to answer. */
  async handle(type: ResourceType, path: ResourcePath, req: IncomingMessage, res: ServerResponse, query: URLSearchParams, user = ''): Promise<void> {
    if (type.namespaced === false && path.namespace) throw failure(404, 'NotFound', `${type.resource} is not a namespaced resource`);
    const ctx: RequestContext = { type, path, req, res, query, user };
    const method = req.method ?? 'GET';
    if (type.group === '' && type.resource === 'componentstatuses') {
      if (method !== 'GET') throw methodNotAllowed(method, subject(type, path.name));
      return serveComponentStatuses(this.storage, ctx);
    }
    try {
      if (path.subresource) return await this.subresource(ctx, method);
      if (!path.name) {
        if (method === 'GET' && ['1', 'true'].includes(query.get('watch') ?? '')) return this.watch(ctx);
        if (method === 'GET') return await this.list(ctx);
        if (method === 'POST') return await this.create(ctx);
        if (method === 'DELETE') return await handleDeleteCollection(this.storage, ctx);
        throw methodNotAllowed(method, subject(type));
      }
      switch (method) {
        case 'GET':
          return sendJson(res, 200, present(ctx, await this.storage.get(refOf(ctx), path.name)));
        case 'PUT':
          return await this.replace(ctx);
        case 'PATCH':
          return await this.patch(ctx);
        case 'DELETE':
          return await handleDelete(this.storage, ctx, (name) => void this.finalizeNamespace(name));
        default:
          throw methodNotAllowed(method, subject(type, path.name));
      }
    } catch (err) {
      throw err instanceof StoreError ? toApiError(err, subject(type, path.name)) : err;
    }
  }

  private async subresource(ctx: RequestContext, method: string): Promise<void> {
    const { type, path, res } = ctx;
    const sub = path.subresource!;
    const scale = type.subresources?.scale;
    if ((sub === 'binding' || sub === 'eviction') && type.group === '' && type.kind === 'Pod') {
      if (method !== 'POST') throw methodNotAllowed(method, subject(type, `${path.name}/${sub}`));
      if (sub === 'eviction') return serveEviction(this.storage, type, ctx);
      return serveBinding(this.storage, findKind('v1', 'Binding')!, ctx, path.name);
    }
    if (sub === 'log' && type.group === '' && type.kind === 'Pod') {
      if (method !== 'GET') throw methodNotAllowed(method, subject(type, `${path.name}/log`));
      return servePodLog(this.storage, ctx, this.nodeTls);
    }
    if (sub === 'proxy' && type.group === '' && type.kind === 'Node') return serveNodeProxy(this.storage, ctx, this.nodeTls);
    if (sub === 'status' && type.subresources?.status) {
      if (method === 'GET') return sendJson(res, 200, present(ctx, await this.storage.get(refOf(ctx), path.name!)));
      if (method === 'PUT') {
        const body = await this.decodeBody(ctx);
        const { obj } = await updateObject(ctx, this, () => body, { sub: 'status' });
        return sendJson(res, 200, present(ctx, obj));
      }
      if (method === 'PATCH') {
        const { contentType, body } = await this.patchBody(ctx);
        const { obj } = await updateObject(ctx, this, (current) => applyPatch(type, current, contentType, body), { sub: 'status' });
        return sendJson(res, 200, present(ctx, obj));
      }
      throw methodNotAllowed(method, subject(type, `${path.name}/status`));
    }
    if (sub === 'scale' && scale) {
      if (method === 'GET') return sendJson(res, 200, toScale(await this.storage.get(refOf(ctx), path.name!), scale));
      let scaleBody: ApiObject | undefined;
      let patch: { contentType: string; body: unknown } | undefined;
      if (method === 'PUT') scaleBody = (await readJson(ctx.req)) as ApiObject;
      else if (method === 'PATCH') patch = await this.patchBody(ctx);
      else throw methodNotAllowed(method, subject(type, `${path.name}/scale`));
      const { obj } = await updateObject(ctx, this, (current) => {
        const desired = patch ? applyPatch(type, toScale(current, scale), patch.contentType === 'application/strategic-merge-patch+json' ? 'application/merge-patch+json' : patch.contentType, patch.body) : scaleBody!;
        if (typeof desired !== 'object' || desired === null) throw badRequest('the body must be a Scale object');
        return fromScale(current as ApiObject, { ...desired, metadata: desired.metadata ?? {} } as ApiObject, scale);
      });
      return sendJson(res, 200, toScale(obj, scale));
    }
    throw notFound({ ...subject(type), name: `${path.name}/${sub}` });
  }

  private async list(ctx: RequestContext): Promise<void> {
    const { type, query, req, res } = ctx;
    const { labels, fields } = selectors(query, type.kind);
    const limit = Number(query.get('limit') ?? 0) || undefined;
    const cont = query.get('continue') ?? undefined;
    const rv = query.get('resourceVersion') ?? undefined;
    // Pages come from etcd (their continue tokens read at a fixed revision); whole lists from the cache.
    const page = limit || cont ? await this.storage.list(refOf(ctx), { limit, continue: cont, resourceVersion: rv }) : await this.cache.list(refOf(ctx), rv);
    const items = page.items.filter((o) => matchesLabels(labels, o.metadata.labels as Record<string, string>) && matchesFields(fields, o)).map((o) => withKind(type, o));
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

  private watch(ctx: RequestContext): void {
    const { type, query, req, res } = ctx;
    const { labels, fields } = selectors(query, type.kind);
    const table = wantsTable(req.headers.accept);
    const version = tableVersion(req.headers.accept);
    let first = true;
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked', 'cache-control': 'no-cache' });
    res.flushHeaders();
    // Ending is one step (timer, ticker, cache watch and response together), and nothing is
    // written after it: an event or bookmark arriving after the end once crashed the apiserver.
    let ended = false;
    let w: { cancel(): void } | undefined;
    let timer: NodeJS.Timeout | undefined;
    let ticker: NodeJS.Timeout | undefined;
    const finish = () => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      clearInterval(ticker);
      w?.cancel();
      if (!res.writableEnded) res.end();
    };
    const write = (event: unknown) => {
      if (!ended && !res.destroyed) res.write(`${JSON.stringify(event)}\n`);
    };
    const rv = query.get('resourceVersion') ?? undefined;
    const bookmarks = ['1', 'true'].includes(query.get('allowWatchBookmarks') ?? '');
    // WatchList: the current objects as ADDED events, then a bookmark saying the initial list is complete.
    const initialEvents = ['1', 'true'].includes(query.get('sendInitialEvents') ?? '');
    let lastRv = 0;
    const bookmark = (annotations?: Record<string, string>) =>
      write({ type: 'BOOKMARK', object: { kind: type.kind, apiVersion: apiVersionOf(type), metadata: { resourceVersion: String(Math.max(lastRv, this.cache.revision)), ...(annotations ? { annotations } : {}) } } });
    w = this.cache.watch(
      refOf(ctx),
      initialEvents ? undefined : rv,
      (e) => {
        lastRv = Math.max(lastRv, Number(e.object.metadata.resourceVersion));
        const matches = (o: StoredObject) => matchesLabels(labels, o.metadata.labels as Record<string, string>) && matchesFields(fields, o);
        const now = matches(e.object);
        const before = e.type === 'MODIFIED' && e.previous ? matches(e.previous) : now;
        if (!now && !before) return;
        // An object leaving the selection is DELETED for this watcher; one entering it is ADDED.
        const kind = e.type === 'MODIFIED' && now !== before ? (now ? 'ADDED' : 'DELETED') : e.type;
        const obj = withKind(type, e.object);
        write({ type: kind, object: table ? toTable(type, [obj], { apiVersion: version, resourceVersion: obj.metadata.resourceVersion, withColumns: first }) : obj });
        first = false;
      },
      (err) => {
        write({ type: 'ERROR', object: toApiError(err).status });
        finish();
      },
      initialEvents && bookmarks ? () => bookmark({ 'k8s.io/initial-events-end': 'true' }) : undefined,
    );
    // The error callback may have run already (e.g. a resourceVersion too old).
    if (ended) {
      w.cancel();
      return;
    }
    const timeout = Number(query.get('timeoutSeconds') ?? 0);
    if (timeout > 0) timer = setTimeout(finish, timeout * 1000);
    if (bookmarks) ticker = setInterval(() => bookmark(), 5000);
    res.on('close', finish);
    res.on('error', finish);
  }

  /** A JSON (or protobuf) body of the request's kind; unknown fields handled per fieldValidation. */
  private async decodeBody(ctx: RequestContext): Promise<ApiObject> {
    const { type } = ctx;
    const body = await readJson(ctx.req);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('the request body must be a JSON object');
    const obj = body as Record<string, unknown>;
    if (obj.kind !== undefined && obj.kind !== type.kind) throw badRequest(`the body is a ${String(obj.kind)}, but the request is for ${type.resource} (kind ${type.kind})`);
    if (obj.apiVersion !== undefined && obj.apiVersion !== apiVersionOf(type)) throw badRequest(`the body's apiVersion "${String(obj.apiVersion)}" does not match the request's "${apiVersionOf(type)}"`);
    if (typeof obj.metadata !== 'object' || obj.metadata === null || Array.isArray(obj.metadata)) obj.metadata = {};
    checkUnknownFields(ctx, obj);
    return obj as ApiObject;
  }

  private async patchBody(ctx: RequestContext): Promise<{ contentType: string; body: unknown }> {
    const contentType = (ctx.req.headers['content-type'] ?? '').split(';')[0]!.trim();
    return { contentType, body: await readJson(ctx.req) };
  }

  private async create(ctx: RequestContext): Promise<void> {
    const { type, path, res, query } = ctx;
    if (type.group === '' && type.kind === 'Binding') return serveBinding(this.storage, type, ctx);
    const obj = await this.decodeBody(ctx);
    const meta = obj.metadata;
    if (type.namespaced) {
      if (meta.namespace && meta.namespace !== path.namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      if (!path.namespace) throw failure(404, 'NotFound', `${type.resource} must be created in a namespace`);
      meta.namespace = path.namespace;
      await this.requireActiveNamespace(path.namespace);
    } else delete meta.namespace;
    sendJson(res, 201, present(ctx, await createObject(this, ctx, obj)));
  }

  private async replace(ctx: RequestContext): Promise<void> {
    const obj = await this.decodeBody(ctx);
    obj.metadata.name ||= ctx.path.name!;
    const { obj: out } = await updateObject(ctx, this, () => admitPodUpdate(ctx.type, structuredClone(obj), this.podAdmission));
    sendJson(ctx.res, 200, present(ctx, out));
  }

  private async patch(ctx: RequestContext): Promise<void> {
    const { contentType, body } = await this.patchBody(ctx);
    if (ctx.query.has('force') && contentType !== 'application/apply-patch+yaml') throw badRequest('force is only allowed with server-side apply (application/apply-patch+yaml)');
    if (contentType === 'application/apply-patch+yaml') return handleApply(this, ctx, body);
    const { obj } = await updateObject(ctx, this, (current) => {
      const next = applyPatch(ctx.type, current, contentType, body);
      const rvInPatch = (body as { metadata?: { resourceVersion?: string } } | null)?.metadata?.resourceVersion;
      next.metadata.resourceVersion = rvInPatch;
      checkUnknownFields(ctx, next);
      return admitPodUpdate(ctx.type, next, this.podAdmission);
    });
    sendJson(ctx.res, 200, present(ctx, obj));
  }

  /** Empties a terminating namespace, then removes it. */
  async finalizeNamespace(name: string): Promise<void> {
    await finalizeNamespace(this.storage, name);
  }

  /** 404 for a namespace that does not exist, 403 for one being deleted. */
  async requireActiveNamespace(namespace: string): Promise<void> {
    // An active namespace in the watch cache is answer enough (upstream's admission reads an
    // informer the same way); a miss or a terminating one is read from etcd.
    const cached = this.cache.peek(NAMESPACES, namespace);
    if (cached && !cached.metadata.deletionTimestamp) return;
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
