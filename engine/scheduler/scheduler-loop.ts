// The scheduler's core, runnable in-process: shared informers on pods, nodes and namespaces feed
// a scheduling queue; one pod at a time is placed with schedule() against the nodes with their
// pods (bound and assumed), then bound asynchronously through pods/NAME/binding — after its
// unbound WaitForFirstConsumer claims are bound (VolumeBinder), when it has any. Pods no node
// takes get a FailedScheduling event, PodScheduled=False, and (when the planner finds victims)
// preemption.
import type { ApiObject } from '../api/resource-type.js';
import { SharedInformers, type Informer } from '../client/informer.js';
import { ApiRequestError, type RestClient } from '../client/rest-client.js';
import { nullLogger, type Logger } from '../log/logger.js';
import { AssumedPods } from './assumed-pods.js';
import { hostname } from 'node:os';
import { EventRecorder, type EventTarget } from '../client/event-recorder.js';
import { nodeInfo, type NodeInfo } from './node-info.js';
import { SCHEDULER_NAME, isPending, nodeChangeMatters, podChangeMatters, scheduledCondition, releasesResources } from './pod-state.js';
import { schedule } from './schedule.js';
import { SchedulingQueue, type QueueOptions } from './scheduling-queue.js';
import { priorityOf, type Node, type Pod } from './types.js';
import { VolumeBinder, type ClaimEvent } from './volume-binder.js';
import type { VolumePlan } from './volume-binding.js';
import type { Claim, PersistentVolume, StorageClass } from './volume-types.js';

/** Tuning of the scheduler core. */
export interface SchedulingOptions {
  log?: Logger;
  queue?: QueueOptions;
  /** Repeats of the same failure event are written at most this often (60 s). */
  eventRepeatMs?: number;
  /** A number in [0, 1) for ties between equally good nodes. */
  random?: () => number;
  /** How long a pod waits for its WaitForFirstConsumer claims to be bound before it is retried (60 s). */
  volumeBindTimeoutMs?: number;
}

/** A running scheduler core. */
export interface Scheduling {
  /** Resolves once the informers have synced. */
  synced: Promise<void>;
  /** Stops scheduling, ends the informers; in-flight bindings finish on their own. */
  stop(): Promise<void>;
}

const core = (resource: string) => ({ group: '', version: 'v1', resource });
const keyOf = (o: { metadata?: { namespace?: string; name?: string } }) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
const podPath = (pod: Pod) => `/api/v1/namespaces/${encodeURIComponent(pod.metadata?.namespace ?? 'default')}/pods/${encodeURIComponent(pod.metadata?.name ?? '')}`;

/** Starts scheduling the cluster's pending pods through `client` (which must be allowed to bind pods and write events). */
export function startScheduling(client: RestClient, opts: SchedulingOptions = {}): Scheduling {
  const log = opts.log ?? nullLogger;
  const informers = new SharedInformers(client, { log });
  const pods = informers.for(core('pods')) as unknown as Informer<ApiObject & Pod>;
  const nodes = informers.for(core('nodes')) as unknown as Informer<ApiObject & Node>;
  const namespaces = informers.for(core('namespaces'));
  pods.addIndex('node', (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []));
  const queue = new SchedulingQueue(opts.queue);
  // Claims, volumes and classes: pods waiting on them are retried when they change.
  const volumes = new VolumeBinder(client, {
    claims: informers.for<ApiObject & Claim>(core('persistentvolumeclaims')),
    volumes: informers.for<ApiObject & PersistentVolume>(core('persistentvolumes')),
    classes: informers.for<ApiObject & StorageClass>({ group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses' }),
    provisioningFailures: informers.for<ApiObject & ClaimEvent>({ ...core('events'), fieldSelector: 'reason=ProvisioningFailed' }),
    node: (name) => nodes.get(name),
    podExists: (p) => pods.get(keyOf(p))?.metadata.uid === p.metadata?.uid,
    onChange: () => queue.moveAll(),
    timeoutMs: opts.volumeBindTimeoutMs,
  });
  const assumed = new AssumedPods();
  const events = new EventRecorder(client, { component: SCHEDULER_NAME, instance: `${SCHEDULER_NAME}-${hostname()}` }, { minRepeatMs: opts.eventRepeatMs ?? 60_000 });
  const about = (p: Pod): EventTarget => ({ kind: 'Pod', apiVersion: 'v1', namespace: p.metadata?.namespace ?? 'default', name: p.metadata?.name ?? '', uid: p.metadata?.uid, resourceVersion: (p.metadata as { resourceVersion?: string } | undefined)?.resourceVersion });
  let stopped = false;

  const enqueue = (p: Pod) => queue.add({ key: keyOf(p), priority: priorityOf(p), created: Date.parse(String((p.metadata as { creationTimestamp?: string })?.creationTimestamp ?? '')) || 0 });

  pods.addHandler({
    onAdd: (p) => {
      if (isPending(p)) enqueue(p);
      else if (p.spec?.nodeName) assumed.forget(keyOf(p));
    },
    onUpdate: (old, p) => {
      const key = keyOf(p);
      if (isPending(p)) {
        if (!isPending(old) || podChangeMatters(old, p)) enqueue(p);
        return;
      }
      queue.delete(key);
      if (p.spec?.nodeName) assumed.forget(key);
      if (releasesResources(old, p)) queue.moveAll();
    },
    onDelete: (p) => {
      const key = keyOf(p);
      queue.delete(key);
      assumed.forget(key);
      if (p.metadata?.uid) events.forget(p.metadata.uid);
      if (p.spec?.nodeName) queue.moveAll();
      volumes.changed();
    },
  });
  nodes.addHandler({
    onAdd: () => queue.moveAll(),
    onUpdate: (old, n) => {
      if (nodeChangeMatters(old, n)) queue.moveAll();
    },
  });

  /** Every node with its bound pods and the pods assumed onto it. */
  const nodeInfos = (): NodeInfo[] => {
    const extra = assumed.byNode();
    return nodes.list().map((n) => {
      const name = n.metadata.name;
      const mine = extra.get(name) ?? [];
      const keys = new Set(mine.map((a) => a.key));
      const bound = pods.byIndex('node', name).filter((p) => !keys.has(keyOf(p)));
      return nodeInfo(n, [...bound, ...mine.map((a) => a.pod)]);
    });
  };

  const warn = (what: string) => (err: Error) => log.warn(`scheduler: ${what}: ${err.message}`);

  const bind = async (pod: Pod, node: string, plan?: VolumePlan) => {
    const key = keyOf(pod);
    const m = pod.metadata ?? {};
    if (plan) {
      // PreBind: the pod's claims get their volumes first; waiting for them holds up no other pod.
      try {
        await volumes.bind(pod, node, plan);
      } catch (err) {
        assumed.forget(key);
        if (!pods.get(key)) return queue.done(key);
        const message = (err as Error).message;
        log.v(1).info(`scheduler: ${key} on ${node}: ${message}`);
        void failed(pod, message, [], undefined, 'SchedulerError');
        queue.error(key);
        queue.moveAll();
        return;
      }
    }
    try {
      await client.create(`${podPath(pod)}/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: m.name, namespace: m.namespace, uid: m.uid }, target: { apiVersion: 'v1', kind: 'Node', name: node } });
      assumed.bound(key);
      queue.done(key);
      void events.record(about(pod), 'Normal', 'Scheduled', `Successfully assigned ${m.namespace}/${m.name} to ${node}`, 'Binding').catch(warn(`event for ${key}`));
    } catch (err) {
      assumed.forget(key);
      const code = err instanceof ApiRequestError ? err.code : 0;
      if (code === 404 || code === 409) {
        // Gone, or bound (or being deleted) by someone else: nothing more to do for this pod.
        log.v(1).info(`scheduler: binding ${key} to ${node}: ${(err as Error).message}`);
        queue.done(key);
        return;
      }
      log.warn(`scheduler: binding ${key} to ${node} failed: ${(err as Error).message}`);
      queue.error(key);
      queue.moveAll();
    }
  };

  /** Records why no node fits: the event, the PodScheduled condition, and the preemption when planned. */
  const failed = async (pod: Pod, message: string, victims: Pod[], nominated?: string, reason?: string) => {
    await events.record(about(pod), 'Warning', 'FailedScheduling', message, 'Scheduling').catch(warn(`event for ${keyOf(pod)}`));
    const condition = scheduledCondition(pods.get(keyOf(pod)) ?? pod, message, new Date(), reason);
    const status: Record<string, unknown> = {};
    if (condition) status.conditions = [condition];
    if (nominated && pod.status?.nominatedNodeName !== nominated) status.nominatedNodeName = nominated;
    if (Object.keys(status).length) await client.patch(`${podPath(pod)}/status`, { status }, 'strategic').catch(warn(`status of ${keyOf(pod)}`));
    for (const v of victims) {
      await events.record(about(v), 'Normal', 'Preempted', `Preempted by pod ${pod.metadata?.uid} on node ${nominated}`, 'Preempting').catch(warn(`event for ${keyOf(v)}`));
      await client.request('DELETE', podPath(v), { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { uid: v.metadata?.uid } }).catch(warn(`preempting ${keyOf(v)}`));
    }
  };

  /** One scheduling attempt for the pod under `key`. */
  const scheduleOne = (key: string) => {
    const pod = pods.get(key);
    if (!pod || !isPending(pod) || assumed.has(key)) return queue.done(key);
    const infos = nodeInfos();
    const result = schedule(pod, infos, { random: opts.random, namespaceLabels: (ns) => (namespaces.get(ns)?.metadata.labels as Record<string, string> | undefined), volumes: volumes.lister });
    if ('node' in result) {
      const chosen = infos.find((i) => i.name === result.node)!;
      const plan = volumes.plan(pod, chosen.node);
      assumed.assume(key, pod, result.node);
      void bind(pod, result.node, plan && volumes.assume(plan, result.node));
      return;
    }
    let victims: Pod[] = [];
    const plan = result.preemption;
    if (plan && !waitingForVictims(pod, infos)) victims = plan.victims;
    void failed(pod, result.unschedulable, victims, plan?.node);
    queue.unschedulable(key);
  };

  /** True while victims of an earlier preemption by this pod are still terminating on its nominated node. */
  const waitingForVictims = (pod: Pod, infos: NodeInfo[]) => {
    const nominated = pod.status?.nominatedNodeName;
    const info = nominated ? infos.find((i) => i.name === nominated) : undefined;
    return Boolean(info?.pods.some((p) => p.metadata?.deletionTimestamp && priorityOf(p) < priorityOf(pod)));
  };

  const synced = informers.waitForSync();
  const loop = (async () => {
    await synced;
    while (!stopped) {
      const key = await queue.pop();
      if (key === undefined) return;
      try {
        scheduleOne(key);
      } catch (err) {
        log.error(`scheduler: scheduling ${key} failed: ${(err as Error).message}`);
        queue.error(key);
      }
      // Let informer events (and binding answers) in between pods.
      await new Promise((r) => setImmediate(r));
    }
  })();

  return {
    synced,
    async stop() {
      stopped = true;
      volumes.stop();
      queue.close();
      await informers.stop();
      await loop.catch(() => {});
    },
  };
}

