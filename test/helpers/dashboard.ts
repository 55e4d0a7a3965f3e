// Raw HTTP requests and WebSocket handshakes against a dashboard server, as a browser (or an
// attacker's page) would send them: every header explicit, no cookie jar, no agent.
import { randomBytes } from 'node:crypto';
import { request, type IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { encodeFrame, FrameParser, OP, type Frame } from '../../engine/wire/websocket-frames.js';

/** One answer. */
export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Every answer's headers seen by a suite, to check that none carries CORS. */
export const seenHeaders: IncomingHttpHeaders[] = [];

/** Sends one request to 127.0.0.1:`port` with exactly `headers` (Host defaults to 127.0.0.1:PORT). */
export function raw(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent: false, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        seenHeaders.push(res.headers);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A WebSocket handshake's outcome: the open socket, or the refusal. */
export type Handshake =
  | { ok: true; headers: IncomingHttpHeaders; key: string; socket: Socket; frames: () => Promise<Frame>; send: (text: string) => void }
  | { ok: false; status: number; body: string };

/** Opens a WebSocket to `path` with `headers` (Host defaults to ours); frames() yields the server's frames in order and rejects once the socket is closed. */
export function wsConnect(port: number, path: string, headers: Record<string, string> = {}): Promise<Handshake> {
  const key = randomBytes(16).toString('base64');
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path,
      agent: false,
      headers: { host: `127.0.0.1:${port}`, connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': key, ...headers },
    });
    req.on('upgrade', (res, socket: Socket, head: Buffer) => {
      seenHeaders.push(res.headers);
      const parser = new FrameParser({ requireMask: false });
      const queue: Frame[] = [];
      const waiting: Array<{ resolve: (f: Frame) => void; reject: (err: Error) => void }> = [];
      let closed = false;
      const push = (chunk: Buffer) => {
        for (const f of parser.push(chunk)) {
          const w = waiting.shift();
          if (w) w.resolve(f);
          else queue.push(f);
        }
      };
      socket.on('data', push);
      socket.on('close', () => {
        closed = true;
        for (const w of waiting.splice(0)) w.reject(new Error('the socket closed'));
      });
      if (head.length) push(head);
      resolve({
        ok: true,
        headers: res.headers,
        key,
        socket,
        frames: () =>
          new Promise((resolve, reject) => {
            if (queue.length) resolve(queue.shift()!);
            else if (closed) reject(new Error('the socket closed'));
            else waiting.push({ resolve, reject });
          }),
        send: (text) => socket.write(encodeFrame(OP.text, Buffer.from(text), { mask: randomBytes(4) })),
      });
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        seenHeaders.push(res.headers);
        resolve({ ok: false, status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** The next text message of an open socket, parsed (control frames skipped). */
export async function nextMessage(ws: Extract<Handshake, { ok: true }>): Promise<Record<string, unknown>> {
  for (;;) {
    const f = await ws.frames();
    if (f.opcode === OP.text) return JSON.parse(f.payload.toString('utf8')) as Record<string, unknown>;
  }
}

/** Opens the launch URL and returns the `Cookie` header value the dashboard set. */
export async function signIn(port: number, launchUrl: string): Promise<string> {
  const url = new URL(launchUrl);
  const res = await raw(port, 'GET', `${url.pathname}${url.search}`);
  const set = res.headers['set-cookie']?.[0];
  if (res.status !== 303 || !set) throw new Error(`sign-in failed: ${res.status} ${res.body}`);
  return set.split(';')[0]!;
}
