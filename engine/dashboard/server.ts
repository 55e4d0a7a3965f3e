// The dashboard server: HTTP and WebSocket on 127.0.0.1 for the renderer (in a browser through
// `kubelab dashboard`, or in the desktop app's window). Every request passes the gate first: its
// Host must be ours (DNS rebinding), its Origin ours when it has or needs one (cross-site requests,
// WebSocket hijacking), and it must carry the session cookie that the one-time launch URL set.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { packageRoot } from '../config/paths.js';
import { errorMessage, KubelabError } from '../errors.js';
import type { Engine } from '../index.js';
import { nullLogger, type Logger } from '../log/logger.js';
import { ClusterFeed } from './cluster-feed.js';
import { ClustersApi } from './clusters-api.js';
import { engineApiResolver, K8sProxy, type ResolveApi } from './k8s-proxy.js';
import { Operations } from './operations.js';
import { PAGES, sendError, sendHtml } from './responses.js';
import { isApiRoute, matchRoute } from './routes.js';
import { BASE_HEADERS, cookieName, hostAllowed, LaunchGate, originCheck, readCookie, sessionCookie } from './security.js';
import { SocketHub } from './socket-hub.js';
import { serveStatic } from './static-files.js';
import { Terminals } from './terminal/terminals.js';

/** How to start a dashboard. */
export interface DashboardOptions {
  engine: Engine;
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  log?: Logger;
  /** The renderer's built files (default: dist/renderer/ of the kubelab package). */
  rendererDir?: string;
  /** How /k8s reaches a cluster's apiserver (default: through the engine's Docker state and the cluster's admin certificate). */
  resolveApi?: ResolveApi;
  /** Ping interval of /ws sockets, in ms (default 30 s). */
  pingMs?: number;
}

/** A running dashboard. */
export interface Dashboard {
  port: number;
  /** http://127.0.0.1:PORT/ */
  url: string;
  /** The one-time URL that opens the dashboard: http://127.0.0.1:PORT/?token=T. */
  launchUrl: string;
  /** Stops listening, closes sockets and streams, and waits for running operations to stop and clean up. */
  close(): Promise<void>;
}

/** Starts the dashboard server on 127.0.0.1; resolves once it listens. */
export async function startDashboard(opts: DashboardOptions): Promise<Dashboard> {
  const log = opts.log ?? nullLogger;
  const engine = opts.engine;
  const rendererDir = opts.rendererDir ?? join(packageRoot(), 'dist', 'renderer');
  const gate = new LaunchGate();
  const stopping = new AbortController();
  const resolveApi = opts.resolveApi ?? engineApiResolver(engine);
  const proxy = new K8sProxy(resolveApi);
  const terminals = new Terminals({ engine, resolveApi, log });
  // The three call each other only from callbacks that run after all are made.
  const ops = new Operations(() => void feed.refresh());
  const feed = new ClusterFeed(engine, ops, (msg) => sockets.broadcast(msg), log);
  const sockets = new SocketHub(
    ops,
    log,
    (open) => {
      feed.poll(open > 0);
      if (open > 0) void feed.refresh();
    },
    () => feed.snapshot(),
    opts.pingMs,
  );
  const api = new ClustersApi({ engine, ops, feed, signal: stopping.signal, onOperationEnd: (c) => proxy.forget(c) });
  let port = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    const rawUrl = req.url ?? '/';
    const pathname = rawUrl.split('?')[0]!;
    const apiLike = isApiRoute(pathname);
    const refuse = (code: number, error: string, page: string) => (apiLike ? sendError(res, code, error) : sendHtml(res, code, page, port));
    if (!hostAllowed(req.headers.host, port)) return refuse(403, 'the dashboard answers only as 127.0.0.1 or localhost on its own port', PAGES.forbiddenHost);
    if (!originCheck(method, req.headers.origin, false, port)) return refuse(403, 'cross-origin requests are refused', PAGES.forbiddenOrigin);
    const route = matchRoute(method, rawUrl);
    const signedIn = gate.valid(readCookie(req.headers.cookie, cookieName(port)));
    if (route.kind === 'launch') {
      if (signedIn) return redirectHome(res);
      const { outcome, session } = gate.exchange(route.token);
      if (outcome === 'used') return sendHtml(res, 403, PAGES.tokenUsed, port);
      if (outcome === 'invalid' || !session) return sendHtml(res, 403, PAGES.tokenInvalid, port);
      return redirectHome(res, sessionCookie(port, session));
    }
    if (!signedIn) {
      return apiLike
        ? sendError(res, 401, 'not signed in to the dashboard', 'open the link `kubelab dashboard` printed, or run it again for a new one')
        : sendHtml(res, 401, PAGES.signedOut, port);
    }
    switch (route.kind) {
      case 'static':
        return serveStatic(req, res, rendererDir, route.path, port);
      case 'k8s':
        return proxy.handle(req, res, route.cluster, route.path);
      case 'socket':
      case 'terminal':
        return sendError(res, 426, 'this endpoint speaks WebSocket', undefined, { upgrade: 'websocket', connection: 'Upgrade' });
      case 'method-not-allowed':
        return apiLike ? sendError(res, 405, `method ${method} is not allowed here`, undefined, { allow: route.allow.join(', ') }) : sendHtml(res, 405, PAGES.notFound, port, { allow: route.allow.join(', ') });
      case 'not-found':
        return apiLike ? sendError(res, 404, 'no such endpoint') : sendHtml(res, 404, PAGES.notFound, port);
      default:
        return api.handle(route, req, res);
    }
  };

  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const method = req.method ?? 'GET';
    if (!hostAllowed(req.headers.host, port)) return rejectUpgrade(socket, 403, 'the dashboard answers only as 127.0.0.1 or localhost on its own port');
    if (!originCheck(method, req.headers.origin, true, port)) return rejectUpgrade(socket, 403, 'cross-origin WebSocket connections are refused');
    if (!gate.valid(readCookie(req.headers.cookie, cookieName(port)))) return rejectUpgrade(socket, 401, 'not signed in to the dashboard');
    const route = matchRoute(method, req.url ?? '/');
    // /k8s passes no upgrades: exec into pods goes through /terminal, which opens it upstream itself.
    if (route.kind !== 'socket' && route.kind !== 'terminal') return rejectUpgrade(socket, 404, 'no WebSocket endpoint here');
    try {
      if (route.kind === 'terminal') terminals.accept(req, socket, head);
      else sockets.accept(req, socket, head);
    } catch (err) {
      rejectUpgrade(socket, 400, errorMessage(err));
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log.warn(`dashboard: ${req.method} ${req.url}: ${errorMessage(err)}`);
      if (!res.headersSent) sendError(res, 500, errorMessage(err));
      else res.destroy();
    });
  });
  server.on('upgrade', upgrade);
  // Every socket, upgraded ones included, so close() can drop the last stragglers.
  const connections = new Set<Duplex>();
  server.on('connection', (socket: Duplex) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new KubelabError(`port ${opts.port} on 127.0.0.1 is in use`, { hint: 'pick another with --port, or leave it out for a free one', cause: err })
          : new KubelabError(`the dashboard cannot listen on 127.0.0.1:${opts.port ?? 0}: ${err.message}`, { cause: err }),
      );
    });
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/`;
  log.v(1).info(`dashboard: listening on ${url}`);

  let closed: Promise<void> | undefined;
  return {
    port,
    url,
    launchUrl: `${url}?token=${gate.token}`,
    close: () =>
      (closed ??= (async () => {
        stopping.abort();
        feed.poll(false);
        sockets.close();
        const shells = terminals.close();
        const done = new Promise<void>((r) => server.close(() => r()));
        proxy.close();
        server.closeAllConnections();
        await Promise.all([ops.settle(), shells]);
        // WebSockets got their close frame; whatever has not closed within 2 s is dropped.
        const late = setTimeout(() => {
          for (const socket of connections) socket.destroy();
        }, 2000);
        await done;
        clearTimeout(late);
      })()),
  };
}

function redirectHome(res: ServerResponse, cookie?: string): void {
  res.writeHead(303, { ...BASE_HEADERS, location: '/', 'content-length': 0, ...(cookie ? { 'set-cookie': cookie } : {}) });
  res.end();
}

/** Refuses an upgrade request on its raw socket with a short JSON answer. */
function rejectUpgrade(socket: Duplex, code: number, error: string): void {
  const body = JSON.stringify({ error });
  const reason = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[code] ?? 'Error';
  const answer = [`HTTP/1.1 ${code} ${reason}`, 'Content-Type: application/json; charset=utf-8', `Content-Length: ${Buffer.byteLength(body)}`, 'X-Content-Type-Options: nosniff', 'Connection: close', '', body].join('\r\n');
  // The HTTP server keeps sockets half-open: once the answer is out, the socket goes.
  socket.end(answer, () => socket.destroy());
}
