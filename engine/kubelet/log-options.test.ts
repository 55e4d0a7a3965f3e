import { describe, expect, it } from 'vitest';
import { dockerLogQuery, LogOptionsError, parseLogOptions, renderLogLine, rfc3339Nano } from './log-options.js';

const NOW = Date.parse('2025-01-02T03:04:05.000Z');
const parse = (qs: string) => parseLogOptions(new URLSearchParams(qs), NOW);

describe('parseLogOptions', () => {
  it.each([
    ['', { follow: false, previous: false, timestamps: false }],
    ['follow=true&previous=1&timestamps=true', { follow: true, previous: true, timestamps: true }],
    ['tailLines=0', { follow: false, previous: false, timestamps: false, tailLines: 0 }],
    ['tailLines=10&limitBytes=5', { follow: false, previous: false, timestamps: false, tailLines: 10, limitBytes: 5 }],
    ['sinceSeconds=60', { follow: false, previous: false, timestamps: false, sinceMs: NOW - 60_000 }],
    ['sinceTime=2025-01-01T00:00:00Z', { follow: false, previous: false, timestamps: false, sinceMs: Date.parse('2025-01-01T00:00:00Z') }],
    ['sinceTime=2025-01-01T00:00:00.5%2B01:00', { follow: false, previous: false, timestamps: false, sinceMs: Date.parse('2024-12-31T23:00:00.5Z') }],
  ])('reads %j', (qs, want) => {
    expect(parse(qs)).toEqual(want);
  });

  it.each([
    ['tailLines=-1', /tailLines: Invalid value: -1/],
    ['limitBytes=0', /limitBytes: Invalid value: 0/],
    ['sinceSeconds=0', /sinceSeconds: Invalid value: 0/],
    ['tailLines=abc', /must be an integer/],
    ['follow=maybe', /follow: Invalid value/],
    ['sinceSeconds=5&sinceTime=2025-01-01T00:00:00Z', /at most one of `sinceTime` or `sinceSeconds`/],
    ['sinceTime=yesterday', /must be an RFC 3339 time/],
  ])('refuses %j', (qs, message) => {
    expect(() => parse(qs)).toThrow(LogOptionsError);
    expect(() => parse(qs)).toThrow(message);
  });
});

describe('dockerLogQuery', () => {
  it('always asks for timestamps and maps tail and since', () => {
    expect(dockerLogQuery(parse('follow=true&tailLines=3&sinceTime=2025-01-01T00:00:00.25Z'))).toEqual({
      stdout: true, stderr: true, timestamps: true, follow: true, tail: 3, since: `${Date.parse('2025-01-01T00:00:00Z') / 1000}.250000000`,
    });
    expect(dockerLogQuery(parse(''))).toEqual({ stdout: true, stderr: true, timestamps: true, follow: false });
  });
});

describe('rfc3339Nano / renderLogLine', () => {
  it.each([
    ['2025-01-02T03:04:05.123456789Z', '2025-01-02T03:04:05.123456789Z'],
    ['2025-01-02T03:04:05.120000000Z', '2025-01-02T03:04:05.12Z'],
    ['2025-01-02T03:04:05.000000000Z', '2025-01-02T03:04:05Z'],
    ['2025-01-02T03:04:05Z', '2025-01-02T03:04:05Z'],
    ['2025-01-02T03:04:05.500000000+02:00', '2025-01-02T03:04:05.5+02:00'],
  ])('formats %s as %s', (docker, want) => {
    expect(rfc3339Nano(docker)).toBe(want);
  });

  it.each([
    [false, 'hello world\n'],
    [true, '2025-01-02T03:04:05.1Z hello world\n'],
  ])('renders a Docker line (timestamps %s)', (timestamps, want) => {
    expect(renderLogLine(Buffer.from('2025-01-02T03:04:05.100000000Z hello world\n'), timestamps).toString()).toBe(want);
  });
});
