// Records core/v1 Events about objects, as components do upstream: one Event per distinct
// (object, reason, message); repeats are counted on it (count, lastTimestamp) instead of making
// new Events, and written at most once per `minRepeatMs` so a busy loop cannot flood the store.
import { randomBytes } from 'node:crypto';
import type { RestClient } from './rest-client.js';

/** The object an Event is about. */
export interface EventTarget {
  kind: string;
  apiVersion?: string;
  namespace?: string;
  name: string;
  uid?: string;
  resourceVersion?: string;
  /** e.g. `spec.containers{web}` */
  fieldPath?: string;
}

/** Who reports: component name (kubelet, default-scheduler, …), the host it runs on and its instance. */
export interface EventSource {
  component: string;
  host?: string;
  instance?: string;
}

/** Tuning of a recorder. */
export interface EventRecorderOptions {
  /** Where failures to record go (Events are best effort). */
  log?: (line: string) => void;
  /** A repeat within this many ms of the last write is counted but not written (default 0: every repeat is written). */
  minRepeatMs?: number;
  /** The clock, in ms (tests). */
  now?: () => number;
}

type Type = 'Normal' | 'Warning';

interface Seen {
  name: string;
  namespace: string;
  uid: string;
  count: number;
  written: number;
}

/** How long a repeated Event is counted on the same object (upstream aggregates within 10 minutes). */
const SERIES_WINDOW_MS = 10 * 60_000;

const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

/** Writes Events through the API on behalf of one component. */
export class EventRecorder {
  private readonly seen = new Map<string, Seen>();
  private readonly log: (line: string) => void;
  private readonly minRepeatMs: number;
  private readonly now: () => number;

  constructor(
    private readonly client: Pick<RestClient, 'create' | 'patch'>,
    private readonly source: EventSource,
    opts: EventRecorderOptions = {},
  ) {
    this.log = opts.log ?? (() => undefined);
    this.minRepeatMs = opts.minRepeatMs ?? 0;
    this.now = opts.now ?? Date.now;
  }

  /** Records an Event; rejects when the write fails (callers that do not care use `emit`). */
  async record(target: EventTarget, type: Type, reason: string, message: string, action?: string): Promise<void> {
    const namespace = target.namespace || 'default';
    const uid = target.uid ?? `${namespace}/${target.name}`;
    const key = `${uid}\u0000${target.fieldPath ?? ''}\u0000${reason}\u0000${message}`;
    const at = this.now();
    const prior = this.seen.get(key);
    if (prior && at - prior.written < SERIES_WINDOW_MS) {
      prior.count += 1;
      if (at - prior.written < this.minRepeatMs) return;
      prior.written = at;
      try {
        await this.client.patch(`/api/v1/namespaces/${encodeURIComponent(prior.namespace)}/events/${encodeURIComponent(prior.name)}`, { count: prior.count, lastTimestamp: stamp(at) }, 'merge');
        return;
      } catch (err) {
        // The Event went away (expired or deleted): write a new one below.
        if ((err as { code?: number }).code !== 404) throw err;
      }
    }
    const name = `${target.name}.${randomBytes(8).toString('hex')}`;
    const count = prior?.count ?? 1;
    this.seen.set(key, { name, namespace, uid, count, written: at });
    try {
      await this.client.create(`/api/v1/namespaces/${encodeURIComponent(namespace)}/events`, {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject: {
          kind: target.kind,
          apiVersion: target.apiVersion ?? 'v1',
          namespace: target.namespace,
          name: target.name,
          uid: target.uid,
          resourceVersion: target.resourceVersion,
          fieldPath: target.fieldPath,
        },
        reason,
        message,
        type,
        ...(action ? { action } : {}),
        source: { component: this.source.component, ...(this.source.host ? { host: this.source.host } : {}) },
        reportingComponent: this.source.component,
        reportingInstance: this.source.instance ?? this.source.host ?? '',
        firstTimestamp: stamp(at),
        lastTimestamp: stamp(at),
        count,
      });
    } catch (err) {
      this.seen.delete(key);
      throw err;
    }
    if (this.seen.size > 5000) {
      for (const [k, s] of this.seen) if (at - s.written > SERIES_WINDOW_MS) this.seen.delete(k);
    }
  }

  /** Records without waiting; a failure is logged (Events never hold up the work they describe). */
  emit(target: EventTarget, type: Type, reason: string, message: string, action?: string): void {
    this.record(target, type, reason, message, action).catch((err: Error) => this.log(`event ${reason} about ${target.namespace ?? ''}/${target.name} not recorded: ${err.message}`));
  }

  /** `emit` about an API object of kind `[apiVersion, kind]`. */
  event(obj: { metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string } }, [apiVersion, kind]: readonly [string, string], type: Type, reason: string, message: string): void {
    const m = obj.metadata;
    this.emit({ kind, apiVersion, namespace: m.namespace, name: m.name, uid: m.uid, resourceVersion: m.resourceVersion }, type, reason, message);
  }

  /** Forgets the Events recorded about the object with this uid (it was deleted). */
  forget(uid: string): void {
    for (const [k, s] of this.seen) if (s.uid === uid) this.seen.delete(k);
  }
}
