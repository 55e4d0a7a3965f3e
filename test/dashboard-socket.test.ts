// The dashboard's /ws protocol over real sockets (no Docker): operation progress followed from the
// start or joined late, cancel, broadcasts to every socket, the greeting, the socket count that
// drives the cluster polling, and the closing handshake.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Operations } from '../engine/dashboard/operations.js';
import { SocketHub } from '../engine/dashboard/socket-hub.js';
import type { Progress } from '../engine/log/progress.js';
import { nullLogger } from '../engine/log/logger.js';
import { encodeFrame, OP } from '../engine/wire/websocket-frames.js';
import { nextMessage, wsConnect, type Handshake } from './helpers/dashboard.js';
import { eventually } from './helpers/eventually.js';

type Open = Extract<Handshake, { ok: true }>;

let server: Server;
let port: number;
let hub: SocketHub;
const ops = new Operations();
const counts: number[] = [];

beforeAll(async () => {
  hub = new SocketHub(ops, nullLogger, (n) => counts.push(n), () => [{ type: 'engine', engine: { docker: 'ok' } }]);
  server = createServer((_req, res) => res.end());
  server.on('upgrade', (req, socket, head) => hub.accept(req, socket, head));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  hub.close();
  server.closeAllConnections();
  await new Promise((r) => setTimeout(r, 50));
  server.close();
});

async function open(): Promise<Open> {
  const ws = await wsConnect(port, '/ws');
  if (!ws.ok) throw new Error(`refused: ${ws.status}`);
  expect(await nextMessage(ws)).toEqual({ type: 'engine', engine: { docker: 'ok' } });
  return ws;
}

/** An operation whose steps and end the test drives. */
function driven(cluster: string) {
  let progress!: Progress;
  let finish!: () => void;
  let fail!: (e: Error) => void;
  const op = ops.start('create', cluster, (p) => {
    progress = p;
    return new Promise<void>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
  });
  return { op, progress: (e: Parameters<Progress>[0]) => progress(e), finish: () => finish(), fail: (e: Error) => fail(e) };
}

describe('/ws', () => {
  it('greets, follows an operation joined late (steps so far, then new ones, then the end)', async () => {
    const d = driven('dev');
    await new Promise((r) => setTimeout(r, 0));
    d.progress({ step: 'Building node image', status: 'start' });
    const ws = await open();
    ws.send(JSON.stringify({ id: 'a', op: 'operation', operation: d.op.id }));
    expect(await nextMessage(ws)).toEqual({ id: 'a', type: 'progress', step: { step: 'Building node image', status: 'start' } });
    d.progress({ step: 'Building node image', status: 'done', elapsedMs: 12 });
    expect(await nextMessage(ws)).toEqual({ id: 'a', type: 'progress', step: { step: 'Building node image', status: 'done', elapsedMs: 12 } });
    d.fail(new Error('disk full'));
    expect(await nextMessage(ws)).toEqual({ id: 'a', type: 'end', state: 'failed', error: 'disk full' });
    ws.send(JSON.stringify({ id: 'b', op: 'operation', operation: d.op.id }));
    expect(await nextMessage(ws)).toMatchObject({ id: 'b', type: 'progress' });
    expect(await nextMessage(ws)).toMatchObject({ id: 'b', type: 'progress' });
    expect(await nextMessage(ws)).toEqual({ id: 'b', type: 'end', state: 'failed', error: 'disk full' });
    ws.socket.destroy();
  });

  it('stops a subscription on cancel', async () => {
    const d = driven('cancel-me');
    const ws = await open();
    ws.send(JSON.stringify({ id: 's', op: 'operation', operation: d.op.id }));
    d.progress({ step: 'one', status: 'start' });
    expect(await nextMessage(ws)).toMatchObject({ id: 's', step: { step: 'one' } });
    ws.send(JSON.stringify({ id: 's', op: 'cancel' }));
    ws.send(JSON.stringify({ id: 'probe', op: 'operation', operation: 'nope' }));
    expect(await nextMessage(ws)).toEqual({ id: 'probe', type: 'error', error: 'no operation "nope"' });
    d.progress({ step: 'two', status: 'start' });
    d.finish();
    await ops.settle();
    ws.send(JSON.stringify({ id: 'probe2', op: 'operation', operation: 'nope' }));
    // Nothing about "two" or the end came in between.
    expect(await nextMessage(ws)).toEqual({ id: 'probe2', type: 'error', error: 'no operation "nope"' });
    ws.socket.destroy();
  });

  it('answers malformed messages with an error', async () => {
    const ws = await open();
    ws.send('not json');
    expect(await nextMessage(ws)).toMatchObject({ type: 'error', error: expect.stringContaining('JSON') });
    ws.send('{"id":"x","op":"exec"}');
    expect(await nextMessage(ws)).toMatchObject({ type: 'error' });
    ws.socket.destroy();
  });

  it('broadcasts to every socket and counts the open ones', async () => {
    await eventually('earlier sockets to close', async () => hub.size === 0, 5000, 20);
    counts.length = 0;
    const a = await open();
    const b = await open();
    expect(hub.size).toBe(2);
    hub.broadcast({ type: 'clusters', clusters: [] });
    expect(await nextMessage(a)).toEqual({ type: 'clusters', clusters: [] });
    expect(await nextMessage(b)).toEqual({ type: 'clusters', clusters: [] });
    a.socket.destroy();
    await eventually('one socket left', async () => hub.size === 1, 5000, 20);
    // A clean closing handshake: the server answers the close frame and ends the socket.
    b.socket.write(encodeFrame(OP.close, Buffer.from([0x03, 0xe8]), { mask: randomBytes(4) }));
    let f;
    do f = await b.frames();
    while (f.opcode !== OP.close);
    expect(f.payload.readUInt16BE(0)).toBe(1000);
    await eventually('no socket left', async () => hub.size === 0, 5000, 20);
    expect(counts).toEqual([1, 2, 1, 0]);
  });
});
