// The node's HTTPS endpoint for the apiserver (port 10250, as a kubelet's): container logs (of
// static pods' processes from their files, of pods' containers from the nested dockerd), and the
// upgrade requests exec, attach and port-forward. Only the apiserver's client certificate may ask.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { APISERVER_CLIENT_CN } from '../supervisor/contract.js';
import { NodeRequestError, serveContainerLogs } from './container-logs.js';
import type { DockerApi } from './docker-api.js';
import { refuseUpgrade, serveRemoteCommand } from './exec-attach.js';
import { LogOptionsError, parseLogOptions } from './log-options.js';
import { servePortForward } from './port-forward.js';
import type { ResourceStats } from './resource-stats.js';
import { serveStaticLog } from './static-logs.js';

/** What the node endpoint needs. */
export interface NodeEndpointOptions {
  /** This node's name (for messages). */
  node: string;
  /** Serving key and certificate, and the CA client certificates must come from. */
  tls: { key: string; cert: string; ca: string };
  /** The node's container runtime, where pods' containers run. */
  docker: DockerApi;
  /** The log file of a static pod's container, or undefined when namespace/pod/container is not one. */
  staticLog?: (namespace: string, pod: string, container: string) => { file: string } | undefined;
  /** The node's resource usage figures (GET /stats/resource, /stats/history?since=MS): a ResourceStats, or anything that reads like one. */
  stats?: Pick<ResourceStats, 'report' | 'history'>;
}

const LOGS = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/;
const STREAMS = /^\/(exec|attach)\/([^/]+)\/([^/]+)\/([^/]+)$|^\/(portForward)\/([^/]+)\/([^/]+)$/;

function fail(res: ServerResponse, code: number, message: string): void {
  res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`${message}\n`);
}

/** The common name of the request's client certificate, when it is valid. */
function clientCn(req: IncomingMessage): string | undefined {
  const socket = req.socket as TLSSocket;
  if (!socket.authorized) return undefined;
  return (socket.getPeerCertificate()?.subject as { CN?: string } | undefined)?.CN;
}

/** Creates (does not start) the endpoint's HTTPS server. */
export function createNodeEndpoint(opts: NodeEndpointOptions): Server {
  const server = createServer({ ...opts.tls, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    serveRequest(opts, req, res).catch((err: Error) => {
      const code = err instanceof NodeRequestError ? err.code : err instanceof LogOptionsError ? 400 : 500;
      if (!res.headersSent) fail(res, code, err.message);
      else res.end();
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    serveUpgrade(opts, req, socket, head).catch((err: Error) => {
      if (socket.writable) refuseUpgrade(socket, err instanceof NodeRequestError ? err.code : 500, err.message);
    });
  });
  return server;
}

async function serveRequest(opts: NodeEndpointOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const cn = clientCn(req);
  if (cn !== APISERVER_CLIENT_CN) return fail(res, 403, `forbidden: ${cn ?? 'anonymous'} may not use the endpoint of node ${opts.node}`);
  const url = new URL(req.url ?? '/', 'https://node');
  if (STREAMS.test(url.pathname)) return fail(res, 400, 'Upgrade request required');
  if (req.method === 'GET' && opts.stats && (url.pathname === '/stats/resource' || url.pathname === '/stats/history')) {
    const body = url.pathname === '/stats/resource' ? opts.stats.report() : { node: opts.node, points: opts.stats.history(Number(url.searchParams.get('since')) || 0) };
    res.writeHead(200, { 'content-type': 'application/json' });
    return void res.end(JSON.stringify(body));
  }
  const m = LOGS.exec(url.pathname);
  if (req.method !== 'GET' || !m) return fail(res, 404, `not found: ${url.pathname}`);
  const [, namespace, pod, container] = m.map(decodeURIComponent) as [string, string, string, string];
  const logOpts = parseLogOptions(url.searchParams);
  const file = opts.staticLog?.(namespace, pod, container)?.file;
  if (file) {
    if (logOpts.previous) return fail(res, 400, `previous terminated container "${container}" in pod "${pod}" not found`);
    return serveStaticLog(res, file, logOpts);
  }
  return serveContainerLogs(opts.docker, res, { namespace, pod, container }, logOpts);
}

async function serveUpgrade(opts: NodeEndpointOptions, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  const cn = clientCn(req);
  if (cn !== APISERVER_CLIENT_CN) return refuseUpgrade(socket, 403, `forbidden: ${cn ?? 'anonymous'} may not use the endpoint of node ${opts.node}`);
  const url = new URL(req.url ?? '/', 'https://node');
  const m = STREAMS.exec(url.pathname);
  if (!m) return refuseUpgrade(socket, 404, `not found: ${url.pathname}`);
  const parts = m.map((s) => (s === undefined ? s : decodeURIComponent(s)));
  if (parts[5] === 'portForward') return servePortForward(opts.docker, req, socket, head, { namespace: parts[6]!, pod: parts[7]! });
  return serveRemoteCommand(opts.docker, req, socket, head, { namespace: parts[2]!, pod: parts[3]!, container: parts[4]! }, parts[1] as 'exec' | 'attach');
}
