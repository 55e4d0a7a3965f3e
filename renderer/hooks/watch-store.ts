// One shared list+watch per URL, reference-counted: every view that shows pods of a namespace
// reads the same watch (browsers allow only six HTTP/1.1 connections per host, and a watch holds
// one). Events are applied in batches once per animation frame, so 300 churning pods cost one
// render per frame, not one per event.
import type { WatchEvent } from '../api/line-splitter';
import type { KubeObject } from '../api/types';
import { watchCollection } from '../api/watch';
import type { ApiHealth } from './api-health';
import { applyWatchEvents } from './watch-reducer';

/** What a watched list looks like right now. */
export interface WatchSnapshot<T extends KubeObject = KubeObject> {
  items: readonly T[];
  /** loading: no list yet; live: listed and streaming; failing: retrying after an error. */
  phase: 'loading' | 'live' | 'failing';
  /** Whether items hold a list from the server (false while loading or after failing first). */
  listed: boolean;
  error?: string;
}

/** How long a watch outlives its last reader (a view switching back soon reuses it). Short: each one holds a connection. */
const LINGER_MS = 500;

interface Entry {
  cluster: string;
  snapshot: WatchSnapshot;
  listeners: Set<() => void>;
  queue: WatchEvent[];
  scheduled: boolean;
  stop?: () => void;
  linger?: ReturnType<typeof setTimeout>;
}

/** Schedules `fn` for the next frame (a short timer when the page is hidden and frames stop). */
function nextFrame(fn: () => void): void {
  if (typeof document !== 'undefined' && !document.hidden && typeof requestAnimationFrame === 'function') requestAnimationFrame(fn);
  else setTimeout(fn, 200);
}

/** The shared watches of the app. */
export class WatchStore {
  private readonly entries = new Map<string, Entry>();
  private static readonly EMPTY: WatchSnapshot = { items: [], phase: 'loading', listed: false };

  constructor(private readonly health: ApiHealth) {}

  /** The current snapshot of the watch at `url` (a stable object between changes). */
  snapshot(url: string): WatchSnapshot {
    return this.entries.get(url)?.snapshot ?? WatchStore.EMPTY;
  }

  /** Starts (or joins) the watch of `cluster` at `url`; the returned function leaves it. */
  subscribe(cluster: string, url: string, listener: () => void): () => void {
    let e = this.entries.get(url);
    if (!e) {
      e = { cluster, snapshot: WatchStore.EMPTY, listeners: new Set(), queue: [], scheduled: false };
      this.entries.set(url, e);
      this.start(url, e);
    }
    if (e.linger) {
      clearTimeout(e.linger);
      e.linger = undefined;
    }
    e.listeners.add(listener);
    const entry = e;
    return () => {
      entry.listeners.delete(listener);
      if (entry.listeners.size > 0) return;
      entry.linger = setTimeout(() => {
        if (entry.listeners.size > 0) return;
        entry.stop?.();
        this.entries.delete(url);
        this.health.ok(entry.cluster, url);
      }, LINGER_MS);
    };
  }

  private start(url: string, e: Entry): void {
    e.stop = watchCollection(url, {
      onList: (items) => {
        e.queue = [];
        this.set(e, { items, phase: 'live', listed: true });
      },
      onEvent: (ev) => {
        e.queue.push(ev);
        if (e.queue.length > 5000) this.flush(e);
        else if (!e.scheduled) {
          e.scheduled = true;
          nextFrame(() => this.flush(e));
        }
      },
      onState: (s) => {
        if (s.live) {
          this.health.ok(e.cluster, url);
          if (e.snapshot.phase !== 'live') this.set(e, { ...e.snapshot, phase: 'live', error: undefined });
        } else {
          this.health.fail(e.cluster, url, { error: s.error, status: s.status });
          this.set(e, { ...e.snapshot, phase: 'failing', error: s.error });
        }
      },
    });
  }

  private flush(e: Entry): void {
    e.scheduled = false;
    if (e.queue.length === 0) return;
    const items = applyWatchEvents(e.snapshot.items, e.queue);
    e.queue = [];
    if (items !== e.snapshot.items) this.set(e, { ...e.snapshot, items });
  }

  private set(e: Entry, snapshot: WatchSnapshot): void {
    e.snapshot = snapshot;
    for (const l of [...e.listeners]) l();
  }
}
