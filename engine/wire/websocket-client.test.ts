import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { acceptWebSocket, offeredProtocols, type WebSocketConnection } from './websocket.js';
import { checkHandshake, connectWebSocket, WebSocketHandshakeError } from './websocket-client.js';
import { acceptKey } from './websocket-frames.js';

let server: Server | undefined;
const serverSide: WebSocketConnection[] = [];

/** Our own server side, echoing every message back with its kind, and picking `pick` of the offered subprotocols. */
async function echoServer(pick: (offered: string[]) => string | undefined = () => undefined): Promise<string> {
  server = createServer((_req, res) => {
    res.writeHead(403, { 'content-type': 'text/plain' });
    res.end('no socket for you');
  });
  server.on('upgrade', (req, socket, head) => {
    if (req.url === '/refuse') return socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 6\r\nConnection: close\r\n\r\nrefuse');
    const ws = acceptWebSocket(req, socket, head, pick(offeredProtocols(req)));
    serverSide.push(ws);
    ws.onMessage = (data, binary) => ws.send(Buffer.concat([Buffer.from(binary ? 'b:' : 't:'), data]), binary);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const ws of serverSide.splice(0)) ws.destroy();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

function nextMessage(ws: WebSocketConnection): Promise<{ data: Buffer; binary: boolean }> {
  return new Promise((resolve) => {
    ws.onMessage = (data, binary) => resolve({ data, binary });
  });
}

describe('connectWebSocket against our server-side WebSocket', () => {
  it('sends masked text and binary messages (the server refuses unmasked ones) and reads the answers', async () => {
    const url = await echoServer();
    const { ws, protocol } = await connectWebSocket(`${url}/echo`);
    expect(protocol).toBeUndefined();
    let got = nextMessage(ws);
    ws.send(Buffer.from('hello'), false);
    expect(await got).toEqual({ data: Buffer.from('t:hello'), binary: false });
    // Past 65535 bytes the frame length takes 8 bytes: both directions must agree.
    const big = Buffer.alloc(70_000, 7);
    got = nextMessage(ws);
    ws.send(big);
    const answer = await got;
    expect(answer.binary).toBe(true);
    expect(answer.data.length).toBe(70_002);
    expect(answer.data.subarray(2).equals(big)).toBe(true);
  });

  it('negotiates the subprotocol the server picks from the offered ones', async () => {
    const url = await echoServer((offered) => offered.find((p) => p === 'v4.channel.k8s.io'));
    const { ws, protocol } = await connectWebSocket(url, { protocols: ['v5.channel.k8s.io', 'v4.channel.k8s.io'] });
    expect(protocol).toBe('v4.channel.k8s.io');
    ws.destroy();
  });

  it('completes the closing handshake started by either side', async () => {
    const url = await echoServer();
    const { ws } = await connectWebSocket(url);
    const closed = new Promise<number>((r) => (ws.onClose = (code) => r(code)));
    await new Promise((r) => setTimeout(r, 20));
    serverSide[0]!.close(4000, 'bye');
    expect(await closed).toBe(4000);

    const second = await connectWebSocket(url);
    await new Promise((r) => setTimeout(r, 20));
    const serverClosed = new Promise<number>((r) => (serverSide[1]!.onClose = (code) => r(code)));
    second.ws.close(1000);
    expect(await serverClosed).toBe(1000);
  });

  it('answers pings (the server hears the pong)', async () => {
    const url = await echoServer();
    const { ws } = await connectWebSocket(url);
    await new Promise((r) => setTimeout(r, 20));
    const pong = new Promise<string>((r) => (serverSide[0]!.onPong = (p) => r(p.toString())));
    serverSide[0]!.ping(Buffer.from('are you there'));
    expect(await pong).toBe('are you there');
    ws.destroy();
  });

  it('rejects with the status and body of a refused handshake, and when nothing listens', async () => {
    const url = await echoServer();
    const err = await connectWebSocket(`${url}/refuse`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebSocketHandshakeError);
    expect((err as WebSocketHandshakeError).status).toBe(403);
    expect((err as Error).message).toContain('HTTP 403: refuse');
    const port = (server!.address() as AddressInfo).port;
    await new Promise<void>((r) => server!.close(() => r()));
    server = undefined;
    const down = await connectWebSocket(`ws://127.0.0.1:${port}`).catch((e: unknown) => e);
    expect((down as WebSocketHandshakeError).status).toBe(0);
    expect((down as Error).message).toMatch(/cannot open a WebSocket to 127\.0\.0\.1:\d+/);
  });
});

describe('checkHandshake', () => {
  const key = 'dGhlIHNhbXBsZSBub25jZQ==';
  const ok = { upgrade: 'websocket', 'sec-websocket-accept': acceptKey(key) };
  it.each([
    ['a right answer without protocol', ok, [], undefined],
    ['a right answer with an offered protocol', { ...ok, 'sec-websocket-protocol': 'b' }, ['a', 'b'], 'b'],
  ])('accepts %s', (_n, headers, offered, want) => {
    expect(checkHandshake({ headers }, key, offered)).toBe(want);
  });
  it.each([
    ['a wrong accept key', { ...ok, 'sec-websocket-accept': 'nope' }, [], /wrong Sec-WebSocket-Accept/],
    ['no upgrade header', { 'sec-websocket-accept': acceptKey(key) }, [], /did not switch/],
    ['a protocol never offered', { ...ok, 'sec-websocket-protocol': 'c' }, ['a'], /"c", which was not offered/],
  ])('refuses %s', (_n, headers, offered, want) => {
    expect(() => checkHandshake({ headers }, key, offered)).toThrow(want);
  });
});
