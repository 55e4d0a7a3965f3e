// A Kubernetes list+watch over the /k8s proxy: list, then stream the watch's JSON lines from the
// list's resourceVersion; on 410 Gone (HTTP or ERROR event) list again; when the stream ends,
// watch again from the last resourceVersion seen; on failure retry with back-off, re-listing.
import { errorFromResponse, errorText, HttpError, isAbort, requestJson, send } from './http';
import { LineSplitter, parseWatchLine, type WatchEvent } from './line-splitter';
import type { KubeList, KubeObject } from './types';

/** What a watch reports to its owner. */
export interface WatchHandlers<T extends KubeObject> {
  /** A full list: the first one and each re-list. */
  onList(items: T[]): void;
  /** An ADDED/MODIFIED/DELETED event. */
  onEvent(event: WatchEvent<T>): void;
  /** The connection is live (list done, stream open) or failing (with the error and its status). */
  onState(state: { live: true } | { live: false; error: string; status: number }): void;
}

/** Delay before retry `attempt` (0-based): 0.5 s doubling to 10 s. */
export function backoffMs(attempt: number): number {
  return Math.min(10_000, 500 * 2 ** Math.min(attempt, 5));
}

const withQuery = (url: string, q: string) => `${url}${url.includes('?') ? '&' : '?'}${q}`;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });

/** Lists and watches the collection at `url` (a /k8s/... URL, may carry selectors) until stopped. */
export function watchCollection<T extends KubeObject>(url: string, handlers: WatchHandlers<T>): () => void {
  const controller = new AbortController();
  const { signal } = controller;
  void (async () => {
    let rv: string | undefined;
    let attempt = 0;
    let quickEnds = 0;
    while (!signal.aborted) {
      try {
        if (rv === undefined) {
          const list = await requestJson<KubeList<T>>(url, { signal });
          rv = list.metadata?.resourceVersion ?? '0';
          handlers.onList(list.items ?? []);
        }
        const res = await send(withQuery(url, `watch=1&allowWatchBookmarks=true&resourceVersion=${encodeURIComponent(rv)}`), { signal });
        if (res.status === 410) {
          rv = undefined;
          continue;
        }
        if (!res.ok || !res.body) throw await errorFromResponse(res);
        handlers.onState({ live: true });
        attempt = 0;
        const opened = Date.now();
        rv = await readEvents(res.body, rv, handlers, signal);
        // A stream that keeps ending at once (a proxy cutting it) must not spin.
        if (Date.now() - opened < 1000) await sleep(backoffMs(quickEnds++), signal);
        else quickEnds = 0;
      } catch (err) {
        if (signal.aborted || isAbort(err)) return;
        const status = err instanceof HttpError ? err.status : 0;
        handlers.onState({ live: false, error: errorText(err), status });
        rv = undefined;
        await sleep(backoffMs(attempt++), signal);
      }
    }
  })();
  return () => controller.abort();
}

/** Reads a watch stream to its end; the resourceVersion to watch from next (undefined: re-list). */
async function readEvents<T extends KubeObject>(
  body: ReadableStream<Uint8Array>,
  rv: string,
  handlers: WatchHandlers<T>,
  signal: AbortSignal,
): Promise<string | undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const lines = new LineSplitter();
  let next: string | undefined = rv;
  const onAbort = () => void reader.cancel().catch(() => undefined);
  signal.addEventListener('abort', onAbort);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      const batch = done ? [...lines.push(decoder.decode()), ...lines.end()] : lines.push(decoder.decode(value, { stream: true }));
      for (const line of batch) {
        const ev = parseWatchLine<T>(line);
        if (!ev) continue;
        if (ev.type === 'ERROR') {
          if (ev.object.code === 410) return undefined;
          throw new HttpError(ev.object.message || 'watch failed', ev.object.code ?? 500, ev.object.reason);
        }
        next = ev.object.metadata?.resourceVersion || next;
        if (ev.type !== 'BOOKMARK') handlers.onEvent(ev);
      }
      if (done) return next;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
