// Sets of completion indexes of Indexed jobs, kept as sorted, non-touching intervals and written
// as Kubernetes writes status.completedIndexes and status.failedIndexes ("0-2,4,6,7").

/** A closed range of indexes. */
export interface Interval {
  first: number;
  last: number;
}

/** Sorted, disjoint, non-adjacent intervals. */
export type Intervals = Interval[];

/**
 * Parses "1,3-5,7" into intervals, dropping indexes ≥ `completions` and parts that are not
 * numbers; pieces are expected in increasing order, as the controller writes them.
 */
export function parseIndexes(text: string | undefined, completions: number): Intervals {
  const out: Intervals = [];
  if (!text) return out;
  for (const part of text.split(',')) {
    const [a, b] = part.split('-');
    if (a === undefined || !/^\d+$/.test(a.trim())) continue;
    const first = Number(a);
    if (first >= completions) break;
    let last = first;
    if (b !== undefined) {
      if (!/^\d+$/.test(b.trim())) continue;
      last = Math.min(Number(b), completions - 1);
    }
    const prev = out[out.length - 1];
    if (prev && prev.last === first - 1) prev.last = last;
    else out.push({ first, last });
  }
  return out;
}

/** Writes intervals as status does: ranges of three or more as "a-b", a pair as "a,b". */
export function formatIndexes(iv: Intervals): string {
  const parts: string[] = [];
  for (const { first, last } of iv) {
    if (last === first) parts.push(String(first));
    else if (last === first + 1) parts.push(`${first},${last}`);
    else parts.push(`${first}-${last}`);
  }
  return parts.join(',');
}

/** The union of two interval lists. */
export function mergeIntervals(a: Intervals, b: Intervals): Intervals {
  const all = [...a, ...b].sort((x, y) => x.first - y.first);
  const out: Intervals = [];
  for (const iv of all) {
    const prev = out[out.length - 1];
    if (!prev || iv.first > prev.last + 1) out.push({ ...iv });
    else if (iv.last > prev.last) prev.last = iv.last;
  }
  return out;
}

/** The intervals with `indexes` added. */
export const withIndexes = (iv: Intervals, indexes: Iterable<number>): Intervals => mergeIntervals(iv, [...indexes].map((i) => ({ first: i, last: i })));

/** True when `ix` is in the intervals. */
export const hasIndex = (iv: Intervals | undefined, ix: number): boolean => (iv ?? []).some((r) => r.first <= ix && ix <= r.last);

/** How many indexes the intervals hold. */
export const countIndexes = (iv: Intervals | undefined): number => (iv ?? []).reduce((n, r) => n + r.last - r.first + 1, 0);

/** The first `count` indexes below `completions` that are not in `taken`. */
export function firstFreeIndexes(taken: Intervals, count: number, completions: number): number[] {
  const out: number[] = [];
  let candidate = 0;
  for (const r of taken) {
    for (; candidate < completions && out.length < count && candidate < r.first; candidate++) out.push(candidate);
    if (candidate <= r.last) candidate = r.last + 1;
  }
  for (; candidate < completions && out.length < count; candidate++) out.push(candidate);
  return out;
}

/** Longest generateName the apiserver keeps whole (63 minus the 5 random characters). */
const MAX_GENERATE_NAME = 58;

/** The generateName of an indexed pod: `<job>-<index>-`, the job name cut so that it fits. */
export function indexedGenerateName(jobName: string, index: number): string {
  const suffix = `-${index}-`;
  const prefix = `${jobName}${suffix}`;
  return prefix.length > MAX_GENERATE_NAME ? `${prefix.slice(0, MAX_GENERATE_NAME - suffix.length)}${suffix}` : prefix;
}
