// The dashboard's /ws sockets: JSON messages per the contract, operation subscriptions, broadcasts
// to every socket, a ping every 30 s and sockets that miss their pong dropped.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../log/logger.js';
import { acceptWebSocket, type WebSocketConnection } from '../wire/websocket.js';
import type { ClientMessage, ServerMessage } from './contract.js';
import type { Operations } from './operations.js';
import { parseMessageObject } from './requests.js';

/** How often sockets are pinged; one that has not answered the previous ping by then is dropped. */
export const PING_MS = 30_000;
/** Largest message a renderer may send (its messages are a few dozen bytes). */
const MAX_CLIENT_MESSAGE = 64 * 1024;

/** A client message checked for shape; undefined when it is not one the contract knows. */
export function parseClientMessage(text: string): ClientMessage | undefined {
  const m = parseMessageObject(text);
  if (!m) return undefined;
  if (typeof m.id !== 'string') return undefined;
  if (m.op === 'operation' && typeof m.operation === 'string') return { id: m.id, op: 'operation', operation: m.operation };
  if (m.op === 'cancel') return { id: m.id, op: 'cancel' };
  return undefined;
}

interface Client {
  ws: WebSocketConnection;
  alive: boolean;
  subscriptions: Map<string, () => void>;
}

/** Every open /ws socket of one dashboard server. */
export class SocketHub {
  private readonly clients = new Set<Client>();
  private readonly timer: NodeJS.Timeout;

  /** `onCount` hears the number of open sockets whenever it changes; `greet` gives the messages a new socket gets first. */
  constructor(
    private readonly ops: Operations,
    private readonly log: Logger,
    private readonly onCount: (open: number) => void,
    private readonly greet: () => ServerMessage[],
    pingMs = PING_MS,
  ) {
    this.timer = setInterval(() => this.heartbeat(), pingMs);
    this.timer.unref();
  }

  /** Completes the handshake of an upgrade the server already let through (Host, Origin, cookie checked). */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const ws = acceptWebSocket(req, socket, head, undefined, { maxPayload: MAX_CLIENT_MESSAGE });
    const client: Client = { ws, alive: true, subscriptions: new Map() };
    this.clients.add(client);
    ws.onPong = () => {
      client.alive = true;
    };
    ws.onMessage = (data, binary) => this.receive(client, data, binary);
    ws.onClose = () => {
      for (const stop of client.subscriptions.values()) stop();
      client.subscriptions.clear();
      if (this.clients.delete(client)) this.onCount(this.clients.size);
    };
    for (const msg of this.greet()) send(client, msg);
    this.onCount(this.clients.size);
  }

  /** Sends `msg` to every open socket. */
  broadcast(msg: ServerMessage): void {
    for (const c of this.clients) send(c, msg);
  }

  /** The number of open sockets. */
  get size(): number {
    return this.clients.size;
  }

  /** Closes every socket (going away) and stops pinging. */
  close(): void {
    clearInterval(this.timer);
    for (const c of this.clients) c.ws.close(1001, 'dashboard stopping');
  }

  private heartbeat(): void {
    for (const c of this.clients) {
      if (!c.alive) {
        this.log.v(1).info('dashboard: dropping a socket that missed its pong');
        c.ws.destroy();
        continue;
      }
      c.alive = false;
      c.ws.ping();
    }
  }

  private receive(client: Client, data: Buffer, binary: boolean): void {
    const msg = binary ? undefined : parseClientMessage(data.toString('utf8'));
    if (!msg) return send(client, { type: 'error', error: 'messages are JSON text: {"id": "...", "op": "operation", "operation": "ID"} or {"id": "...", "op": "cancel"}' });
    client.subscriptions.get(msg.id)?.();
    client.subscriptions.delete(msg.id);
    if (msg.op === 'cancel') return;
    const stop = this.ops.follow(msg.operation, {
      step: (step) => send(client, { id: msg.id, type: 'progress', step }),
      end: (state, error) => {
        client.subscriptions.delete(msg.id);
        send(client, error === undefined ? { id: msg.id, type: 'end', state } : { id: msg.id, type: 'end', state, error });
      },
    });
    if (!stop) return send(client, { id: msg.id, type: 'error', error: `no operation "${msg.operation}"` });
    // follow() may have ended it already (a finished operation): keep only live subscriptions.
    const op = this.ops.get(msg.operation);
    if (op?.state === 'running') client.subscriptions.set(msg.id, stop);
  }
}

function send(client: Client, msg: ServerMessage): void {
  client.ws.send(Buffer.from(JSON.stringify(msg)), false);
}
