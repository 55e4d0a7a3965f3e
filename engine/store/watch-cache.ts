// The watch cache: one etcd watch over every object feeds an in-memory copy of the store and a
// window of recent changes, from which lists and watches are served without asking etcd.
// Consistent lists (no resourceVersion) wait until the cache has seen etcd's current revision.
import { StoreError } from './errors.js';
import type { ListResult, ResourceRef, Storage, StoredObject, WatchEvent } from './storage.js';

interface CachedEvent {
  key: string;
  rv: number;
  event: WatchEvent;
}

interface Watcher {
  prefix: string;
  onEvent(e: WatchEvent): void;
  onError(err: StoreError): void;
}

/** How many recent changes are kept for watches that resume from a resourceVersion. */
const WINDOW = 20_000;

/** An in-memory copy of every stored object, kept current by one etcd watch. */
export class WatchCache {
  private readonly objects = new Map<string, StoredObject>();
  private events: CachedEvent[] = [];
  /** Changes after this revision are all in `events` (or none happened). */
  private oldest = 0;
  private seen = 0;
  private readonly watchers = new Set<Watcher>();
  private readonly waiters: Array<{ rv: number; resolve(): void }> = [];
  private upstream?: { cancel(): void };
  private stopped = false;
  private started?: Promise<void>;

  constructor(
    private readonly storage: Storage,
    private readonly log: (m: string) => void = () => {},
    private readonly window = WINDOW,
  ) {}

  /** Lists everything and starts following changes; resolves when the cache is filled. */
  start(): Promise<void> {
    this.started ??= this.fill();
    return this.started;
  }

  stop(): void {
    this.stopped = true;
    this.upstream?.cancel();
  }

  /**
   * The cached object, without waiting for the cache to catch up: it may lag etcd by a moment, so
   * callers use it only where a stale answer is checked again (e.g. a miss read from etcd).
   */
  peek(ref: ResourceRef, name: string): StoredObject | undefined {
    return this.objects.get(this.storage.key(ref, name));
  }

  /** The revision the cache has seen up to. */
  get revision(): number {
    return this.seen;
  }

  private async fill(): Promise<void> {
    const page = await this.storage.list({ resource: '' });
    const rv = Number(page.resourceVersion);
    this.objects.clear();
    page.items.forEach((o, i) => this.objects.set(page.keys![i]!, o));
    this.seen = rv;
    this.oldest = rv;
    this.events = [];
    this.follow(rv);
  }

  /**
   * Lists again until it works (etcd may be restarting). Until then start() — which every list
   * and watch awaits — resolves only when the cache is whole again, so no request sees the gap.
   */
  private refill(): void {
    this.started = new Promise<void>((resolve) => {
      const attempt = () =>
        setTimeout(() => {
          if (this.stopped) return resolve();
          this.fill().then(resolve, (e: Error) => {
            this.log(`watch cache: listing failed (${e.message}); trying again`);
            attempt();
          });
        }, 500).unref();
      attempt();
    });
  }

  private follow(from: number): void {
    this.upstream = this.storage.watch(
      { resource: '' },
      String(from),
      (e) => this.apply(e),
      (err) => {
        if (this.stopped) return;
        this.log(`watch cache: etcd watch ended (${err.message}); listing again`);
        this.upstream?.cancel();
        const expired = new StoreError('Expired', 'the watch cache was restarted; list again');
        for (const w of this.watchers) w.onError(expired);
        this.watchers.clear();
        this.refill();
      },
    );
  }

  private apply(e: WatchEvent): void {
    const key = e.key!;
    const rv = Number(e.object.metadata.resourceVersion);
    // Watchers with selectors need the object as it was, to tell when it stops or starts matching.
    const previous = this.objects.get(key);
    if (previous && e.type === 'MODIFIED') e = { ...e, previous };
    if (e.type === 'DELETED') this.objects.delete(key);
    else this.objects.set(key, e.object);
    this.events.push({ key, rv, event: e });
    if (this.events.length > this.window) {
      const dropped = this.events.splice(0, this.events.length - this.window);
      this.oldest = dropped[dropped.length - 1]!.rv;
    }
    this.seen = Math.max(this.seen, rv);
    for (const w of this.watchers) if (key.startsWith(w.prefix)) w.onEvent(e);
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.waiters[i]!.rv <= this.seen) this.waiters.splice(i, 1)[0]!.resolve();
    }
  }

  /** Resolves when the cache has seen revision `rv` (at most `ms` later; then it answers Timeout). */
  private waitFor(rv: number, ms = 3000): Promise<void> {
    if (this.seen >= rv) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new StoreError('Unavailable', `the watch cache did not reach revision ${rv} in time`)), ms);
      this.waiters.push({ rv, resolve: () => (clearTimeout(t), resolve()) });
    });
  }

  /**
   * Lists a resource from the cache. Without a resourceVersion the list is consistent (it waits
   * for etcd's current revision); with "0" it is whatever the cache has; with N it waits for N.
   */
  async list(ref: ResourceRef, resourceVersion?: string): Promise<ListResult> {
    await this.start();
    const rv = resourceVersion === '0' ? 0 : resourceVersion ? Number(resourceVersion) : await this.storage.revision();
    if (!Number.isInteger(rv) || rv < 0) throw new StoreError('Invalid', `invalid resourceVersion "${resourceVersion}"`);
    await this.waitFor(rv);
    const prefix = this.storage.base(ref);
    const keys = [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
    return { items: keys.map((k) => this.objects.get(k)!), resourceVersion: String(this.seen) };
  }

  /**
   * Watches a resource: from resourceVersion N every later change (Expired when N is older than
   * the cache's window); without one, ADDED for every object first.
   */
  watch(ref: ResourceRef, resourceVersion: string | undefined, onEvent: (e: WatchEvent) => void, onError: (err: StoreError) => void, onSynced?: () => void): { cancel(): void } {
    const prefix = this.storage.base(ref);
    const watcher: Watcher = { prefix, onEvent, onError };
    let cancelled = false;
    void this.start().then(
      async () => {
        if (cancelled) return;
        const from = resourceVersion && resourceVersion !== '0' ? Number(resourceVersion) : undefined;
        if (from === undefined) {
          const current = await this.list(ref, resourceVersion === '0' ? '0' : undefined);
          if (cancelled) return;
          for (const o of current.items) onEvent({ type: 'ADDED', object: o });
          this.replayAfter(Number(current.resourceVersion), watcher);
          onSynced?.();
        } else {
          if (!Number.isInteger(from) || from < 0) return onError(new StoreError('Invalid', `invalid resourceVersion "${resourceVersion}"`));
          if (from < this.oldest) return onError(new StoreError('Expired', `too old resource version: ${from} (${this.oldest})`));
          this.replayAfter(from, watcher);
        }
        if (!cancelled) this.watchers.add(watcher);
      },
      (err: StoreError) => onError(err),
    );
    return {
      cancel: () => {
        cancelled = true;
        this.watchers.delete(watcher);
      },
    };
  }

  private replayAfter(rv: number, w: Watcher): void {
    for (const e of this.events) if (e.rv > rv && e.key.startsWith(w.prefix)) w.onEvent(e.event);
  }
}
