// Forwarding to the upstream resolvers: the client's query bytes go out under an ID of our own
// (so a stray or spoofed datagram cannot answer it), and the answer comes back byte for byte
// with the client's ID restored.
import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { readFile } from 'node:fs/promises';
import { connect, isIP } from 'node:net';
import { parseResolvConf as parseSettings } from '../network/resolv-conf.js';

/** One upstream resolver. */
export interface Upstream {
  host: string;
  port: number;
}

/** The `nameserver` lines of a resolv.conf, in order (port 53). A scoped link-local address keeps its %interface: it is needed to reach it. */
export function parseResolvConf(text: string): Upstream[] {
  return parseSettings(text).servers.filter((s) => isIP(s)).map((host) => ({ host, port: 53 }));
}

/**
 * The upstreams in the resolv.conf at `path`, read now and again every 30 s (saying when they
 * change); when a read fails the previous ones stay.
 */
export async function followUpstreams(path: string, say: (l: string) => void): Promise<{ current(): Upstream[]; stop(): void }> {
  const read = async (previous?: Upstream[]): Promise<Upstream[]> => {
    try {
      const found = parseResolvConf(await readFile(path, 'utf8'));
      const now = found.map(describeUpstream).join(', ');
      if (previous && previous.map(describeUpstream).join(', ') !== now) say(`upstreams in ${path} changed: ${now || 'none'}`);
      if (!found.length && (!previous || previous.length)) say(`warning: ${path} names no nameserver; names outside the cluster get SERVFAIL`);
      return found;
    } catch (err) {
      say(`warning: reading ${path}: ${(err as Error).message}`);
      return previous ?? [];
    }
  };
  let upstreams = await read();
  const timer = setInterval(() => void read(upstreams).then((u) => (upstreams = u)), 30_000);
  timer.unref();
  return { current: () => upstreams, stop: () => clearInterval(timer) };
}

/** host:port of an upstream, for log lines. */
export function describeUpstream(u: Upstream): string {
  return isIP(u.host) === 6 ? `[${u.host}]:${u.port}` : `${u.host}:${u.port}`;
}

/** `query` with its ID replaced. */
function withId(query: Buffer, id: number): Buffer {
  const copy = Buffer.from(query);
  copy.writeUInt16BE(id, 0);
  return copy;
}

/** Whether `reply` looks like the answer to our query `id`. */
function answers(reply: Buffer, id: number): boolean {
  return reply.length >= 12 && reply.readUInt16BE(0) === id && (reply[2]! & 0x80) !== 0;
}

/** One UDP exchange with `up`; rejects on timeout or a socket error. */
export function exchangeUdp(query: Buffer, up: Upstream, timeoutMs: number): Promise<Buffer> {
  const id = randomInt(0, 0x10000);
  return new Promise((resolve, reject) => {
    let done = false;
    const socket = createSocket(isIP(up.host) === 6 ? 'udp6' : 'udp4');
    const finish = (err: Error | undefined, reply?: Buffer) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.close();
      if (err) reject(err);
      else resolve(reply!);
    };
    const timer = setTimeout(() => finish(new Error(`no answer from ${describeUpstream(up)} within ${timeoutMs} ms`)), timeoutMs);
    socket.on('error', (err) => finish(err));
    socket.on('message', (msg, from) => {
      if (from.port === up.port && from.address === up.host && answers(msg, id)) finish(undefined, msg);
    });
    socket.send(withId(query, id), up.port, up.host, (err) => err && finish(err));
  });
}

/** One TCP exchange with `up` (two-byte length prefix each way); rejects on timeout or a broken connection. */
export function exchangeTcp(query: Buffer, up: Upstream, timeoutMs: number): Promise<Buffer> {
  const id = randomInt(0, 0x10000);
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    let done = false;
    const socket = connect({ host: up.host, port: up.port });
    const finish = (err: Error | undefined, reply?: Buffer) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(reply!);
    };
    const timer = setTimeout(() => finish(new Error(`no answer from ${describeUpstream(up)} over TCP within ${timeoutMs} ms`)), timeoutMs);
    socket.on('connect', () => {
      const q = withId(query, id);
      const len = Buffer.alloc(2);
      len.writeUInt16BE(q.length);
      socket.write(Buffer.concat([len, q]));
    });
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length < 2 || buf.length < 2 + buf.readUInt16BE(0)) return;
      const reply = buf.subarray(2, 2 + buf.readUInt16BE(0));
      finish(answers(reply, id) ? undefined : new Error(`${describeUpstream(up)} answered over TCP with a mismatched message`), Buffer.from(reply));
    });
    socket.on('error', (err) => finish(err));
    socket.on('close', () => finish(new Error(`${describeUpstream(up)} closed the TCP connection without answering`)));
  });
}

/**
 * Asks each upstream in turn until one answers; undefined when all fail. The reply carries the
 * client's ID; `onFailure` hears about each upstream that did not answer.
 */
export async function forward(query: Buffer, upstreams: Upstream[], transport: 'udp' | 'tcp', timeoutMs: number, onFailure: (up: Upstream, err: Error) => void): Promise<Buffer | undefined> {
  const exchange = transport === 'udp' ? exchangeUdp : exchangeTcp;
  for (const up of upstreams) {
    try {
      const reply = await exchange(query, up, timeoutMs);
      reply.writeUInt16BE(query.readUInt16BE(0), 0);
      return reply;
    } catch (err) {
      onFailure(up, err as Error);
    }
  }
  return undefined;
}
