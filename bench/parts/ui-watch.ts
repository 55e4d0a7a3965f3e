// bench:ui's own watch of the pods, held in Node through the dashboard's /k8s proxy (with the
// browser's session cookie), so it takes none of the page's six connections; and the match of
// what it saw against the page's log of row changes (freshness). Both sides stamp Unix epoch ms
// (performance.timeOrigin + performance.now()), the same clock on one machine.
import { request } from 'node:http';
import type { RowChange } from './ui-page.js';

/** A pod change the watch saw: its type, uid, resourceVersion, and when (epoch ms). */
export interface SeenChange {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  key: string;
  rv: number;
  at: number;
}

const epochNow = () => performance.timeOrigin + performance.now();

function get(base: string, path: string, cookie: string, onData: (chunk: string) => void): { done: Promise<number>; stop(): void } {
  let req: ReturnType<typeof request> | undefined;
  const done = new Promise<number>((resolve, reject) => {
    req = request(new URL(path, base), { headers: { cookie, accept: 'application/json' } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', onData);
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
      res.on('aborted', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
  return { done, stop: () => req?.destroy() };
}

/** Lists `path` through the dashboard at `base`, then watches it from the list's resourceVersion, recording each pod change until stopped. */
export async function proxyWatch(base: string, path: string, cookie: string): Promise<{ seen: SeenChange[]; stop(): void }> {
  let body = '';
  const list = get(base, path, cookie, (c) => (body += c));
  const status = await list.done;
  if (status !== 200) throw new Error(`listing ${path} through the dashboard: HTTP ${status}: ${body.slice(0, 200)}`);
  const rv = (JSON.parse(body) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
  const seen: SeenChange[] = [];
  let buf = '';
  const watch = get(base, `${path}?watch=1&resourceVersion=${encodeURIComponent(rv)}`, cookie, (chunk) => {
    const at = epochNow();
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (!line) continue;
      const ev = JSON.parse(line) as { type: string; object: { metadata: { uid: string; resourceVersion: string } } };
      if (ev.type === 'ADDED' || ev.type === 'MODIFIED' || ev.type === 'DELETED') seen.push({ type: ev.type, key: ev.object.metadata.uid, rv: Number(ev.object.metadata.resourceVersion), at });
    }
  });
  watch.done.catch(() => undefined);
  return { seen, stop: () => watch.stop() };
}

/** One change's freshness: from the watch seeing it to the frame painted with its row showing it (ms; 0 when the page was first); undefined when it never showed. */
export interface Fresh {
  type: SeenChange['type'];
  ms?: number;
}

/**
 * Matches each seen change with the first row change that shows it: the row gone for DELETED,
 * else the row showing that resourceVersion or a later one (a later version supersedes it).
 */
export function matchFreshness(seen: readonly SeenChange[], log: readonly RowChange[]): Fresh[] {
  const byKey = new Map<string, RowChange[]>();
  for (const c of log) {
    const list = byKey.get(c.key) ?? [];
    list.push(c);
    byKey.set(c.key, list);
  }
  return seen.map((s) => {
    const shown = (byKey.get(s.key) ?? []).find((c) => (s.type === 'DELETED' ? c.rv === null : c.rv !== null && c.rv >= s.rv));
    return shown ? { type: s.type, ms: Math.max(0, shown.paintAt - s.at) } : { type: s.type };
  });
}
