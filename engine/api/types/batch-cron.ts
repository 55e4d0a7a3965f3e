// CronJob schedules and time zones: the one parser of the standard five-field cron syntax of
// robfig/cron (what Kubernetes uses), with its error messages. The API server validates with
// cronError(); the CronJob controller computes run times from parseCron()'s result.

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTHS = Object.fromEntries(['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((m, i) => [m, i + 1]));
const DAYS = Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d, i) => [d, i]));
const MINUTE: Bounds = { min: 0, max: 59 };
const HOUR: Bounds = { min: 0, max: 23 };
const DOM: Bounds = { min: 1, max: 31 };
const MONTH: Bounds = { min: 1, max: 12, names: MONTHS };
const DOW: Bounds = { min: 0, max: 6, names: DAYS };

/** One field of a schedule: the values it allows, and whether it was written as `*` or `?` (robfig's "star bit"). */
export interface CronField {
  values: ReadonlySet<number>;
  star: boolean;
}

/** The five fields of a schedule (the seconds field is always 0). */
export interface CronFields {
  minute: CronField;
  hour: CronField;
  dom: CronField;
  month: CronField;
  dow: CronField;
}

/**
 * A parsed schedule: calendar fields, or a fixed interval (`@every`, whole seconds, at least 1 s).
 * `zone` is set when the text started with TZ= or CRON_TZ=.
 */
export type CronSchedule = ({ kind: 'fields' } & CronFields & { zone?: string }) | { kind: 'every'; everyMs: number; zone?: string };

/** Go's strconv.Atoi on a non-negative number, with robfig/cron's wording. */
function parseInt(expr: string): number {
  if (!/^[+-]?[0-9]+$/.test(expr)) throw new Error(`failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`);
  const n = Number(expr);
  if (n < 0) throw new Error(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

const parseIntOrName = (expr: string, names?: Record<string, number>): number => names?.[expr.toLowerCase()] ?? parseInt(expr);

/** One comma-separated part of a field: `*`, `?`, `n`, `a-b`, with an optional `/step`; adds its values to `into`. */
function parseRange(expr: string, r: Bounds, into: Set<number>): boolean {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0]!.split('-');
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = r.min;
    end = r.max;
    star = true;
  } else {
    start = parseIntOrName(lowAndHigh[0]!, r.names);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1]!, r.names);
    else throw new Error(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = parseInt(rangeAndStep[1]!);
    if (lowAndHigh.length === 1) end = r.max; // "n/step" runs from n to the maximum
    if (step > 1) star = false; // "*/2" restricts the field
  } else if (rangeAndStep.length > 2) throw new Error(`too many slashes: ${expr}`);
  if (start < r.min) throw new Error(`beginning of range (${start}) below minimum (${r.min}): ${expr}`);
  if (end > r.max) throw new Error(`end of range (${end}) above maximum (${r.max}): ${expr}`);
  if (start > end) throw new Error(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new Error(`step of range should be a positive number: ${expr}`);
  for (let v = start; v <= end; v += step) into.add(v);
  return star;
}

function parseField(field: string, r: Bounds): CronField {
  const values = new Set<number>();
  let star = false;
  for (const part of field.split(',')) star = parseRange(part, r, values) || star;
  return { values, star };
}

const all = (r: Bounds): CronField => ({ values: new Set(Array.from({ length: r.max - r.min + 1 }, (_, i) => r.min + i)), star: true });
const only = (v: number): CronField => ({ values: new Set([v]), star: false });

/** The predefined schedules, as robfig/cron defines them. */
function descriptor(spec: string): CronFields | undefined {
  const base = { minute: only(0), hour: only(0), dom: all(DOM), month: all(MONTH), dow: all(DOW) };
  switch (spec) {
    case '@yearly':
    case '@annually':
      return { ...base, dom: only(1), month: only(1) };
    case '@monthly':
      return { ...base, dom: only(1) };
    case '@weekly':
      return { ...base, dow: only(0) };
    case '@daily':
    case '@midnight':
      return base;
    case '@hourly':
      return { ...base, hour: all(HOUR) };
    default:
      return undefined;
  }
}

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const MAX_DURATION_MS = 9_223_372_036_854.775; // Go's largest Duration

/** Go's time.ParseDuration, in ms, with its error messages. */
export function parseGoDuration(text: string): number {
  const invalid = () => new Error(`time: invalid duration ${JSON.stringify(text)}`);
  let s = text;
  let neg = false;
  if (s[0] === '-' || s[0] === '+') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw invalid();
  let total = 0;
  while (s !== '') {
    const m = /^([0-9]*)(\.([0-9]*))?/.exec(s)!;
    const [num, whole, dot, frac] = [m[0], m[1]!, m[2], m[3] ?? ''];
    if (!whole && !frac) throw invalid();
    s = s.slice(num.length);
    const unitLength = s.search(/[0-9.]/) < 0 ? s.length : s.search(/[0-9.]/);
    if (unitLength === 0) throw new Error(`time: missing unit in duration ${JSON.stringify(text)}`);
    const unit = s.slice(0, unitLength);
    s = s.slice(unitLength);
    const scale = DURATION_UNITS[unit];
    if (scale === undefined) throw new Error(`time: unknown unit ${JSON.stringify(unit)} in duration ${JSON.stringify(text)}`);
    total += Number(`${whole || '0'}${dot ? `.${frac || '0'}` : ''}`) * scale;
    if (total > MAX_DURATION_MS) throw invalid();
  }
  return neg ? -total : total;
}

/** Parses a schedule as robfig/cron's ParseStandard does; throws with its error message. */
export function parseCron(schedule: string): CronSchedule {
  let spec = schedule;
  let zone: string | undefined;
  if (spec.length === 0) throw new Error('empty spec string');
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const space = spec.indexOf(' ');
    zone = spec.slice(spec.indexOf('=') + 1, space < 0 ? undefined : space);
    const why = timeZoneError(zone);
    if (why) throw new Error(`provided bad location ${zone}: ${why}`);
    spec = space < 0 ? '' : spec.slice(space).trim();
  }
  const at = (s: CronSchedule): CronSchedule => (zone === undefined ? s : { ...s, zone });
  if (spec.startsWith('@')) {
    const fields = descriptor(spec);
    if (fields) return at({ kind: 'fields', ...fields });
    if (spec.startsWith('@every ')) {
      const d = spec.slice('@every '.length);
      let ms: number;
      try {
        ms = parseGoDuration(d);
      } catch (err) {
        throw new Error(`failed to parse duration ${spec}: ${(err as Error).message}`);
      }
      // Less than a second counts as a second; fractions of a second are dropped.
      return at({ kind: 'every', everyMs: Math.max(1000, Math.floor(ms / 1000) * 1000) });
    }
    throw new Error(`unrecognized descriptor: ${spec}`);
  }
  const fields = spec.split(/\s+/).filter(Boolean);
  if (fields.length !== 5) throw new Error(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  return at({
    kind: 'fields',
    minute: parseField(fields[0]!, MINUTE),
    hour: parseField(fields[1]!, HOUR),
    dom: parseField(fields[2]!, DOM),
    month: parseField(fields[3]!, MONTH),
    dow: parseField(fields[4]!, DOW),
  });
}

/** Why `schedule` is not a valid standard cron schedule, or undefined when it is. */
export function cronError(schedule: string): string | undefined {
  try {
    parseCron(schedule);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

let zones: Set<string> | undefined;

/** Go's time.LoadLocation error for `zone`, or undefined for a known IANA zone name. */
export function timeZoneError(zone: string): string | undefined {
  if (zone === '' || zone === 'UTC') return undefined; // LoadLocation("") is UTC
  zones ??= new Set([...Intl.supportedValuesOf('timeZone'), 'UTC', 'Etc/UTC', 'GMT', 'Etc/GMT']);
  if (zones.has(zone)) return undefined;
  // Links such as US/Eastern or Etc/GMT+5 are valid too: ICU knows them, though it does not list them.
  if (/^[A-Z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)+$/.test(zone)) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return undefined;
    } catch {
      // not a zone
    }
  }
  return `unknown time zone ${zone}`;
}
