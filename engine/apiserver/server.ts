import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { openApiV2, openApiV3, openApiV3Index } from '../api/openapi.js';
import { findResource, RESOURCES } from '../api/registry.js';
import { StoreError } from '../store/errors.js';
import type { Storage } from '../store/storage.js';
import { GarbageCollector } from '../controllers/garbage-collector.js';
import { storageGcBackend } from './gc-backend.js';
import { coreVersions, groupList, resourceList, versionInfo } from './discovery.js';
import { parseResourcePath } from './request.js';
import { ResourceHandlers, sendJson } from './resources.js';
import { forbidden, pathNotFound, toApiError, unauthorized } from './status.js';

/** Who made a request, from their client certificate (CN = user, O = groups). */
export interface User {
  name: string;
  groups: string[];
}

/** What the apiserver needs: its store and its TLS material (server key and certificate, and the CA that signs clients). */
export interface ApiServerOptions {
  storage: Storage;
  tls: { key: string; cert: string; ca: string };
  /** Where background work (garbage collection) reports trouble. */
  log?: (msg: string) => void;
}

const ANONYMOUS_PATHS = /^\/(healthz|livez|readyz)(\/.*)?$|^\/version\/?$/;

/** The authenticated user of a request, or undefined (anonymous). */
export function userOf(req: IncomingMessage): User | undefined {
  const socket = req.socket as TLSSocket;
  if (!socket.authorized) return undefined;
  const subject = socket.getPeerCertificate()?.subject as { CN?: string; O?: string | string[] } | undefined;
  if (!subject?.CN) return undefined;
  const o = subject.O;
  return { name: subject.CN, groups: [...(Array.isArray(o) ? o : o ? [o] : []), 'system:authenticated'] };
}

/**
 * The Kubernetes API over HTTPS: health and version for anyone; discovery and resources for
 * clients with a certificate from the cluster CA. Authorization is all-or-nothing for now:
 * members of system:masters may do everything, anyone else nothing (RBAC comes later).
 */
export async function createApiServer(opts: ApiServerOptions): Promise<Server> {
  const handlers = new ResourceHandlers(opts.storage);
  await bootstrap(opts.storage, handlers);
  const gc = new GarbageCollector(storageGcBackend(opts.storage, (m) => opts.log?.(m)), (m) => opts.log?.(m));
  gc.start();
  const server = createServer({ key: opts.tls.key, cert: opts.tls.cert, ca: opts.tls.ca, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    serve(handlers, req, res).catch((err: unknown) => {
      const e = toApiError(err);
      if (!res.headersSent) sendJson(res, e.status.code, e.status);
      else res.end();
    });
  });
  server.on('close', () => gc.stop());
  return server;
}

async function serve(handlers: ResourceHandlers, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://apiserver');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (ANONYMOUS_PATHS.test(path)) {
    if (path.startsWith('/version')) return sendJson(res, 200, versionInfo());
    res.writeHead(200, { 'content-type': 'text/plain' });
    return void res.end('ok');
  }
  const user = userOf(req);
  if (!user) throw unauthorized();
  const resource = parseResourcePath(path);
  if (!user.groups.includes('system:masters')) {
    const what = resource ? `resource "${resource.resource}" in API group "${resource.group}"` : `path "${path}"`;
    throw forbidden(`${what} is forbidden: User "${user.name}" cannot ${verbOf(req.method, resource?.name)} it`);
  }
  if (path === '/openapi/v2' || path === '/swagger.json') return sendJson(res, 200, openApiV2());
  if (path === '/openapi/v3') return sendJson(res, 200, openApiV3Index());
  if (path.startsWith('/openapi/v3/')) {
    const [, , , root, a, b] = path.split('/');
    const doc = root === 'api' && a && !b ? openApiV3('', a) : root === 'apis' && a && b ? openApiV3(a, b) : undefined;
    if (!doc) throw pathNotFound(path);
    return sendJson(res, 200, doc, url.searchParams.has('hash') ? { 'cache-control': 'public, immutable' } : {});
  }
  if (path === '/api') return sendJson(res, 200, coreVersions());
  if (path === '/apis') return sendJson(res, 200, groupList());
  const segs = path.split('/').filter(Boolean);
  if ((segs[0] === 'api' && segs.length === 2) || (segs[0] === 'apis' && segs.length === 3)) {
    const list = segs[0] === 'api' ? resourceList('', segs[1]!) : resourceList(segs[1]!, segs[2]!);
    if (!list) throw pathNotFound(path);
    return sendJson(res, 200, list);
  }
  if (resource) {
    // The namespace object itself: /api/v1/namespaces/NAME is a cluster-scoped path.
    const type = findResource(resource.group, resource.version, resource.resource);
    if (!type) throw pathNotFound(path);
    return handlers.handle(type, resource, req, res, url.searchParams, user.name);
  }
  throw pathNotFound(path);
}

function verbOf(method: string | undefined, name: string | undefined): string {
  switch (method) {
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return 'delete';
    default:
      return name ? 'get' : 'list';
  }
}

/** Creates the namespaces every cluster has, and finishes namespace deletions a restart cut short. */
async function bootstrap(storage: Storage, handlers: ResourceHandlers): Promise<void> {
  const nsType = RESOURCES.find((r) => r.kind === 'Namespace')!;
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    await storage
      .create({ resource: nsType.resource }, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name, uid: randomUUID(), creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), labels: { 'kubernetes.io/metadata.name': name } },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      })
      .catch((err: unknown) => {
        if (!(err instanceof StoreError && err.reason === 'AlreadyExists')) throw err;
      });
  }
  const { items } = await storage.list({ resource: nsType.resource });
  for (const ns of items.filter((n) => n.metadata.deletionTimestamp)) void handlers.finalizeNamespace(ns.metadata.name);
}
