import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SyncLoop } from './sync-loop.js';

describe('SyncLoop', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('syncs at once, then folds a burst of requests into one sync after the interval', async () => {
    const starts: number[] = [];
    const loop = new SyncLoop(async () => void starts.push(Date.now()), { minIntervalMs: 100, retryMs: 1000, onError: () => undefined });
    const t0 = Date.now();
    loop.request();
    await vi.advanceTimersByTimeAsync(0);
    expect(starts.map((t) => t - t0)).toEqual([0]);
    for (let i = 0; i < 10; i++) {
      loop.request();
      await vi.advanceTimersByTimeAsync(5);
    }
    await vi.advanceTimersByTimeAsync(200);
    expect(starts.map((t) => t - t0)).toEqual([0, 100]);
    loop.stop();
  });

  it('never runs two syncs at once; a request during a sync runs one more after it', async () => {
    let running = 0;
    let most = 0;
    let runs = 0;
    const loop = new SyncLoop(
      async () => {
        runs++;
        most = Math.max(most, ++running);
        await new Promise((r) => setTimeout(r, 300));
        running--;
      },
      { minIntervalMs: 100, retryMs: 1000, onError: () => undefined },
    );
    loop.request();
    await vi.advanceTimersByTimeAsync(50);
    loop.request();
    loop.request();
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs).toBe(2);
    expect(most).toBe(1);
    loop.stop();
  });

  it('retries a failed sync after the retry delay', async () => {
    const errors: string[] = [];
    let calls = 0;
    const loop = new SyncLoop(
      async () => {
        if (++calls === 1) throw new Error('xtables lock busy');
      },
      { minIntervalMs: 100, retryMs: 1000, onError: (e) => errors.push(e.message) },
    );
    loop.request();
    await vi.advanceTimersByTimeAsync(500);
    expect([calls, errors]).toEqual([1, ['xtables lock busy']]);
    await vi.advanceTimersByTimeAsync(600);
    expect(calls).toBe(2);
    loop.stop();
    loop.request();
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toBe(2);
  });
});
