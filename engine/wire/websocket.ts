// The server side of RFC 6455 over an upgraded socket: the opening handshake, reassembly of
// fragmented messages, ping/pong and the closing handshake. Framing itself is websocket-frames.ts.
// Used by the node agent (exec, attach, port-forward) and the dashboard server (/ws); with
// `client: true` the same connection logic serves the client side (websocket-client.ts).
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { acceptKey, encodeFrame, FrameParser, OP, WebSocketError } from './websocket-frames.js';

/** True when the request asks to switch to WebSocket. */
export function isWebSocketRequest(req: IncomingMessage): boolean {
  return (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
}

/** The subprotocols a client offers, in its order of preference. */
export function offeredProtocols(req: IncomingMessage): string[] {
  const raw = req.headers['sec-websocket-protocol'];
  const all = Array.isArray(raw) ? raw.join(',') : (raw ?? '');
  return all.split(',').map((p) => p.trim()).filter(Boolean);
}

/**
 * Answers the opening handshake with 101 and `protocol` (the caller picked it from
 * offeredProtocols); throws when the request is not a valid version-13 WebSocket upgrade.
 */
export function acceptWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer, protocol: string | undefined, opts: { maxPayload?: number } = {}): WebSocketConnection {
  const key = req.headers['sec-websocket-key'];
  if (req.headers['sec-websocket-version'] !== '13' || typeof key !== 'string' || !key) {
    throw new WebSocketError(1002, 'the WebSocket handshake needs Sec-WebSocket-Version 13 and a Sec-WebSocket-Key');
  }
  const lines = ['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${acceptKey(key)}`];
  if (protocol) lines.push(`Sec-WebSocket-Protocol: ${protocol}`);
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  return new WebSocketConnection(socket, head, opts);
}

/** Options of a connection: `maxPayload` bounds the peer's frames; `client` masks what it sends and accepts unmasked frames (RFC 6455's client role). */
export interface ConnectionOptions {
  maxPayload?: number;
  client?: boolean;
}

/** One WebSocket connection (server side unless `client`) on a socket whose handshake is done. */
export class WebSocketConnection {
  /** Called with each whole message (binary or text). */
  onMessage: (data: Buffer, binary: boolean) => void = () => {};
  /** Called once when the connection is gone (closing handshake done, or the socket died). */
  onClose: (code: number, reason: string) => void = () => {};
  /** Called with the payload of each pong (the answer to ping()). */
  onPong: (payload: Buffer) => void = () => {};
  private readonly parser: FrameParser;
  private fragments: Buffer[] = [];
  private fragmentOp = 0;
  private closeSent = false;
  private closed = false;

  private readonly client: boolean;

  /** `maxPayload`: the largest frame the peer may send (bytes; default 64 MiB). */
  constructor(
    private readonly socket: Duplex,
    head: Buffer = Buffer.alloc(0),
    opts: ConnectionOptions = {},
  ) {
    this.client = opts.client === true;
    this.parser = new FrameParser({ requireMask: !this.client, maxPayload: opts.maxPayload });
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => this.finish(1006, 'socket error'));
    socket.on('close', () => this.finish(1006, 'socket closed'));
    socket.on('end', () => {
      this.finish(1006, 'socket ended');
      // The peer is gone without a closing handshake: end our half too (HTTP servers keep sockets half-open).
      socket.end();
    });
    if (head.length) queueMicrotask(() => this.receive(head));
  }

  /** Sends one message (binary unless `binary` is false); dropped once closing. */
  send(data: Buffer, binary = true): void {
    if (this.closeSent || this.closed) return;
    this.socket.write(this.encode(binary ? OP.binary : OP.text, data));
  }

  /** Sends a ping; the peer's pong arrives through onPong. Dropped once closing. */
  ping(payload: Buffer = Buffer.alloc(0)): void {
    if (this.closeSent || this.closed) return;
    this.socket.write(this.encode(OP.ping, payload));
  }

  /** Starts the closing handshake; the socket ends when the peer answers or after a second. */
  close(code = 1000, reason = ''): void {
    if (this.closeSent || this.closed) return;
    this.closeSent = true;
    const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
    payload.writeUInt16BE(code, 0);
    payload.write(reason, 2);
    this.socket.write(this.encode(OP.close, payload));
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  /** Drops the connection at once. */
  destroy(): void {
    this.socket.destroy();
  }

  /** A frame as this side sends it: masked with a fresh key by clients, plain by servers. */
  private encode(opcode: number, payload: Buffer): Buffer {
    return encodeFrame(opcode, payload, this.client ? { mask: randomBytes(4) } : {});
  }

  private receive(chunk: Buffer): void {
    if (this.closed) return;
    try {
      for (const frame of this.parser.push(chunk)) this.frame(frame.fin, frame.opcode, frame.payload);
    } catch (err) {
      const code = err instanceof WebSocketError ? err.code : 1011;
      this.close(code, (err as Error).message.slice(0, 100));
      this.socket.end();
    }
  }

  private frame(fin: boolean, opcode: number, payload: Buffer): void {
    switch (opcode) {
      case OP.ping:
        if (!this.closeSent) this.socket.write(this.encode(OP.pong, payload));
        return;
      case OP.pong:
        this.onPong(payload);
        return;
      case OP.close: {
        const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
        if (!this.closeSent) {
          this.closeSent = true;
          this.socket.write(this.encode(OP.close, payload.subarray(0, 2)));
        }
        this.socket.end();
        this.finish(code, payload.subarray(2).toString());
        return;
      }
      case OP.continuation:
        if (!this.fragments.length) throw new WebSocketError(1002, 'continuation frame without a message');
        this.fragments.push(payload);
        break;
      default:
        if (this.fragments.length) throw new WebSocketError(1002, 'new message before the last one ended');
        this.fragmentOp = opcode;
        this.fragments = [payload];
    }
    if (!fin) return;
    const data = this.fragments.length === 1 ? this.fragments[0]! : Buffer.concat(this.fragments);
    this.fragments = [];
    this.onMessage(data, this.fragmentOp === OP.binary);
  }

  private finish(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose(code, reason);
  }
}
