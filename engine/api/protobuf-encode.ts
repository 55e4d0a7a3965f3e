// Building protobuf bytes by hand: for tests that play a client sending Kubernetes' wire format.

/** A varint. */
export function varint(n: number): Buffer {
  const out: number[] = [];
  do {
    out.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
    n = Math.floor(n / 128);
  } while (n > 0);
  return Buffer.from(out);
}

/** A length-delimited field (a message, string or bytes). */
export const field = (num: number, bytes: Buffer): Buffer => Buffer.concat([varint((num << 3) | 2), varint(bytes.length), bytes]);

/** A string field. */
export const str = (num: number, s: string): Buffer => field(num, Buffer.from(s));

/** A varint field (numbers, booleans). */
export const vint = (num: number, n: number): Buffer => Buffer.concat([varint(num << 3), varint(n)]);

/** A message field made of the given encoded fields. */
export const msg = (num: number, ...parts: Buffer[]): Buffer => field(num, Buffer.concat(parts));
