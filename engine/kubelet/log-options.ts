// PodLogOptions as they arrive in a log request's query (the apiserver passes them through to the
// node endpoint), checked and turned into what Docker's logs call takes. Pure functions.

/** The log options of one request. */
export interface LogOptions {
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  /** Only the last N lines. */
  tailLines?: number;
  /** Only lines written at or after this instant (ms since the epoch). */
  sinceMs?: number;
  /** Stop after this many bytes of output. */
  limitBytes?: number;
}

/** A query that breaks PodLogOptions' rules (answered 400 with this message). */
export class LogOptionsError extends Error {
  override name = 'LogOptionsError';
}

const TRUE = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False', '']);

function bool(query: URLSearchParams, name: string): boolean {
  const v = query.get(name);
  if (v === null) return false;
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw new LogOptionsError(`${name}: Invalid value: "${v}": must be true or false`);
}

function int(query: URLSearchParams, name: string, min: number, rule: string): number | undefined {
  const v = query.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw new LogOptionsError(`${name}: Invalid value: "${v}": must be an integer`);
  const n = Number(v);
  if (n < min) throw new LogOptionsError(`${name}: Invalid value: ${n}: ${rule}`);
  return n;
}

/** Reads and checks the log options of a query; `nowMs` anchors sinceSeconds. Throws LogOptionsError. */
export function parseLogOptions(query: URLSearchParams, nowMs = Date.now()): LogOptions {
  const opts: LogOptions = { follow: bool(query, 'follow'), previous: bool(query, 'previous'), timestamps: bool(query, 'timestamps') };
  const tailLines = int(query, 'tailLines', 0, 'must be greater than or equal to 0');
  const limitBytes = int(query, 'limitBytes', 1, 'must be greater than 0');
  const sinceSeconds = int(query, 'sinceSeconds', 1, 'must be greater than 0');
  const sinceTime = query.get('sinceTime');
  if (sinceSeconds !== undefined && sinceTime) throw new LogOptionsError('at most one of `sinceTime` or `sinceSeconds` may be specified');
  if (tailLines !== undefined) opts.tailLines = tailLines;
  if (limitBytes !== undefined) opts.limitBytes = limitBytes;
  if (sinceSeconds !== undefined) opts.sinceMs = nowMs - sinceSeconds * 1000;
  if (sinceTime) {
    const ms = Date.parse(sinceTime);
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(sinceTime) || Number.isNaN(ms)) {
      throw new LogOptionsError(`sinceTime: Invalid value: "${sinceTime}": must be an RFC 3339 time`);
    }
    opts.sinceMs = ms;
  }
  return opts;
}

/** Docker's /containers/ID/logs query for `opts` (timestamps always on: the node endpoint formats them itself). */
export function dockerLogQuery(opts: LogOptions): Record<string, string | number | boolean> {
  const q: Record<string, string | number | boolean> = { stdout: true, stderr: true, timestamps: true, follow: opts.follow };
  if (opts.tailLines !== undefined) q.tail = opts.tailLines;
  if (opts.sinceMs !== undefined) {
    const s = Math.floor(opts.sinceMs / 1000);
    q.since = `${s}.${String((opts.sinceMs - s * 1000) * 1_000_000).padStart(9, '0')}`;
  }
  return q;
}

/** Docker's fixed-width nanosecond timestamp in Go's RFC3339Nano form (trailing zeros of the fraction dropped), as kubelet writes it. */
export function rfc3339Nano(ts: string): string {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(ts);
  if (!m) return ts;
  const frac = (m[2] ?? '').replace(/0+$/, '');
  return `${m[1]}${frac ? `.${frac}` : ''}${m[3]}`;
}

/**
 * Splits one Docker log line ("TIMESTAMP payload") and renders it for the client: the payload,
 * prefixed by the RFC3339Nano timestamp and a space when `timestamps` is asked for.
 */
export function renderLogLine(line: Buffer, timestamps: boolean): Buffer {
  const space = line.indexOf(0x20);
  if (space < 0 || space > 40) return line;
  const payload = line.subarray(space + 1);
  if (!timestamps) return payload;
  return Buffer.concat([Buffer.from(`${rfc3339Nano(line.subarray(0, space).toString())} `), payload]);
}
