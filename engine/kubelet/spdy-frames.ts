// SPDY/3.1 framing, as pure functions: control and data frames to and from bytes, and the
// (uncompressed) name/value header blocks. Header compression is spdy-zlib.ts.

/** Control frame types. */
export const SPDY = { synStream: 1, synReply: 2, rstStream: 3, settings: 4, ping: 6, goaway: 7, headers: 8, windowUpdate: 9 } as const;
/** Frame flags. */
export const FLAG_FIN = 0x01;
/** RST_STREAM status codes used here. */
export const RST = { protocolError: 1, invalidStream: 2, refusedStream: 3, cancel: 5, internalError: 6 } as const;

/** A data frame. */
export interface DataFrame {
  control: false;
  streamId: number;
  flags: number;
  data: Buffer;
}

/** A control frame, its type-specific fields decoded; header blocks stay compressed in `headerBlock`. */
export interface ControlFrame {
  control: true;
  type: number;
  flags: number;
  streamId?: number;
  associatedId?: number;
  priority?: number;
  headerBlock?: Buffer;
  status?: number;
  pingId?: number;
  lastGoodStreamId?: number;
  delta?: number;
  settings?: Array<{ flags: number; id: number; value: number }>;
  /** The raw payload (for types without fields decoded). */
  payload: Buffer;
}

export type SpdyFrame = DataFrame | ControlFrame;

/** A framing violation. */
export class SpdyError extends Error {
  override name = 'SpdyError';
}

function controlHeader(type: number, flags: number, length: number): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(0x8000 | 3, 0);
  h.writeUInt16BE(type, 2);
  h.writeUInt32BE(((flags & 0xff) << 24) | (length & 0xffffff), 4);
  return h;
}

/** Encodes a control frame of `type` with `payload`. */
export function encodeControl(type: number, flags: number, payload: Buffer): Buffer {
  return Buffer.concat([controlHeader(type, flags, payload.length), payload]);
}

/** Encodes a data frame. */
export function encodeData(streamId: number, data: Buffer, fin = false): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt32BE(streamId & 0x7fffffff, 0);
  h.writeUInt32BE(((fin ? FLAG_FIN : 0) << 24) | (data.length & 0xffffff), 4);
  return Buffer.concat([h, data]);
}

const u32 = (...values: number[]) => {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, i * 4));
  return b;
};

/** SYN_REPLY for `streamId` with a compressed header block. */
export const synReply = (streamId: number, headerBlock: Buffer, fin = false) => encodeControl(SPDY.synReply, fin ? FLAG_FIN : 0, Buffer.concat([u32(streamId & 0x7fffffff), headerBlock]));
/** SYN_STREAM (tests act as the client with it). */
export const synStream = (streamId: number, headerBlock: Buffer, fin = false) => encodeControl(SPDY.synStream, fin ? FLAG_FIN : 0, Buffer.concat([u32(streamId & 0x7fffffff, 0), Buffer.alloc(2), headerBlock]));
export const rstStream = (streamId: number, status: number) => encodeControl(SPDY.rstStream, 0, u32(streamId & 0x7fffffff, status));
export const ping = (id: number) => encodeControl(SPDY.ping, 0, u32(id));
export const goaway = (lastGoodStreamId: number, status = 0) => encodeControl(SPDY.goaway, 0, u32(lastGoodStreamId & 0x7fffffff, status));

/** Streaming frame parser: push() bytes, get the whole frames they complete. */
export class SpdyParser {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): SpdyFrame[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const out: SpdyFrame[] = [];
    while (this.pending.length >= 8) {
      const length = this.pending.readUInt32BE(4) & 0xffffff;
      if (this.pending.length < 8 + length) break;
      const frame = decodeFrame(this.pending.subarray(0, 8 + length));
      this.pending = this.pending.subarray(8 + length);
      out.push(frame);
    }
    return out;
  }
}

/** Decodes one whole frame. */
export function decodeFrame(buf: Buffer): SpdyFrame {
  const flags = buf[4]!;
  const payload = Buffer.from(buf.subarray(8));
  if (!(buf[0]! & 0x80)) return { control: false, streamId: buf.readUInt32BE(0) & 0x7fffffff, flags, data: payload };
  const version = buf.readUInt16BE(0) & 0x7fff;
  if (version !== 3) throw new SpdyError(`unsupported SPDY version ${version}`);
  const type = buf.readUInt16BE(2);
  const f: ControlFrame = { control: true, type, flags, payload };
  const need = (n: number) => {
    if (payload.length < n) throw new SpdyError(`control frame ${type} too short`);
  };
  switch (type) {
    case SPDY.synStream:
      need(10);
      f.streamId = payload.readUInt32BE(0) & 0x7fffffff;
      f.associatedId = payload.readUInt32BE(4) & 0x7fffffff;
      f.priority = payload[8]! >> 5;
      f.headerBlock = payload.subarray(10);
      break;
    case SPDY.synReply:
    case SPDY.headers:
      need(4);
      f.streamId = payload.readUInt32BE(0) & 0x7fffffff;
      f.headerBlock = payload.subarray(4);
      break;
    case SPDY.rstStream:
      need(8);
      f.streamId = payload.readUInt32BE(0) & 0x7fffffff;
      f.status = payload.readUInt32BE(4);
      break;
    case SPDY.settings: {
      need(4);
      const n = payload.readUInt32BE(0);
      need(4 + n * 8);
      f.settings = [];
      for (let i = 0; i < n; i++) {
        const at = 4 + i * 8;
        f.settings.push({ flags: payload[at]!, id: payload.readUInt32BE(at) & 0xffffff, value: payload.readUInt32BE(at + 4) });
      }
      break;
    }
    case SPDY.ping:
      need(4);
      f.pingId = payload.readUInt32BE(0);
      break;
    case SPDY.goaway:
      need(4);
      f.lastGoodStreamId = payload.readUInt32BE(0) & 0x7fffffff;
      f.status = payload.length >= 8 ? payload.readUInt32BE(4) : 0;
      break;
    case SPDY.windowUpdate:
      need(8);
      f.streamId = payload.readUInt32BE(0) & 0x7fffffff;
      f.delta = payload.readUInt32BE(4) & 0x7fffffff;
      break;
  }
  return f;
}

/** Encodes a header block (before compression): count, then length-prefixed names and values; several values of one name joined by NUL. */
export function encodeHeaderBlock(headers: Record<string, string | string[]>): Buffer {
  const entries = Object.entries(headers);
  const parts: Buffer[] = [u32(entries.length)];
  for (const [name, value] of entries) {
    const n = Buffer.from(name.toLowerCase());
    const v = Buffer.from(Array.isArray(value) ? value.join('\0') : value);
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

/** Decodes a (decompressed) header block; names lowercased, NUL-separated values split. */
export function decodeHeaderBlock(buf: Buffer): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  let at = 0;
  const take = () => {
    if (at + 4 > buf.length) throw new SpdyError('truncated header block');
    const len = buf.readUInt32BE(at);
    if (at + 4 + len > buf.length) throw new SpdyError('truncated header block');
    const s = buf.subarray(at + 4, at + 4 + len).toString();
    at += 4 + len;
    return s;
  };
  if (buf.length < 4) throw new SpdyError('truncated header block');
  const count = buf.readUInt32BE(0);
  at = 4;
  for (let i = 0; i < count; i++) {
    const name = take().toLowerCase();
    out[name] = [...(out[name] ?? []), ...take().split('\0')];
  }
  return out;
}
