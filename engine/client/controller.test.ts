import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { leaderElection, microTime, nextLeaseSpec, runController, type LeaderElectionOptions, type LeaseSpec } from './controller.js';
import { ApiRequestError } from './rest-client.js';
import { WorkQueue } from './work-queue.js';

describe('runController', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('retries a failing key with back-off and forgets it once it succeeds', async () => {
    const queue = new WorkQueue();
    const tries: number[] = [];
    const errors: string[] = [];
    const log = { info() {}, warn() {}, error: (m: string) => errors.push(m), v: () => log };
    const done = runController({
      name: 'test',
      queue,
      log,
      reconcile: async () => {
        tries.push(Date.now());
        if (tries.length < 4) throw new Error('not yet');
      },
    });
    const start = Date.now();
    queue.add('k');
    await vi.advanceTimersByTimeAsync(1000);
    expect(tries.map((t) => t - start)).toEqual([0, 5, 15, 35]);
    expect(errors[0]).toMatch(/test: reconciling k failed \(retry 1\): not yet/);
    expect(queue.numRequeues('k')).toBe(0);
    queue.shutDown();
    await done;
  });

  it('runs a key again after requeueAfter', async () => {
    const queue = new WorkQueue();
    const runs: number[] = [];
    const done = runController({
      name: 'test',
      queue,
      reconcile: async () => {
        runs.push(Date.now());
        return runs.length < 3 ? { requeueAfter: 500 } : undefined;
      },
    });
    const start = Date.now();
    queue.add('k');
    await vi.advanceTimersByTimeAsync(5000);
    expect(runs.map((t) => t - start)).toEqual([0, 500, 1000]);
    queue.shutDown();
    await done;
  });

  it('reconciles different keys in parallel, never one key twice at once, and ends when the queue shuts down', async () => {
    const queue = new WorkQueue();
    const active = new Set<string>();
    let most = 0;
    let overlap = false;
    const counts = new Map<string, number>();
    const done = runController({
      name: 'test',
      queue,
      workers: 3,
      reconcile: async (key) => {
        if (active.has(key)) overlap = true;
        active.add(key);
        most = Math.max(most, active.size);
        counts.set(key, (counts.get(key) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 100));
        active.delete(key);
      },
    });
    for (const k of ['a', 'b', 'c']) queue.add(k);
    await vi.advanceTimersByTimeAsync(10);
    for (const k of ['a', 'a', 'b', 'a']) queue.add(k);
    await vi.advanceTimersByTimeAsync(1000);
    expect(overlap).toBe(false);
    expect(most).toBe(3);
    expect(Object.fromEntries(counts)).toEqual({ a: 2, b: 2, c: 1 });
    queue.shutDown();
    await done;
  });
});

describe('microTime', () => {
  it.each([
    [Date.UTC(2026, 10, 22, 4, 0, 0, 123) * 1000 + 456, '2026-11-22T04:00:00.123456Z'],
    [Date.UTC(2026, 0, 1) * 1000 + 7, '2026-01-01T00:00:00.000007Z'],
    [Date.UTC(2026, 0, 1) * 1000 + 999.5, '2026-01-01T00:00:00.000999Z'],
  ])('%d → %s', (micros, want) => expect(microTime(micros)).toBe(want));
});

describe('nextLeaseSpec', () => {
  const T = '2026-01-01T00:00:01.000001Z';
  const held: LeaseSpec = { holderIdentity: 'b', leaseDurationSeconds: 15, acquireTime: 'A', renewTime: 'R', leaseTransitions: 3 };
  it.each<[string, LeaseSpec | undefined, boolean, LeaseSpec | undefined]>([
    ['creates an absent lease', undefined, false, { holderIdentity: 'a', leaseDurationSeconds: 10, acquireTime: T, renewTime: T, leaseTransitions: 0 }],
    ['leaves a running lease of another alone', held, false, undefined],
    ['takes an expired lease over, counting a transition', held, true, { holderIdentity: 'a', leaseDurationSeconds: 10, acquireTime: T, renewTime: T, leaseTransitions: 4 }],
    ['takes a released lease at once', { ...held, holderIdentity: '' }, false, { holderIdentity: 'a', leaseDurationSeconds: 10, acquireTime: T, renewTime: T, leaseTransitions: 4 }],
    ['renews its own lease, keeping acquireTime and transitions', { ...held, holderIdentity: 'a' }, false, { holderIdentity: 'a', leaseDurationSeconds: 10, acquireTime: 'A', renewTime: T, leaseTransitions: 3 }],
  ])('%s', (_, current, expired, want) => expect(nextLeaseSpec(current, 'a', T, 10, expired)).toEqual(want));
});

/** An in-memory lease endpoint with resourceVersion checks; `down` makes every call fail. */
function leaseApi() {
  let stored: { metadata: Record<string, unknown>; spec: LeaseSpec } | undefined;
  let rv = 0;
  const api = {
    down: false,
    get lease() {
      return stored;
    },
    client: {
      get: async () => {
        if (api.down) throw new ApiRequestError(0, 'Unreachable', 'down');
        if (!stored) throw new ApiRequestError(404, 'NotFound', 'not found');
        return structuredClone(stored);
      },
      create: async (_: string, body: { metadata: Record<string, unknown>; spec: LeaseSpec }) => {
        if (api.down) throw new ApiRequestError(0, 'Unreachable', 'down');
        if (stored) throw new ApiRequestError(409, 'AlreadyExists', 'exists');
        stored = { metadata: { ...body.metadata, resourceVersion: String(++rv) }, spec: body.spec };
        return structuredClone(stored);
      },
      update: async (_: string, body: { metadata: Record<string, unknown>; spec: LeaseSpec }) => {
        if (api.down) throw new ApiRequestError(0, 'Unreachable', 'down');
        if (body.metadata.resourceVersion !== stored?.metadata.resourceVersion) throw new ApiRequestError(409, 'Conflict', 'conflict');
        stored = { metadata: { ...body.metadata, resourceVersion: String(++rv) }, spec: body.spec };
        return structuredClone(stored);
      },
    } as unknown as LeaderElectionOptions['client'],
  };
  return api;
}

describe('leaderElection', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  const candidate = (api: ReturnType<typeof leaseApi>, identity: string, events: string[]) =>
    leaderElection({
      client: api.client, namespace: 'kube-system', name: 'ctl', identity, leaseDurationSeconds: 15, renewDeadline: 10, retryPeriod: 2,
      onStartedLeading: () => events.push(`${identity} started`),
      onStoppedLeading: () => events.push(`${identity} stopped`),
    });

  it('gives up leading when renewals fail for renewDeadline, and leads again once it can', async () => {
    const api = leaseApi();
    const events: string[] = [];
    const a = candidate(api, 'a', events);
    await vi.advanceTimersByTimeAsync(0);
    expect(events).toEqual(['a started']);
    expect(api.lease?.spec).toMatchObject({ holderIdentity: 'a', leaseTransitions: 0 });
    api.down = true;
    await vi.advanceTimersByTimeAsync(9000);
    expect(a.isLeader()).toBe(true);
    await vi.advanceTimersByTimeAsync(3000);
    expect(events).toEqual(['a started', 'a stopped']);
    expect(a.isLeader()).toBe(false);
    api.down = false;
    await vi.advanceTimersByTimeAsync(3000);
    expect(events).toEqual(['a started', 'a stopped', 'a started']);
    await a.stop();
  });

  it('releases the lease on stop so that another candidate takes it at once', async () => {
    const api = leaseApi();
    const events: string[] = [];
    const a = candidate(api, 'a', events);
    await vi.advanceTimersByTimeAsync(0);
    const b = candidate(api, 'b', events);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(events).toEqual(['a started']);
    await a.stop();
    expect(api.lease?.spec.holderIdentity).toBe('');
    await vi.advanceTimersByTimeAsync(3000);
    expect(events).toEqual(['a started', 'a stopped', 'b started']);
    expect(api.lease?.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    await b.stop({ release: false });
    expect(api.lease?.spec.holderIdentity).toBe('b');
  });
});
