// Records core/v1 Events about objects, as components do upstream: one Event per distinct
// (object, reason, message), repeats counted on it (count, lastTimestamp) instead of new Events.
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

/** Who reports: component name (kubelet, default-scheduler, …) and the host or instance. */
export interface EventSource {
  component: string;
  host?: string;
}

interface Seen {
  name: string;
  namespace: string;
  count: number;
  at: number;
}

/** How long a repeated Event is counted on the same object (upstream aggregates within 10 minutes). */
const SERIES_WINDOW_MS = 10 * 60_000;

/** Writes Events; failures are logged and dropped (Events are best effort, as upstream). */
export class EventRecorder {
  private readonly seen = new Map<string, Seen>();

  constructor(
    private readonly client: RestClient,
    private readonly source: EventSource,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /** Records an Event; returns once it was written (or failed). */
  async record(target: EventTarget, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    const namespace = target.namespace ?? 'default';
    const key = `${target.uid ?? `${namespace}/${target.name}`}|${target.fieldPath ?? ''}|${reason}|${message}`;
    const now = new Date();
    const stamp = now.toISOString().replace(/\.\d+Z$/, 'Z');
    const prior = this.seen.get(key);
    try {
      if (prior && now.getTime() - prior.at < SERIES_WINDOW_MS) {
        prior.count += 1;
        prior.at = now.getTime();
        await this.client.patch(`/api/v1/namespaces/${encodeURIComponent(prior.namespace)}/events/${encodeURIComponent(prior.name)}`, { count: prior.count, lastTimestamp: stamp }, 'merge');
        return;
      }
      const name = `${target.name}.${randomBytes(8).toString('hex')}`;
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
        source: { component: this.source.component, host: this.source.host },
        reportingComponent: this.source.component,
        reportingInstance: this.source.host ?? '',
        firstTimestamp: stamp,
        lastTimestamp: stamp,
        count: 1,
      });
      this.seen.set(key, { name, namespace, count: 1, at: now.getTime() });
      if (this.seen.size > 5000) {
        for (const [k, s] of this.seen) if (now.getTime() - s.at > SERIES_WINDOW_MS) this.seen.delete(k);
      }
    } catch (err) {
      if (prior) this.seen.delete(key);
      this.log(`event ${reason} for ${namespace}/${target.name} not recorded: ${(err as Error).message}`);
    }
  }

  /** Records without waiting (the usual way; Events never hold up the work they describe). */
  emit(target: EventTarget, type: 'Normal' | 'Warning', reason: string, message: string): void {
    void this.record(target, type, reason, message);
  }
}
