import { describe, expect, it } from 'vitest';
import { LineSplitter, parseWatchLine } from './line-splitter';

describe('LineSplitter', () => {
  it.each([
    { name: 'one chunk, two lines', chunks: ['a\nb\n'], lines: ['a', 'b'] },
    { name: 'line cut between chunks', chunks: ['{"ty', 'pe":1}\n'], lines: ['{"type":1}'] },
    { name: 'CRLF endings', chunks: ['a\r\nb\r', '\n'], lines: ['a', 'b'] },
    { name: 'unterminated last line comes at end', chunks: ['a\nlast'], lines: ['a', 'last'] },
    { name: 'empty lines kept', chunks: ['\n\nx\n'], lines: ['', '', 'x'] },
    { name: 'many small chunks', chunks: ['h', 'e', 'l', 'l', 'o', '\n', 'w'], lines: ['hello', 'w'] },
  ])('$name', ({ chunks, lines }) => {
    const s = new LineSplitter();
    const got = chunks.flatMap((c) => s.push(c));
    got.push(...s.end());
    expect(got).toEqual(lines);
  });

  it('hands out nothing after end until more arrives', () => {
    const s = new LineSplitter();
    s.push('x');
    expect(s.end()).toEqual(['x']);
    expect(s.end()).toEqual([]);
  });
});

describe('parseWatchLine', () => {
  it('parses an event', () => {
    const ev = parseWatchLine('{"type":"ADDED","object":{"metadata":{"name":"p"}}}');
    expect(ev).toEqual({ type: 'ADDED', object: { metadata: { name: 'p' } } });
  });
  it('parses an ERROR event carrying a Status', () => {
    const ev = parseWatchLine('{"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired"}}');
    expect(ev?.type).toBe('ERROR');
  });
  it('skips blank lines', () => {
    expect(parseWatchLine('   ')).toBeUndefined();
  });
  it.each(['{"type":"NOPE","object":{}}', '{"object":{}}', '{"type":"ADDED"}', 'not json'])('refuses %s', (line) => {
    expect(() => parseWatchLine(line)).toThrow();
  });
});
