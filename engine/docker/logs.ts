/**
 * Joins the payloads of Docker's multiplexed log format (8-byte header: stream, 3 zero bytes,
 * big-endian length) into one string. Input that is not multiplexed (TTY containers) is returned as is.
 */
export function demuxLogs(buf: Buffer): string {
  const parts: Buffer[] = [];
  let at = 0;
  while (at + 8 <= buf.length) {
    const kind = buf[at];
    if (kind === undefined || kind > 2 || buf[at + 1] !== 0 || buf[at + 2] !== 0 || buf[at + 3] !== 0) return buf.toString();
    const size = buf.readUInt32BE(at + 4);
    parts.push(buf.subarray(at + 8, at + 8 + size));
    at += 8 + size;
  }
  if (at !== buf.length) return buf.toString();
  return Buffer.concat(parts).toString();
}
