// Minimal DER encoding: just what X.509 certificates need. Pure functions over Buffers.

/** Encodes a tag-length-value with DER's definite length. */
export function tlv(tag: number, content: Buffer): Buffer {
  const len = content.length;
  let head: Buffer;
  if (len < 0x80) head = Buffer.from([tag, len]);
  else {
    const bytes: number[] = [];
    for (let n = len; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
    head = Buffer.from([tag, 0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([head, content]);
}

/** SEQUENCE of the given encoded items. */
export const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
/** SET of the given encoded items (callers give a single item or pre-sorted items). */
export const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
/** BOOLEAN. */
export const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0x00]));
/** OCTET STRING. */
export const octets = (b: Buffer) => tlv(0x04, b);
/** BIT STRING with no unused bits. */
export const bits = (b: Buffer) => tlv(0x03, Buffer.concat([Buffer.from([0]), b]));
/** UTF8String. */
export const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
/** Explicitly tagged, constructed context-specific [n]. */
export const explicit = (n: number, inner: Buffer) => tlv(0xa0 | n, inner);
/** Implicitly tagged, primitive context-specific [n]. */
export const implicit = (n: number, content: Buffer) => tlv(0x80 | n, content);

/** INTEGER from unsigned big-endian bytes (a leading zero is added when the top bit is set). */
export function uint(bytes: Buffer): Buffer {
  let b = bytes;
  while (b.length > 1 && b[0] === 0 && (b[1] ?? 0) < 0x80) b = b.subarray(1);
  if ((b[0] ?? 0) >= 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}

/** INTEGER from a small non-negative number. */
export const int = (n: number) => uint(Buffer.from(n.toString(16).padStart(2, '0').replace(/^(.(..)*)$/, '0$1'), 'hex'));

/** OBJECT IDENTIFIER from dotted form. */
export function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const [a = 0, b = 0, ...rest] = parts;
  const out = [a * 40 + b];
  for (const p of rest) {
    const chunk: number[] = [p & 0x7f];
    for (let n = Math.floor(p / 128); n > 0; n = Math.floor(n / 128)) chunk.unshift((n & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime (years 1950-2049) or GeneralizedTime (later), as X.509 requires. */
export function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14); // YYYYMMDDHHMMSS
  return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${iso}Z`));
}
