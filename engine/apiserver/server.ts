import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { openApiV2, openApiV3, openApiV3Index } from '../api/openapi.js';
import { encodeOpenApiV2 } from '../api/openapi-v2-proto.js';
import { findResource } from '../api/registry.js';
import { GarbageCollector } from '../controllers/garbage-collector.js';
import { StoreError } from '../store/errors.js';
import type { Storage } from '../store/storage.js';
import { authenticate, impersonated } from './authn.js';
import { BOOTSTRAP_CLUSTER_ROLE_BINDINGS, BOOTSTRAP_CLUSTER_ROLES } from './bootstrap-policy.js';
import { now } from './context.js';
import { CrdController } from './crds.js';
import { coreVersions, groupList, resourceList, versionInfo } from './discovery.js';
import { METRICS_GROUP, serveMetrics } from './metrics-api.js';
import { storageGcBackend } from './gc-backend.js';
import { answerUpgrade, POD_STREAM_SUBRESOURCES, proxyPodStream } from './pod-stream.js';
import type { NodeClientTls } from './pod-log.js';
import { forbiddenMessage, RbacAuthorizer, type Attributes, type UserInfo } from './rbac.js';
import { parseResourcePath, type ResourcePath } from './request.js';
import { ResourceHandlers, sendJson } from './resources.js';
import { isReview, serveReview } from './reviews.js';
import { badRequest, forbidden, pathNotFound, toApiError, unauthorized } from './status.js';
import { ServiceAccountTokens } from './tokens.js';
import { reconcileKubernetesService, type Advertised } from './kubernetes-service.js';

/** What the apiserver needs: its store and its TLS material (server key and certificate, and the CA that signs clients). */
export interface ApiServerOptions {
  storage: Storage;
  tls: { key: string; cert: string; ca: string };
  /** PEM private key (EC P-256) that signs service-account tokens; the serving key when absent. */
  serviceAccountKey?: string;
  /** Client certificate for node endpoints (pods/log, exec, attach, portforward); without it those cannot be served. */
  nodeClient?: { cert: string; key: string };
  /** Port of the node endpoints (NODE_ENDPOINT_PORT when absent; tests choose another). */
  nodeEndpointPort?: number;
  /** Where background work (garbage collection) reports trouble. */
  log?: (msg: string) => void;
  /** tolerationSeconds of the not-ready/unreachable tolerations every new pod gets (300 when unset). */
  defaultTolerationSeconds?: number;
  /** This apiserver's address for other nodes: the `kubernetes` Service's endpoints are kept on it. */
  advertise?: Advertised;
}

/** How long an idle client connection stays open (Go's servers keep them 90 s or more). */
const KEEP_ALIVE_MS = 120_000;

/** Paths anyone may read, even without credentials. */
const PUBLIC_PATHS = /^\/(healthz|livez|readyz)(\/.*)?$|^\/version\/?$/;

interface Services {
  storage: Storage;
  handlers: ResourceHandlers;
  rbac: RbacAuthorizer;
  tokens: ServiceAccountTokens;
  nodeTls?: NodeClientTls;
}

/**
 * The Kubernetes API over HTTPS: health and version for anyone; everything else for clients
 * with a certificate from the cluster CA or a service-account token, as RBAC allows.
 */
export async function createApiServer(opts: ApiServerOptions): Promise<Server> {
  const nodeTls = opts.nodeClient ? { ...opts.nodeClient, ca: opts.tls.ca, port: opts.nodeEndpointPort } : undefined;
  const handlers = new ResourceHandlers(opts.storage, (m) => opts.log?.(m), nodeTls, {
    defaultTolerationSeconds: opts.defaultTolerationSeconds,
  });
  await bootstrap(opts.storage, handlers);
  if (opts.advertise) await reconcileKubernetesService(opts.storage, opts.advertise);
  await handlers.cache.start();
  const rbac = new RbacAuthorizer(opts.storage);
  const crds = new CrdController(opts.storage, (m) => opts.log?.(m));
  await Promise.all([rbac.ready(), crds.ready()]);
  const services: Services = { storage: opts.storage, handlers, rbac, tokens: new ServiceAccountTokens(opts.serviceAccountKey ?? opts.tls.key), nodeTls };
  const gc = new GarbageCollector(storageGcBackend(opts.storage, (m) => opts.log?.(m)), (m) => opts.log?.(m));
  gc.start();
  const server = createServer({ key: opts.tls.key, cert: opts.tls.cert, ca: opts.tls.ca, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    serve(services, req, res).catch((err: unknown) => {
      const e = toApiError(err);
      if (!res.headersSent) sendJson(res, e.status.code, e.status);
      else res.end();
    });
  });
  // Clients keep their connections: a TLS handshake costs both sides far more than a request, and
  // Node's 5 s default had every component that writes less often than that reconnect each time.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 5000;
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    serveUpgrade(services, req, socket, head).catch((err: unknown) => {
      if (socket.writable) answerUpgrade(socket, toApiError(err).status);
    });
  });
  server.on('close', () => {
    gc.stop();
    rbac.stop();
    handlers.cache.stop();
    crds.stop();
  });
  return server;
}

/** Authenticates a request and checks RBAC for it; throws 401/403. */
async function admit(s: Services, req: IncomingMessage, url: URL, path: string): Promise<{ user: UserInfo; resource: ResourcePath | undefined }> {
  const auth = await authenticate(req, s.storage, s.tokens);
  if (!('user' in auth)) throw unauthorized();
  const user = impersonated(auth.user, req, s.rbac);
  const resource = parseResourcePath(path);
  const attrs = attributesOf(req.method ?? 'GET', path, resource, url.searchParams);
  if (!s.rbac.authorize(user, attrs)) throw forbidden(forbiddenMessage(user, attrs));
  return { user, resource };
}

/** True for pods/NAME/{exec,attach,portforward}. */
function isPodStream(r: ResourcePath | undefined): boolean {
  return !!r && r.group === '' && r.resource === 'pods' && !!r.name && !!r.namespace && POD_STREAM_SUBRESOURCES.includes(r.subresource ?? '');
}

/**
 * Upgrade requests (WebSocket, SPDY): pods' exec, attach and portforward after authn and RBAC
 * (GET is authorized as verb get, POST as create, as in Kubernetes 1.34).
 */
async function serveUpgrade(s: Services, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://apiserver');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const { resource } = await admit(s, req, url, path);
  if (!isPodStream(resource)) throw badRequest(`${path} cannot be upgraded to another protocol: only pods' exec, attach and portforward can`);
  return proxyPodStream(s.storage, resource!, req, socket, head, s.nodeTls);
}

async function serve(s: Services, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://apiserver');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (PUBLIC_PATHS.test(path)) {
    if (path.startsWith('/version')) return sendJson(res, 200, versionInfo());
    res.writeHead(200, { 'content-type': 'text/plain' });
    return void res.end('ok');
  }
  const { user, resource } = await admit(s, req, url, path);
  if (isPodStream(resource)) throw badRequest('Upgrade request required');
  if (path === '/openapi/v2' || path === '/swagger.json') {
    // kubectl asks for the protobuf form (client-side validation of kinds it has no v3 document for).
    if ((req.headers.accept ?? '').includes('com.github.proto-openapi.spec.v2')) {
      const body = encodeOpenApiV2(openApiV2());
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
      return void res.end(body);
    }
    return sendJson(res, 200, openApiV2());
  }
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
  if (resource?.group === METRICS_GROUP) return serveMetrics(s.storage, { path: resource, query: url.searchParams, req, res }, s.nodeTls);
  if (resource) {
    if (isReview(resource)) return serveReview({ storage: s.storage, rbac: s.rbac, tokens: s.tokens, user }, resource, req, res);
    const type = findResource(resource.group, resource.version, resource.resource);
    if (!type) throw pathNotFound(path);
    return s.handlers.handle(type, resource, req, res, url.searchParams, user.name);
  }
  throw pathNotFound(path);
}

/** The RBAC attributes of a request: its verb and what it is about. */
function attributesOf(method: string, path: string, resource: ResourcePath | undefined, query: URLSearchParams): Attributes {
  if (!resource) return { verb: method.toLowerCase(), path };
  const collection = !resource.name;
  const watching = ['1', 'true'].includes(query.get('watch') ?? '');
  const verb =
    method === 'POST' ? 'create'
    : method === 'PUT' ? 'update'
    : method === 'PATCH' ? 'patch'
    : method === 'DELETE' ? (collection ? 'deletecollection' : 'delete')
    : watching ? 'watch'
    : collection ? 'list'
    : 'get';
  return { verb, apiGroup: resource.group, resource: resource.resource, subresource: resource.subresource, namespace: resource.namespace, name: resource.name };
}

const ignoreExisting = (err: unknown) => {
  if (!(err instanceof StoreError && err.reason === 'AlreadyExists')) throw err;
};

/** Stores an object with server metadata unless one of that name exists. */
async function ensure(storage: Storage, resource: string, obj: Record<string, unknown> & { metadata: Record<string, unknown> & { name: string } }): Promise<void> {
  await storage.create({ resource }, { ...obj, metadata: { ...obj.metadata, uid: randomUUID(), creationTimestamp: now() } }).catch(ignoreExisting);
}

/** Creates the namespaces and RBAC defaults every cluster has, and finishes namespace deletions a restart cut short. */
async function bootstrap(storage: Storage, handlers: ResourceHandlers): Promise<void> {
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    await ensure(storage, 'namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
  }
  for (const role of BOOTSTRAP_CLUSTER_ROLES) await ensure(storage, 'rbac.authorization.k8s.io/clusterroles', role as never);
  for (const b of BOOTSTRAP_CLUSTER_ROLE_BINDINGS) await ensure(storage, 'rbac.authorization.k8s.io/clusterrolebindings', b as never);
  const { items } = await storage.list({ resource: 'namespaces' });
  for (const ns of items.filter((n) => n.metadata.deletionTimestamp)) void handlers.finalizeNamespace(ns.metadata.name);
}
