// When a cron schedule fires next, in an IANA time zone, computed the way robfig/cron (and so the
// Kubernetes CronJob controller) does: it walks month → day → hour → minute on the zone's wall
// clock, adding whole hours and minutes in absolute time. Across DST changes that means a wall
// time skipped by a spring-forward gap does not run that day, and a wall time in the hour repeated
// when clocks fall back runs twice (once per offset), as upstream. Day of month and day of week
// are ORed when both are restricted, ANDed when either is `*` or `?`.
import type { CronFields, CronSchedule } from '../api/types/batch-cron.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Wall-clock fields of an instant in a zone (month 1–12, weekday 0 = Sunday). */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(zone, f);
  }
  return f;
}

const isUtc = (zone: string) => zone === 'UTC' || zone === 'Etc/UTC' || zone === '';

/** The wall clock in `zone` at `ms` (ms since the epoch). */
export function wallClock(ms: number, zone: string): WallClock {
  const at = Math.floor(ms / SECOND) * SECOND;
  if (isUtc(zone)) {
    const d = new Date(at);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), weekday: d.getUTCDay() };
  }
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(at)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const w = { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour! % 24, minute: parts.minute!, second: parts.second! };
  return { ...w, weekday: new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay() };
}

/** The zone's offset from UTC at `ms`, in ms (positive east of Greenwich). */
export function zoneOffset(ms: number, zone: string): number {
  if (isUtc(zone)) return 0;
  const w = wallClock(ms, zone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(ms / SECOND) * SECOND;
}

/**
 * The instant of a wall time in `zone`, as Go's time.Date makes it: out-of-range fields
 * normalise (month 13 is January of the next year); a time skipped by a DST gap takes the
 * offset in force after the gap, so it lands before the gap (02:30 → 01:30 standard time);
 * a repeated time is its first occurrence.
 */
export function zonedTime(zone: string, year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  return asUtc - zoneOffset(asUtc - zoneOffset(asUtc, zone), zone);
}

/** Go's t.AddDate on the zone's wall clock. */
function addDate(t: number, zone: string, months: number, days: number): number {
  const w = wallClock(t, zone);
  return zonedTime(zone, w.year, w.month + months, w.day + days, w.hour, w.minute, w.second);
}

function dayMatches(s: CronFields, w: WallClock): boolean {
  const dom = s.dom.values.has(w.day);
  const dow = s.dow.values.has(w.weekday);
  return s.dom.star || s.dow.star ? dom && dow : dom || dow;
}

/** The first time the calendar fields match strictly after `after`, or undefined if none within five years. */
function nextFields(s: CronFields, after: number, zone: string): number | undefined {
  let t = Math.floor(after / SECOND) * SECOND + SECOND;
  let added = false; // whether a field has moved yet (the smaller fields then start from zero)
  const yearLimit = wallClock(t, zone).year + 5;
  wrap: for (;;) {
    let w = wallClock(t, zone);
    if (w.year > yearLimit) return undefined;
    while (!s.month.values.has(w.month)) {
      if (!added) {
        added = true;
        t = zonedTime(zone, w.year, w.month, 1);
      }
      t = addDate(t, zone, 1, 0);
      w = wallClock(t, zone);
      if (w.month === 1) continue wrap;
    }
    while (!dayMatches(s, w)) {
      if (!added) {
        added = true;
        t = zonedTime(zone, w.year, w.month, w.day);
      }
      t = addDate(t, zone, 0, 1);
      w = wallClock(t, zone);
      // Midnight may not exist (DST at midnight): get back to the start of the day.
      if (w.hour !== 0) {
        t += w.hour > 12 ? (24 - w.hour) * HOUR : -w.hour * HOUR;
        w = wallClock(t, zone);
      }
      if (w.day === 1) continue wrap;
    }
    while (!s.hour.values.has(w.hour)) {
      if (!added) {
        added = true;
        t = zonedTime(zone, w.year, w.month, w.day, w.hour);
      }
      t += HOUR;
      w = wallClock(t, zone);
      if (w.hour === 0) continue wrap;
    }
    while (!s.minute.values.has(w.minute)) {
      if (!added) {
        added = true;
        t = Math.floor(t / MINUTE) * MINUTE;
      }
      t += MINUTE;
      w = wallClock(t, zone);
      if (w.minute === 0) continue wrap;
    }
    if (w.second !== 0) {
      added = true;
      t += (60 - w.second) * SECOND;
      continue wrap;
    }
    return t;
  }
}

/**
 * The next time `schedule` fires strictly after `after` (ms since the epoch; always a whole
 * second), evaluated in the schedule's own TZ= zone or else `zone`; undefined when the fields
 * never match within five years (such as February 30th).
 */
export function nextTime(schedule: CronSchedule, after: number, zone: string): number | undefined {
  if (schedule.kind === 'every') return Math.floor(after / SECOND) * SECOND + schedule.everyMs;
  return nextFields(schedule, after, schedule.zone ?? zone);
}

/** The process's own time zone (what a schedule without spec.timeZone runs in, as upstream). */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `ms` as RFC 3339 with seconds on the zone's wall clock and its offset (Z when the offset is zero), as Go formats it. */
export function rfc3339In(ms: number, zone: string): string {
  const w = wallClock(ms, zone);
  const off = Math.round(zoneOffset(ms, zone) / MINUTE);
  const suffix = off === 0 ? 'Z' : `${off < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${suffix}`;
}
