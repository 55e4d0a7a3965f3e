import { describe, expect, it } from 'vitest';
import { decodeFrame, decodeHeaderBlock, encodeControl, encodeData, encodeHeaderBlock, FLAG_FIN, goaway, ping, rstStream, SPDY, SpdyParser, synReply, synStream } from './spdy-frames.js';
import { SPDY3_DICTIONARY } from './spdy-dictionary.js';
import { HeaderZlib } from './spdy-zlib.js';

describe('SPDY frames', () => {
  it.each([
    ['SYN_STREAM', synStream(5, Buffer.from('hdrs'), true), { control: true, type: SPDY.synStream, flags: FLAG_FIN, streamId: 5, associatedId: 0, priority: 0 }],
    ['SYN_REPLY', synReply(7, Buffer.from('h')), { control: true, type: SPDY.synReply, flags: 0, streamId: 7 }],
    ['RST_STREAM', rstStream(9, 5), { control: true, type: SPDY.rstStream, streamId: 9, status: 5 }],
    ['PING', ping(3), { control: true, type: SPDY.ping, pingId: 3 }],
    ['GOAWAY', goaway(11, 1), { control: true, type: SPDY.goaway, lastGoodStreamId: 11, status: 1 }],
    ['DATA', encodeData(1, Buffer.from('abc'), true), { control: false, streamId: 1, flags: FLAG_FIN, data: Buffer.from('abc') }],
  ])('round-trips %s', (_name, wire, fields) => {
    expect(decodeFrame(wire)).toMatchObject(fields);
  });

  it('decodes SETTINGS and WINDOW_UPDATE', () => {
    const settings = Buffer.alloc(12);
    settings.writeUInt32BE(1, 0);
    settings.writeUInt32BE((0x01 << 24) | 7, 4);
    settings.writeUInt32BE(65536, 8);
    expect(decodeFrame(encodeControl(SPDY.settings, 0, settings))).toMatchObject({ settings: [{ flags: 1, id: 7, value: 65536 }] });
    const wu = Buffer.alloc(8);
    wu.writeUInt32BE(3, 0);
    wu.writeUInt32BE(1000, 4);
    expect(decodeFrame(encodeControl(SPDY.windowUpdate, 0, wu))).toMatchObject({ streamId: 3, delta: 1000 });
  });

  it('refuses other SPDY versions', () => {
    const wire = ping(1);
    wire.writeUInt16BE(0x8002, 0);
    expect(() => decodeFrame(wire)).toThrow(/version 2/);
  });

  it('parses frames split at any byte boundary', () => {
    const wire = Buffer.concat([synStream(1, Buffer.from('x')), encodeData(1, Buffer.alloc(70_000, 1)), ping(1)]);
    const parser = new SpdyParser();
    const frames = [];
    for (let at = 0; at < wire.length; at += 777) frames.push(...parser.push(wire.subarray(at, at + 777)));
    expect(frames.map((f) => (f.control ? f.type : 'data'))).toEqual([SPDY.synStream, 'data', SPDY.ping]);
  });
});

describe('SPDY header blocks', () => {
  it('round-trips names (lowercased) and multi-valued headers', () => {
    const block = encodeHeaderBlock({ StreamType: 'data', port: '8080', requestID: '0', multi: ['a', 'b'] });
    expect(decodeHeaderBlock(block)).toEqual({ streamtype: ['data'], port: ['8080'], requestid: ['0'], multi: ['a', 'b'] });
  });

  it('refuses truncated blocks', () => {
    expect(() => decodeHeaderBlock(encodeHeaderBlock({ a: 'b' }).subarray(0, 9))).toThrow(/truncated/);
  });

  it('compresses and decompresses successive blocks with one shared zlib context per direction', async () => {
    const deflate = HeaderZlib.compressor();
    const inflate = HeaderZlib.decompressor();
    const blocks: Array<Record<string, string>> = [{ streamtype: 'error', port: '8080', requestid: '0' }, { streamtype: 'data', port: '8080', requestid: '0' }, {}, { big: 'v'.repeat(100_000) }];
    const sizes: number[] = [];
    for (const headers of blocks) {
      const compressed = await deflate.process(encodeHeaderBlock(headers));
      sizes.push(compressed.length);
      expect(decodeHeaderBlock(await inflate.process(compressed))).toEqual(Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])));
    }
    // The second block repeats the first's names: the shared context makes it much smaller.
    expect(sizes[1]!).toBeLessThan(sizes[0]!);
    deflate.close();
    inflate.close();
  });

  it('primes zlib with the SPDY/3 dictionary (its adler32 is the dictionary id in the stream header)', async () => {
    const compressed = await HeaderZlib.compressor().process(encodeHeaderBlock({ a: 'b' }));
    expect(compressed.readUInt32BE(2)).toBe(adler32(SPDY3_DICTIONARY));
    expect(SPDY3_DICTIONARY.subarray(0, 11).toString('latin1')).toBe('\0\0\0\x07options');
    expect(SPDY3_DICTIONARY.subarray(-6).toString()).toBe('enq=0.');
  });
});

function adler32(buf: Buffer): number {
  let a = 1;
  let b = 0;
  for (const byte of buf) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}
