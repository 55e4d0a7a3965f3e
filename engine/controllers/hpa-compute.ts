// The HPA's metrics step, pure: for each metric of the spec, the replica count it asks for, its
// current value for status.currentMetrics, and — when it cannot be read — the event and the
// ScalingActive condition upstream reports. The highest proposal wins; when every metric failed,
// or some failed and the rest would scale down, the step fails as a whole.
import { parseLabelSelector, matchesLabels, type Requirement } from '../api/selectors.js';
import { formatQuantity } from '../api/types/core-quantity.js';
import { milliValue, resourceSamples, type PodMetrics } from './hpa-metrics.js';
import { rawResourceReplicas, resourceReplicas, type CalcContext } from './hpa-replicas.js';
import type { Hpa, MetricSpec, MetricStatus, MetricTarget, MetricValueStatus, SyncDraft } from './hpa-types.js';
import type { LabelSelector, Pod } from './workload-util.js';

/** What spec.metrics means when empty: 80% average CPU utilization (as upstream defaults v1 objects). */
export const DEFAULT_METRICS: MetricSpec[] = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];

/** The HPA's metrics, or the default when it names none. */
export const metricsOf = (hpa: Hpa): MetricSpec[] => (hpa.spec.metrics?.length ? hpa.spec.metrics : DEFAULT_METRICS);

/** True when some metric is read from the resource metrics API (Resource or ContainerResource). */
export const usesPodMetrics = (hpa: Hpa): boolean => metricsOf(hpa).some((m) => m.type === 'Resource' || m.type === 'ContainerResource');

/** The PodMetrics list of the target's pods, or why it could not be read. */
export type FetchedMetrics = { items: PodMetrics[] } | { error: string };

/** Everything the metrics step reads. */
export interface MetricsInput {
  hpa: Hpa;
  specReplicas: number;
  /** The pods the target's selector selects. */
  pods: Pod[];
  metrics: FetchedMetrics | undefined;
  calc: CalcContext;
}

/** The outcome of the metrics step: replicas is -1 when it failed (then `error` says why). */
export interface MetricsOutcome {
  replicas: number;
  metric: string;
  statuses: MetricStatus[];
  error?: string;
}

type Proposal = { replicas: number; name: string; status: MetricStatus } | { error: string; reason: string; cause: string };

const NO_CUSTOM_API = 'unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered';

/** Go's %+v of a *LabelSelector, as upstream's external metric errors print it. */
function goSelector(sel: LabelSelector | undefined): string {
  if (!sel) return 'nil';
  const labels = Object.entries(sel.matchLabels ?? {})
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}: ${v},`)
    .join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{},}`;
}

/** A milli-value as the Quantity upstream writes into status (DecimalSI). */
const milliQuantity = (milli: number): string => formatQuantity({ digits: BigInt(Math.trunc(milli)), exp: -3, format: 'DecimalSI' });

/** The per-pod samples of a resource, or the error upstream's metrics client gives. */
function samplesFor(input: MetricsInput, resource: string, container: string) {
  const fetched = input.metrics;
  try {
    if (!fetched) throw new Error('unable to fetch metrics from resource metrics API: no metrics were requested');
    if ('error' in fetched) throw new Error(`unable to fetch metrics from resource metrics API: ${fetched.error}`);
    return resourceSamples(fetched.items, resource, container);
  } catch (err) {
    throw new Error(`unable to get metrics for resource ${resource}: ${(err as Error).message}`);
  }
}

/** A Resource or ContainerResource metric. */
function resourceProposal(input: MetricsInput, name: string, container: string, target: MetricTarget): { replicas: number; name: string; current: MetricValueStatus } {
  const kind = container ? 'container resource' : 'resource';
  if (target.averageValue !== undefined) {
    try {
      const samples = samplesFor(input, name, container);
      const r = rawResourceReplicas(input.specReplicas, milliValue(target.averageValue), name, input.pods, samples, input.calc);
      return { replicas: r.replicas, name: `${name} resource`, current: { averageValue: milliQuantity(r.usage) } };
    } catch (err) {
      throw new Error(`failed to get ${name} usage: ${(err as Error).message}`);
    }
  }
  if (target.averageUtilization === undefined) throw new Error('invalid resource metric source: neither an average utilization target nor an average value (usage) target was set');
  try {
    const samples = samplesFor(input, name, container);
    const r = resourceReplicas(input.specReplicas, target.averageUtilization, name, container, input.pods, samples, input.calc);
    return { replicas: r.replicas, name: `${name} ${kind} utilization (percentage of request)`, current: { averageUtilization: r.utilization, averageValue: milliQuantity(r.rawAverage) } };
  } catch (err) {
    throw new Error(`failed to get ${name} utilization: ${(err as Error).message}`);
  }
}

/** One metric's proposal, or its failure: the wrapped error, the condition reason and the cause the event reports. */
function proposal(input: MetricsInput, m: MetricSpec): Proposal {
  const ns = input.hpa.metadata.namespace ?? '';
  const fail = (reason: string, cause: string, error = cause): Proposal => ({ reason, cause, error });
  switch (m.type) {
    case 'Resource':
    case 'ContainerResource': {
      const src = m.type === 'Resource' ? m.resource : m.containerResource;
      const container = m.type === 'ContainerResource' ? (m.containerResource?.container ?? '') : '';
      const reason = m.type === 'Resource' ? 'FailedGetResourceMetric' : 'FailedGetContainerResourceMetric';
      try {
        const r = resourceProposal(input, src?.name ?? '', container, src?.target ?? {});
        const status: MetricStatus =
          m.type === 'Resource' ? { type: 'Resource', resource: { name: src!.name, current: r.current } } : { type: 'ContainerResource', containerResource: { name: src!.name, container, current: r.current } };
        return { replicas: r.replicas, name: r.name, status };
      } catch (err) {
        const cause = (err as Error).message;
        return fail(reason, cause, m.type === 'Resource' ? `failed to get ${src?.name} resource metric value: ${cause}` : `failed to get ${container} container metric value: ${cause}`);
      }
    }
    case 'Pods': {
      const cause = `unable to get metric ${m.pods?.metric?.name}: ${NO_CUSTOM_API}`;
      return fail('FailedGetPodsMetric', cause, `failed to get pods metric value: ${cause}`);
    }
    case 'Object': {
      const o = m.object;
      const t = o?.target ?? {};
      const metric = o?.metric?.name ?? '';
      // Upstream's message puts its arguments in this (odd) order; users see it so.
      const cause = `unable to get metric ${metric}: ${o?.describedObject?.kind} on ${ns} ${o?.describedObject?.name}/${NO_CUSTOM_API}`;
      if (t.type === 'Value' && t.value !== undefined) return fail('FailedGetObjectMetric', cause, `failed to get object metric value: ${cause}`);
      if (t.type === 'AverageValue' && t.averageValue !== undefined) return fail('FailedGetObjectMetric', cause, `failed to get object metric value: failed to get ${metric} object metric: ${cause}`);
      const invalid = 'invalid object metric source: neither a value target nor an average value target was set';
      return fail('FailedGetObjectMetric', invalid, `failed to get object metric value: ${invalid}`);
    }
    case 'External': {
      const e = m.external;
      const t = e?.target ?? {};
      const metric = e?.metric?.name ?? '';
      const cause = `unable to get external metric ${ns}/${metric}/${goSelector(e?.metric?.selector)}: unable to fetch metrics from external metrics API: the server could not find the requested resource (get ${metric}.external.metrics.k8s.io)`;
      if (t.averageValue !== undefined) return fail('FailedGetExternalMetric', cause, `failed to get ${metric} external metric value: failed to get ${metric} external metric: ${cause}`);
      if (t.value !== undefined) return fail('FailedGetExternalMetric', cause, `failed to get ${metric} external metric value: failed to get external metric ${metric}: ${cause}`);
      const invalid = 'invalid external metric source: neither a value target nor an average value target was set';
      return fail('FailedGetExternalMetric', invalid, `failed to get ${metric} external metric value: ${invalid}`);
    }
    default: {
      const cause = `unknown metric source type "${m.type}"`;
      return fail('InvalidMetricSourceType', cause);
    }
  }
}

/**
 * Runs every metric: records a Warning event per failing metric and, as upstream, sets
 * ScalingActive — False from the first failure when the step fails, else True ValidMetricFound.
 */
export function computeReplicasForMetrics(input: MetricsInput, draft: SyncDraft): MetricsOutcome {
  const specs = metricsOf(input.hpa);
  const statuses: MetricStatus[] = specs.map(() => ({ type: '' }));
  let replicas = 0;
  let metric = '';
  let invalid = 0;
  let first: { reason: string; cause: string; error: string } | undefined;
  specs.forEach((m, i) => {
    const p = proposal(input, m);
    if ('error' in p) {
      draft.warn(p.reason, p.cause);
      if (!first) first = p;
      invalid++;
      return;
    }
    statuses[i] = p.status;
    if (replicas === 0 || p.replicas > replicas) {
      replicas = p.replicas;
      metric = p.name;
    }
  });
  const error = first ? `invalid metrics (${invalid} invalid out of ${specs.length}), first error is: ${first.error}` : undefined;
  if (first && (invalid >= specs.length || replicas < input.specReplicas)) {
    draft.set('ScalingActive', 'False', first.reason, `the HPA was unable to compute the replica count: ${first.cause}`);
    return { replicas: -1, metric: '', statuses, error };
  }
  draft.set('ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${metric}`);
  return { replicas, metric, statuses, ...(error ? { error } : {}) };
}

/** A parsed scale selector, or the failure upstream reports (event, ScalingActive False InvalidSelector) and its error. */
export function parseScaleSelector(selector: string, draft: SyncDraft): { reqs: Requirement[] } | { error: string } {
  if (!selector) {
    draft.warn('SelectorRequired', 'selector is required');
    draft.set('ScalingActive', 'False', 'InvalidSelector', "the HPA target's scale is missing a selector");
    return { error: 'selector is required' };
  }
  try {
    return { reqs: parseLabelSelector(selector) };
  } catch (err) {
    const error = `couldn't convert selector into a corresponding internal selector object: ${(err as Error).message}`;
    draft.warn('InvalidSelector', error);
    draft.set('ScalingActive', 'False', 'InvalidSelector', error);
    return { error };
  }
}

/**
 * The AmbiguousSelector failure (event, condition, error) when pods the selector picks are also
 * picked by another HPA of the namespace (`others`: names and last-known selectors); undefined
 * when the HPA alone owns them.
 */
export function ambiguousSelector(hpa: Hpa, selector: string, pods: Pod[], others: { name: string; reqs: Requirement[] }[], draft: SyncDraft): string | undefined {
  const rivals = others.filter((o) => o.name !== hpa.metadata.name && pods.some((p) => matchesLabels(o.reqs, p.metadata.labels)));
  if (rivals.length === 0) return undefined;
  const ns = hpa.metadata.namespace ?? '';
  const names = [hpa.metadata.name, ...rivals.map((r) => r.name)].sort().map((n) => `{${n} ${ns}}`);
  const error = `pods by selector ${selector} are controlled by multiple HPAs: [${names.join(' ')}]`;
  draft.warn('AmbiguousSelector', error);
  draft.set('ScalingActive', 'False', 'AmbiguousSelector', error);
  return error;
}
