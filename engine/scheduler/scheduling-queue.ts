// The scheduler's queue of pending pods (upstream's PriorityQueue, simplified): an active queue
// popped one pod at a time, highest priority first then oldest; a back-off area for pods whose
// attempt failed with an error; and an unschedulable set for pods no node could take, retried
// when the cluster changes (moveAll) and at least every `flushMs`.

/** What the queue orders a pod by. */
export interface QueuedPod {
  key: string;
  priority: number;
  /** Creation time of the pod, ms since the epoch. */
  created: number;
}

interface Entry extends QueuedPod {
  /** Failed attempts so far (for the back-off). */
  attempts: number;
  /** When the last attempt ended (ms). */
  lastAttempt: number;
  where: 'active' | 'backoff' | 'unschedulable' | 'inFlight';
  /** When the pod entered the unschedulable set (ms). */
  since?: number;
  /** The move cycle when the pod was popped; a later moveAll means the cluster changed meanwhile. */
  popCycle?: number;
  /** The pod was added again (changed) while it was being scheduled. */
  changed?: boolean;
  timer?: NodeJS.Timeout;
}

/** Tuning; defaults are upstream's. */
export interface QueueOptions {
  /** First back-off after a failed attempt (1 s), doubling per attempt. */
  initialBackoffMs?: number;
  /** Longest back-off (10 s). */
  maxBackoffMs?: number;
  /** Unschedulable pods are retried at least this often (30 s). */
  flushMs?: number;
  now?: () => number;
}

/** A priority queue of pending pods with back-off and an unschedulable set. */
export class SchedulingQueue {
  private readonly entries = new Map<string, Entry>();
  private readonly waiters: Array<(key: string | undefined) => void> = [];
  private moveCycle = 0;
  private closed = false;
  private readonly flusher: NodeJS.Timeout;
  private readonly now: () => number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly flushMs: number;

  constructor(opts: QueueOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.initialBackoffMs = opts.initialBackoffMs ?? 1000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 10_000;
    this.flushMs = opts.flushMs ?? 30_000;
    this.flusher = setInterval(() => this.flushUnschedulable(), Math.max(10, Math.min(this.flushMs, 1000)));
    this.flusher.unref?.();
  }

  /** The back-off after `attempts` failed attempts: initial doubling per attempt, capped. */
  backoffMs(attempts: number): number {
    return attempts <= 0 ? 0 : Math.min(this.initialBackoffMs * 2 ** (attempts - 1), this.maxBackoffMs);
  }

  /**
   * A new pending pod, or one that changed in a way that may make it schedulable: it becomes
   * active (after what is left of its back-off). A pod being scheduled now is retried after.
   */
  add(pod: QueuedPod): void {
    if (this.closed) return;
    const e = this.entries.get(pod.key);
    if (!e) {
      this.entries.set(pod.key, { ...pod, attempts: 0, lastAttempt: 0, where: 'active' });
      this.wake();
      return;
    }
    Object.assign(e, { priority: pod.priority, created: pod.created });
    if (e.where === 'inFlight') e.changed = true;
    else if (e.where === 'unschedulable') this.requeue(e);
  }

  /** Forgets the pod (deleted, bound, or no longer ours). */
  delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    clearTimeout(e.timer);
    this.entries.delete(key);
  }

  /** Whether the queue holds the pod anywhere. */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Where the pod is: active, backoff, unschedulable, inFlight; undefined when not queued. */
  state(key: string): Entry['where'] | undefined {
    return this.entries.get(key)?.where;
  }

  /** How many pods are in each part of the queue. */
  counts(): Record<Entry['where'], number> {
    const c = { active: 0, backoff: 0, unschedulable: 0, inFlight: 0 };
    for (const e of this.entries.values()) c[e.where]++;
    return c;
  }

  /** The next pod to schedule (highest priority, then oldest), once there is one; undefined after close(). */
  pop(): Promise<string | undefined> {
    const key = this.take();
    if (key !== undefined || this.closed) return Promise.resolve(key);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The attempt bound the pod (or the pod needs nothing more): it leaves the queue. */
  done(key: string): void {
    this.delete(key);
  }

  /**
   * No node could take the pod: it waits in the unschedulable set for a cluster change; when the
   * cluster or the pod changed during the attempt, it is retried after its back-off instead.
   */
  unschedulable(key: string): void {
    const e = this.entries.get(key);
    if (!e || e.where !== 'inFlight') return;
    e.attempts++;
    e.lastAttempt = this.now();
    if (e.changed || (e.popCycle ?? 0) < this.moveCycle) this.requeue(e);
    else Object.assign(e, { where: 'unschedulable', since: this.now() });
  }

  /** The attempt failed with an error (e.g. the binding was refused): retried after its back-off. */
  error(key: string): void {
    const e = this.entries.get(key);
    if (!e || e.where !== 'inFlight') return;
    e.attempts++;
    e.lastAttempt = this.now();
    this.requeue(e);
  }

  /** The cluster changed (node added or updated, a pod went away): every unschedulable pod is retried. */
  moveAll(): void {
    this.moveCycle++;
    for (const e of this.entries.values()) if (e.where === 'unschedulable') this.requeue(e);
  }

  /** Retries the unschedulable pods that have waited `flushMs` or more. */
  flushUnschedulable(): void {
    const now = this.now();
    for (const e of this.entries.values()) if (e.where === 'unschedulable' && now - (e.since ?? 0) >= this.flushMs) this.requeue(e);
  }

  /** Stops handing out pods; pending pop() calls get undefined. */
  close(): void {
    this.closed = true;
    clearInterval(this.flusher);
    for (const e of this.entries.values()) clearTimeout(e.timer);
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  /** Active now when its back-off has run out, else in the back-off area until it does. */
  private requeue(e: Entry): void {
    clearTimeout(e.timer);
    e.changed = false;
    const wait = e.lastAttempt + this.backoffMs(e.attempts) - this.now();
    if (wait <= 0) {
      e.where = 'active';
      this.wake();
      return;
    }
    e.where = 'backoff';
    e.timer = setTimeout(() => {
      if (this.entries.get(e.key) !== e || e.where !== 'backoff') return;
      e.where = 'active';
      this.wake();
    }, wait);
    e.timer.unref?.();
  }

  private take(): string | undefined {
    let best: Entry | undefined;
    for (const e of this.entries.values()) {
      if (e.where !== 'active') continue;
      if (!best || e.priority > best.priority || (e.priority === best.priority && e.created < best.created)) best = e;
    }
    if (!best) return undefined;
    best.where = 'inFlight';
    best.popCycle = this.moveCycle;
    return best.key;
  }

  private wake(): void {
    while (this.waiters.length) {
      const key = this.take();
      if (key === undefined) return;
      this.waiters.shift()!(key);
    }
  }
}
