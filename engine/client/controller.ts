// The controller runtime: workers that take keys from a work queue and reconcile them, and leader
// election through a coordination.k8s.io/v1 Lease so that one replica of a controller acts.
import { performance } from 'node:perf_hooks';
import type { ObjectMeta } from '../api/resource-type.js';
import { nullLogger, type Logger } from '../log/logger.js';
import { ApiRequestError, type RestClient } from './rest-client.js';
import type { WorkQueue } from './work-queue.js';

/** What a reconcile asks for: to be run again after `requeueAfter` ms even if nothing changes. */
export interface ReconcileResult {
  requeueAfter?: number;
}

/** A controller: a queue of keys and the function that makes one key's world right. */
export interface ControllerOptions {
  name: string;
  queue: WorkQueue;
  /** How many keys are reconciled at once (never the same key twice). Default 1. */
  workers?: number;
  /** Level-triggered and idempotent; throwing retries the key with back-off. */
  reconcile(key: string): Promise<ReconcileResult | void>;
  log?: Logger;
}

/**
 * Runs the controller's workers until its queue is shut down; resolves when the last one has
 * finished its key. A successful reconcile resets the key's back-off; a failed one is logged and
 * the key retried after its back-off.
 */
export async function runController(opts: ControllerOptions): Promise<void> {
  const { name, queue, workers = 1 } = opts;
  const log = opts.log ?? nullLogger;
  const worker = async () => {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        const result = await opts.reconcile(key);
        queue.forget(key);
        if (result?.requeueAfter !== undefined) queue.addAfter(key, result.requeueAfter);
      } catch (err) {
        log.error(`${name}: reconciling ${key} failed (retry ${queue.numRequeues(key) + 1}): ${(err as Error).message}`);
        queue.addRateLimited(key);
      } finally {
        queue.done(key);
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
}

/** The spec of a coordination.k8s.io/v1 Lease. */
export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

interface Lease {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: LeaseSpec;
}

/** A Kubernetes MicroTime (RFC 3339, six fractional digits, UTC) for microseconds since the epoch. */
export function microTime(epochMicros: number): string {
  const us = Math.floor(epochMicros);
  return `${new Date(Math.floor(us / 1000)).toISOString().slice(0, -1)}${String(us % 1000).padStart(3, '0')}Z`;
}

const nowMicros = () => (performance.timeOrigin + performance.now()) * 1000;

/**
 * The lease spec `identity` writes at `now` to take or keep the lease, or undefined while another
 * holder's lease runs (`expired` says whether it has run out by our clock). Creating starts
 * leaseTransitions at 0; taking over from another (or from nobody after a release) adds one.
 */
export function nextLeaseSpec(current: LeaseSpec | undefined, identity: string, now: string, leaseDurationSeconds: number, expired: boolean): LeaseSpec | undefined {
  if (!current) return { holderIdentity: identity, leaseDurationSeconds, acquireTime: now, renewTime: now, leaseTransitions: 0 };
  if (current.holderIdentity === identity) return { ...current, leaseDurationSeconds, acquireTime: current.acquireTime ?? now, renewTime: now };
  if (current.holderIdentity && !expired) return undefined;
  return { ...current, holderIdentity: identity, leaseDurationSeconds, acquireTime: now, renewTime: now, leaseTransitions: (current.leaseTransitions ?? 0) + 1 };
}

/** Who leads: one candidate among the replicas sharing a lease. Times are in seconds. */
export interface LeaderElectionOptions {
  client: Pick<RestClient, 'get' | 'create' | 'update'>;
  namespace: string;
  name: string;
  identity: string;
  /** How long others wait, after the lease last changed, before taking it over. */
  leaseDurationSeconds?: number;
  /** How long the leader keeps trying to renew before it gives up leading. */
  renewDeadline?: number;
  /** How often candidates try to acquire and the leader renews. */
  retryPeriod?: number;
  onStartedLeading(): void;
  onStoppedLeading(): void;
  log?: Logger;
}

/** A running candidate. */
export interface LeaderElector {
  isLeader(): boolean;
  /** Stops campaigning; a leader releases the lease (unless `release` is false) and stops leading. */
  stop(opts?: { release?: boolean }): Promise<void>;
}

/**
 * Campaigns for the lease `namespace/name` until stop(): creates it when absent, takes it over
 * when its holder has not renewed it for leaseDurationSeconds (by this process's clock, so clock
 * skew between replicas does not matter), renews it every retryPeriod while leading, and stops
 * leading when another holder shows up or renewals fail for renewDeadline. After losing the
 * lease it campaigns again.
 */
export function leaderElection(opts: LeaderElectionOptions): LeaderElector {
  const { client, namespace, name, identity, leaseDurationSeconds = 15, renewDeadline = 10, retryPeriod = 2 } = opts;
  const log = opts.log ?? nullLogger;
  const path = `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/leases`;
  let leading = false;
  let stopped = false;
  let lease: Lease | undefined;
  /** The lease spec last seen and when (local clock) it was first seen. */
  let observed: { json: string; at: number } | undefined;
  let interrupt: (() => void) | undefined;

  const observe = (l: Lease | undefined) => {
    lease = l;
    const json = JSON.stringify(l?.spec ?? null);
    if (observed?.json !== json) observed = { json, at: Date.now() };
  };

  /** One acquire-or-renew: 'ok' when we hold the lease now, 'held' when another does. */
  const attempt = async (): Promise<'ok' | 'held' | 'failed'> => {
    try {
      const current = await client.get<Lease>(`${path}/${encodeURIComponent(name)}`).catch((err) => {
        if (err instanceof ApiRequestError && err.code === 404) return undefined;
        throw err;
      });
      observe(current);
      const duration = (current?.spec?.leaseDurationSeconds ?? leaseDurationSeconds) * 1000;
      const spec = nextLeaseSpec(current?.spec, identity, microTime(nowMicros()), leaseDurationSeconds, Date.now() >= observed!.at + duration);
      if (!spec) return 'held';
      const body = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: current?.metadata ?? { name, namespace }, spec };
      observe(current ? await client.update<Lease>(`${path}/${encodeURIComponent(name)}`, body) : await client.create<Lease>(path, body));
      return 'ok';
    } catch (err) {
      log.v(1).info(`leader election ${namespace}/${name}: ${identity} could not acquire or renew: ${(err as Error).message}`);
      return 'failed';
    }
  };

  const sleep = (seconds: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, seconds * 1000);
      interrupt = () => (clearTimeout(t), resolve());
    });

  /** The attempt's outcome, or 'failed' if it has not answered within `ms`. */
  const attemptWithin = (ms: number) =>
    Promise.race([attempt(), new Promise<'failed'>((resolve) => setTimeout(() => resolve('failed'), Math.max(ms, 0)).unref())]);

  const call = (what: string, fn: () => void) => {
    try {
      fn();
    } catch (err) {
      log.error(`leader election ${namespace}/${name}: ${what} failed: ${(err as Error).message}`);
    }
  };

  const run = async () => {
    while (!stopped) {
      if ((await attempt()) !== 'ok' || stopped) {
        await sleep(retryPeriod * (1 + Math.random() * 0.2));
        continue;
      }
      leading = true;
      log.info(`leader election ${namespace}/${name}: ${identity} is leading`);
      call('onStartedLeading', opts.onStartedLeading);
      let renewed = Date.now();
      while (!stopped) {
        await sleep(retryPeriod);
        if (stopped) break;
        const outcome = await attemptWithin(renewed + renewDeadline * 1000 - Date.now());
        if (outcome === 'ok') renewed = Date.now();
        else if (outcome === 'held' || Date.now() - renewed >= renewDeadline * 1000) break;
      }
      if (stopped) return;
      leading = false;
      log.warn(`leader election ${namespace}/${name}: ${identity} lost the lease`);
      call('onStoppedLeading', opts.onStoppedLeading);
    }
  };
  const running = run();

  return {
    isLeader: () => leading,
    async stop({ release = true } = {}) {
      stopped = true;
      interrupt?.();
      await running;
      // The write carries the lease's resourceVersion: it cannot undo someone else's takeover.
      if (release && lease?.spec?.holderIdentity === identity) {
        const now = microTime(nowMicros());
        const spec = { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now };
        await client.update(`${path}/${encodeURIComponent(name)}`, { ...lease, spec }).catch((err: Error) => log.v(1).info(`leader election ${namespace}/${name}: not released: ${err.message}`));
      }
      if (!leading) return;
      leading = false;
      call('onStoppedLeading', opts.onStoppedLeading);
    },
  };
}
