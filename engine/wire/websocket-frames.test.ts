import { describe, expect, it } from 'vitest';
import { acceptKey, applyMask, encodeFrame, FrameParser, OP, WebSocketError } from './websocket-frames.js';

const mask = Buffer.from([1, 2, 3, 4]);

describe('acceptKey', () => {
  it('answers the RFC 6455 sample key', () => {
    expect(acceptKey('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });
});

describe('encodeFrame / FrameParser', () => {
  it.each([
    ['empty', 0],
    ['short', 125],
    ['16-bit length', 126],
    ['16-bit max', 65535],
    ['64-bit length', 65536],
    ['large', 200_000],
  ])('round-trips a masked %s payload (%i bytes)', (_name, size) => {
    const payload = Buffer.alloc(size, 'z');
    const frames = new FrameParser({ requireMask: true }).push(encodeFrame(OP.binary, payload, { mask }));
    expect(frames).toHaveLength(1);
    expect([frames[0]!.fin, frames[0]!.opcode, frames[0]!.payload.equals(payload)]).toEqual([true, OP.binary, true]);
  });

  it('encodes the RFC 6455 unmasked "Hello" text frame', () => {
    expect(encodeFrame(OP.text, Buffer.from('Hello')).toString('hex')).toBe('810548656c6c6f');
  });

  it('decodes the RFC 6455 masked "Hello" frame', () => {
    const [f] = new FrameParser({ requireMask: true }).push(Buffer.from('818537fa213d7f9f4d5158', 'hex'));
    expect(f!.payload.toString()).toBe('Hello');
  });

  it('reassembles frames split across chunks, byte by byte', () => {
    const wire = Buffer.concat([encodeFrame(OP.text, Buffer.from('Hel'), { fin: false, mask }), encodeFrame(OP.continuation, Buffer.from('lo'), { mask }), encodeFrame(OP.ping, Buffer.from('p'), { mask })]);
    const parser = new FrameParser({ requireMask: true });
    const frames = [...wire].flatMap((b) => parser.push(Buffer.from([b])));
    expect(frames.map((f) => [f.fin, f.opcode, f.payload.toString()])).toEqual([
      [false, OP.text, 'Hel'],
      [true, OP.continuation, 'lo'],
      [true, OP.ping, 'p'],
    ]);
  });

  it.each([
    ['unmasked client frame', encodeFrame(OP.binary, Buffer.from('x')), 1002],
    ['fragmented control frame', encodeFrame(OP.ping, Buffer.from('x'), { fin: false, mask }), 1002],
    ['long control frame', encodeFrame(OP.close, Buffer.alloc(126), { mask }), 1002],
    ['unknown opcode', encodeFrame(3, Buffer.from('x'), { mask }), 1002],
    ['reserved bits', Buffer.from([0xc2, 0x80, 1, 2, 3, 4]), 1002],
  ])('refuses a %s', (_name, wire, code) => {
    const parser = new FrameParser({ requireMask: true });
    expect(() => parser.push(wire)).toThrow(WebSocketError);
    try {
      new FrameParser({ requireMask: true }).push(wire);
    } catch (err) {
      expect((err as WebSocketError).code).toBe(code);
    }
  });

  it('refuses frames above the size limit', () => {
    expect(() => new FrameParser({ requireMask: true, maxPayload: 10 }).push(encodeFrame(OP.binary, Buffer.alloc(11), { mask }))).toThrow(/too large/);
  });

  it('masks reversibly', () => {
    const data = Buffer.from('some data');
    expect(applyMask(applyMask(data, mask), mask)).toEqual(data);
    expect(applyMask(data, mask)).not.toEqual(data);
  });
});
