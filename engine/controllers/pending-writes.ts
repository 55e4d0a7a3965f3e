// Our own writes an informer cache has not shown yet. A controller that plans from a cache
// lacking them would write twice (a second EndpointSlice for the same pods), so it waits for them.
import type { ApiObject } from '../api/resource-type.js';

/** Pending writes by the cache key of the object written, each for the controller key (e.g. a Service) that made it; they expire after ttlMs in case an event was lost. */
export class PendingWrites {
  private readonly pending = new Map<string, { owner: string; resourceVersion?: string; at: number }>();

  constructor(
    private readonly ttlMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Records that we wrote object `key` for `owner`: the resourceVersion the server answered, or
   * undefined for a delete. Nothing is recorded when `cached` (the cache's copy now) shows it already.
   */
  wrote(owner: string, key: string, resourceVersion: string | undefined, cached: ApiObject | undefined): void {
    if (resourceVersion === undefined ? !cached : cached && atLeast(cached.metadata.resourceVersion, resourceVersion)) this.pending.delete(key);
    else this.pending.set(key, { owner, resourceVersion, at: this.now() });
  }

  /** Tells what the cache now holds under `key` (undefined once it is deleted). */
  observed(key: string, obj: ApiObject | undefined): void {
    const p = this.pending.get(key);
    if (!p) return;
    if (!obj || (p.resourceVersion !== undefined && atLeast(obj.metadata.resourceVersion, p.resourceVersion))) this.pending.delete(key);
  }

  /** Whether writes for `owner` are still to show in the cache. */
  waiting(owner: string): boolean {
    const now = this.now();
    let waiting = false;
    for (const [key, p] of this.pending) {
      if (now - p.at > this.ttlMs) this.pending.delete(key);
      else if (p.owner === owner) waiting = true;
    }
    return waiting;
  }
}

/** Whether resourceVersion `a` is `b` or later (equal when they are not numbers). */
function atLeast(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  return /^\d+$/.test(a) && /^\d+$/.test(b) ? BigInt(a) >= BigInt(b) : a === b;
}
