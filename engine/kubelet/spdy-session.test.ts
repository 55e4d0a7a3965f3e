import { describe, expect, it } from 'vitest';
import { decodeHeaderBlock, encodeData, encodeHeaderBlock, FLAG_FIN, ping, rstStream, SPDY, SpdyParser, synStream, type SpdyFrame } from './spdy-frames.js';
import { SpdySession, type SpdyStream } from './spdy-session.js';
import { HeaderZlib } from './spdy-zlib.js';

/** A session with an in-memory transport, and a client-side compressor/decoder for its frames. */
function harness() {
  const sent: SpdyFrame[] = [];
  const parser = new SpdyParser();
  let closed = false;
  const session = new SpdySession({ write: (b) => sent.push(...parser.push(b)), close: () => (closed = true) });
  const streams: SpdyStream[] = [];
  session.onStream = (s) => streams.push(s);
  const deflate = HeaderZlib.compressor();
  const inflate = HeaderZlib.decompressor();
  const open = async (id: number, headers: Record<string, string>, fin = false) => session.receive(synStream(id, await deflate.process(encodeHeaderBlock(headers)), fin));
  // Header blocks go through zlib on the thread pool: wait for what a step should lead to, not a fixed time.
  const settle = async (done: () => boolean) => {
    for (const end = Date.now() + 5000; !done() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 5));
  };
  return { session, sent, streams, open, settle, inflate, closed: () => closed };
}

describe('SpdySession', () => {
  it('accepts client streams with SYN_REPLY and delivers their headers and data', async () => {
    const h = harness();
    await h.open(1, { streamType: 'error', port: '8080', requestID: '0' }, true);
    await h.open(3, { streamType: 'data', port: '8080', requestID: '0' });
    const got: string[] = [];
    await h.settle(() => h.streams.length === 2);
    h.streams[1]!.onData = (d) => got.push(d.toString());
    h.session.receive(Buffer.concat([encodeData(3, Buffer.from('GET / ')), encodeData(3, Buffer.from('HTTP/1.0'), true)]));
    await h.settle(() => got.join('') === 'GET / HTTP/1.0');
    expect(h.streams.map((s) => [s.id, s.header('streamtype'), s.header('port'), s.header('requestid'), s.remoteEnded])).toEqual([
      [1, 'error', '8080', '0', true],
      [3, 'data', '8080', '0', true],
    ]);
    expect(got.join('')).toBe('GET / HTTP/1.0');
    const replies = h.sent.filter((f) => f.control && f.type === SPDY.synReply);
    expect(replies.map((f) => f.control && f.streamId)).toEqual([1, 3]);
    for (const r of replies) expect(decodeHeaderBlock(await h.inflate.process(r.control ? r.headerBlock! : Buffer.alloc(0)))).toEqual({});
  });

  it('sends data and FIN after the reply, echoes client pings and honours resets', async () => {
    const h = harness();
    await h.open(1, { streamtype: 'data', port: '80', requestid: '1' });
    await h.settle(() => h.streams.length === 1);
    const s = h.streams[0]!;
    let reset = false;
    s.onReset = () => (reset = true);
    s.write(Buffer.from('answer'));
    s.end();
    h.session.receive(ping(7));
    await h.settle(() => h.sent.length >= 4);
    expect(h.sent.map((f) => (f.control ? f.type : `data:${f.data.toString()}:${f.flags & FLAG_FIN}`))).toEqual([SPDY.synReply, 'data:answer:0', 'data::1', SPDY.ping]);
    h.session.receive(rstStream(1, 5));
    await h.settle(() => reset);
    // Finished on our side only: the client's reset still reaches the stream.
    expect(reset).toBe(true);
  });

  it('resets a stream the client aborts, and closes with GOAWAY', async () => {
    const h = harness();
    await h.open(1, { streamtype: 'data', port: '80', requestid: '1' });
    await h.settle(() => h.streams.length === 1);
    let reset = false;
    h.streams[0]!.onReset = () => (reset = true);
    h.session.receive(rstStream(1, 5));
    await h.settle(() => reset);
    expect(reset).toBe(true);
    h.session.close();
    await h.settle(() => h.closed());
    expect(h.sent.at(-1)).toMatchObject({ control: true, type: SPDY.goaway, lastGoodStreamId: 1 });
    expect(h.closed()).toBe(true);
  });
});
