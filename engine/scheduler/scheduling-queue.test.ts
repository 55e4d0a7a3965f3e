import { afterEach, describe, expect, it, vi } from 'vitest';
import { AssumedPods } from './assumed-pods.js';
import { SchedulingQueue } from './scheduling-queue.js';

const pod = (key: string, priority = 0, created = 0) => ({ key, priority, created });

describe('scheduling queue', () => {
  let q: SchedulingQueue | undefined;
  afterEach(() => {
    q?.close();
    vi.useRealTimers();
  });

  it('pops the highest priority first, then the oldest, then in arrival order', async () => {
    q = new SchedulingQueue();
    q.add(pod('ns/late', 0, 2000));
    q.add(pod('ns/early', 0, 1000));
    q.add(pod('ns/same-a', 0, 1500));
    q.add(pod('ns/same-b', 0, 1500));
    q.add(pod('ns/urgent', 100, 9000));
    const order = [];
    for (let i = 0; i < 5; i++) order.push(await q.pop());
    expect(order).toEqual(['ns/urgent', 'ns/early', 'ns/same-a', 'ns/same-b', 'ns/late']);
  });

  it('hands a waiting pop the next pod added, and undefined after close', async () => {
    q = new SchedulingQueue();
    const next = q.pop();
    q.add(pod('ns/a'));
    expect(await next).toBe('ns/a');
    const after = q.pop();
    q.close();
    expect(await after).toBeUndefined();
  });

  it('never hands out a pod twice at once; an add while in flight only marks it changed', async () => {
    q = new SchedulingQueue();
    q.add(pod('ns/a'));
    expect(await q.pop()).toBe('ns/a');
    q.add(pod('ns/a'));
    expect(q.state('ns/a')).toBe('inFlight');
    expect(q.counts().active).toBe(0);
    q.done('ns/a');
    expect(q.has('ns/a')).toBe(false);
  });

  it('parks unschedulable pods until the cluster changes, then retries them after their back-off', async () => {
    vi.useFakeTimers();
    q = new SchedulingQueue({ initialBackoffMs: 1000, maxBackoffMs: 10_000 });
    q.add(pod('ns/a'));
    expect(await q.pop()).toBe('ns/a');
    q.unschedulable('ns/a');
    expect(q.state('ns/a')).toBe('unschedulable');
    vi.advanceTimersByTime(5000);
    expect(q.state('ns/a')).toBe('unschedulable');
    q.moveAll();
    // The back-off (1 s after the first failure) ran out long ago: straight to active.
    expect(q.state('ns/a')).toBe('active');
    expect(await q.pop()).toBe('ns/a');
    q.unschedulable('ns/a');
    q.moveAll();
    // Second failure: 2 s back-off from now.
    expect(q.state('ns/a')).toBe('backoff');
    vi.advanceTimersByTime(1999);
    expect(q.state('ns/a')).toBe('backoff');
    vi.advanceTimersByTime(1);
    expect(q.state('ns/a')).toBe('active');
  });

  it('retries a pod at once when the cluster changed while it was being scheduled', async () => {
    vi.useFakeTimers();
    q = new SchedulingQueue({ initialBackoffMs: 1000 });
    q.add(pod('ns/a'));
    expect(await q.pop()).toBe('ns/a');
    q.moveAll();
    q.unschedulable('ns/a');
    expect(q.state('ns/a')).toBe('backoff');
    vi.advanceTimersByTime(1000);
    expect(q.state('ns/a')).toBe('active');
  });

  it('flushes unschedulable pods after flushMs even without cluster changes', async () => {
    vi.useFakeTimers();
    q = new SchedulingQueue({ flushMs: 30_000 });
    q.add(pod('ns/a'));
    await q.pop();
    q.unschedulable('ns/a');
    vi.advanceTimersByTime(29_000);
    expect(q.state('ns/a')).toBe('unschedulable');
    vi.advanceTimersByTime(1_000);
    expect(q.state('ns/a')).toBe('active');
  });

  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [4, 8000],
    [5, 10_000],
    [9, 10_000],
  ])('backs off %i failed attempts by %i ms', (attempts, ms) => {
    q = new SchedulingQueue();
    expect(q.backoffMs(attempts)).toBe(ms);
  });

  it('backs off pods whose attempt failed with an error, doubling each time', async () => {
    vi.useFakeTimers();
    q = new SchedulingQueue({ initialBackoffMs: 1000 });
    q.add(pod('ns/a'));
    await q.pop();
    q.error('ns/a');
    expect(q.state('ns/a')).toBe('backoff');
    vi.advanceTimersByTime(1000);
    expect(await q.pop()).toBe('ns/a');
    q.error('ns/a');
    vi.advanceTimersByTime(1999);
    expect(q.state('ns/a')).toBe('backoff');
    vi.advanceTimersByTime(1);
    expect(q.state('ns/a')).toBe('active');
  });

  it('forgets deleted pods wherever they are', async () => {
    vi.useFakeTimers();
    q = new SchedulingQueue();
    q.add(pod('ns/a'));
    q.add(pod('ns/b'));
    await q.pop();
    q.error('ns/a');
    q.delete('ns/a');
    q.delete('ns/b');
    vi.advanceTimersByTime(20_000);
    expect(q.counts()).toEqual({ active: 0, backoff: 0, unschedulable: 0, inFlight: 0 });
  });
});

describe('assumed pods', () => {
  it('count against their node until forgotten, and expire a while after binding', () => {
    let now = 0;
    const a = new AssumedPods(30_000, () => now);
    a.assume('ns/a', { metadata: { name: 'a' }, spec: { containers: [] } }, 'n1');
    a.assume('ns/b', { metadata: { name: 'b' } }, 'n2');
    expect(a.byNode().get('n1')![0]!.pod.spec!.nodeName).toBe('n1');
    a.forget('ns/b');
    expect(a.byNode().has('n2')).toBe(false);
    a.bound('ns/a');
    now = 29_999;
    expect(a.has('ns/a')).toBe(true);
    now = 30_000;
    expect(a.has('ns/a')).toBe(false);
  });
});
