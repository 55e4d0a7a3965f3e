// Pure helpers of the logs view: the log URL, timestamps split off lines, search, and a capped
// line buffer that keeps the newest lines.
import { k8sUrl, objectPath, kindByPlural } from '../../api/kinds';

/** Options of a log request (as `kubectl logs` flags). */
export interface LogOptions {
  container?: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  /** Only the last N lines (absent: all). */
  tailLines?: number;
}

/** The /k8s URL of a pod's log with these options. */
export function logUrl(cluster: string, namespace: string, pod: string, o: LogOptions): string {
  const q = new URLSearchParams();
  if (o.container) q.set('container', o.container);
  if (o.follow) q.set('follow', 'true');
  if (o.previous) q.set('previous', 'true');
  if (o.timestamps) q.set('timestamps', 'true');
  if (o.tailLines !== undefined) q.set('tailLines', String(o.tailLines));
  const qs = q.toString();
  return k8sUrl(cluster, objectPath(kindByPlural('pods')!, namespace, pod, 'log')) + (qs ? `?${qs}` : '');
}

const TIMESTAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) /;

/** A line of a log fetched with timestamps=true, split into its RFC 3339 timestamp and text. */
export function splitTimestamp(line: string): { ts?: string; text: string } {
  const m = TIMESTAMP.exec(line);
  return m ? { ts: m[1]!, text: line.slice(m[0].length) } : { text: line };
}

/** Where `query` occurs in `text` (case-insensitive), as [start, end) ranges. */
export function matchRanges(text: string, query: string): [number, number][] {
  if (!query) return [];
  const hay = text.toLowerCase();
  const needle = query.toLowerCase();
  const out: [number, number][] = [];
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + needle.length)) out.push([i, i + needle.length]);
  return out;
}

/** The indexes of the lines that contain `query` (case-insensitive). */
export function filterLines(lines: readonly string[], query: string): number[] {
  const needle = query.toLowerCase();
  const out: number[] = [];
  lines.forEach((l, i) => {
    if (l.toLowerCase().includes(needle)) out.push(i);
  });
  return out;
}

/** Keeps at most `max` lines, dropping the oldest in steps of `slack` so appends stay cheap. */
export class LineBuffer {
  /** Lines held now; line i of the whole log is lines[i - dropped]. */
  lines: string[] = [];
  /** Lines dropped from the front so far. */
  dropped = 0;

  constructor(
    private readonly max = 10_000,
    private readonly slack = 1000,
  ) {}

  /** Appends lines, dropping the oldest when over the cap. */
  append(more: readonly string[]): void {
    for (const l of more) this.lines.push(l);
    if (this.lines.length > this.max) {
      const cut = this.lines.length - this.max + this.slack;
      this.lines.splice(0, cut);
      this.dropped += cut;
    }
  }

  /** Empties the buffer. */
  clear(): void {
    this.lines = [];
    this.dropped = 0;
  }
}

/** A file name for downloading a container's log. */
export function logFileName(pod: string, container: string | undefined, previous: boolean): string {
  return `${pod}${container ? `_${container}` : ''}${previous ? '_previous' : ''}.log`;
}
