// The text forms of wire values: domain names in dotted presentation form (escapes \. \\ \DDD
// for bytes the dotted form cannot show) and IPv6 addresses, plus the error every malformed
// value raises.
import { isIPv6 } from 'node:net';

/** Input that is not a well-formed DNS message. */
export class MessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MessageError';
  }
}

/** ASCII-only lower case: DNS compares names case-insensitively in ASCII alone. */
export function lowerName(name: string): string {
  return name.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** A name's canonical form for comparisons: lower case, no trailing dot. */
export function canonicalName(name: string): string {
  return lowerName(name.endsWith('.') && !name.endsWith('\\.') ? name.slice(0, -1) : name);
}

/** Splits a presentation name into wire labels, resolving escapes. */
export function nameToLabels(name: string): Buffer[] {
  const labels: Buffer[] = [];
  let cur: number[] = [];
  let total = 1;
  const finish = () => {
    if (cur.length === 0) throw new MessageError(`empty label in "${name}"`);
    if (cur.length > 63) throw new MessageError(`label longer than 63 bytes in "${name}"`);
    total += cur.length + 1;
    labels.push(Buffer.from(cur));
    cur = [];
  };
  const bytes = Buffer.from(name, 'utf8');
  if (bytes.length === 0 || (bytes.length === 1 && bytes[0] === 0x2e)) return [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x2e) {
      finish();
      if (i === bytes.length - 1) break;
    } else if (b === 0x5c) {
      const digits = bytes.subarray(i + 1, i + 4).toString('latin1');
      if (/^\d{3}$/.test(digits) && Number(digits) <= 255) {
        cur.push(Number(digits));
        i += 3;
      } else if (i + 1 < bytes.length) {
        cur.push(bytes[++i]!);
      } else {
        throw new MessageError(`dangling escape in "${name}"`);
      }
    } else {
      cur.push(b);
    }
    if (i === bytes.length - 1 && cur.length) finish();
  }
  if (total > 255) throw new MessageError(`name longer than 255 bytes: "${name}"`);
  return labels;
}

/** A wire label in presentation form. */
export function labelText(label: Buffer): string {
  let out = '';
  for (const b of label) {
    if (b === 0x2e || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else if (b > 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\${String(b).padStart(3, '0')}`;
  }
  return out;
}

/** 16 bytes in RFC 5952 text form (longest zero run as ::). */
export function formatIpv6(b: Buffer): string {
  const words = Array.from({ length: 8 }, (_, i) => b.readUInt16BE(i * 2));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = words.map((w) => w.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** IPv6 text (with :: and a trailing dotted quad allowed) as 16 bytes. */
export function parseIpv6(text: string): Buffer {
  if (!isIPv6(text)) throw new MessageError(`not an IPv6 address: ${text}`);
  let s = text;
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (quad) {
    const p = quad[1]!.split('.').map(Number);
    s = `${s.slice(0, -quad[1]!.length)}${((p[0]! << 8) | p[1]!).toString(16)}:${((p[2]! << 8) | p[3]!).toString(16)}`;
  }
  const [head, tail] = s.split('::') as [string, string | undefined];
  const part = (x: string | undefined) => (x ? x.split(':') : []);
  const h = part(head);
  const t = part(tail);
  const words = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const out = Buffer.alloc(16);
  words.forEach((w, i) => out.writeUInt16BE(parseInt(w, 16), i * 2));
  return out;
}
