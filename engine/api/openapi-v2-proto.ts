// The OpenAPI v2 document in the protobuf form kubectl downloads for client-side validation
// (gnostic's openapi.v2.Document): its definitions, with their types, properties, references and
// Kubernetes vendor extensions. Field numbers are facts of that message format.

/** A protobuf message writer (length-delimited fields, varints, doubles). */
class Writer {
  private readonly parts: Buffer[] = [];

  private varint(n: number): void {
    const out: number[] = [];
    let v = BigInt(n);
    if (v < 0n) v += 1n << 64n;
    do {
      let b = Number(v & 0x7fn);
      v >>= 7n;
      if (v > 0n) b |= 0x80;
      out.push(b);
    } while (v > 0n);
    this.parts.push(Buffer.from(out));
  }

  bytes(field: number, data: Buffer): this {
    this.varint((field << 3) | 2);
    this.varint(data.length);
    this.parts.push(data);
    return this;
  }

  string(field: number, s: string | undefined): this {
    return s ? this.bytes(field, Buffer.from(s, 'utf8')) : this;
  }

  message(field: number, w: Writer | undefined): this {
    return w ? this.bytes(field, w.finish()) : this;
  }

  int(field: number, n: number | undefined): this {
    if (n === undefined) return this;
    this.varint(field << 3);
    this.varint(n);
    return this;
  }

  bool(field: number, b: boolean | undefined): this {
    return b ? this.int(field, 1) : this;
  }

  double(field: number, n: number | undefined): this {
    if (n === undefined) return this;
    this.varint((field << 3) | 1);
    const b = Buffer.alloc(8);
    b.writeDoubleLE(n);
    this.parts.push(b);
    return this;
  }

  finish(): Buffer {
    return Buffer.concat(this.parts);
  }
}

type Json = Record<string, unknown>;

/** An `Any` holding a value as YAML (JSON is YAML). */
function anyValue(v: unknown): Writer {
  return new Writer().string(2, `${JSON.stringify(v)}\n`);
}

function namedAny(name: string, v: unknown): Writer {
  return new Writer().string(1, name).message(2, anyValue(v));
}

/** One JSON schema (as openApiV2 writes it) as a gnostic Schema message. */
function schema(s: Json): Writer {
  const w = new Writer();
  w.string(1, s.$ref as string | undefined);
  w.string(2, s.format as string | undefined);
  w.string(4, s.description as string | undefined);
  if (s.default !== undefined) w.message(5, anyValue(s.default));
  w.double(7, s.maximum as number | undefined);
  w.double(9, s.minimum as number | undefined);
  w.int(11, s.maxLength as number | undefined);
  w.int(12, s.minLength as number | undefined);
  w.string(13, s.pattern as string | undefined);
  w.int(14, s.maxItems as number | undefined);
  w.int(15, s.minItems as number | undefined);
  for (const r of (s.required as string[] | undefined) ?? []) w.string(19, r);
  for (const e of (s.enum as unknown[] | undefined) ?? []) w.message(20, anyValue(e));
  if (s.additionalProperties !== undefined) {
    const ap = new Writer();
    if (typeof s.additionalProperties === 'boolean') ap.bool(2, s.additionalProperties);
    else ap.message(1, schema(s.additionalProperties as Json));
    w.message(21, ap);
  }
  if (s.type) w.message(22, new Writer().string(1, s.type as string));
  if (s.items) w.message(23, new Writer().message(1, schema(s.items as Json)));
  for (const a of (s.allOf as Json[] | undefined) ?? []) w.message(24, schema(a));
  if (s.properties) {
    const props = new Writer();
    for (const [name, p] of Object.entries(s.properties as Record<string, Json>)) props.message(1, new Writer().string(1, name).message(2, schema(p)));
    w.message(25, props);
  }
  for (const [k, v] of Object.entries(s)) if (k.startsWith('x-')) w.message(31, namedAny(k, v));
  return w;
}

/** Encodes an OpenAPI v2 document (the JSON openApiV2 makes) as gnostic's protobuf Document. */
export function encodeOpenApiV2(doc: Json): Buffer {
  const w = new Writer();
  w.string(1, doc.swagger as string);
  const info = doc.info as Json | undefined;
  if (info) w.message(2, new Writer().string(1, info.title as string).string(2, info.version as string));
  const defs = new Writer();
  for (const [name, s] of Object.entries((doc.definitions as Record<string, Json> | undefined) ?? {})) defs.message(1, new Writer().string(1, name).message(2, schema(s)));
  w.message(9, defs);
  return w.finish();
}
