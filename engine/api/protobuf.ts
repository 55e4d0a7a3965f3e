// Decoding of Kubernetes' protobuf wire format (what kubectl's typed clients send for built-in
// kinds) into the JSON shape of the same object. Which field number means what is data: the
// registry's schemas carry the numbers, proto-schemas.ts turns them into messages.

/** Scalar and well-known value types. */
export type ProtoScalar = 'string' | 'bytes' | 'int64' | 'int32' | 'bool' | 'double' | 'time' | 'microtime' | 'duration' | 'rawjson' | 'quantity' | 'intOrString';

/** How one protobuf field maps onto a JSON field. */
export interface ProtoField {
  name: string;
  type: ProtoScalar | ProtoMessage | { map: ProtoScalar | ProtoMessage };
  repeated?: boolean;
  /** Keep zero values (pointer fields) instead of dropping them as JSON's omitempty would. */
  keepZero?: boolean;
  /** An embedded message whose fields JSON shows in the enclosing object. */
  inline?: boolean;
}

/** A message: field number → field. */
export type ProtoMessage = { [field: number]: ProtoField };

/** Thrown for bytes that are not a valid message of the expected shape. */
export class ProtoError extends Error {}

/** The 4-byte prefix of Kubernetes protobuf bodies. */
export const K8S_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw new ProtoError('truncated varint');
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 63n) throw new ProtoError('varint too long');
    }
  }

  bytes(): Buffer {
    const len = Number(this.varint());
    if (len < 0 || this.pos + len > this.buf.length) throw new ProtoError('length-delimited field runs past the end');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new ProtoError(`unsupported wire type ${wire}`);
    if (this.pos > this.buf.length) throw new ProtoError('field runs past the end');
  }
}

const int64 = (v: bigint) => Number(BigInt.asIntN(64, v));

/** How an unset (zero) timestamp decodes; Go writes it into protobuf, JSON leaves it out. */
const ZERO_TIME = '1970-01-01T00:00:00Z';

/** Decodes a Time (seconds, nanos) as RFC 3339: whole seconds, or microseconds for MicroTime. */
function decodeTime(buf: Buffer, micro: boolean): string {
  const r = new Reader(buf);
  let seconds = 0;
  let nanos = 0;
  while (!r.done) {
    const key = Number(r.varint());
    if (key >> 3 === 1 && (key & 7) === 0) seconds = int64(r.varint());
    else if (key >> 3 === 2 && (key & 7) === 0) nanos = Number(r.varint());
    else r.skip(key & 7);
  }
  const whole = new Date(seconds * 1000).toISOString().slice(0, 19);
  if (!micro) return `${whole}Z`;
  if (seconds === 0 && nanos === 0) return ZERO_TIME;
  return `${whole}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`;
}

/** The length-delimited fields of a message by number (the last occurrence wins); other fields are skipped. */
function delimitedFields(buf: Buffer): Map<number, Buffer> {
  const r = new Reader(buf);
  const out = new Map<number, Buffer>();
  while (!r.done) {
    const key = Number(r.varint());
    if ((key & 7) === 2) out.set(key >> 3, r.bytes());
    else r.skip(key & 7);
  }
  return out;
}

/** A Go duration string as JSON carries it: 1h2m3.5s, 90s → 1m30s, 0 → 0s. */
function formatDuration(ns: number): string {
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  let rest = Math.abs(ns);
  if (rest < 1e9) return `${sign}${rest >= 1e6 ? `${rest / 1e6}ms` : rest >= 1e3 ? `${rest / 1e3}µs` : `${rest}ns`}`;
  const h = Math.floor(rest / 3.6e12);
  rest -= h * 3.6e12;
  const m = Math.floor(rest / 6e10);
  rest -= m * 6e10;
  const sec = `${rest / 1e9}s`;
  return `${sign}${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${sec}`;
}

/** Decodes a length-delimited value of a scalar kind. */
function decodeDelimited(t: ProtoScalar, b: Buffer): unknown {
  switch (t) {
    case 'string':
      return b.toString('utf8');
    case 'bytes':
      return b.toString('base64');
    case 'time':
    case 'microtime':
      return decodeTime(b, t === 'microtime');
    case 'rawjson': {
      const raw = delimitedFields(b).get(1);
      return raw && raw.length ? JSON.parse(raw.toString('utf8')) : undefined;
    }
    case 'quantity':
      return (delimitedFields(b).get(1) ?? Buffer.alloc(0)).toString('utf8');
    case 'intOrString': {
      const v = decodeMessage(b, { 1: { name: 'type', type: 'int64' }, 2: { name: 'intVal', type: 'int32' }, 3: { name: 'strVal', type: 'string' } });
      return v.type === 1 ? String(v.strVal ?? '') : Number(v.intVal ?? 0);
    }
    case 'duration':
      return formatDuration(Number(decodeMessage(b, { 1: { name: 'd', type: 'int64' } }).d ?? 0));
    default:
      throw new ProtoError(`expected a varint, found length-delimited data`);
  }
}

const DELIMITED = new Set(['string', 'bytes', 'time', 'microtime', 'rawjson', 'quantity', 'intOrString', 'duration']);

/** Decodes one value of type `t` with wire type `wire` from `r`. */
function decodeValue(r: Reader, t: ProtoField['type'], wire: number, name: string): unknown {
  if (typeof t === 'object' && 'map' in t) throw new ProtoError(`field ${name}: nested map`);
  if (typeof t === 'object') {
    if (wire !== 2) throw new ProtoError(`field ${name}: expected a message`);
    return decodeMessage(r.bytes(), t);
  }
  if (DELIMITED.has(t)) {
    if (wire !== 2) throw new ProtoError(`field ${name}: expected length-delimited data`);
    return decodeDelimited(t, r.bytes());
  }
  if (t === 'double') {
    if (wire !== 1) throw new ProtoError(`field ${name}: expected a 64-bit number`);
    const v = r.buf.readDoubleLE(r.pos);
    r.pos += 8;
    return v;
  }
  if (wire !== 0) throw new ProtoError(`field ${name}: expected a varint`);
  const v = r.varint();
  return t === 'bool' ? v !== 0n : t === 'int32' ? Number(BigInt.asIntN(32, v)) : int64(v);
}

function decodeMapEntry(buf: Buffer, valueType: ProtoScalar | ProtoMessage, name: string): [string, unknown] {
  const r = new Reader(buf);
  let key = '';
  let value: unknown = typeof valueType === 'object' ? {} : valueType === 'string' || valueType === 'bytes' || valueType === 'quantity' ? '' : undefined;
  while (!r.done) {
    const tag = Number(r.varint());
    if (tag >> 3 === 1 && (tag & 7) === 2) key = r.bytes().toString('utf8');
    else if (tag >> 3 === 2) value = decodeValue(r, valueType, tag & 7, name);
    else r.skip(tag & 7);
  }
  return [key, value];
}

const isZero = (v: unknown) => v === '' || v === 0 || v === false || v === ZERO_TIME || v === undefined;

/** Decodes one message into a plain object following `schema`; unknown field numbers are skipped. */
export function decodeMessage(buf: Buffer, schema: ProtoMessage): Record<string, unknown> {
  const r = new Reader(buf);
  const out: Record<string, unknown> = {};
  while (!r.done) {
    const key = Number(r.varint());
    const field = schema[key >> 3];
    const wire = key & 7;
    if (!field) {
      r.skip(wire);
      continue;
    }
    const t = field.type;
    if (typeof t === 'object' && 'map' in t) {
      if (wire !== 2) throw new ProtoError(`field ${field.name}: expected a map entry`);
      const [k, v] = decodeMapEntry(r.bytes(), t.map, field.name);
      out[field.name] = { ...(out[field.name] as object), [k]: v };
      continue;
    }
    if (field.repeated && wire === 2 && typeof t === 'string' && !DELIMITED.has(t)) {
      // A packed list of numbers or booleans.
      const packed = new Reader(r.bytes());
      const values: unknown[] = [];
      while (!packed.done) values.push(decodeValue(packed, t, t === 'double' ? 1 : 0, field.name));
      out[field.name] = [...((out[field.name] as unknown[]) ?? []), ...values];
      continue;
    }
    const value = decodeValue(r, t, wire, field.name);
    if (field.inline) {
      Object.assign(out, value as object);
      continue;
    }
    if (field.repeated) out[field.name] = [...((out[field.name] as unknown[]) ?? []), value];
    else if (isZero(value) && !field.keepZero) delete out[field.name]; // as JSON's omitempty
    else out[field.name] = value;
  }
  return out;
}

/** The envelope of a Kubernetes protobuf body: its apiVersion and kind, and the object's own bytes. */
export function unwrapEnvelope(body: Buffer): { apiVersion: string; kind: string; raw: Buffer } {
  if (!body.subarray(0, 4).equals(K8S_MAGIC)) throw new ProtoError('not a Kubernetes protobuf body (the "k8s\\0" prefix is missing)');
  const f = delimitedFields(body.subarray(4));
  const typeMeta = decodeMessage(f.get(1) ?? Buffer.alloc(0), { 1: { name: 'apiVersion', type: 'string' }, 2: { name: 'kind', type: 'string' } });
  const apiVersion = String(typeMeta.apiVersion ?? '');
  const kind = String(typeMeta.kind ?? '');
  const raw = f.get(2) ?? Buffer.alloc(0);
  return { apiVersion, kind, raw };
}
