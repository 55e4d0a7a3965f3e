import { describe, expect, it } from 'vitest';
import { filterLines, LineBuffer, logFileName, logUrl, matchRanges, splitTimestamp } from './log-lines';

describe('logUrl', () => {
  it.each([
    [{ follow: false, previous: false, timestamps: false }, '/k8s/dev/api/v1/namespaces/default/pods/web-1/log'],
    [{ container: 'app', follow: true, previous: false, timestamps: true }, '/k8s/dev/api/v1/namespaces/default/pods/web-1/log?container=app&follow=true&timestamps=true'],
    [{ container: 'app', follow: false, previous: true, timestamps: false, tailLines: 100 }, '/k8s/dev/api/v1/namespaces/default/pods/web-1/log?container=app&previous=true&tailLines=100'],
  ])('%j', (opts, want) => {
    expect(logUrl('dev', 'default', 'web-1', opts)).toBe(want);
  });
});

describe('splitTimestamp', () => {
  it.each([
    ['2024-05-01T10:00:00.123456789Z hello world', { ts: '2024-05-01T10:00:00.123456789Z', text: 'hello world' }],
    ['2024-05-01T10:00:00Z x', { ts: '2024-05-01T10:00:00Z', text: 'x' }],
    ['2024-05-01T10:00:00+02:00 y', { ts: '2024-05-01T10:00:00+02:00', text: 'y' }],
    ['plain line', { text: 'plain line' }],
    ['2024-05-01 not a timestamp', { text: '2024-05-01 not a timestamp' }],
  ])('%s', (line, want) => {
    expect(splitTimestamp(line)).toEqual(want);
  });
});

describe('search', () => {
  it('finds every case-insensitive occurrence', () => {
    expect(matchRanges('Error: error ERROR', 'error')).toEqual([
      [0, 5],
      [7, 12],
      [13, 18],
    ]);
    expect(matchRanges('abc', '')).toEqual([]);
    expect(matchRanges('aaa', 'aa')).toEqual([[0, 2]]);
  });
  it('filters lines', () => {
    expect(filterLines(['GET /', 'POST /x', 'get /y'], 'get')).toEqual([0, 2]);
  });
});

describe('LineBuffer', () => {
  it('keeps the newest lines and counts what it dropped', () => {
    const b = new LineBuffer(5, 2);
    b.append(['1', '2', '3', '4']);
    expect(b.lines).toEqual(['1', '2', '3', '4']);
    b.append(['5', '6']);
    expect(b.lines).toEqual(['4', '5', '6']);
    expect(b.dropped).toBe(3);
    b.clear();
    expect([b.lines, b.dropped]).toEqual([[], 0]);
  });
});

describe('logFileName', () => {
  it('names pod, container and previous', () => {
    expect(logFileName('web-1', 'app', false)).toBe('web-1_app.log');
    expect(logFileName('web-1', 'app', true)).toBe('web-1_app_previous.log');
    expect(logFileName('web-1', undefined, false)).toBe('web-1.log');
  });
});
