// The HorizontalPodAutoscaler controller: every sync period (15 s) and whenever an HPA's spec
// changes, it reads the target's scale, the pods its selector picks and their CPU/memory use
// from the resource metrics API, decides the replica count (hpa-plan.ts), writes it through the
// scale subresource, and reports conditions, current metrics and events as upstream does.
// Recommendations and scale events are remembered in memory per HPA, as upstream keeps them.
import { parseLabelSelector, type Requirement } from '../api/selectors.js';
import type { ReconcileResult } from '../client/controller.js';
import type { EventRecorder } from '../client/event-recorder.js';
import type { Informer } from '../client/informer.js';
import type { RestClient } from '../client/rest-client.js';
import { WorkQueue } from '../client/work-queue.js';
import { nullLogger, type Logger } from '../log/logger.js';
import { usesPodMetrics, type FetchedMetrics } from './hpa-compute.js';
import type { MetricsSource } from './hpa-metrics.js';
import type { HpaHistory } from './hpa-normalize.js';
import { DEFAULT_DOWNSCALE_STABILIZATION_S, getScaleFailed, needsMetrics, nextStatus, planSync, rescaled, rescaleFailed, sameHpaStatus, type HpaSettings } from './hpa-plan.js';
import { ScaleClient, type Scale, type ScaleMapping } from './hpa-scale.js';
import { SyncDraft, type Hpa } from './hpa-types.js';
import { BY_NAMESPACE, ensureIndex, namespaceIndex, type Pod } from './workload-util.js';

const HPA_KIND = ['autoscaling/v2', 'HorizontalPodAutoscaler'] as const;

/** How often every HPA is synced (upstream's --horizontal-pod-autoscaler-sync-period default). */
export const HPA_SYNC_PERIOD_MS = 15_000;

/** What the controller runs on. */
export interface HpaControllerDeps {
  client: RestClient;
  hpas: Informer<Hpa>;
  pods: Informer<Pod>;
  metrics: MetricsSource;
  events: EventRecorder;
  log?: Logger;
  /** Scale-down stabilization for HPAs that do not set one (s; default 300). */
  downscaleStabilizationS?: number;
  /** Time between syncs of one HPA (ms; default 15 s). */
  syncPeriodMs?: number;
  /** The clock (ms). */
  now?: () => number;
}

const keyOf = (o: { metadata: { namespace?: string; name: string } }) => `${o.metadata.namespace}/${o.metadata.name}`;
const statusPath = (hpa: Hpa) =>
  `/apis/autoscaling/v2/namespaces/${encodeURIComponent(hpa.metadata.namespace ?? '')}/horizontalpodautoscalers/${encodeURIComponent(hpa.metadata.name)}/status`;

/** The HPA controller's queue (fed by the HPA informer's handlers) and reconcile function. */
export function hpaController(deps: HpaControllerDeps): { queue: WorkQueue; reconcile(key: string): Promise<ReconcileResult | void> } {
  const { client, hpas, pods, events } = deps;
  const log = deps.log ?? nullLogger;
  const now = deps.now ?? Date.now;
  const period = deps.syncPeriodMs ?? HPA_SYNC_PERIOD_MS;
  const settings: HpaSettings = { downscaleStabilizationS: deps.downscaleStabilizationS ?? DEFAULT_DOWNSCALE_STABILIZATION_S };
  const scales = new ScaleClient(client);
  const queue = new WorkQueue();
  const histories = new Map<string, HpaHistory>();
  /** The selector each HPA last used, by key (for the check that no two HPAs drive the same pods). */
  const selectors = new Map<string, { namespace: string; name: string; reqs: Requirement[] }>();
  ensureIndex(pods, BY_NAMESPACE, namespaceIndex);

  hpas.addHandler({
    onAdd: (hpa) => queue.add(keyOf(hpa)),
    // Our own status writes do not need a sync: only spec changes (new generation) do.
    onUpdate: (old, hpa) => {
      if (old.metadata.generation !== hpa.metadata.generation) queue.add(keyOf(hpa));
    },
    onDelete: (hpa) => {
      if (hpa.metadata.uid) events.forget(hpa.metadata.uid);
      queue.add(keyOf(hpa));
    },
  });

  const emit = (hpa: Hpa, draft: SyncDraft) => {
    for (const e of draft.events) events.event(hpa, HPA_KIND, e.type, e.reason, e.message);
  };

  /** Writes the status when it changed; a failure is logged (the next sync writes again). */
  const writeStatus = async (hpa: Hpa, draft: SyncDraft, replicas?: Parameters<typeof nextStatus>[3]) => {
    const status = nextStatus(hpa, draft, now(), replicas);
    emit(hpa, draft);
    if (sameHpaStatus(hpa.status, status)) return;
    try {
      await client.update(statusPath(hpa), { ...hpa, apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', status });
    } catch (err) {
      const message = `failed to update status for ${hpa.metadata.name}: ${(err as Error).message}`;
      events.event(hpa, HPA_KIND, 'Warning', 'FailedUpdateStatus', message);
      log.error(`hpa ${keyOf(hpa)}: ${message}`);
    }
  };

  /** The PodMetrics of the target's pods, or the error reading them. */
  const fetchMetrics = async (namespace: string, selector: string): Promise<FetchedMetrics> => {
    try {
      return { items: await deps.metrics.podMetrics(namespace, selector) };
    } catch (err) {
      return { error: (err as Error).message };
    }
  };

  const sync = async (key: string, hpa: Hpa): Promise<void> => {
    const ns = hpa.metadata.namespace ?? '';
    const ref = hpa.spec.scaleTargetRef;
    const reference = `${ref.kind}/${ns}/${ref.name}`;
    const draft = new SyncDraft(hpa.status?.conditions, now());
    let target: { scale: Scale; mapping: ScaleMapping };
    try {
      target = await scales.get(ns, ref);
    } catch (err) {
      getScaleFailed(draft, (err as Error).message);
      await writeStatus(hpa, draft);
      log.v(1).info(`hpa ${key}: failed to query scale subresource for ${reference}: ${(err as Error).message}`);
      return;
    }
    const { scale, mapping } = target;
    const view = { specReplicas: scale.spec?.replicas ?? 0, statusReplicas: scale.status?.replicas ?? 0, selector: scale.status?.selector ?? '' };
    const metrics = needsMetrics(hpa, view.specReplicas) && view.selector && tryParseSelector(view.selector) && usesPodMetrics(hpa) ? await fetchMetrics(ns, view.selector) : undefined;
    const others = [...selectors.entries()].filter(([k, s]) => k !== key && s.namespace === ns).map(([, s]) => ({ name: s.name, reqs: s.reqs }));
    const at = now();
    const plan = planSync({ hpa, scale: view, pods: pods.byIndex(BY_NAMESPACE, ns), others, metrics, history: histories.get(key), now: at, settings }, draft);
    histories.set(key, plan.history);
    if (plan.selector) selectors.set(key, { namespace: ns, name: hpa.metadata.name, reqs: plan.selector });
    if (plan.failed !== undefined) {
      await writeStatus(hpa, draft, { current: plan.current, statuses: plan.statuses, rescaled: false });
      log.v(1).info(`hpa ${key}: failed to compute desired number of replicas based on listed metrics for ${reference}: ${plan.failed}`);
      return;
    }
    if (plan.partialError) log.v(1).info(`hpa ${key}: ${plan.partialError}`);
    if (plan.rescale) {
      try {
        await scales.update(mapping, ns, { ...scale, spec: { ...scale.spec, replicas: plan.desired } });
      } catch (err) {
        rescaleFailed(plan, draft, (err as Error).message);
        await writeStatus(hpa, draft, { current: plan.current, statuses: plan.statuses, rescaled: false });
        log.v(1).info(`hpa ${key}: failed to rescale ${reference}: ${(err as Error).message}`);
        return;
      }
      histories.set(key, rescaled(hpa, plan, draft, at, settings));
      log.v(1).info(`hpa ${key}: rescaled ${reference} from ${plan.current} to ${plan.desired}: ${plan.reason}`);
    }
    await writeStatus(hpa, draft, { current: plan.current, desired: plan.rescale ? plan.desired : plan.current, statuses: plan.statuses, rescaled: plan.rescale });
  };

  const reconcile = async (key: string): Promise<ReconcileResult | void> => {
    const hpa = hpas.get(key);
    if (!hpa) {
      histories.delete(key);
      selectors.delete(key);
      return;
    }
    try {
      await sync(key, hpa);
    } catch (err) {
      // Upstream retries every HPA on its sync period whatever happened; so do we.
      log.error(`hpa ${key}: sync failed: ${(err as Error).message}`);
    }
    return { requeueAfter: period };
  };

  return { queue, reconcile };
}

/** Parses a selector, or undefined when it does not parse. */
function tryParseSelector(text: string): Requirement[] | undefined {
  try {
    return parseLabelSelector(text);
  } catch {
    return undefined;
  }
}
