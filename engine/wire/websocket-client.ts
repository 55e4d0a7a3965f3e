// The client side of RFC 6455: the opening handshake over http or https (TLS client certificates
// for an apiserver), then the same connection logic as the server side (websocket.ts) in its
// client role (masked frames out). Used by the dashboard's terminal to exec into pods.
import { randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketConnection } from './websocket.js';
import { acceptKey } from './websocket-frames.js';

/** How to open a WebSocket: `url` is ws:, wss:, http: or https:; TLS material for wss/https. */
export interface ConnectOptions {
  /** Subprotocols to offer, best first. */
  protocols?: string[];
  headers?: Record<string, string>;
  ca?: string;
  cert?: string;
  key?: string;
  /** Largest frame accepted from the server (bytes; default 64 MiB). */
  maxPayload?: number;
  /** Gives up on the handshake after this long (ms; default 15 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** An open client connection and the subprotocol the server chose (undefined when none). */
export interface ClientConnection {
  ws: WebSocketConnection;
  protocol: string | undefined;
}

/** The handshake failed: the server answered `status` (0 when it did not answer at all) with `body`. */
export class WebSocketHandshakeError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(message);
    this.name = 'WebSocketHandshakeError';
  }
}

/** Checks a 101 answer against the key sent and the protocols offered; returns the chosen protocol or throws. */
export function checkHandshake(res: Pick<IncomingMessage, 'headers'>, key: string, offered: string[]): string | undefined {
  if ((res.headers.upgrade ?? '').toLowerCase() !== 'websocket') throw new WebSocketHandshakeError('the server did not switch to WebSocket', 101, '');
  if (res.headers['sec-websocket-accept'] !== acceptKey(key)) throw new WebSocketHandshakeError('the server answered with a wrong Sec-WebSocket-Accept', 101, '');
  const chosen = res.headers['sec-websocket-protocol'];
  if (chosen === undefined || chosen === '') return undefined;
  if (!offered.includes(chosen)) throw new WebSocketHandshakeError(`the server chose subprotocol "${chosen}", which was not offered`, 101, '');
  return chosen;
}

/** Opens a WebSocket to `url`; resolves once the server switched protocols, rejects with WebSocketHandshakeError otherwise. */
export function connectWebSocket(url: string, opts: ConnectOptions = {}): Promise<ClientConnection> {
  const u = new URL(url);
  const secure = u.protocol === 'wss:' || u.protocol === 'https:';
  const key = randomBytes(16).toString('base64');
  const offered = opts.protocols ?? [];
  const headers: Record<string, string> = {
    ...opts.headers,
    connection: 'Upgrade',
    upgrade: 'websocket',
    'sec-websocket-version': '13',
    'sec-websocket-key': key,
  };
  if (offered.length) headers['sec-websocket-protocol'] = offered.join(', ');
  const base = { host: u.hostname, port: u.port || (secure ? 443 : 80), path: `${u.pathname}${u.search}`, method: 'GET', headers, signal: opts.signal };
  const req = secure ? httpsRequest({ ...base, ca: opts.ca, cert: opts.cert, key: opts.key, agent: false }) : httpRequest({ ...base, agent: false });
  return new Promise<ClientConnection>((resolve, reject) => {
    const timer = setTimeout(() => {
      req.destroy();
      reject(new WebSocketHandshakeError(`no WebSocket handshake from ${u.host} within ${opts.timeoutMs ?? 15_000} ms`, 0, ''));
    }, opts.timeoutMs ?? 15_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      reject(err);
    };
    req.on('upgrade', (res: IncomingMessage, socket: Duplex, head: Buffer) => {
      clearTimeout(timer);
      let protocol: string | undefined;
      try {
        protocol = checkHandshake(res, key, offered);
      } catch (err) {
        socket.destroy();
        return reject(err as Error);
      }
      // Nothing is read until the caller, resumed by this promise, has set its handlers: what the
      // server sent right after its answer (already in `head`) would be lost otherwise.
      socket.pause();
      if (head.length) socket.unshift(head);
      resolve({ ws: new WebSocketConnection(socket, Buffer.alloc(0), { client: true, maxPayload: opts.maxPayload }), protocol });
      setImmediate(() => socket.resume());
    });
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8').slice(0, 4096);
        fail(new WebSocketHandshakeError(`${u.host} refused the WebSocket: HTTP ${res.statusCode}${body ? `: ${body.trim()}` : ''}`, res.statusCode ?? 0, body));
      });
      res.on('error', fail);
    });
    req.on('error', (err) => fail(new WebSocketHandshakeError(`cannot open a WebSocket to ${u.host}: ${err.message}`, 0, '')));
    req.end();
  });
}
