import { describe, expect, it } from 'vitest';
import { cronError, parseCron, parseGoDuration } from '../api/types/batch-cron.js';
import { nextTime, rfc3339In, wallClock, zonedTime } from './cron-schedule.js';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString().replace('.000Z', 'Z'));
const next = (spec: string, from: string, zone = 'UTC') => iso(nextTime(parseCron(spec), Date.parse(from), zone));
/** The first `n` run times after `from`. */
const runs = (spec: string, from: string, n: number, zone = 'UTC') => {
  const out: string[] = [];
  let t = Date.parse(from);
  for (let i = 0; i < n; i++) {
    t = nextTime(parseCron(spec), t, zone)!;
    out.push(iso(t)!);
  }
  return out;
};

describe('nextTime in UTC', () => {
  it.each([
    ['*/15 * * * *', '2024-01-01T10:07:30Z', '2024-01-01T10:15:00Z'],
    ['0 * * * *', '2024-01-01T10:00:00Z', '2024-01-01T11:00:00Z'], // strictly after
    ['0 * * * *', '2024-01-01T10:59:59.999Z', '2024-01-01T11:00:00Z'],
    ['5/15 * * * *', '2024-01-01T10:06:00Z', '2024-01-01T10:20:00Z'], // n/step runs from n to the maximum
    ['0 9-17/4 * * *', '2024-01-01T09:00:00Z', '2024-01-01T13:00:00Z'],
    ['0 0 1,15 * *', '2024-01-02T00:00:00Z', '2024-01-15T00:00:00Z'],
    ['30 8 * * MON-FRI', '2024-01-06T00:00:00Z', '2024-01-08T08:30:00Z'], // Saturday → Monday
    ['0 12 * JAN,JUL SUN', '2024-01-29T00:00:00Z', '2024-07-07T12:00:00Z'],
    ['0 0 ? * MON', '2024-01-02T00:00:00Z', '2024-01-08T00:00:00Z'],
    ['0 0 29 2 *', '2024-03-01T00:00:00Z', '2028-02-29T00:00:00Z'],
    ['59 23 31 12 *', '2024-12-31T23:59:00Z', '2025-12-31T23:59:00Z'],
    ['0 0 30 2 *', '2024-01-01T00:00:00Z', undefined], // February 30th never comes
    ['@hourly', '2024-01-01T10:30:00Z', '2024-01-01T11:00:00Z'],
    ['@daily', '2024-01-01T10:00:00Z', '2024-01-02T00:00:00Z'],
    ['@midnight', '2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z'],
    ['@weekly', '2024-01-01T00:00:00Z', '2024-01-07T00:00:00Z'], // Sundays
    ['@monthly', '2024-01-15T00:00:00Z', '2024-02-01T00:00:00Z'],
    ['@yearly', '2024-03-01T00:00:00Z', '2025-01-01T00:00:00Z'],
    ['@annually', '2024-01-01T00:00:00Z', '2025-01-01T00:00:00Z'],
    ['@every 90m', '2024-01-01T10:00:30.500Z', '2024-01-01T11:30:30Z'],
    ['@every 500ms', '2024-01-01T10:00:00Z', '2024-01-01T10:00:01Z'], // at least a second
  ])('%s after %s → %s', (spec, from, want) => expect(next(spec, from)).toBe(want));
});

describe('day of month and day of week', () => {
  it.each([
    // Both restricted: either one matches (Friday or the 13th).
    ['0 0 13 * FRI', '2024-01-01T00:00:00Z', ['2024-01-05T00:00:00Z', '2024-01-12T00:00:00Z', '2024-01-13T00:00:00Z', '2024-01-19T00:00:00Z']],
    // One of them `*` or `?`: both must match, i.e. only the other one counts.
    ['0 0 13 * *', '2024-01-01T00:00:00Z', ['2024-01-13T00:00:00Z', '2024-02-13T00:00:00Z']],
    ['0 0 * * FRI', '2024-01-01T00:00:00Z', ['2024-01-05T00:00:00Z', '2024-01-12T00:00:00Z']],
    ['0 0 13 * ?', '2024-01-01T00:00:00Z', ['2024-01-13T00:00:00Z']],
    // `*/1` still counts as `*`; `*/2` is a restriction, so the OR rule applies.
    ['0 0 1 * */1', '2024-01-02T00:00:00Z', ['2024-02-01T00:00:00Z']],
    ['0 0 1 * */2', '2024-01-02T00:00:00Z', ['2024-01-04T00:00:00Z', '2024-01-06T00:00:00Z', '2024-01-07T00:00:00Z']],
  ])('%s', (spec, from, want) => expect(runs(spec, from, want.length)).toEqual(want));
});

describe('nextTime in time zones', () => {
  it.each([
    ['0 9 * * *', '2024-01-01T00:00:00Z', 'Europe/Berlin', '2024-01-01T08:00:00Z'], // CET
    ['0 9 * * *', '2024-07-01T00:00:00Z', 'Europe/Berlin', '2024-07-01T07:00:00Z'], // CEST
    ['30 9 * * *', '2024-01-01T00:00:00Z', 'Asia/Kolkata', '2024-01-01T04:00:00Z'],
    ['0 0 * * MON', '2024-01-07T10:00:00Z', 'Pacific/Auckland', '2024-01-07T11:00:00Z'], // Monday there while still Sunday in UTC
    ['TZ=America/New_York 0 12 * * *', '2024-01-01T00:00:00Z', 'Europe/Berlin', '2024-01-01T17:00:00Z'], // a TZ= prefix wins
  ])('%s after %s in %s → %s', (spec, from, zone, want) => expect(next(spec, from, zone)).toBe(want));

  it('skips a wall time that a spring-forward gap removes (New York, 10 March 2024)', () => {
    expect(runs('30 2 * * *', '2024-03-09T08:00:00Z', 2, 'America/New_York')).toEqual(['2024-03-11T06:30:00Z', '2024-03-12T06:30:00Z']);
    expect(runs('0 3 * * *', '2024-03-09T12:00:00Z', 2, 'America/New_York')).toEqual(['2024-03-10T07:00:00Z', '2024-03-11T07:00:00Z']);
    expect(runs('0 * * * *', '2024-03-10T05:30:00Z', 3, 'America/New_York')).toEqual(['2024-03-10T06:00:00Z', '2024-03-10T07:00:00Z', '2024-03-10T08:00:00Z']);
  });

  it('runs a wall time in the repeated hour twice when clocks fall back (New York, 3 November 2024), as robfig/cron does', () => {
    expect(runs('30 1 * * *', '2024-11-03T04:00:00Z', 3, 'America/New_York')).toEqual(['2024-11-03T05:30:00Z', '2024-11-03T06:30:00Z', '2024-11-04T06:30:00Z']);
    expect(runs('0 * * * *', '2024-11-03T04:30:00Z', 3, 'America/New_York')).toEqual(['2024-11-03T05:00:00Z', '2024-11-03T06:00:00Z', '2024-11-03T07:00:00Z']);
    expect(runs('0 9 * * *', '2024-11-02T00:00:00Z', 2, 'America/New_York')).toEqual(['2024-11-02T13:00:00Z', '2024-11-03T14:00:00Z']);
  });

  it('finds no midnight on a day whose midnight DST skips (São Paulo, 4 November 2018)', () => {
    expect(runs('0 0 * * *', '2018-11-03T12:00:00Z', 2, 'America/Sao_Paulo')).toEqual(['2018-11-05T02:00:00Z', '2018-11-06T02:00:00Z']);
    expect(next('0 1 * * *', '2018-11-03T12:00:00Z', 'America/Sao_Paulo')).toBe('2018-11-04T03:00:00Z');
  });
});

describe('zone arithmetic', () => {
  it('reads the wall clock of a zone', () => {
    expect(wallClock(Date.parse('2024-03-10T07:30:00Z'), 'America/New_York')).toEqual({ year: 2024, month: 3, day: 10, hour: 3, minute: 30, second: 0, weekday: 0 });
    expect(wallClock(Date.parse('2024-12-31T23:00:00Z'), 'Asia/Tokyo')).toMatchObject({ year: 2025, month: 1, day: 1, hour: 8, weekday: 3 });
  });

  it.each([
    ['a plain wall time', [2024, 1, 15, 9, 0], 'Europe/Berlin', '2024-01-15T08:00:00Z'],
    ['month 13 as January next year', [2024, 13, 1, 0, 0], 'UTC', '2025-01-01T00:00:00Z'],
    ['day 0 as the last of the month before', [2024, 3, 0, 0, 0], 'UTC', '2024-02-29T00:00:00Z'],
    ['a time in a spring-forward gap, placed before it as Go does', [2024, 3, 10, 2, 30], 'America/New_York', '2024-03-10T06:30:00Z'],
    ['a repeated time, at its first occurrence', [2024, 11, 3, 1, 30], 'America/New_York', '2024-11-03T05:30:00Z'],
  ])('zonedTime: %s', (_, [y, mo, d, h, mi], zone, want) => expect(iso(zonedTime(zone as string, y!, mo!, d!, h, mi))).toBe(want));

  it.each([
    ['2024-01-01T09:00:00Z', 'UTC', '2024-01-01T09:00:00Z'],
    ['2024-01-01T09:00:00Z', 'Europe/London', '2024-01-01T09:00:00Z'], // zero offset prints Z
    ['2024-07-01T09:00:00Z', 'Europe/London', '2024-07-01T10:00:00+01:00'],
    ['2024-01-01T09:00:00Z', 'America/New_York', '2024-01-01T04:00:00-05:00'],
    ['2024-01-01T09:00:00Z', 'Asia/Kolkata', '2024-01-01T14:30:00+05:30'],
  ])('rfc3339In(%s, %s) = %s', (at, zone, want) => expect(rfc3339In(Date.parse(at), zone)).toBe(want));
});

describe('parseCron', () => {
  it('marks fields written as * or ? (also */1), not stepped or listed ones', () => {
    const c = parseCron('*/1 ? 1-31 */2 *,1');
    expect(c.kind === 'fields' && [c.minute.star, c.hour.star, c.dom.star, c.month.star, c.dow.star]).toEqual([true, true, false, false, true]);
    expect(c.kind === 'fields' && [...c.month.values]).toEqual([1, 3, 5, 7, 9, 11]);
  });

  it('reads a TZ= prefix', () => expect(parseCron('CRON_TZ=Asia/Tokyo @daily').zone).toBe('Asia/Tokyo'));

  it.each([
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['90s', 90_000],
    ['0', 0],
    ['-2m', -120_000],
    ['1h0.5m250ms', 3_630_250],
  ])('reads the Go duration %s', (d, want) => expect(parseGoDuration(d)).toBe(want));

  it.each([
    ['@every 90s', 90_000],
    ['@every 1500ms', 1_000], // whole seconds
    ['@every 10ms', 1_000], // at least one
  ])('%s runs every %i ms', (spec, want) => expect(parseCron(spec)).toEqual({ kind: 'every', everyMs: want }));

  it.each([
    ['@every 5x', 'failed to parse duration @every 5x: time: unknown unit "x" in duration "5x"'],
    ['@every 10', 'failed to parse duration @every 10: time: missing unit in duration "10"'],
    ['@every .s', 'failed to parse duration @every .s: time: invalid duration ".s"'],
    ['@every ', 'failed to parse duration @every : time: invalid duration ""'],
    ['TZ=Nowhere/City * * * * *', 'provided bad location Nowhere/City: unknown time zone Nowhere/City'],
  ])('rejects "%s"', (spec, why) => expect(cronError(spec)).toBe(why));
});
