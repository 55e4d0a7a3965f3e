// The port tunnel's line protocol, shared by its server (in the control-plane node) and the host's
// forwarder. After TLS, the client sends one line `CONNECT <protocol> <port>\n`; the server
// answers `OK\n` or `ERR <message>\n`; after OK the connection carries the relayed bytes.

/** Longest request or reply line accepted; anything longer is not our protocol. */
export const MAX_LINE_BYTES = 512;

/** A request the server can act on, or why it cannot. */
export type ConnectRequest = { ok: true; protocol: 'TCP'; port: number } | { ok: false; error: string };

/** The request line for `port` (newline included). */
export function connectLine(port: number, protocol: 'TCP' = 'TCP'): string {
  return `CONNECT ${protocol} ${port}\n`;
}

/** Reads a request line (without its newline). Only TCP is carried for now. */
export function parseConnectLine(line: string): ConnectRequest {
  const parts = line.trim().split(/\s+/);
  if (parts[0] !== 'CONNECT' || parts.length !== 3) return { ok: false, error: `expected "CONNECT <protocol> <port>", got "${line.slice(0, 80)}"` };
  const protocol = parts[1]!.toUpperCase();
  if (protocol === 'UDP' || protocol === 'SCTP') return { ok: false, error: `${protocol} is not carried by the port tunnel (TCP only)` };
  if (protocol !== 'TCP') return { ok: false, error: `unknown protocol "${parts[1]}"` };
  const port = parts[2]!;
  if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) return { ok: false, error: `invalid port "${port}"` };
  return { ok: true, protocol: 'TCP', port: Number(port) };
}

/** The server's answer line (newline included); messages are kept to one line. */
export function replyLine(error?: string): string {
  return error === undefined ? 'OK\n' : `ERR ${error.replace(/[\r\n]+/g, ' ').slice(0, MAX_LINE_BYTES - 8)}\n`;
}

/** Reads the server's answer line: undefined for OK, else the error it names. */
export function parseReply(line: string): { ok: true } | { ok: false; error: string } {
  const text = line.trim();
  if (text === 'OK') return { ok: true };
  if (text.startsWith('ERR')) return { ok: false, error: text.slice(3).trim() || 'refused' };
  return { ok: false, error: `unexpected answer "${text.slice(0, 80)}"` };
}

/**
 * Splits the first line off `buf`: the line (without \n or \r\n) and the bytes after it, which
 * already belong to the relayed stream. Undefined while no newline has arrived; throws when the
 * line is longer than MAX_LINE_BYTES.
 */
export function splitLine(buf: Buffer): { line: string; rest: Buffer } | undefined {
  const nl = buf.indexOf(0x0a);
  if (nl < 0) {
    if (buf.length > MAX_LINE_BYTES) throw new Error(`line longer than ${MAX_LINE_BYTES} bytes`);
    return undefined;
  }
  if (nl > MAX_LINE_BYTES) throw new Error(`line longer than ${MAX_LINE_BYTES} bytes`);
  return { line: buf.subarray(0, nl).toString('utf8').replace(/\r$/, ''), rest: buf.subarray(nl + 1) };
}

/** Who may open tunnels: a verified client certificate of the cluster admins (group system:masters). */
export function tunnelRefusal(subject: { CN?: string; O?: string | string[] } | undefined): string | undefined {
  if (!subject?.CN) return 'a client certificate signed by the cluster CA is required';
  const groups = Array.isArray(subject.O) ? subject.O : subject.O ? [subject.O] : [];
  return groups.includes('system:masters') ? undefined : `user "${subject.CN}" may not open port tunnels (needs group system:masters)`;
}
