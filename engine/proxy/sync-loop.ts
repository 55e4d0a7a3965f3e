// When to rewrite the rules: soon after anything changes, but never two rewrites at once and at
// most one per interval however fast changes arrive (a burst of endpoint updates is one sync).

/** Timing of a SyncLoop. */
export interface SyncLoopOptions {
  /** Least time from the start of one sync to the start of the next. */
  minIntervalMs: number;
  /** Wait before trying again after a failed sync. */
  retryMs: number;
  /** Told about each failed sync (the loop retries on its own). */
  onError(err: Error): void;
  now?: () => number;
}

/** Runs `sync` after `request()`; requests made while it runs or waits fold into one more run. */
export class SyncLoop {
  private pending = false;
  private running = false;
  private stopped = false;
  private timer?: NodeJS.Timeout;
  private retry?: NodeJS.Timeout;
  private lastStart = Number.NEGATIVE_INFINITY;
  private readonly now: () => number;

  constructor(
    private readonly sync: () => Promise<void>,
    private readonly opts: SyncLoopOptions,
  ) {
    this.now = opts.now ?? Date.now;
  }

  /** Asks for a sync: at once if the last one started long enough ago, else as soon as allowed. */
  request(): void {
    if (this.stopped) return;
    this.pending = true;
    this.schedule();
  }

  /** Stops scheduling; a sync already running finishes. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.retry);
  }

  private schedule(): void {
    if (!this.pending || this.running || this.timer || this.stopped) return;
    const wait = Math.max(0, this.lastStart + this.opts.minIntervalMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, wait);
  }

  private async run(): Promise<void> {
    this.pending = false;
    this.running = true;
    this.lastStart = this.now();
    try {
      await this.sync();
    } catch (err) {
      this.opts.onError(err as Error);
      clearTimeout(this.retry);
      this.retry = setTimeout(() => this.request(), this.opts.retryMs);
    } finally {
      this.running = false;
      this.schedule();
    }
  }
}
