import { EtcdClient, type EtcdEvent, type KeyValue } from './etcd-client.js';
import { StoreError } from './errors.js';

/** An API object as stored: anything with metadata.name. */
export interface StoredObject {
  metadata: { name: string; namespace?: string; resourceVersion?: string; [k: string]: unknown };
  [k: string]: unknown;
}

/** A change to the objects of a resource, as the Kubernetes watch API names them. */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: StoredObject;
  /** The object's etcd key (events from etcd; synthetic ones may lack it). */
  key?: string;
  /** For MODIFIED events from the watch cache: the object before the change. */
  previous?: StoredObject;
}

/** One page of a list. */
export interface ListResult {
  items: StoredObject[];
  /** The etcd key of each item, in the same order (lists read from etcd). */
  keys?: string[];
  /** Revision the list was read at. */
  resourceVersion: string;
  /** Token for the next page, when there is one. */
  continue?: string;
  remainingItemCount?: number;
}

/** Where a resource's objects live: one key per object, `<prefix>/<resource>/[<namespace>/]<name>`. */
export interface ResourceRef {
  resource: string;
  namespace?: string;
}

function decode(kv: KeyValue): StoredObject {
  let obj: StoredObject;
  try {
    obj = JSON.parse(kv.value.toString()) as StoredObject;
  } catch {
    throw new StoreError('Internal', `the value stored at ${kv.key} is not a JSON object`);
  }
  if (!obj || typeof obj !== 'object' || !obj.metadata || typeof obj.metadata !== 'object') throw new StoreError('Internal', `the value stored at ${kv.key} is not an API object`);
  obj.metadata.resourceVersion = String(kv.modRevision);
  return obj;
}

/** Decodes, or undefined for values that are not API objects (written by something else): lists and watches skip them. */
function tryDecode(kv: KeyValue): StoredObject | undefined {
  try {
    return decode(kv);
  } catch {
    return undefined;
  }
}

function encode(obj: StoredObject): Buffer {
  const { resourceVersion: _rv, ...metadata } = obj.metadata;
  return Buffer.from(JSON.stringify({ ...obj, metadata }));
}

/** Parses a resourceVersion given by a client; throws a StoreError for anything but a non-negative integer. */
export function parseResourceVersion(rv: unknown): number {
  if (rv === undefined || rv === '') return 0;
  if (typeof rv !== 'string' || !/^\d+$/.test(rv)) throw new StoreError('Invalid', `invalid resourceVersion ${JSON.stringify(rv)}: it must be a non-negative integer`);
  return Number(rv);
}

/** Encodes a continue token: the revision of the first page and the key to resume after. */
export function encodeContinue(revision: number, nextKey: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: revision, start: nextKey })).toString('base64url');
}

/** Decodes a continue token; throws on anything not made by encodeContinue. */
export function decodeContinue(token: string): { rv: number; start: string } {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString()) as { v?: string; rv?: number; start?: string };
    if (t.v !== 'meta.k8s.io/v1' || typeof t.rv !== 'number' || typeof t.start !== 'string') throw new Error('bad token');
    return { rv: t.rv, start: t.start };
  } catch {
    throw new StoreError('Internal', 'invalid continue token');
  }
}

/**
 * Kubernetes-style object storage on etcd: JSON objects, one key each, resourceVersion = the
 * key's mod revision, optimistic concurrency on updates and deletes, consistent paged lists, and
 * watches that resume from a revision (Expired when it was compacted).
 */
export class Storage {
  constructor(
    private readonly etcd: EtcdClient,
    private readonly prefix = '/registry',
  ) {}

  /** The etcd key of one object. */
  key(ref: ResourceRef, name: string): string {
    return `${this.base(ref)}${name}`;
  }

  /** The key prefix of a resource, narrowed to a namespace when given; an empty resource means every object of every resource. */
  base(ref: ResourceRef): string {
    if (ref.resource === '') return `${this.prefix}/`;
    return `${this.prefix}/${ref.resource}/${ref.namespace ? `${ref.namespace}/` : ''}`;
  }

  async get(ref: ResourceRef, name: string): Promise<StoredObject> {
    const { kvs } = await this.etcd.range({ key: this.key(ref, name) });
    const kv = kvs[0];
    if (!kv) throw notFound(ref, name);
    return decode(kv);
  }

  /** Stores a new object; AlreadyExists when the name is taken. */
  async create(ref: ResourceRef, obj: StoredObject): Promise<StoredObject> {
    const res = await this.etcd.putIf(this.key(ref, obj.metadata.name), encode(obj), 0);
    if (!res.ok) throw new StoreError('AlreadyExists', `${ref.resource} "${obj.metadata.name}" already exists`);
    return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(res.revision) } };
  }

  /**
   * Replaces an object. With metadata.resourceVersion set, only if it is still that version
   * (Conflict otherwise); without it, unconditionally (but the object must exist).
   */
  async update(ref: ResourceRef, obj: StoredObject): Promise<StoredObject> {
    const name = obj.metadata.name;
    let expected = parseResourceVersion(obj.metadata.resourceVersion);
    if (expected === 0) expected = (await this.currentRevision(ref, name)) ?? 0;
    if (expected === 0) throw notFound(ref, name);
    const res = await this.etcd.putIf(this.key(ref, name), encode(obj), expected);
    if (!res.ok) {
      if (!res.current) throw notFound(ref, name);
      throw conflict(ref, name);
    }
    return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(res.revision) } };
  }

  /** Reads, transforms and writes an object, retrying on conflicts: for changes that must not lose concurrent writes. */
  async guaranteedUpdate(ref: ResourceRef, name: string, change: (current: StoredObject) => StoredObject, attempts = 16): Promise<StoredObject> {
    for (let i = 0; i < attempts; i++) {
      const current = await this.get(ref, name);
      const next = change(structuredClone(current));
      next.metadata.resourceVersion = current.metadata.resourceVersion;
      try {
        return await this.update(ref, next);
      } catch (err) {
        if (!(err instanceof StoreError) || err.reason !== 'Conflict') throw err;
      }
    }
    throw conflict(ref, name);
  }

  /** Deletes an object (only at `resourceVersion` when given); returns its last state. */
  async delete(ref: ResourceRef, name: string, resourceVersion?: string): Promise<StoredObject> {
    for (;;) {
      const expected = parseResourceVersion(resourceVersion) || (await this.currentRevision(ref, name));
      if (!expected) throw notFound(ref, name);
      const res = await this.etcd.deleteIf(this.key(ref, name), expected);
      if (res.ok) return decode(res.prev);
      if (!res.current) throw notFound(ref, name);
      if (resourceVersion) throw conflict(ref, name);
      // Changed between our read and the delete: try again with its new revision.
    }
  }

  /** Lists objects in key order, `limit` at a time; later pages read at the first page's revision. */
  async list(ref: ResourceRef, opts: { limit?: number; continue?: string; resourceVersion?: string } = {}): Promise<ListResult> {
    const base = this.base(ref);
    let revision = 0;
    let from: string | undefined;
    if (opts.continue) {
      const t = decodeContinue(opts.continue);
      if (!t.start.startsWith(base)) throw new StoreError('Internal', 'continue token does not belong to this list');
      revision = t.rv;
      from = t.start;
    } else if (opts.resourceVersion && opts.resourceVersion !== '0') {
      revision = parseResourceVersion(opts.resourceVersion);
    }
    const res = await this.etcd.range({ key: base, prefix: true, from, limit: opts.limit, revision }).catch((err: unknown) => {
      if (err instanceof StoreError && err.reason === 'Expired' && opts.continue) {
        throw new StoreError('Expired', 'the continue token has expired: the list it belongs to was compacted; start the list again');
      }
      throw err;
    });
    const listRevision = revision || res.revision;
    const good = res.kvs.map((kv) => [kv, tryDecode(kv)] as const).filter((p): p is readonly [KeyValue, StoredObject] => p[1] !== undefined);
    const items = good.map((p) => p[1]);
    const keys = good.map((p) => p[0].key);
    const last = res.kvs[res.kvs.length - 1];
    if (res.more && last) {
      return {
        items,
        keys,
        resourceVersion: String(listRevision),
        continue: encodeContinue(listRevision, `${last.key}\0`),
        remainingItemCount: res.count - res.kvs.length,
      };
    }
    return { items, keys, resourceVersion: String(listRevision) };
  }

  /**
   * Watches a resource. From resourceVersion N: every change after N. Without one (or "0"):
   * an ADDED event per existing object, then every later change. `onError` gets Expired when N
   * was compacted (the client must list again), or Unavailable when etcd went away.
   */
  watch(ref: ResourceRef, resourceVersion: string | undefined, onEvent: (e: WatchEvent) => void, onError: (err: StoreError) => void): { cancel(): void } {
    let cancelled = false;
    let inner: { cancel(): void } | undefined;
    const start = (from: number) => {
      if (cancelled) return;
      inner = this.etcd.watch(this.base(ref), from, (events) => {
        for (const e of events) {
          const w = toWatchEvent(e);
          if (w) onEvent(w);
        }
      }, onError);
    };
    const rv = parseResourceVersion(resourceVersion);
    if (rv > 0) start(rv + 1);
    else {
      this.list(ref).then(
        (page) => {
          if (cancelled) return;
          page.items.forEach((item, i) => onEvent({ type: 'ADDED', object: item, key: page.keys?.[i] }));
          start(Number(page.resourceVersion) + 1);
        },
        (err: StoreError) => onError(err),
      );
    }
    return {
      cancel: () => {
        cancelled = true;
        inner?.cancel();
      },
    };
  }

  /** The store's current revision (the revision of its last write). */
  async revision(): Promise<number> {
    return (await this.etcd.range({ key: `${this.prefix}/`, prefix: true, countOnly: true })).revision;
  }

  private async currentRevision(ref: ResourceRef, name: string): Promise<number | undefined> {
    const { kvs } = await this.etcd.range({ key: this.key(ref, name) });
    return kvs[0]?.modRevision;
  }
}

function toWatchEvent(e: EtcdEvent): WatchEvent | undefined {
  if (e.type === 'DELETE') {
    const obj = (e.prevKv && tryDecode(e.prevKv)) || { metadata: { name: e.kv.key.split('/').pop() ?? '' } };
    obj.metadata.resourceVersion = String(e.kv.modRevision);
    return { type: 'DELETED', object: obj, key: e.kv.key };
  }
  const object = tryDecode(e.kv);
  return object && { type: e.kv.version === 1 ? 'ADDED' : 'MODIFIED', object, key: e.kv.key };
}

function notFound(ref: ResourceRef, name: string): StoreError {
  return new StoreError('NotFound', `${ref.resource} "${name}" not found`);
}

function conflict(ref: ResourceRef, name: string): StoreError {
  return new StoreError('Conflict', `Operation cannot be fulfilled on ${ref.resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`);
}
