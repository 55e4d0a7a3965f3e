// /k8s/NAME/<path>: the renderer's requests passed to a cluster's apiserver as its admin (the
// client certificate kubelab keeps for the cluster). Bodies and answers stream both ways, so
// watches and followed logs flow as the apiserver writes them; a client that goes away closes the
// upstream request. The browser's own credentials (cookie, Authorization) never go upstream.
import { Agent, request } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { clusterAccess } from '../cluster/access.js';
import { validateClusterName } from '../cluster/names.js';
import { ClusterState } from '../cluster/state.js';
import { errorMessage, isEngineUnreachable, KubelabError } from '../errors.js';
import { controlPlaneLocation } from '../forwarder/location.js';
import type { Engine } from '../index.js';
import { sendError } from './responses.js';
import { BASE_HEADERS } from './security.js';

/** Where and as whom the dashboard reaches a cluster's apiserver. */
export interface ApiTarget {
  /** https://127.0.0.1:PORT */
  server: string;
  ca: string;
  cert: string;
  key: string;
}

/** Finds the apiserver of a cluster; throws ProxyRefusal when it cannot be reached. */
export type ResolveApi = (cluster: string) => Promise<ApiTarget>;

/** Why a cluster cannot be proxied to, as the HTTP code and `{ error, hint }` the renderer gets. */
export class ProxyRefusal extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ProxyRefusal';
  }
}

/** Request headers passed upstream; everything else (Cookie, Authorization, Impersonate-*, Origin…) stays behind. */
const FORWARDED_REQUEST = ['content-type', 'accept', 'content-length', 'content-encoding'];
/** Answer headers passed back; CORS and cookies from upstream never reach the browser. */
const FORWARDED_RESPONSE = ['content-type', 'content-length', 'content-encoding', 'content-disposition', 'audit-id', 'warning', 'retry-after'];

/** The headers of an upstream request made from the browser's `headers`. */
export function upstreamHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = { 'user-agent': 'kubelab-dashboard' };
  for (const name of FORWARDED_REQUEST) {
    const v = headers[name];
    if (typeof v === 'string') out[name] = v;
  }
  if (headers['transfer-encoding'] && !out['content-length']) out['transfer-encoding'] = 'chunked';
  return out;
}

/** The headers of the answer made from the apiserver's `headers`. */
export function downstreamHeaders(headers: IncomingMessage['headers']): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = { ...BASE_HEADERS };
  for (const name of FORWARDED_RESPONSE) {
    const v = headers[name];
    if (v !== undefined) out[name] = v;
  }
  return out;
}

/** The apiserver of `cluster` as the engine finds it: its published port and the admin certificate. */
export function engineApiResolver(engine: Engine): ResolveApi {
  const state = new ClusterState(engine.home);
  return async (cluster) => {
    try {
      validateClusterName(cluster);
    } catch (err) {
      throw new ProxyRefusal(400, (err as KubelabError).message, (err as KubelabError).hint);
    }
    let nodes;
    try {
      nodes = await engine.provider.listNodes(cluster);
    } catch (err) {
      const e = err instanceof KubelabError ? err : undefined;
      if (isEngineUnreachable(err) || e?.message.startsWith('cannot reach a Docker engine')) throw new ProxyRefusal(503, errorMessage(err), e?.hint);
      throw err;
    }
    const loc = controlPlaneLocation(nodes);
    if (loc.state === 'gone') throw new ProxyRefusal(404, `cluster "${cluster}" does not exist`, 'see the clusters with `kubelab list`; create one with `kubelab start`');
    if (loc.state === 'stopped') throw new ProxyRefusal(503, `cluster "${cluster}" is stopped`, `start it from the clusters view or with \`kubelab start --name ${cluster}\``);
    try {
      const access = await clusterAccess(state, cluster, nodes);
      return { server: access.server, ca: access.caCert, cert: access.clientCert, key: access.clientKey };
    } catch (err) {
      throw new ProxyRefusal(503, errorMessage(err), err instanceof KubelabError ? err.hint : undefined);
    }
  };
}

/** How long a resolved target is reused before the engine is asked again (ports change when nodes restart). */
const TARGET_TTL_MS = 5000;

/** The proxy of one dashboard server: one keep-alive agent per cluster and target. */
export class K8sProxy {
  private readonly targets = new Map<string, { target: ApiTarget; agent: Agent; at: number }>();
  private readonly agents = new Set<Agent>();

  constructor(private readonly resolve: ResolveApi) {}

  /** Proxies one request for `cluster` to `path` (path and query of the apiserver URL). */
  async handle(req: IncomingMessage, res: ServerResponse, cluster: string, path: string): Promise<void> {
    let entry;
    try {
      entry = await this.target(cluster);
    } catch (err) {
      if (err instanceof ProxyRefusal) return sendError(res, err.code, err.message, err.hint);
      return sendError(res, 500, `cannot reach cluster "${cluster}": ${errorMessage(err)}`);
    }
    const url = new URL(entry.target.server);
    const upstream = request({
      host: url.hostname,
      port: url.port,
      method: req.method,
      path,
      agent: entry.agent,
      headers: upstreamHeaders(req.headers),
    });
    let answered = false;
    const abandon = () => {
      if (!res.writableFinished) upstream.destroy();
    };
    res.on('close', abandon);
    upstream.on('response', (up) => {
      answered = true;
      res.writeHead(up.statusCode ?? 502, downstreamHeaders(up.headers));
      // Watches and followed logs: headers at once, then each chunk as it comes.
      res.flushHeaders();
      up.pipe(res);
      up.on('error', () => res.destroy());
      up.on('aborted', () => res.destroy());
    });
    upstream.on('error', (err: NodeJS.ErrnoException) => {
      if (answered || res.headersSent) return void res.destroy();
      if (res.destroyed) return;
      this.forget(cluster);
      sendError(res, 503, `the API server of cluster "${cluster}" does not answer: ${err.message}`, `check the cluster with \`kubelab status ${cluster}\`; it may still be starting`);
    });
    req.pipe(upstream);
  }

  /** Closes every kept connection. */
  close(): void {
    for (const agent of this.agents) agent.destroy();
    this.agents.clear();
    this.targets.clear();
  }

  /**
   * Drops what is known about `cluster` (after an operation on it, or a failed connection). Requests
   * in flight (watches) keep their connections; idle ones are closed by the apiserver's keep-alive timeout.
   */
  forget(cluster: string): void {
    this.targets.delete(cluster);
  }

  private async target(cluster: string): Promise<{ target: ApiTarget; agent: Agent }> {
    const cached = this.targets.get(cluster);
    if (cached && Date.now() - cached.at < TARGET_TTL_MS) return cached;
    const target = await this.resolve(cluster);
    if (cached && sameTarget(cached.target, target)) {
      cached.at = Date.now();
      return cached;
    }
    if (cached) this.forget(cluster);
    const agent = new Agent({ keepAlive: true, ca: target.ca, cert: target.cert, key: target.key });
    this.agents.add(agent);
    const entry = { target, agent, at: Date.now() };
    this.targets.set(cluster, entry);
    return entry;
  }
}

function sameTarget(a: ApiTarget, b: ApiTarget): boolean {
  return a.server === b.server && a.ca === b.ca && a.cert === b.cert && a.key === b.key;
}
