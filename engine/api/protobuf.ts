// Decoding of Kubernetes' protobuf wire format (what kubectl's typed clients send for built-in
// kinds) into the JSON shape of the same object. Which field number means what is data, kept
// per kind in proto-schemas.ts.

/** How one protobuf field maps onto a JSON field. */
export interface ProtoField {
  name: string;
  type: 'string' | 'bytes' | 'int64' | 'int32' | 'bool' | 'time' | 'microtime' | 'rawjson' | ProtoMessage | { map: 'string' | 'bytes' };
  repeated?: boolean;
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

function decodeMapEntry(buf: Buffer, valueType: 'string' | 'bytes'): [string, string] {
  const f = delimitedFields(buf);
  const v = f.get(2) ?? Buffer.alloc(0);
  return [(f.get(1) ?? Buffer.alloc(0)).toString('utf8'), valueType === 'bytes' ? v.toString('base64') : v.toString('utf8')];
}

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
    let value: unknown;
    const t = field.type;
    if (typeof t === 'object' && 'map' in t) {
      if (wire !== 2) throw new ProtoError(`field ${field.name}: expected a map entry`);
      const [k, v] = decodeMapEntry(r.bytes(), t.map as 'string' | 'bytes');
      out[field.name] = { ...(out[field.name] as object), [k]: v };
      continue;
    }
    if (typeof t === 'object') {
      if (wire !== 2) throw new ProtoError(`field ${field.name}: expected a message`);
      value = decodeMessage(r.bytes(), t);
    } else if (t === 'string' || t === 'bytes' || t === 'time' || t === 'microtime' || t === 'rawjson') {
      if (wire !== 2) throw new ProtoError(`field ${field.name}: expected length-delimited data`);
      const b = r.bytes();
      value = t === 'string' ? b.toString('utf8') : t === 'bytes' ? b.toString('base64') : t === 'time' || t === 'microtime' ? decodeTime(b, t === 'microtime') : JSON.parse(b.toString('utf8') || 'null');
    } else {
      if (wire !== 0) throw new ProtoError(`field ${field.name}: expected a varint`);
      const v = r.varint();
      value = t === 'bool' ? v !== 0n : t === 'int32' ? Number(BigInt.asIntN(32, v)) : int64(v);
    }
    if (field.repeated) out[field.name] = [...((out[field.name] as unknown[]) ?? []), value];
    else if (value === '' || value === 0 || value === ZERO_TIME) delete out[field.name]; // as JSON's omitempty
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
