// core/v1 Events about pods, as the scheduler reports them (Scheduled, FailedScheduling,
// Preempted), without spamming: the same event for the same pod is written at most once per
// `repeatMs`; a repeat after that bumps count and lastTimestamp of the event already written.
import { hostname } from 'node:os';
import { ApiRequestError, type RestClient } from '../client/rest-client.js';
import type { Pod } from './types.js';

/** The component name the scheduler reports as. */
export const SCHEDULER_NAME = 'default-scheduler';

interface Written {
  name: string;
  count: number;
  lastWritten: number;
}

const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

/** The core/v1 Event for a pod (pure; `at` in ms). */
export function podEvent(pod: Pod, name: string, type: 'Normal' | 'Warning', reason: string, action: string, message: string, at: number, instance: string): Record<string, unknown> {
  const m = pod.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: m.namespace ?? 'default' },
    involvedObject: { apiVersion: 'v1', kind: 'Pod', namespace: m.namespace ?? 'default', name: m.name, uid: m.uid, resourceVersion: (m as { resourceVersion?: string }).resourceVersion },
    reason,
    message,
    type,
    action,
    source: { component: SCHEDULER_NAME },
    reportingComponent: SCHEDULER_NAME,
    reportingInstance: instance,
    firstTimestamp: stamp(at),
    lastTimestamp: stamp(at),
    count: 1,
  };
}

/** Writes pod events through the API, deduplicating repeats. */
export class EventRecorder {
  private readonly written = new Map<string, Written>();
  private seq = 0;

  constructor(
    private readonly client: Pick<RestClient, 'create' | 'patch'>,
    private readonly repeatMs = 60_000,
    private readonly instance = `${SCHEDULER_NAME}-${hostname()}`,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records an event about the pod; resolves once written (or skipped as a too-early repeat). */
  async record(pod: Pod, type: 'Normal' | 'Warning', reason: string, action: string, message: string): Promise<void> {
    const m = pod.metadata ?? {};
    const ns = m.namespace ?? 'default';
    const id = `${m.uid ?? `${ns}/${m.name}`}\u0000${reason}\u0000${message}`;
    const at = this.now();
    const prev = this.written.get(id);
    if (prev && at - prev.lastWritten < this.repeatMs) return;
    const base = `/api/v1/namespaces/${encodeURIComponent(ns)}/events`;
    if (prev) {
      prev.lastWritten = at;
      prev.count++;
      try {
        await this.client.patch(`${base}/${encodeURIComponent(prev.name)}`, { count: prev.count, lastTimestamp: stamp(at) });
        return;
      } catch (err) {
        if (!(err instanceof ApiRequestError && err.code === 404)) throw err;
      }
    }
    const name = `${m.name}.${(BigInt(at) * 1_000_000n + BigInt(this.seq++ % 1_000_000)).toString(16)}`;
    this.written.set(id, { name, count: prev?.count ?? 1, lastWritten: at });
    await this.client.create(base, podEvent(pod, name, type, reason, action, message, at, this.instance));
  }

  /** Forgets what was written about a pod (it was deleted). */
  forget(uid: string): void {
    for (const id of this.written.keys()) if (id.startsWith(`${uid}\u0000`)) this.written.delete(id);
  }
}
