import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ExponentialBackoff, WorkQueue } from './work-queue.js';

/** Whether the promise has settled after pending microtasks ran. */
async function settled<T>(p: Promise<T>): Promise<{ done: boolean; value?: T }> {
  let out: { done: boolean; value?: T } = { done: false };
  void p.then((value) => (out = { done: true, value }));
  await Promise.resolve();
  await Promise.resolve();
  return out;
}

describe('WorkQueue', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('hands keys out oldest first and collapses duplicates waiting in the queue', async () => {
    const q = new WorkQueue();
    for (const k of ['a', 'b', 'a', 'c', 'b']) q.add(k);
    expect(q.len()).toBe(3);
    expect([await q.get(), await q.get(), await q.get()]).toEqual(['a', 'b', 'c']);
    expect((await settled(q.get())).done).toBe(false);
  });

  it('never hands a key to two workers: a key added while processed comes back once after done()', async () => {
    const q = new WorkQueue();
    q.add('a');
    expect(await q.get()).toBe('a');
    q.add('a');
    q.add('a');
    const second = q.get();
    expect((await settled(second)).done).toBe(false);
    q.done('a');
    expect(await second).toBe('a');
    q.done('a');
    expect(q.len()).toBe(0);
    expect((await settled(q.get())).done).toBe(false);
  });

  it('wakes a waiting worker when a key arrives', async () => {
    const q = new WorkQueue();
    const waiting = q.get();
    q.add('x');
    expect(await waiting).toBe('x');
  });

  it('adds a key after a delay; of two delays for one key the earlier wins', async () => {
    const q = new WorkQueue();
    q.addAfter('a', 1000);
    q.addAfter('a', 300);
    q.addAfter('a', 2000);
    await vi.advanceTimersByTimeAsync(299);
    expect(q.len()).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(q.len()).toBe(1);
    expect(await q.get()).toBe('a');
    q.done('a');
    await vi.advanceTimersByTimeAsync(5000);
    expect(q.len()).toBe(0);
  });

  it('backs a failing key off exponentially from 5 ms, until forget()', async () => {
    const q = new WorkQueue();
    const arrivals: number[] = [];
    const start = Date.now();
    for (let i = 0; i < 4; i++) {
      q.addRateLimited('k');
      const key = q.get();
      await vi.runOnlyPendingTimersAsync();
      expect(await key).toBe('k');
      arrivals.push(Date.now() - start);
      q.done('k');
    }
    expect(arrivals).toEqual([5, 15, 35, 75]);
    expect(q.numRequeues('k')).toBe(4);
    q.forget('k');
    expect(q.numRequeues('k')).toBe(0);
    q.addRateLimited('k');
    await vi.advanceTimersByTimeAsync(5);
    expect(q.len()).toBe(1);
  });

  it('on shutdown drops delayed keys, hands out the queued ones, then undefined', async () => {
    const q = new WorkQueue();
    const idle = q.get();
    q.add('a');
    expect(await idle).toBe('a');
    q.add('b');
    q.addAfter('c', 10);
    const waiter = new WorkQueue();
    const pending = waiter.get();
    q.shutDown();
    waiter.shutDown();
    expect(await pending).toBeUndefined();
    q.add('d');
    expect(await q.get()).toBe('b');
    expect(await q.get()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(100);
    expect(q.len()).toBe(0);
    expect(q.isShuttingDown()).toBe(true);
  });
});

describe('ExponentialBackoff', () => {
  it('doubles from 5 ms and stops at 1000 s, per key', () => {
    const b = new ExponentialBackoff();
    const waits = Array.from({ length: 30 }, () => b.when('a'));
    expect(waits.slice(0, 5)).toEqual([5, 10, 20, 40, 80]);
    expect(Math.max(...waits)).toBe(1_000_000);
    expect(waits.at(-1)).toBe(1_000_000);
    expect(b.when('other')).toBe(5);
    b.forget('a');
    expect(b.when('a')).toBe(5);
  });
});
