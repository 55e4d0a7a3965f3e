import { KubelabError } from '../errors.js';

/** Parses a duration like "90s", "5m", "1h30m", "500ms" or a bare number of seconds into milliseconds. */
export function parseDuration(text: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let rest = text;
  while (rest.length > 0) {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)/.exec(rest);
    if (!m?.[1] || !m[2]) {
      throw new KubelabError(`invalid duration "${text}"`, { hint: 'use a number with a unit, e.g. 90s, 5m or 1h30m', exitCode: 2 });
    }
    total += Number(m[1]) * (unit[m[2]] ?? 0);
    rest = rest.slice(m[0].length);
  }
  if (text.length === 0) throw new KubelabError('empty duration', { hint: 'e.g. --wait 5m', exitCode: 2 });
  return total;
}
