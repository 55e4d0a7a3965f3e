// The controller-manager: a process on the control-plane node (started and restarted by its
// supervisor) that runs the cluster's controllers while it holds the kube-controller-manager
// Lease. Controllers are level-triggered reconcilers fed by shared informers.
import type { ApiObject } from '../api/resource-type.js';
import { runController } from '../client/controller.js';
import { runLeaderElected } from '../client/leader-process.js';
import { SharedInformers } from '../client/informer.js';
import { RestClient } from '../client/rest-client.js';
import { WorkQueue } from '../client/work-queue.js';
import type { Logger } from '../log/logger.js';
import { CONTROLLER_MANAGER_PORT } from '../supervisor/contract.js';
import { ensureAddons } from './addons.js';
import { jobController } from './job.js';
import { ttlAfterFinishedController } from './ttl-after-finished.js';
import { cronJobController } from './cronjob.js';
import { daemonSetController } from './daemonset.js';
import { deploymentController } from './deployment.js';
import { endpointsController, endpointSliceController } from './endpoints.js';
import { hpaController } from './hpa.js';
import { RestMetricsSource, type MetricsSource } from './hpa-metrics.js';
import { SLICE_CONTROLLER_NAME, SLICE_MANAGED_BY_LABEL } from './endpoints-plan.js';
import { EventRecorder } from '../client/event-recorder.js';
import { reconcileNamespaceDefaults, ROOT_CA_CONFIGMAP } from './namespace-defaults.js';
import { nodeLifecycleController } from './node-lifecycle.js';
import { replicaSetController } from './replicaset.js';
import { statefulSetController } from './statefulset.js';
import { storageControllers } from './storage-controllers.js';
import { taintEvictionController } from './taint-eviction.js';

const core = (resource: string, extra: { fieldSelector?: string } = {}) => ({ group: '', version: 'v1', resource, ...extra });

/** Starts the controllers that keep every namespace's defaults (ServiceAccount, CA ConfigMap). */
export async function runNamespaceDefaults(client: RestClient, informers: SharedInformers, caPem: string, log: Logger): Promise<void> {
  const namespaces = informers.for(core('namespaces'));
  const accounts = informers.for(core('serviceaccounts', { fieldSelector: 'metadata.name=default' }));
  const caMaps = informers.for(core('configmaps', { fieldSelector: `metadata.name=${ROOT_CA_CONFIGMAP}` }));
  const queue = new WorkQueue();
  const byName = (o: ApiObject) => queue.add(o.metadata.name);
  const byNamespace = (o: ApiObject) => queue.add(String(o.metadata.namespace ?? ''));
  namespaces.addHandler({ onAdd: byName, onUpdate: (_, o) => byName(o) });
  accounts.addHandler({ onDelete: byNamespace });
  caMaps.addHandler({ onUpdate: (_, o) => byNamespace(o), onDelete: byNamespace });
  await informers.waitForSync();
  const get = <T>(inf: { get(key: string): unknown }, ns: string, name: string) => inf.get(`${ns}/${name}`) as T | undefined;
  await runController({
    name: 'namespace-defaults',
    queue,
    workers: 2,
    log,
    reconcile: (ns) =>
      reconcileNamespaceDefaults(
        ns,
        {
          namespace: (name) => namespaces.get(name) as never,
          serviceAccount: (n, name) => get(accounts, n, name),
          configMap: (n, name) => get(caMaps, n, name),
        },
        client,
        caPem,
      ),
  });
}

/** Tuning of the workload and node controllers. */
export interface WorkloadControllerOptions {
  log?: Logger;
  /** How long a node may go without a heartbeat before it is marked Unknown (ms; default 40 s). */
  nodeGraceMs?: number;
  /** How often every node is looked at (ms; default 5 s). */
  nodePeriodMs?: number;
  /** How long HPAs wait before scaling down, when they do not say (s; default 300). */
  hpaDownscaleStabilizationSeconds?: number;
  /** How often each HPA is synced (ms; default 15 s). */
  hpaSyncPeriodMs?: number;
  /** Where HPAs read pods' CPU and memory (default: the apiserver's metrics.k8s.io API). */
  hpaMetrics?: MetricsSource;
  /** Back-off before the Job controller replaces a failed pod (ms; default 10 s, doubling up to 6 min). */
  jobBackoffMs?: number;
  /** The CronJob controller's clock (ms since the epoch; default Date.now): tests move it forward. */
  now?: () => number;
}

/**
 * Starts the ReplicaSet, Deployment, DaemonSet, StatefulSet, Job, TTL-after-finished, CronJob, node lifecycle, taint eviction, EndpointSlice, Endpoints and storage
 * (PV binder, local-path provisioner, pvc/pv protection) and HorizontalPodAutoscaler controllers on `client`
 * with `informers` (shared with other controllers), without leader election; resolves once the
 * caches have synced. stop() shuts their queues down and waits for the workers.
 */
export async function startWorkloadControllers(client: RestClient, informers: SharedInformers, opts: WorkloadControllerOptions = {}): Promise<{ stop(): Promise<void> }> {
  const log = opts.log;
  const apps = (resource: string) => ({ group: 'apps', version: 'v1', resource });
  const batch = (resource: string) => ({ group: 'batch', version: 'v1', resource });
  const pods = informers.for(core('pods')) as never;
  const replicaSets = informers.for(apps('replicasets')) as never;
  const deployments = informers.for(apps('deployments')) as never;
  const nodes = informers.for(core('nodes')) as never;
  const daemonSets = informers.for(apps('daemonsets')) as never;
  const revisions = informers.for(apps('controllerrevisions')) as never;
  const statefulSets = informers.for(apps('statefulsets')) as never;
  const claims = informers.for(core('persistentvolumeclaims')) as never;
  const leases = informers.for({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespace: 'kube-node-lease' }) as never;
  const hpas = informers.for({ group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers' }) as never;
  const services = informers.for(core('services')) as never;
  const endpoints = informers.for(core('endpoints')) as never;
  const slices = informers.for({ group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', labelSelector: `${SLICE_MANAGED_BY_LABEL}=${SLICE_CONTROLLER_NAME}` }) as never;
  const jobs = informers.for(batch('jobs')) as never;
  const recorder = (component: string) => new EventRecorder(client, { component }, { log: (line) => log?.v(1).info(line) });
  const controllers = [
    { name: 'replicaset', workers: 5, ...replicaSetController({ client, pods, replicaSets, events: recorder('replicaset-controller'), log }) },
    { name: 'deployment', workers: 5, ...deploymentController({ client, deployments, replicaSets, pods, events: recorder('deployment-controller'), log }) },
    { name: 'daemonset', workers: 2, ...daemonSetController({ client, daemonSets, revisions, pods, nodes, events: recorder('daemonset-controller'), log }) },
    { name: 'statefulset', workers: 5, ...statefulSetController({ client, statefulSets, pods, revisions, claims, events: recorder('statefulset-controller'), log }) },
    { name: 'node-lifecycle', workers: 2, ...nodeLifecycleController({ client, nodes, leases, pods, graceMs: opts.nodeGraceMs, periodMs: opts.nodePeriodMs, log }) },
    { name: 'taint-eviction', workers: 2, ...taintEvictionController({ client, nodes, pods, events: recorder('taint-eviction-controller'), log }) },
    { name: 'endpointslice', workers: 5, ...endpointSliceController({ client, services, pods, slices, log }) },
    { name: 'endpoints', workers: 5, ...endpointsController({ client, services, pods, endpoints, log }) },
    { name: 'job', workers: 5, ...jobController({ client, jobs, pods, events: recorder('job-controller'), log, backoffBaseMs: opts.jobBackoffMs }) },
    { name: 'ttl-after-finished', workers: 2, ...ttlAfterFinishedController({ client, jobs, log }) },
    ...storageControllers(client, informers, recorder, log),
    {
      name: 'horizontal-pod-autoscaler',
      workers: 5,
      ...hpaController({
        client,
        hpas,
        pods,
        metrics: opts.hpaMetrics ?? new RestMetricsSource(client),
        events: recorder('horizontal-pod-autoscaler'),
        downscaleStabilizationS: opts.hpaDownscaleStabilizationSeconds,
        syncPeriodMs: opts.hpaSyncPeriodMs,
        log,
      }),
    },
    {
      name: 'cronjob',
      workers: 5,
      ...cronJobController({ client, cronJobs: informers.for(batch('cronjobs')) as never, jobs, events: recorder('cronjob-controller'), log, now: opts.now }),
    },
  ];
  await informers.waitForSync();
  const running = controllers.map((c) => runController({ ...c, log }));
  return {
    async stop() {
      for (const c of controllers) c.queue.shutDown();
      await Promise.all(running);
    },
  };
}

/** Runs `work` until it succeeds, waiting longer after each failure (up to 30 s). */
async function keepTrying(work: () => Promise<void>, failed: (err: Error) => void): Promise<void> {
  for (let delay = 1000; ; delay = Math.min(delay * 2, 30_000)) {
    try {
      return await work();
    } catch (err) {
      failed(err as Error);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/** The node grace period from KUBELAB_NODE_GRACE_SECONDS (ms), or undefined for the default. */
export function nodeGraceFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const s = Number(env.KUBELAB_NODE_GRACE_SECONDS);
  return Number.isFinite(s) && s > 0 ? s * 1000 : undefined;
}

/** The HPA scale-down stabilization from KUBELAB_HPA_DOWNSCALE_STABILIZATION_SECONDS (s, 0 allowed), or undefined for the default. */
export function hpaDownscaleFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env.KUBELAB_HPA_DOWNSCALE_STABILIZATION_SECONDS?.trim();
  const s = raw ? Number(raw) : NaN;
  return Number.isFinite(s) && s >= 0 ? s : undefined;
}

/** Runs the controller-manager until it loses its lease (then it exits, and its supervisor restarts it). */
export async function runControllerManager(): Promise<void> {
  await runLeaderElected({
    component: 'kube-controller-manager',
    title: 'controller-manager',
    healthPort: CONTROLLER_MANAGER_PORT,
    doing: 'starting controllers',
    lead: ({ client, ca, log, say, fatal }) => {
      const informers = new SharedInformers(client, { log });
      void keepTrying(() => ensureAddons(client, say), (err) => say(`add-ons: ${err.message}`));
      void runNamespaceDefaults(client, informers, ca.cert, log).catch(fatal('namespace-defaults'));
      startWorkloadControllers(client, informers, { log, nodeGraceMs: nodeGraceFromEnv(), hpaDownscaleStabilizationSeconds: hpaDownscaleFromEnv() }).catch(fatal('workload controllers'));
    },
  });
}
