// DNS messages (RFC 1035, EDNS0 from RFC 6891) as plain objects: decoding that never trusts its
// input (every read is bounds-checked, compression pointers may only point backwards) and
// encoding with name compression. Names are dotted presentation strings without the trailing
// dot; the root is ''. Bytes that would be ambiguous in that form are escaped (\. \\ \DDD).
import { isIPv4 } from 'node:net';
import { formatIpv6, labelText, lowerName, MessageError, nameToLabels, parseIpv6 } from './wire-text.js';

export { canonicalName, formatIpv6, lowerName, MessageError, nameToLabels, parseIpv6 } from './wire-text.js';

/** Record types this module knows by name. Others travel as raw rdata. */
export const TYPE = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, TXT: 16, AAAA: 28, SRV: 33, OPT: 41, ANY: 255 } as const;

/** The Internet class. */
export const CLASS_IN = 1;

/** Response codes (OPT's extended code makes BADVERS 16). */
export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5, BADVERS: 16 } as const;

/** Largest DNS message (TCP's length prefix is 16 bits). */
export const MAX_MESSAGE = 65_535;

/** Largest UDP answer to a client without EDNS0. */
export const CLASSIC_UDP_SIZE = 512;

export interface Question {
  name: string;
  type: number;
  class: number;
}

/** The rdata of one record, by kind. `raw` carries types this module does not parse. */
export type RecordData =
  | { kind: 'A'; address: string }
  | { kind: 'AAAA'; address: string }
  | { kind: 'CNAME' | 'NS' | 'PTR'; target: string }
  | { kind: 'SRV'; priority: number; weight: number; port: number; target: string }
  | { kind: 'SOA'; mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number }
  | { kind: 'TXT'; texts: string[] }
  | { kind: 'OPT'; options: Array<{ code: number; data: Buffer }> }
  | { kind: 'raw'; bytes: Buffer };

/** One resource record. For OPT, `class` is the UDP payload size and `ttl` packs extended rcode, version and flags. */
export interface ResourceRecord {
  name: string;
  type: number;
  class: number;
  ttl: number;
  data: RecordData;
}

export interface Message {
  id: number;
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  ad: boolean;
  cd: boolean;
  /** The low 4 bits of the response code (the rest lives in OPT). */
  rcode: number;
  questions: Question[];
  answers: ResourceRecord[];
  authorities: ResourceRecord[];
  additionals: ResourceRecord[];
}

const KIND_OF: Record<number, RecordData['kind']> = { 1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 16: 'TXT', 28: 'AAAA', 33: 'SRV', 41: 'OPT' };

// ---- decoding ----

class Reader {
  constructor(
    readonly buf: Buffer,
    public pos = 0,
  ) {}

  need(n: number, what: string): void {
    if (this.pos + n > this.buf.length) throw new MessageError(`message ends inside ${what}`);
  }
  u8(what: string): number {
    this.need(1, what);
    return this.buf[this.pos++]!;
  }
  u16(what: string): number {
    this.need(2, what);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  u32(what: string): number {
    this.need(4, what);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  bytes(n: number, what: string): Buffer {
    this.need(n, what);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  /**
   * A possibly compressed name. Each pointer must point before every byte of the name read so far,
   * so the positions strictly decrease at each jump and no loop can form.
   */
  name(): string {
    const labels: string[] = [];
    let pos = this.pos;
    let floor = pos;
    let wire = 1;
    let jumped = false;
    for (;;) {
      if (pos >= this.buf.length) throw new MessageError('message ends inside a name');
      const len = this.buf[pos]!;
      if (len === 0) {
        if (!jumped) this.pos = pos + 1;
        break;
      }
      if ((len & 0xc0) === 0xc0) {
        if (pos + 1 >= this.buf.length) throw new MessageError('message ends inside a compression pointer');
        const target = ((len & 0x3f) << 8) | this.buf[pos + 1]!;
        if (target >= floor) throw new MessageError(`compression pointer at ${pos} does not point backwards`);
        if (!jumped) this.pos = pos + 2;
        jumped = true;
        pos = floor = target;
        continue;
      }
      if (len & 0xc0) throw new MessageError(`unsupported label type 0x${(len & 0xc0).toString(16)}`);
      if (pos + 1 + len > this.buf.length) throw new MessageError('message ends inside a label');
      wire += len + 1;
      if (wire > 255) throw new MessageError('name longer than 255 bytes');
      labels.push(labelText(this.buf.subarray(pos + 1, pos + 1 + len)));
      pos += 1 + len;
    }
    return labels.join('.');
  }
}

function readQuestion(r: Reader): Question {
  return { name: r.name(), type: r.u16('a question'), class: r.u16('a question') };
}

function readRecord(r: Reader): ResourceRecord {
  const name = r.name();
  const type = r.u16('a record');
  const cls = r.u16('a record');
  const ttl = r.u32('a record');
  const len = r.u16('a record');
  r.need(len, 'rdata');
  const end = r.pos + len;
  const data = readData(r, type, len, end);
  if (r.pos !== end) throw new MessageError(`rdata of type ${type} is ${len} bytes but its fields take ${r.pos - (end - len)}`);
  return { name, type, class: cls, ttl, data };
}

function readData(r: Reader, type: number, len: number, end: number): RecordData {
  const kind = KIND_OF[type];
  // Names inside rdata may point anywhere before them but must end inside the rdata.
  const name = () => {
    const n = r.name();
    if (r.pos > end) throw new MessageError('a name runs past its rdata');
    return n;
  };
  switch (kind) {
    case 'A':
      if (len !== 4) throw new MessageError(`A rdata of ${len} bytes`);
      return { kind, address: [...r.bytes(4, 'an address')].join('.') };
    case 'AAAA':
      if (len !== 16) throw new MessageError(`AAAA rdata of ${len} bytes`);
      return { kind, address: formatIpv6(r.bytes(16, 'an address')) };
    case 'CNAME':
    case 'NS':
    case 'PTR':
      return { kind, target: name() };
    case 'SRV':
      return { kind, priority: r.u16('SRV'), weight: r.u16('SRV'), port: r.u16('SRV'), target: name() };
    case 'SOA': {
      const mname = name();
      const rname = name();
      if (end - r.pos !== 20) throw new MessageError('SOA rdata has the wrong length');
      return { kind, mname, rname, serial: r.u32('SOA'), refresh: r.u32('SOA'), retry: r.u32('SOA'), expire: r.u32('SOA'), minimum: r.u32('SOA') };
    }
    case 'TXT': {
      const texts: string[] = [];
      while (r.pos < end) texts.push(r.bytes(r.u8('TXT'), 'a TXT string').toString('utf8'));
      return { kind, texts };
    }
    case 'OPT': {
      const options: Array<{ code: number; data: Buffer }> = [];
      while (r.pos < end) {
        const code = r.u16('an EDNS option');
        options.push({ code, data: Buffer.from(r.bytes(r.u16('an EDNS option'), 'an EDNS option')) });
      }
      return { kind, options };
    }
    default:
      return { kind: 'raw', bytes: Buffer.from(r.bytes(len, 'rdata')) };
  }
}

/** The fixed 12-byte header alone, for answering what cannot be decoded; undefined when too short. */
export function peekHeader(buf: Buffer): { id: number; qr: boolean; opcode: number; rd: boolean } | undefined {
  if (buf.length < 12) return undefined;
  const flags = buf.readUInt16BE(2);
  return { id: buf.readUInt16BE(0), qr: !!(flags & 0x8000), opcode: (flags >> 11) & 0xf, rd: !!(flags & 0x0100) };
}

/** Decodes a whole message; throws MessageError for anything malformed, including trailing bytes. */
export function decodeMessage(buf: Buffer): Message {
  const r = new Reader(buf);
  const id = r.u16('the header');
  const flags = r.u16('the header');
  const counts = [r.u16('the header'), r.u16('the header'), r.u16('the header'), r.u16('the header')] as const;
  // Each question takes at least 5 bytes and each record 11: reject absurd counts before looping.
  if (counts[0] * 5 + (counts[1] + counts[2] + counts[3]) * 11 > buf.length - 12) throw new MessageError('section counts exceed the message');
  const questions = Array.from({ length: counts[0] }, () => readQuestion(r));
  const answers = Array.from({ length: counts[1] }, () => readRecord(r));
  const authorities = Array.from({ length: counts[2] }, () => readRecord(r));
  const additionals = Array.from({ length: counts[3] }, () => readRecord(r));
  if (r.pos !== buf.length) throw new MessageError(`${buf.length - r.pos} bytes after the last record`);
  return {
    id,
    qr: !!(flags & 0x8000),
    opcode: (flags >> 11) & 0xf,
    aa: !!(flags & 0x0400),
    tc: !!(flags & 0x0200),
    rd: !!(flags & 0x0100),
    ra: !!(flags & 0x0080),
    ad: !!(flags & 0x0020),
    cd: !!(flags & 0x0010),
    rcode: flags & 0xf,
    questions,
    answers,
    authorities,
    additionals,
  };
}

// ---- encoding ----

class Writer {
  buf = Buffer.alloc(512);
  len = 0;
  /** Offsets of names already written, by their lower-cased labels: the targets for compression. */
  private readonly names = new Map<string, number>();

  private room(n: number): void {
    if (this.len + n > MAX_MESSAGE) throw new MessageError(`message longer than ${MAX_MESSAGE} bytes`);
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.alloc(Math.min(MAX_MESSAGE, Math.max(this.buf.length * 2, this.len + n)));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }
  u8(v: number): void {
    this.room(1);
    this.buf[this.len++] = v & 0xff;
  }
  u16(v: number): void {
    this.room(2);
    this.buf.writeUInt16BE(v & 0xffff, this.len);
    this.len += 2;
  }
  u32(v: number): void {
    this.room(4);
    this.buf.writeUInt32BE(v >>> 0, this.len);
    this.len += 4;
  }
  bytes(b: Buffer): void {
    this.room(b.length);
    b.copy(this.buf, this.len);
    this.len += b.length;
  }

  /** Writes `name`, ending in a pointer to an earlier copy of its longest known suffix when `compress`. */
  name(name: string, compress: boolean): void {
    const labels = nameToLabels(name);
    for (let i = 0; i < labels.length; i++) {
      const key = labels.slice(i).map((l) => lowerName(l.toString('latin1'))).join('\0');
      const at = this.names.get(key);
      if (compress && at !== undefined) {
        this.u16(0xc000 | at);
        return;
      }
      if (at === undefined && this.len < 0x4000) this.names.set(key, this.len);
      this.u8(labels[i]!.length);
      this.bytes(labels[i]!);
    }
    this.u8(0);
  }

  done(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.len));
  }
}

function writeData(w: Writer, d: RecordData): void {
  switch (d.kind) {
    case 'A':
      if (!isIPv4(d.address)) throw new MessageError(`not an IPv4 address: ${d.address}`);
      for (const part of d.address.split('.')) w.u8(Number(part));
      return;
    case 'AAAA':
      w.bytes(parseIpv6(d.address));
      return;
    case 'CNAME':
    case 'NS':
    case 'PTR':
      w.name(d.target, true);
      return;
    case 'SRV':
      w.u16(d.priority);
      w.u16(d.weight);
      w.u16(d.port);
      // RFC 2782: the target of an SRV record is never compressed.
      w.name(d.target, false);
      return;
    case 'SOA':
      w.name(d.mname, true);
      w.name(d.rname, true);
      for (const v of [d.serial, d.refresh, d.retry, d.expire, d.minimum]) w.u32(v);
      return;
    case 'TXT':
      for (const t of d.texts) {
        const b = Buffer.from(t, 'utf8');
        if (b.length > 255) throw new MessageError('TXT string longer than 255 bytes');
        w.u8(b.length);
        w.bytes(b);
      }
      return;
    case 'OPT':
      for (const o of d.options) {
        w.u16(o.code);
        w.u16(o.data.length);
        w.bytes(o.data);
      }
      return;
    case 'raw':
      w.bytes(d.bytes);
  }
}

function writeRecord(w: Writer, rr: ResourceRecord): void {
  w.name(rr.name, true);
  w.u16(rr.type);
  w.u16(rr.class);
  w.u32(rr.ttl);
  const lenAt = w.len;
  w.u16(0);
  writeData(w, rr.data);
  const len = w.len - lenAt - 2;
  if (len > 0xffff) throw new MessageError('rdata longer than 65535 bytes');
  w.buf.writeUInt16BE(len, lenAt);
}

/** Encodes a message with name compression; throws MessageError for values that do not fit the wire. */
export function encodeMessage(m: Message): Buffer {
  const w = new Writer();
  w.u16(m.id);
  const flags =
    (m.qr ? 0x8000 : 0) | ((m.opcode & 0xf) << 11) | (m.aa ? 0x0400 : 0) | (m.tc ? 0x0200 : 0) | (m.rd ? 0x0100 : 0) |
    (m.ra ? 0x0080 : 0) | (m.ad ? 0x0020 : 0) | (m.cd ? 0x0010 : 0) | (m.rcode & 0xf);
  w.u16(flags);
  for (const n of [m.questions.length, m.answers.length, m.authorities.length, m.additionals.length]) w.u16(n);
  for (const q of m.questions) {
    w.name(q.name, true);
    w.u16(q.type);
    w.u16(q.class);
  }
  for (const rr of [...m.answers, ...m.authorities, ...m.additionals]) writeRecord(w, rr);
  return w.done();
}

/**
 * Encodes `m` in at most `limit` bytes: first whole; then without the additional section (but
 * its OPT), which needs no TC bit; else with the TC bit and only the question, so the client
 * asks again over TCP.
 */
export function encodeWithin(m: Message, limit: number): Buffer {
  const whole = encodeMessage(m);
  if (whole.length <= limit) return whole;
  const opt = m.additionals.filter((rr) => rr.type === TYPE.OPT);
  const lean = encodeMessage({ ...m, additionals: opt });
  if (lean.length <= limit) return lean;
  return encodeMessage({ ...m, tc: true, answers: [], authorities: [], additionals: opt });
}

// ---- EDNS0 ----

/** What a message's OPT record says; undefined without one. */
export interface Edns {
  udpSize: number;
  version: number;
  extendedRcode: number;
  dnssecOk: boolean;
}

/** The EDNS0 facts of `m` (its first OPT record). */
export function ednsOf(m: Message): Edns | undefined {
  const opt = m.additionals.find((rr) => rr.type === TYPE.OPT);
  if (!opt) return undefined;
  return { udpSize: opt.class, extendedRcode: opt.ttl >>> 24, version: (opt.ttl >>> 16) & 0xff, dnssecOk: !!(opt.ttl & 0x8000) };
}

/** An OPT record announcing `udpSize`; a response code above 15 puts its high bits here. */
export function optRecord(udpSize: number, rcode = 0): ResourceRecord {
  return { name: '', type: TYPE.OPT, class: udpSize, ttl: ((rcode >> 4) & 0xff) << 24, data: { kind: 'OPT', options: [] } };
}
