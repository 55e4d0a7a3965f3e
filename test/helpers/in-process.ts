// What the suites that run cluster components in-process on a test apiserver (real etcd, our
// apiserver, real kubectl, no Docker) share: kubectl and GET shorthands, waiting, the workload
// controllers on an admin client, and a stand-in for the node agent that writes pod status.
import { expect } from 'vitest';
import type { ApiObject } from '../../engine/api/resource-type.js';
import { SharedInformers } from '../../engine/client/informer.js';
import { RestClient } from '../../engine/client/rest-client.js';
import { startWorkloadControllers, type WorkloadControllerOptions } from '../../engine/controllers/manager.js';
import type { TestApiServer } from './apiserver.js';
import { eventually } from './eventually.js';
import { kubectl, type KubectlResult } from './kubectl.js';

/** A pod as these helpers read it. */
export type TestPod = ApiObject & { spec: { nodeName?: string; [k: string]: unknown }; status?: { phase?: string; conditions?: { type: string; status: string; [k: string]: unknown }[]; [k: string]: unknown } };

/** An Event as the suites read it. */
export interface TestEvent {
  type: string;
  reason: string;
  message: string;
  source?: { component?: string };
  involvedObject: { kind: string; name: string };
}

/** Shorthands bound to a suite's test apiserver. */
export interface ApiShorthands {
  /** kubectl as admin (after `-n <namespace>` when the shorthands have one). */
  k(args: string[], input?: string): Promise<KubectlResult>;
  /** kubectl as k() runs it, expected to succeed; its stdout. */
  ok(args: string[], input?: string): Promise<string>;
  /** A GET that must answer 200 (it throws otherwise); the parsed body. */
  getJson<T = ApiObject>(path: string): Promise<T>;
  /** eventually() with the suite's timeout and poll interval. */
  until<T>(what: string, fn: () => Promise<T | undefined | false>, ms?: number): Promise<T>;
  /** The pods of `ns`, those matching the label selector `selector` when given. */
  podsIn<T = TestPod>(ns: string, selector?: string): Promise<T[]>;
  /** The events of `ns`. */
  eventsIn(ns: string): Promise<TestEvent[]>;
  /** Writes a pod's status through pods/status (a merge patch), as its node agent would; throws unless 200. */
  setPodStatus(ns: string, name: string, status: Record<string, unknown>): Promise<void>;
  /** Plays the node agent for the pods of `ns`: each Pending pod becomes Running and Ready. Returns its stop. */
  fakeNodeAgent(ns: string, opts?: NodeAgentOptions): () => void;
}

/** How a suite's shorthands behave. */
export interface ShorthandOptions {
  /** Namespace every kubectl call is made in. */
  namespace?: string;
  /** Default timeout of until() (ms; default 20 s). */
  untilMs?: number;
  /** Poll interval of until() (ms; default 100). */
  pollMs?: number;
}

/** Shorthands for the apiserver `api()` returns when they are called (suites start it in beforeAll). */
export function apiShorthands(api: () => TestApiServer, opts: ShorthandOptions = {}): ApiShorthands {
  const k = (args: string[], input?: string) => kubectl(api().kubeconfig, opts.namespace ? ['-n', opts.namespace, ...args] : args, input);
  const getJson = async <T = ApiObject>(path: string): Promise<T> => {
    const r = await api().raw('GET', path);
    if (r.code !== 200) throw new Error(`GET ${path}: ${r.code} ${r.body}`);
    return JSON.parse(r.body) as T;
  };
  const podsIn = async <T = TestPod>(ns: string, selector = '') =>
    (await getJson<{ items: T[] }>(`/api/v1/namespaces/${ns}/pods${selector ? `?labelSelector=${encodeURIComponent(selector)}` : ''}`)).items;
  const setPodStatus = async (ns: string, name: string, status: Record<string, unknown>) => {
    const r = await api().raw('PATCH', `/api/v1/namespaces/${ns}/pods/${name}/status`, { body: JSON.stringify({ status }), contentType: 'application/merge-patch+json' });
    if (r.code !== 200) throw new Error(`status of pod ${ns}/${name}: ${r.code} ${r.body}`);
  };
  return {
    k,
    ok: async (args, input) => {
      const r = await k(args, input);
      expect(r.code, `kubectl ${args.join(' ')}: ${r.stderr}${r.stdout}`).toBe(0);
      return r.stdout;
    },
    getJson,
    until: (what, fn, ms = opts.untilMs ?? 20_000) => eventually(what, fn, ms, opts.pollMs ?? 100),
    podsIn,
    eventsIn: async (ns) => (await getJson<{ items: TestEvent[] }>(`/api/v1/namespaces/${ns}/events`)).items,
    setPodStatus,
    fakeNodeAgent: (ns, agent = {}) =>
      everyFew(async () => {
        for (const p of await podsIn(ns)) {
          if (p.metadata.deletionTimestamp) {
            if (agent.finishDeletions && p.spec.nodeName) await api().raw('DELETE', `/api/v1/namespaces/${ns}/pods/${p.metadata.name}`, { body: JSON.stringify({ gracePeriodSeconds: 0 }) });
            continue;
          }
          if ((agent.boundOnly && !p.spec.nodeName) || (p.status?.phase && p.status.phase !== 'Pending')) continue;
          await setPodStatus(ns, p.metadata.name, runningStatus()).catch(() => undefined);
        }
      }, agent.everyMs),
  };
}

/** An RFC 3339 time with second precision, as the API writes them. */
export const stamp = (ms = Date.now()): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

const POD_CONDITIONS = ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];

/** The status of a pod whose containers run and are ready. */
export function runningStatus(): Record<string, unknown> {
  const now = stamp();
  return { phase: 'Running', startTime: now, conditions: POD_CONDITIONS.map((type) => ({ type, status: 'True', lastTransitionTime: now })) };
}

/** The status of a pod whose one container `c` exited with `exitCode`: Succeeded for 0, else Failed. */
export function exitedStatus(exitCode: number): Record<string, unknown> {
  const now = stamp();
  const done = (type: string) => type === 'Ready' || type === 'ContainersReady';
  return {
    phase: exitCode ? 'Failed' : 'Succeeded',
    startTime: now,
    conditions: POD_CONDITIONS.map((type) => ({ type, status: done(type) ? 'False' : 'True', ...(done(type) ? { reason: 'PodCompleted' } : {}), lastTransitionTime: now })),
    containerStatuses: [{ name: 'c', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode, reason: exitCode ? 'Error' : 'Completed', startedAt: now, finishedAt: now } } }],
  };
}

/** Runs `step` every `everyMs` (a failed round is retried the next time) until the returned function is called. */
export function everyFew(step: () => Promise<unknown>, everyMs = 100): () => void {
  let on = true;
  void (async () => {
    while (on) {
      await step().catch(() => undefined);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return () => {
    on = false;
  };
}

/** What the node agent stand-in does besides starting pods. */
export interface NodeAgentOptions {
  /** Start only pods bound to a node (a scheduler runs); unbound ones stay Pending. */
  boundOnly?: boolean;
  /** Finish the deletion of terminating bound pods (grace period 0), as their node would. */
  finishDeletions?: boolean;
  everyMs?: number;
}

/** The workload controllers running in-process, with the admin client and shared informers they use. */
export interface InProcessControllers {
  client: RestClient;
  informers: SharedInformers;
  /** Stops the controllers and the informers and closes the client (the apiserver stays). */
  stop(): Promise<void>;
}

/** A client of `api` as the owner of `cert` (default: the admin, in system:masters). */
export function clientOf(api: TestApiServer, userAgent: string, cert: { cert: string; key: string } = api.admin): RestClient {
  return new RestClient({ server: `https://127.0.0.1:${api.port}`, ca: api.ca.cert, cert: cert.cert, key: cert.key, userAgent });
}

/** A hand-made Ready Node (4 CPUs, 8Gi, 110 pods) labelled with its hostname and OS; `spec` as given. */
export function readyNode(name: string, spec: Record<string, unknown> = {}): { metadata: { name: string; labels: Record<string, string> }; spec: Record<string, unknown>; status: Record<string, unknown> } {
  const capacity = { cpu: '4', memory: '8Gi', pods: '110' };
  const ready = { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ready', lastHeartbeatTime: stamp(), lastTransitionTime: stamp() };
  return { metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux' } }, spec, status: { capacity, allocatable: capacity, conditions: [ready] } };
}

/**
 * Starts the workload controllers on `api` as the controller-manager would, with an admin client
 * and fresh shared informers; `before` runs first, for what must exist before they start.
 */
export async function startControllers(
  api: TestApiServer,
  options: WorkloadControllerOptions | ((client: RestClient) => WorkloadControllerOptions) = {},
  before?: (client: RestClient, informers: SharedInformers) => Promise<void> | void,
): Promise<InProcessControllers> {
  const client = clientOf(api, 'kube-controller-manager');
  const informers = new SharedInformers(client);
  let controllers: { stop(): Promise<void> };
  try {
    await before?.(client, informers);
    controllers = await startWorkloadControllers(client, informers, typeof options === 'function' ? options(client) : options);
  } catch (err) {
    await informers.stop();
    client.close();
    throw err;
  }
  return {
    client,
    informers,
    async stop() {
      await controllers.stop();
      await informers.stop();
      client.close();
    },
  };
}
