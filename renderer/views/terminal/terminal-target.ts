// Terminal targets in the renderer, as pure functions: how a route asks for a new terminal tab
// (#/terminal?...&terminal=SPEC), the /terminal socket URL, tab titles and the server's messages.
import type { TerminalServerMessage, TerminalTarget } from '../../../engine/dashboard/contract';
import type { Route } from '../../route';

/** A target without its cluster (the route's cluster is used). */
export type TerminalRequest = { kind: 'host' } | { kind: 'node'; node: string } | { kind: 'pod'; namespace: string; pod: string; container?: string };

/** The route spec of a request: "host", "node/NODE", "pod/NS/POD[/CONTAINER]". */
export function terminalSpec(r: TerminalRequest): string {
  if (r.kind === 'host') return 'host';
  if (r.kind === 'node') return `node/${r.node}`;
  return ['pod', r.namespace, r.pod, ...(r.container ? [r.container] : [])].join('/');
}

/** Reads a route spec; undefined when it is not one terminalSpec makes. */
export function parseTerminalSpec(spec: string): TerminalRequest | undefined {
  const parts = spec.split('/');
  if (parts.some((p) => p === '')) return undefined;
  if (parts[0] === 'host' && parts.length === 1) return { kind: 'host' };
  if (parts[0] === 'node' && parts.length === 2) return { kind: 'node', node: parts[1]! };
  if (parts[0] === 'pod' && (parts.length === 3 || parts.length === 4)) {
    return parts[3] ? { kind: 'pod', namespace: parts[1]!, pod: parts[2]!, container: parts[3] } : { kind: 'pod', namespace: parts[1]!, pod: parts[2]! };
  }
  return undefined;
}

/**
 * The route patch that opens a new terminal tab for `r` in the terminal view (of `cluster`, else
 * the current one): navigate(openTerminalRoute({ kind: 'node', node: 'dev-worker' })).
 */
export function openTerminalRoute(r: TerminalRequest, cluster?: string): Partial<Route> {
  const patch: Partial<Route> = { view: 'terminal', terminal: terminalSpec(r), name: undefined };
  if (cluster) patch.cluster = cluster;
  return patch;
}

/** The full target of a request in `cluster`. */
export function targetIn(cluster: string, r: TerminalRequest): TerminalTarget {
  return { ...r, cluster } as TerminalTarget;
}

/** The /terminal URL for `target` starting at `cols` × `rows`, on the page's own host (ws: or wss:). */
export function terminalUrl(loc: Pick<Location, 'protocol' | 'host'>, target: TerminalTarget, size: { cols: number; rows: number }): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(target)) if (typeof v === 'string' && v) q.set(k, v);
  q.set('cols', String(size.cols));
  q.set('rows', String(size.rows));
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}/terminal?${q.toString()}`;
}

/** A tab's title: "dev: host shell", "dev-worker", "web-7d9/app". */
export function terminalTitle(t: TerminalTarget): string {
  if (t.kind === 'host') return `${t.cluster}: host shell`;
  if (t.kind === 'node') return t.node;
  return t.container ? `${t.pod}/${t.container}` : t.pod;
}

/** A server text message, or undefined when it is not one the contract knows. */
export function parseServerMessage(text: string): TerminalServerMessage | undefined {
  try {
    const m = JSON.parse(text) as Record<string, unknown>;
    if (m?.type !== 'exit') return undefined;
    const out: TerminalServerMessage = { type: 'exit' };
    if (typeof m.code === 'number') out.code = m.code;
    if (typeof m.signal === 'string') out.signal = m.signal;
    if (typeof m.error === 'string') out.error = m.error;
    return out;
  } catch {
    return undefined;
  }
}

/** The line written into the terminal when its process is gone (without the surrounding newlines). */
export function exitLine(m: TerminalServerMessage | undefined): string {
  if (!m) return '[connection to the dashboard lost]';
  if (m.error) return `[${m.error}]`;
  if (m.signal) return `[process killed by ${m.signal}]`;
  return `[process exited with code ${m.code ?? '?'}]`;
}
