// nodes/NAME/proxy[/PATH]: the request passed to the node's endpoint (as the apiserver, the way the
// metrics API reaches it) and its answer passed back, status and body, as a kubelet's answer comes
// back through a Kubernetes apiserver (`kubectl get --raw /api/v1/nodes/NAME/proxy/stats/history`).
import type { IncomingMessage } from 'node:http';
import type { Storage } from '../store/storage.js';
import { refOf, type RequestContext } from './context.js';
import { nodeAddress, nodePort, nodeRequest, type NodeAddresses } from './node-client.js';
import type { NodeClientTls } from './pod-log.js';
import { failure, methodNotAllowed } from './status.js';

/** Methods passed through (a connect subresource's). */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
/** Request headers passed to the node; the caller's credentials and hop-by-hop headers stay behind. */
const REQUEST_HEADERS = ['accept', 'accept-encoding', 'content-type', 'content-length', 'content-encoding'];
/** Answer headers passed back. */
const ANSWER_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-disposition', 'cache-control', 'retry-after'];
/** How long the node may take to start answering. */
const ANSWER_TIMEOUT_MS = 10_000;

/**
 * The path and query on the node for a request URL (as sent, still encoded) of
 * /api/v1/nodes/NAME/proxy[/PATH][?QUERY]: "/PATH?QUERY", "/" when there is no PATH.
 */
export function nodeProxyPath(rawUrl: string): string {
  const q = rawUrl.indexOf('?');
  const pathname = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const query = q < 0 ? '' : rawUrl.slice(q);
  const m = /^\/api\/v1\/nodes\/[^/]+\/proxy(\/.*)?$/.exec(pathname);
  const rest = m?.[1] || '/';
  return `${rest}${query}`;
}

/** The headers of the request to the node, from the caller's. */
export function nodeProxyHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of REQUEST_HEADERS) {
    const v = headers[name];
    if (typeof v === 'string') out[name] = v;
  }
  if (headers['transfer-encoding'] && !out['content-length']) out['transfer-encoding'] = 'chunked';
  return out;
}

/** The headers of the answer, from the node's. */
export function nodeAnswerHeaders(headers: IncomingMessage['headers']): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name of ANSWER_HEADERS) {
    const v = headers[name];
    if (v !== undefined) out[name] = v;
  }
  return out;
}

/**
 * Serves any method on nodes/NAME/proxy[/PATH] after RBAC allowed it: 404 NotFound for an unknown
 * node (from the store), 503 ServiceUnavailable when the node has no address or its endpoint does
 * not answer; otherwise the node's status, headers (those above) and body, streamed.
 */
export async function serveNodeProxy(storage: Storage, ctx: RequestContext, tls: NodeClientTls | undefined): Promise<void> {
  const { path, req, res } = ctx;
  const name = path.name!;
  const method = req.method ?? 'GET';
  if (!METHODS.includes(method)) throw methodNotAllowed(method, { resource: 'nodes', kind: 'Node', group: '', name: `${name}/proxy` });
  const node = (await storage.get(refOf(ctx), name)) as NodeAddresses;
  if (!tls) throw failure(503, 'ServiceUnavailable', 'this apiserver has no credentials for node endpoints, so it cannot proxy to nodes');
  const host = nodeAddress(node);
  if (!host) throw failure(503, 'ServiceUnavailable', `node "${name}" has no InternalIP or Hostname address to reach its endpoint at`);
  const target = nodeProxyPath(req.url ?? '/');
  await new Promise<void>((resolve, reject) => {
    const upstream = nodeRequest(host, tls, { method, path: target, headers: nodeProxyHeaders(req.headers), timeoutMs: ANSWER_TIMEOUT_MS }, (answer) => {
      // Answers may stream (a followed log): no idle limit once the node has answered.
      upstream.setTimeout(0);
      res.writeHead(answer.statusCode ?? 502, nodeAnswerHeaders(answer.headers));
      answer.pipe(res);
      answer.on('end', resolve);
      answer.on('error', () => res.destroy());
    });
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
      resolve();
    });
    upstream.on('error', (err) => {
      if (res.headersSent) return void res.destroy();
      reject(failure(503, 'ServiceUnavailable', `error trying to reach node "${name}" at ${host}:${nodePort(tls)}: ${err.message}`));
    });
    req.pipe(upstream);
  });
}
