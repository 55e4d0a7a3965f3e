// Informers (client-go's tools/cache): a local, indexed copy of one resource kept current by a
// consistent list followed by a watch from the list's resourceVersion. Whenever a watch ends the
// informer lists again and turns the difference into events, so handlers never miss a change.
import type { ApiObject } from '../api/resource-type.js';
import { nullLogger, type Logger } from '../log/logger.js';
import type { ApiRequestError, RestClient, WatchEvent } from './rest-client.js';

/** Which objects an informer follows; group '' is the core group. */
export interface InformerTarget {
  group: string;
  version: string;
  resource: string;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/** A change to an informer's cache, as its handlers see it. */
export type Change<T> = { type: 'add'; obj: T } | { type: 'update'; old: T; obj: T } | { type: 'delete'; obj: T };

/** Callbacks for changes; each is called in the order the changes happened. */
export interface InformerHandlers<T> {
  onAdd?(obj: T): void;
  onUpdate?(old: T, obj: T): void;
  onDelete?(obj: T): void;
}

/** Tuning; the defaults suit production. */
export interface InformerOptions {
  log?: Logger;
  /** How long each watch lasts before the server ends it (default: random 5–10 minutes). */
  watchTimeoutSeconds?: number;
  /** When set, every cached object is handed to onUpdate(obj, obj) this often. */
  resyncMs?: number;
}

/** What an informer needs from a client. */
export type ListerWatcher = Pick<RestClient, 'list' | 'watch'>;

/** The collection path of a target, e.g. /apis/apps/v1/namespaces/ns/deployments. */
export function resourcePath(t: InformerTarget): string {
  const base = t.group ? `/apis/${t.group}/${t.version}` : `/api/${t.version}`;
  return `${base}${t.namespace ? `/namespaces/${encodeURIComponent(t.namespace)}` : ''}/${t.resource}`;
}

/** The cache key of an object: namespace/name, or name when it has no namespace. */
export function keyOf(obj: ApiObject): string {
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata.name;
}

/** -1, 0 or 1 when both resourceVersions are numbers; undefined when they cannot be ordered. */
function compareVersions(a?: string, b?: string): number | undefined {
  if (!a || !b || !/^\d+$/.test(a) || !/^\d+$/.test(b)) return undefined;
  return Math.sign(Number(a) - Number(b));
}

/**
 * The change a watch event makes to `store`, without changing it. Undefined for bookmarks, for
 * ADDED/MODIFIED events no newer than the cached object, and for deletes of unknown objects.
 */
export function applyWatchEvent<T extends ApiObject>(store: ReadonlyMap<string, T>, event: WatchEvent<T>): Change<T> | undefined {
  if (event.type === 'BOOKMARK') return undefined;
  const key = keyOf(event.object);
  const old = store.get(key);
  if (event.type === 'DELETED') return old ? { type: 'delete', obj: event.object } : undefined;
  if (!old) return { type: 'add', obj: event.object };
  const order = compareVersions(event.object.metadata.resourceVersion, old.metadata.resourceVersion);
  if (order !== undefined && order <= 0) return undefined;
  return { type: 'update', old, obj: event.object };
}

/**
 * The changes that turn `store` into a fresh list: deletes for objects that vanished, adds for
 * new ones, updates for those whose resourceVersion changed.
 */
export function relistChanges<T extends ApiObject>(store: ReadonlyMap<string, T>, items: T[]): Change<T>[] {
  const listed = new Map(items.map((o) => [keyOf(o), o] as const));
  const changes: Change<T>[] = [];
  for (const [key, old] of store) if (!listed.has(key)) changes.push({ type: 'delete', obj: old });
  for (const [key, obj] of listed) {
    const old = store.get(key);
    if (!old) changes.push({ type: 'add', obj });
    else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) changes.push({ type: 'update', old, obj });
  }
  return changes;
}

/** Back-off after consecutive failures: 100 ms doubling to 30 s. */
const backoff = (failures: number) => Math.min(100 * 2 ** (failures - 1), 30_000);

/** A list-and-watch cache of one target, with secondary indexes and change handlers. */
export class Informer<T extends ApiObject = ApiObject> {
  private readonly store = new Map<string, T>();
  private readonly indexers = new Map<string, (obj: T) => string[]>();
  private readonly indexes = new Map<string, Map<string, Set<string>>>();
  private readonly handlers = new Set<InformerHandlers<T>>();
  private readonly syncWaiters: Array<{ resolve(): void; reject(err: Error): void }> = [];
  private readonly log: Logger;
  private synced = false;
  private stopped = false;
  private running?: Promise<void>;
  private watching?: { stop(): void };
  private interrupt?: () => void;
  private resync?: NodeJS.Timeout;

  constructor(
    private readonly client: ListerWatcher,
    readonly target: InformerTarget,
    private readonly opts: InformerOptions = {},
  ) {
    this.log = opts.log ?? nullLogger;
  }

  /** Starts listing and watching (once); returns the informer. */
  start(): this {
    if (this.stopped) throw new Error(`informer ${this.target.resource} was stopped`);
    if (this.running) return this;
    this.running = this.run();
    if (this.opts.resyncMs) {
      this.resync = setInterval(() => {
        for (const obj of this.store.values()) this.notify({ type: 'update', old: obj, obj });
      }, this.opts.resyncMs);
    }
    return this;
  }

  /** Ends the watch; the cache keeps its last contents. Resolves when the loop has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.resync);
    this.watching?.stop();
    this.interrupt?.();
    for (const w of this.syncWaiters.splice(0)) w.reject(new Error(`informer ${this.target.resource} stopped before it synced`));
    await this.running;
  }

  /** Whether the first list has been loaded. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves once the first list has been loaded; rejects if the informer is stopped first. */
  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    if (this.stopped) return Promise.reject(new Error(`informer ${this.target.resource} was stopped`));
    return new Promise((resolve, reject) => this.syncWaiters.push({ resolve, reject }));
  }

  /** The cached object under `key` (namespace/name). */
  get(key: string): T | undefined {
    return this.store.get(key);
  }

  /** Every cached object. */
  list(): T[] {
    return [...this.store.values()];
  }

  /** Adds a secondary index: `fn` names the values an object is found under. */
  addIndex(name: string, fn: (obj: T) => string[]): void {
    if (this.indexers.has(name)) throw new Error(`index ${name} already exists`);
    this.indexers.set(name, fn);
    this.indexes.set(name, new Map());
    for (const [key, obj] of this.store) this.index(key, undefined, obj);
  }

  /** The cached objects an index files under `value`. */
  byIndex(name: string, value: string): T[] {
    const index = this.indexes.get(name);
    if (!index) throw new Error(`no index named ${name}`);
    return [...(index.get(value) ?? [])].map((key) => this.store.get(key)!);
  }

  /** Registers handlers; after the first sync they get an add for every cached object at once. Returns their removal. */
  addHandler(h: InformerHandlers<T>): () => void {
    this.handlers.add(h);
    if (this.synced) for (const obj of this.store.values()) this.call(() => h.onAdd?.(obj));
    return () => this.handlers.delete(h);
  }

  private async run(): Promise<void> {
    const path = resourcePath(this.target);
    const { labelSelector, fieldSelector } = this.target;
    let failures = 0;
    while (!this.stopped) {
      let healthy = false;
      try {
        const list = await this.client.list<T>(path, { labelSelector, fieldSelector });
        if (this.stopped) break;
        this.replace(list.items);
        const started = Date.now();
        const err = await this.watchFrom(path, list.metadata.resourceVersion);
        if (this.stopped) break;
        healthy = (!err || err.code === 410) && Date.now() - started >= 1000;
        if (err?.code === 410) this.log.v(2).info(`informer ${path}: re-listing after 410 Expired (${err.message})`);
        else if (err) this.log.warn(`informer ${path}: watch failed: ${err.message}; listing again`);
      } catch (err) {
        this.log.warn(`informer ${path}: listing failed: ${(err as Error).message}`);
      }
      failures = healthy ? 0 : failures + 1;
      if (failures && !this.stopped) await this.sleep(backoff(failures));
    }
  }

  /** Watches until the watch ends; resolves with why (undefined: it ended cleanly or was stopped). */
  private watchFrom(path: string, resourceVersion: string | undefined): Promise<ApiRequestError | undefined> {
    const { labelSelector, fieldSelector } = this.target;
    const timeoutSeconds = this.opts.watchTimeoutSeconds ?? Math.floor(300 + Math.random() * 300);
    return new Promise((resolve) => {
      this.interrupt = () => resolve(undefined);
      this.watching = this.client.watch<T>(path, { resourceVersion, allowWatchBookmarks: true, timeoutSeconds, labelSelector, fieldSelector }, (e) => {
        const change = applyWatchEvent(this.store, e);
        if (change) this.commit(change);
      }, resolve);
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.interrupt = () => (clearTimeout(t), resolve());
    });
  }

  private replace(items: T[]): void {
    for (const change of relistChanges(this.store, items)) this.commit(change);
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w.resolve();
    }
  }

  private commit(change: Change<T>): void {
    const key = keyOf(change.obj);
    const old = change.type === 'add' ? undefined : change.type === 'update' ? change.old : this.store.get(key);
    if (change.type === 'delete') this.store.delete(key);
    else this.store.set(key, change.obj);
    this.index(key, old, change.type === 'delete' ? undefined : change.obj);
    this.notify(change);
  }

  private index(key: string, old: T | undefined, obj: T | undefined): void {
    for (const [name, fn] of this.indexers) {
      const index = this.indexes.get(name)!;
      for (const value of old ? fn(old) : []) {
        const keys = index.get(value);
        keys?.delete(key);
        if (keys?.size === 0) index.delete(value);
      }
      for (const value of obj ? fn(obj) : []) {
        let keys = index.get(value);
        if (!keys) index.set(value, (keys = new Set()));
        keys.add(key);
      }
    }
  }

  private notify(change: Change<T>): void {
    for (const h of this.handlers) {
      if (change.type === 'add') this.call(() => h.onAdd?.(change.obj));
      else if (change.type === 'update') this.call(() => h.onUpdate?.(change.old, change.obj));
      else this.call(() => h.onDelete?.(change.obj));
    }
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log.error(`informer ${this.target.resource}: a handler failed: ${(err as Error).message}`);
    }
  }
}

/** One informer per target per process: components share these instead of each watching. */
export class SharedInformers {
  private readonly informers = new Map<string, Informer>();

  constructor(
    private readonly client: ListerWatcher,
    private readonly opts: InformerOptions = {},
  ) {}

  /** The started informer for `target`, made the first time anyone asks for it. */
  for<T extends ApiObject = ApiObject>(target: InformerTarget): Informer<T> {
    const { group, version, resource, namespace = '', labelSelector = '', fieldSelector = '' } = target;
    const key = JSON.stringify([group, version, resource, namespace, labelSelector, fieldSelector]);
    let informer = this.informers.get(key);
    if (!informer) this.informers.set(key, (informer = new Informer(this.client, target, this.opts).start()));
    return informer as unknown as Informer<T>;
  }

  /** Resolves once every informer made so far has synced. */
  async waitForSync(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.waitForSync()));
  }

  /** Stops every informer. */
  async stop(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }
}
