// A rate-limited work queue (client-go's workqueue): it holds keys, not objects; a key added many
// times before a worker takes it is handed out once; a key is never with two workers at once; a
// failing key comes back after a per-key exponential back-off.

/** Per-key exponential back-off: `baseMs` doubling with each failure, capped at `maxMs`. */
export class ExponentialBackoff {
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly baseMs = 5,
    private readonly maxMs = 1_000_000,
  ) {}

  /** The wait before the key's next try; counts one more failure. */
  when(key: string): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    return Math.min(this.baseMs * 2 ** n, this.maxMs);
  }

  /** How many failures are counted for the key. */
  retries(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** Starts the key's back-off over. */
  forget(key: string): void {
    this.failures.delete(key);
  }
}

/** A queue of keys for workers: add, then get → process → done. */
export class WorkQueue {
  /** Keys waiting for a worker, oldest first. */
  private readonly queue: string[] = [];
  /** Keys that need processing (queued, or added again while a worker has them). */
  private readonly dirty = new Set<string>();
  /** Keys a worker has now. */
  private readonly processing = new Set<string>();
  /** Keys to add later, with when. */
  private readonly delayed = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private readonly getters: Array<(key: string | undefined) => void> = [];
  private shuttingDown = false;

  constructor(private readonly limiter = new ExponentialBackoff()) {}

  /** Queues the key unless it is already waiting; a key being processed is queued again after done(). */
  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.queue.push(key);
    this.handOut();
  }

  /** Adds the key after `ms`; of several pending delays for one key the earliest wins. */
  addAfter(key: string, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) return this.add(key);
    const at = Date.now() + ms;
    const pending = this.delayed.get(key);
    if (pending && pending.at <= at) return;
    clearTimeout(pending?.timer);
    const timer = setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, { at, timer });
  }

  /** Adds the key after its back-off (5 ms doubling per call, up to 1000 s) until forget(). */
  addRateLimited(key: string): void {
    this.addAfter(key, this.limiter.when(key));
  }

  /** Ends the key's back-off: call it when the key was processed successfully. */
  forget(key: string): void {
    this.limiter.forget(key);
  }

  /** How many times the key was added rate-limited since it was last forgotten. */
  numRequeues(key: string): number {
    return this.limiter.retries(key);
  }

  /** The next key for a worker, once there is one; undefined once the queue is shut down and empty. */
  get(): Promise<string | undefined> {
    if (this.queue.length) return Promise.resolve(this.take());
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** Tells the queue the worker has finished with the key (queueing it again if it was added meanwhile). */
  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.queue.push(key);
      this.handOut();
    }
  }

  /** Keys waiting for a worker. */
  len(): number {
    return this.queue.length;
  }

  /** Whether shutDown() was called. */
  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** Stops taking keys and drops delayed ones; get() hands out what is queued, then undefined. */
  shutDown(): void {
    this.shuttingDown = true;
    for (const { timer } of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    if (!this.queue.length) for (const resolve of this.getters.splice(0)) resolve(undefined);
  }

  private take(): string {
    const key = this.queue.shift()!;
    this.dirty.delete(key);
    this.processing.add(key);
    return key;
  }

  private handOut(): void {
    while (this.queue.length && this.getters.length) this.getters.shift()!(this.take());
  }
}
