// The cluster side of bench:ui: its own 4-node cluster under a scratch KUBELAB_HOME (or an
// existing one, BENCH_CLUSTER), the bench-ui namespace with a Deployment of N sleeping pods, and
// the churn: rollout restarts and a scale down and up while the page is timed.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiRequestError, RestClient } from '../../engine/client/rest-client.js';
import { engineApiResolver } from '../../engine/dashboard/k8s-proxy.js';
import { createEngine, type Engine } from '../../engine/index.js';

/** The namespace and Deployment the bench makes. */
export const NAMESPACE = 'bench-ui';
const DEPLOYMENT = `/apis/apps/v1/namespaces/${NAMESPACE}/deployments/bench-ui`;
const BIN = fileURLToPath(new URL('../bin/kubelab.js', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The cluster the bench runs against. */
export interface BenchCluster {
  name: string;
  home: string;
  engine: Engine;
  client: RestClient;
  /** Whether the bench made it (and deletes it at the end). */
  own: boolean;
}

function kubelab(home: string, args: string[]): Promise<void> {
  const env = { ...process.env, KUBELAB_HOME: home, KUBECONFIG: join(home, 'kubeconfig') };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`kubelab ${args.join(' ')} exited ${code}: ${err.trim()}`))));
  });
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(500);
  }
}

/**
 * The cluster: `reuse` names an existing one in the caller's KUBELAB_HOME; otherwise a new 4-node
 * cluster (a control plane and three workers: the node agents take 110 pods each) in a scratch
 * home, which `onMade` learns about at once so an interrupted run can delete it.
 */
export async function benchCluster(reuse: string | undefined, onMade: (c: { name: string; home: string; engine: Engine }) => void): Promise<BenchCluster> {
  const own = !reuse;
  const home = reuse ? (process.env.KUBELAB_HOME ?? join(process.env.HOME ?? '', '.kubelab')) : mkdtempSync(join(tmpdir(), 'kubelab-bench-ui-'));
  const name = reuse ?? `bench-ui-${process.pid}`;
  const engine = createEngine({ home });
  if (own) {
    onMade({ name, home, engine });
    await kubelab(home, ['start', '--name', name, '--nodes', '4']);
  }
  const target = await engineApiResolver(engine)(name);
  const client = new RestClient({ server: target.server, ca: target.ca, cert: target.cert, key: target.key, userAgent: 'bench-ui' });
  await until('every node Ready', 180_000, async () => {
    const list = await client.list<{ status?: { conditions?: Array<{ type: string; status: string }> } }>('/api/v1/nodes');
    const ready = list.items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
    return ready === list.items.length && (!own || ready === 4) ? ready : undefined;
  });
  return { name, home, engine, client, own };
}

/** Deletes the cluster and scratch home the bench made. */
export async function deleteOwnCluster(c: { name: string; home: string; engine: Engine }): Promise<void> {
  await kubelab(c.home, ['delete', c.name]).catch(() => c.engine.provider.deleteCluster(c.name));
  rmSync(c.home, { recursive: true, force: true });
}

async function namespaceGone(client: RestClient): Promise<void> {
  await until(`namespace ${NAMESPACE} to go`, 180_000, async () => {
    try {
      await client.get(`/api/v1/namespaces/${NAMESPACE}`);
      return undefined;
    } catch (err) {
      if (err instanceof ApiRequestError && err.code === 404) return true;
      throw err;
    }
  });
}

/** Removes the bench's namespace and waits until it is gone (a no-op when there is none). */
export async function deleteNamespace(client: RestClient): Promise<void> {
  try {
    await client.delete(`/api/v1/namespaces/${NAMESPACE}`);
  } catch (err) {
    if (err instanceof ApiRequestError && err.code === 404) return;
    throw err;
  }
  await namespaceGone(client);
}

interface BenchPod {
  metadata: { deletionTimestamp?: string };
  status?: { phase?: string };
}

/** How many of the namespace's pods are Running and not being deleted, and how many there are in all. */
export async function podCounts(client: RestClient): Promise<{ running: number; all: number }> {
  const pods = await client.list<BenchPod>(`/api/v1/namespaces/${NAMESPACE}/pods`);
  return { running: pods.items.filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp).length, all: pods.items.length };
}

/** Waits until exactly `n` pods exist and all are Running; resolves with how long that took (ms). */
export async function waitRunning(client: RestClient, n: number, timeoutMs: number): Promise<number> {
  const began = performance.now();
  await until(`${n} Running pods in ${NAMESPACE}`, timeoutMs, async () => {
    const c = await podCounts(client);
    return c.running === n && c.all === n ? true : undefined;
  });
  return performance.now() - began;
}

/**
 * Makes the namespace (after removing a leftover one) and a Deployment of `n` kubelab/busybox:1
 * pods sleeping an hour (imagePullPolicy Never, requests 1m CPU and 4Mi); resolves with the time
 * from the create request until all are Running (ms), or 'kept' when a kept run's Deployment was reused.
 */
export async function deployPods(client: RestClient, n: number): Promise<number | 'kept'> {
  // A namespace a BENCH_KEEP run left with the same Deployment is used as it is, once its pods are Running again.
  const kept = await client.get<{ spec?: { replicas?: number } }>(DEPLOYMENT).catch(() => undefined);
  if (kept?.spec?.replicas === n) {
    await waitRunning(client, n, 15 * 60_000);
    return 'kept';
  }
  await deleteNamespace(client);
  await client.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
  await until('the default service account', 60_000, () => client.get(`/api/v1/namespaces/${NAMESPACE}/serviceaccounts/default`));
  const labels = { app: 'bench-ui' };
  const began = performance.now();
  await client.create(`/apis/apps/v1/namespaces/${NAMESPACE}/deployments`, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'bench-ui', namespace: NAMESPACE, labels },
    spec: {
      replicas: n,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          terminationGracePeriodSeconds: 0,
          containers: [
            {
              name: 'sleep',
              image: 'kubelab/busybox:1',
              imagePullPolicy: 'Never',
              command: ['sleep', '3600'],
              resources: { requests: { cpu: '1m', memory: '4Mi' } },
            },
          ],
        },
      },
    },
  });
  await waitRunning(client, n, 15 * 60_000);
  return performance.now() - began;
}

/** What `kubectl rollout restart` does: a new restartedAt annotation on the pod template. */
export function restartRollout(client: RestClient): Promise<unknown> {
  const patch = { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } } } } };
  return client.patch(DEPLOYMENT, patch, 'strategic');
}

/** Sets the Deployment's replicas. */
export function scale(client: RestClient, replicas: number): Promise<unknown> {
  return client.patch(DEPLOYMENT, { spec: { replicas } }, 'merge');
}

/**
 * The rest of the churn over `windowMs`, after a first rollout restart just before it: a scale
 * down by 50 (to at least half) at 30 %, back up to `n` at 55 %, a second restart at 75 %.
 * Resolves with what it did and when each request was answered (ms from its start).
 */
export async function churn(client: RestClient, n: number, windowMs: number, stopped: () => boolean): Promise<Array<{ at: number; what: string }>> {
  const began = performance.now();
  const low = Math.max(Math.ceil(n / 2), n - 50);
  const steps: Array<[number, string, () => Promise<unknown>]> = [
    [0.3, `scale to ${low}`, () => scale(client, low)],
    [0.55, `scale to ${n}`, () => scale(client, n)],
    [0.75, 'rollout restart', () => restartRollout(client)],
  ];
  // Each step at its time, whether or not the previous request has been answered yet (a loaded apiserver is slow).
  const done: Array<{ at: number; what: string }> = [];
  const sent: Array<Promise<void>> = [];
  for (const [share, what, act] of steps) {
    const wait = began + share * windowMs - performance.now();
    if (wait > 0) await sleep(wait);
    if (stopped()) break;
    sent.push(act().then(() => void done.push({ at: performance.now() - began, what })));
  }
  await Promise.all(sent);
  return done.sort((a, b) => a.at - b.at);
}
