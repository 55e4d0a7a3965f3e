// RFC 6455 framing, as pure functions: encoding frames, and a parser that takes a byte stream and
// yields whole frames (unmasked). Shared by the node agent and the dashboard server; the
// connection logic (fragments, ping, close) is websocket.ts.
import { createHash } from 'node:crypto';

/** Frame opcodes. */
export const OP = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;

/** One frame off the wire, payload unmasked. */
export interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

/** A protocol violation; `code` is the close code to answer with (1002 protocol error, 1009 too big). */
export class WebSocketError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'WebSocketError';
  }
}

/** The Sec-WebSocket-Accept value for a client's Sec-WebSocket-Key. */
export function acceptKey(key: string): string {
  return createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
}

/** Encodes one frame; servers send unmasked frames, clients pass a 4-byte `mask`. */
export function encodeFrame(opcode: number, payload: Buffer, opts: { fin?: boolean; mask?: Buffer } = {}): Buffer {
  const len = payload.length;
  const extra = len < 126 ? 0 : len < 65536 ? 2 : 8;
  const head = Buffer.alloc(2 + extra + (opts.mask ? 4 : 0));
  head[0] = (opts.fin === false ? 0 : 0x80) | (opcode & 0x0f);
  head[1] = (opts.mask ? 0x80 : 0) | (extra === 0 ? len : extra === 2 ? 126 : 127);
  if (extra === 2) head.writeUInt16BE(len, 2);
  if (extra === 8) head.writeBigUInt64BE(BigInt(len), 2);
  if (!opts.mask) return Buffer.concat([head, payload]);
  opts.mask.copy(head, 2 + extra);
  return Buffer.concat([head, applyMask(payload, opts.mask)]);
}

/** XORs `data` with the 4-byte mask (a new buffer). */
export function applyMask(data: Buffer, mask: Buffer): Buffer {
  const out = Buffer.alloc(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i]! ^ mask[i & 3]!;
  return out;
}

/**
 * A streaming frame parser: push() bytes as they arrive, get the whole frames they complete.
 * `requireMask` (servers) refuses unmasked client frames; frames above `maxPayload` are refused.
 */
export class FrameParser {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly opts: { requireMask: boolean; maxPayload?: number }) {}

  push(chunk: Buffer): Frame[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: Frame[] = [];
    for (;;) {
      const frame = this.next();
      if (!frame) return frames;
      frames.push(frame);
    }
  }

  private next(): Frame | undefined {
    const buf = this.pending;
    if (buf.length < 2) return undefined;
    const fin = (buf[0]! & 0x80) !== 0;
    if (buf[0]! & 0x70) throw new WebSocketError(1002, 'reserved bits set without a negotiated extension');
    const opcode = buf[0]! & 0x0f;
    const masked = (buf[1]! & 0x80) !== 0;
    let len = buf[1]! & 0x7f;
    let off = 2;
    if (len === 126) {
      if (buf.length < 4) return undefined;
      len = buf.readUInt16BE(2);
      off = 4;
    } else if (len === 127) {
      if (buf.length < 10) return undefined;
      const big = buf.readBigUInt64BE(2);
      if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw new WebSocketError(1009, 'frame too large');
      len = Number(big);
      off = 10;
    }
    if (this.opts.requireMask && !masked) throw new WebSocketError(1002, 'client frames must be masked');
    if (opcode >= 8 && (len > 125 || !fin)) throw new WebSocketError(1002, 'control frames must be short and unfragmented');
    if (![0, 1, 2, 8, 9, 10].includes(opcode)) throw new WebSocketError(1002, `unknown opcode ${opcode}`);
    if (len > (this.opts.maxPayload ?? 64 * 1024 * 1024)) throw new WebSocketError(1009, 'frame too large');
    const maskAt = off;
    if (masked) off += 4;
    if (buf.length < off + len) return undefined;
    const raw = buf.subarray(off, off + len);
    const payload = masked ? applyMask(raw, buf.subarray(maskAt, maskAt + 4)) : Buffer.from(raw);
    this.pending = buf.subarray(off + len);
    return { fin, opcode, payload };
  }
}
