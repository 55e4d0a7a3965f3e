// autoscaling/v2 and autoscaling/v1 HorizontalPodAutoscaler, and the autoscaling/v1 Scale that
// the scale subresource of Deployments, ReplicaSets and StatefulSets speaks.
import { invalidValue, notSupported, required, forbiddenValue, type FieldError } from '../field-error.js';
import { ageColumn, column, nameColumn, type ApiObject, type Column, type ResourceType, type TypeGroup } from '../resource-type.js';
import { def, f, LABEL_SELECTOR, metadataField, type Definitions } from '../schema.js';
import { child, objectAt, statusZeros } from './apps-common.js';

const V1 = 'io.k8s.api.autoscaling.v1.';
const V2 = 'io.k8s.api.autoscaling.v2.';
const SOURCES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];

/** A reference to the object to scale, or a metric's object, in either version. */
const crossVersionRef = () =>
  def(
    'Names an object by kind, name and API version.',
    {
      kind: f.str(1, 'Kind of the object, e.g. Deployment.'),
      name: f.str(2, 'Name of the object.'),
      apiVersion: f.str(3, 'API version of the object, e.g. apps/v1.'),
    },
    { required: ['kind', 'name'] },
  );

const V2_DEFINITIONS: Definitions = {
  [`${V2}HorizontalPodAutoscaler`]: def('Scales a Deployment, StatefulSet or other object with a scale subresource up and down to keep metrics near their targets.', {
    metadata: metadataField(),
    spec: f.ref(2, `${V2}HorizontalPodAutoscalerSpec`, 'What to scale, within which bounds, on which metrics.'),
    status: f.ref(3, `${V2}HorizontalPodAutoscalerStatus`, 'What the autoscaler last saw and decided.'),
  }),
  [`${V2}HorizontalPodAutoscalerSpec`]: def('What an autoscaler scales, within which bounds, on which metrics.', {
    scaleTargetRef: f.ref(1, `${V2}CrossVersionObjectReference`, 'The object to scale; its pods are the ones measured.'),
    minReplicas: f.int32(2, 'Fewest replicas to scale down to; 1 when unset.', { keepZero: true }),
    maxReplicas: f.int32(3, 'Most replicas to scale up to; at least minReplicas.', { keepZero: true }),
    metrics: f.list(4, 'Metrics to follow; the one asking for the most replicas wins. 80% average CPU utilization when unset.', `${V2}MetricSpec`, { listType: 'atomic' }),
    behavior: f.ref(5, `${V2}HorizontalPodAutoscalerBehavior`, 'How fast to scale up and down; the built-in rules when unset.'),
  }),
  [`${V2}CrossVersionObjectReference`]: crossVersionRef(),
  [`${V2}MetricSpec`]: def('One metric to scale on: type and the one matching source.', {
    type: f.str(1, 'Which source is set: ContainerResource, External, Object, Pods or Resource.'),
    object: f.ref(2, `${V2}ObjectMetricSource`, 'A metric of one object, e.g. requests per second of an Ingress.'),
    pods: f.ref(3, `${V2}PodsMetricSource`, 'A metric of each pod, averaged over the pods.'),
    resource: f.ref(4, `${V2}ResourceMetricSource`, 'CPU or memory use of the pods, compared with their requests.'),
    containerResource: f.ref(7, `${V2}ContainerResourceMetricSource`, 'CPU or memory use of one container in each pod.'),
    external: f.ref(5, `${V2}ExternalMetricSource`, 'A metric from outside the cluster, e.g. a queue length.'),
  }),
  [`${V2}ObjectMetricSource`]: def('A metric describing one object.', {
    describedObject: f.ref(1, `${V2}CrossVersionObjectReference`, 'The object the metric describes.'),
    target: f.ref(2, `${V2}MetricTarget`, 'The value to keep the metric at.'),
    metric: f.ref(3, `${V2}MetricIdentifier`, 'The metric.'),
  }),
  [`${V2}PodsMetricSource`]: def('A metric of each pod of the target, averaged.', {
    metric: f.ref(1, `${V2}MetricIdentifier`, 'The metric.'),
    target: f.ref(2, `${V2}MetricTarget`, 'The average value to keep the metric at.'),
  }),
  [`${V2}ResourceMetricSource`]: def('A resource (cpu, memory) of the pods of the target, averaged.', {
    name: f.str(1, 'The resource, e.g. cpu or memory.'),
    target: f.ref(2, `${V2}MetricTarget`, 'The utilization or average value to keep.'),
  }),
  [`${V2}ContainerResourceMetricSource`]: def('A resource (cpu, memory) of one container in each pod of the target, averaged.', {
    name: f.str(1, 'The resource, e.g. cpu or memory.'),
    target: f.ref(2, `${V2}MetricTarget`, 'The utilization or average value to keep.'),
    container: f.str(3, 'The container to measure.'),
  }),
  [`${V2}ExternalMetricSource`]: def('A metric not tied to any Kubernetes object.', {
    metric: f.ref(1, `${V2}MetricIdentifier`, 'The metric.'),
    target: f.ref(2, `${V2}MetricTarget`, 'The value or average value to keep.'),
  }),
  [`${V2}MetricIdentifier`]: def('Names a metric, optionally narrowed by labels.', {
    name: f.str(1, 'Name of the metric.'),
    selector: f.ref(2, LABEL_SELECTOR, 'Labels passed to the metrics server to narrow the metric; only the name is used when unset.'),
  }),
  [`${V2}MetricTarget`]: def('The value a metric should be kept at.', {
    type: f.str(1, 'Utilization, Value or AverageValue: which of the fields below applies.'),
    value: f.quantity(2, 'Target value of the metric.'),
    averageValue: f.quantity(3, 'Target value of the metric averaged over the pods.'),
    averageUtilization: f.int32(4, 'Target average use as a percentage of the pods\' requests (resource metrics only).', { keepZero: true }),
  }),
  [`${V2}HorizontalPodAutoscalerBehavior`]: def('How fast an autoscaler may scale up and down.', {
    scaleUp: f.ref(1, `${V2}HPAScalingRules`, 'Rules for scaling up; by default at most 4 pods or double the pods per 15 seconds, whichever is more, without stabilization.'),
    scaleDown: f.ref(2, `${V2}HPAScalingRules`, 'Rules for scaling down; by default any number of pods with a 300-second stabilization window.'),
  }),
  [`${V2}HPAScalingRules`]: def('Limits on scaling in one direction.', {
    stabilizationWindowSeconds: f.int32(3, 'Seconds of past recommendations considered before scaling (0 to 3600); 0 up and 300 down when unset.', { keepZero: true }),
    selectPolicy: f.str(1, 'Which policy applies: Max (the default) the one allowing the most change, Min the least, Disabled none.'),
    policies: f.list(2, 'Allowed changes per period; see selectPolicy.', `${V2}HPAScalingPolicy`, { listType: 'atomic' }),
    tolerance: f.quantity(4, 'Relative change of the metric ignored before scaling, e.g. 0.05 for 5%; the cluster default (10%) when unset. Beta.'),
  }),
  [`${V2}HPAScalingPolicy`]: def('One allowed change per period.', {
    type: f.str(1, 'Pods (an absolute number) or Percent (of the current replicas).'),
    value: f.int32(2, 'How much change is allowed; greater than 0.', { keepZero: true }),
    periodSeconds: f.int32(3, 'Length of the period in seconds (1 to 1800).', { keepZero: true }),
  }),
  [`${V2}HorizontalPodAutoscalerStatus`]: def('What an autoscaler last saw and decided.', {
    observedGeneration: f.int64(1, 'The metadata.generation this status describes.', { keepZero: true }),
    lastScaleTime: f.time(2, 'When the autoscaler last changed the replica count.'),
    currentReplicas: f.int32(3, 'Replicas of the target as last seen.'),
    desiredReplicas: f.int32(4, 'Replicas the autoscaler last asked for.', { keepZero: true }),
    currentMetrics: f.list(5, 'Last values read for the metrics, in spec order.', `${V2}MetricStatus`, { listType: 'atomic' }),
    conditions: f.list(6, 'Whether the autoscaler can scale, is active and is limited.', `${V2}HorizontalPodAutoscalerCondition`, { mergeKey: 'type' }),
  }),
  [`${V2}HorizontalPodAutoscalerCondition`]: def(
    'One observation about an autoscaler: AbleToScale, ScalingActive or ScalingLimited.',
    {
      type: f.str(1, 'What the condition is about.'),
      status: f.str(2, 'True, False or Unknown.'),
      lastTransitionTime: f.time(3, 'When status last changed.'),
      reason: f.str(4, 'Why, in one CamelCase word.'),
      message: f.str(5, 'Why, for people.'),
    },
    { required: ['type', 'status'] },
  ),
  [`${V2}MetricStatus`]: def('The last value read for one metric.', {
    type: f.str(1, 'Which source is set: ContainerResource, External, Object, Pods or Resource.'),
    object: f.ref(2, `${V2}ObjectMetricStatus`, 'Value of an object metric.'),
    pods: f.ref(3, `${V2}PodsMetricStatus`, 'Value of a per-pod metric.'),
    resource: f.ref(4, `${V2}ResourceMetricStatus`, 'Value of a resource metric.'),
    containerResource: f.ref(7, `${V2}ContainerResourceMetricStatus`, 'Value of a container resource metric.'),
    external: f.ref(5, `${V2}ExternalMetricStatus`, 'Value of an external metric.'),
  }),
  [`${V2}ObjectMetricStatus`]: def('The last value of an object metric.', {
    metric: f.ref(1, `${V2}MetricIdentifier`, 'The metric.'),
    current: f.ref(2, `${V2}MetricValueStatus`, 'Its value.'),
    describedObject: f.ref(3, `${V2}CrossVersionObjectReference`, 'The object it describes.'),
  }),
  [`${V2}PodsMetricStatus`]: def('The last value of a per-pod metric.', {
    metric: f.ref(1, `${V2}MetricIdentifier`, 'The metric.'),
    current: f.ref(2, `${V2}MetricValueStatus`, 'Its value.'),
  }),
  [`${V2}ResourceMetricStatus`]: def('The last value of a resource metric.', {
    name: f.str(1, 'The resource, e.g. cpu.'),
    current: f.ref(2, `${V2}MetricValueStatus`, 'Its value.'),
  }),
  [`${V2}ContainerResourceMetricStatus`]: def('The last value of a container resource metric.', {
    name: f.str(1, 'The resource, e.g. cpu.'),
    current: f.ref(2, `${V2}MetricValueStatus`, 'Its value.'),
    container: f.str(3, 'The container measured.'),
  }),
  [`${V2}ExternalMetricStatus`]: def('The last value of an external metric.', {
    metric: f.ref(1, `${V2}MetricIdentifier`, 'The metric.'),
    current: f.ref(2, `${V2}MetricValueStatus`, 'Its value.'),
  }),
  [`${V2}MetricValueStatus`]: def('A metric value as read.', {
    value: f.quantity(1, 'The value.'),
    averageValue: f.quantity(2, 'The value averaged over the pods.'),
    averageUtilization: f.int32(3, 'Average use as a percentage of the pods\' requests.', { keepZero: true }),
  }),
};

const V1_DEFINITIONS: Definitions = {
  [`${V1}HorizontalPodAutoscaler`]: def('Scales an object with a scale subresource to keep average CPU utilization near a target.', {
    metadata: metadataField(),
    spec: f.ref(2, `${V1}HorizontalPodAutoscalerSpec`, 'What to scale, within which bounds.'),
    status: f.ref(3, `${V1}HorizontalPodAutoscalerStatus`, 'What the autoscaler last saw and decided.'),
  }),
  [`${V1}HorizontalPodAutoscalerSpec`]: def('What a v1 autoscaler scales and within which bounds.', {
    scaleTargetRef: f.ref(1, `${V1}CrossVersionObjectReference`, 'The object to scale; its pods are the ones measured.'),
    minReplicas: f.int32(2, 'Fewest replicas to scale down to; 1 when unset.', { keepZero: true }),
    maxReplicas: f.int32(3, 'Most replicas to scale up to; at least minReplicas.', { keepZero: true }),
    targetCPUUtilizationPercentage: f.int32(4, 'Average CPU use to keep, as a percentage of the pods\' requests; the controller uses 80 when unset.', { keepZero: true }),
  }),
  [`${V1}HorizontalPodAutoscalerStatus`]: def('What a v1 autoscaler last saw and decided.', {
    observedGeneration: f.int64(1, 'The metadata.generation this status describes.', { keepZero: true }),
    lastScaleTime: f.time(2, 'When the autoscaler last changed the replica count.'),
    currentReplicas: f.int32(3, 'Replicas of the target as last seen.', { keepZero: true }),
    desiredReplicas: f.int32(4, 'Replicas the autoscaler last asked for.', { keepZero: true }),
    currentCPUUtilizationPercentage: f.int32(5, 'Average CPU use of the pods as a percentage of their requests.', { keepZero: true }),
  }),
  [`${V1}CrossVersionObjectReference`]: crossVersionRef(),
  [`${V1}Scale`]: def('The replica count of a scalable object, as the scale subresource reads and writes it.', {
    metadata: metadataField(),
    spec: f.ref(2, `${V1}ScaleSpec`, 'The desired replica count.'),
    status: f.ref(3, `${V1}ScaleStatus`, 'The current replica count.'),
  }),
  [`${V1}ScaleSpec`]: def('The desired replica count.', { replicas: f.int32(1, 'How many replicas the object should have.') }),
  [`${V1}ScaleStatus`]: def(
    'The current replica count.',
    {
      replicas: f.int32(1, 'How many replicas the object has.', { keepZero: true }),
      selector: f.str(2, 'Label query over the pods counted, in the string form of a label selector.'),
    },
    { required: ['replicas'] },
  ),
};

interface Target {
  type?: string;
  value?: string;
  averageValue?: string;
  averageUtilization?: number;
}
interface Metric {
  type?: string;
  resource?: { name?: string; target?: Target };
  containerResource?: { name?: string; container?: string; target?: Target };
  pods?: { metric?: { name?: string }; target?: Target };
  object?: { describedObject?: Record<string, unknown>; metric?: { name?: string }; target?: Target };
  external?: { metric?: { name?: string }; target?: Target };
}
type Current = Record<string, { current?: { value?: string; averageValue?: string; averageUtilization?: number } } | undefined>;

/** kubectl's Targets cell: "cpu: 20%/50%", "<unknown>/10 (avg)", "… + 1 more..."; absent quantities print as Go's nil Quantity does. */
export function formatMetrics(specs: Metric[], statuses: Current[]): string {
  if (specs.length === 0) return '<none>';
  const q = (v: string | undefined) => v ?? '<nil>';
  const cells = specs.map((m, i) => {
    const cur = (key: string) => statuses[i]?.[key]?.current;
    const seen = (key: string) => statuses[i]?.[key] !== undefined;
    switch (m.type) {
      case 'External':
      case 'Object': {
        const key = m.type === 'External' ? 'external' : 'object';
        const target = (m.type === 'External' ? m.external : m.object)?.target;
        if (target?.averageValue !== undefined) return `${cur(key)?.averageValue ?? '<unknown>'}/${target.averageValue} (avg)`;
        return `${seen(key) ? q(cur(key)?.value) : '<unknown>'}/${q(target?.value)}`;
      }
      case 'Pods':
        return `${seen('pods') ? q(cur('pods')?.averageValue) : '<unknown>'}/${q(m.pods?.target?.averageValue)}`;
      case 'Resource':
      case 'ContainerResource': {
        const key = m.type === 'Resource' ? 'resource' : 'containerResource';
        const src = (m.type === 'Resource' ? m.resource : m.containerResource) ?? {};
        if (src.target?.averageValue !== undefined) return `${src.name}: ${seen(key) ? q(cur(key)?.averageValue) : '<unknown>'}/${src.target.averageValue}`;
        const now = cur(key)?.averageUtilization !== undefined ? `${cur(key)!.averageUtilization}%` : '<unknown>';
        const want = src.target?.averageUtilization !== undefined ? `${src.target.averageUtilization}%` : '<auto>';
        return `${src.name}: ${now}/${want}`;
      }
      default:
        return '<unknown type>';
    }
  });
  return cells.length > 2 ? `${cells.slice(0, 2).join(', ')} + ${cells.length - 2} more...` : cells.join(', ');
}

/** The metrics of an HPA as the v2 shape (a v1 CPU target becomes a cpu Resource metric). */
function metricsOf(o: ApiObject, v1: boolean): { specs: Metric[]; statuses: Current[] } {
  const spec = objectAt(o.spec);
  const status = objectAt(o.status);
  if (!v1) return { specs: (spec.metrics as Metric[] | undefined) ?? [], statuses: (status.currentMetrics as Current[] | null | undefined) ?? [] };
  const target = spec.targetCPUUtilizationPercentage as number | undefined;
  if (target === undefined) return { specs: [], statuses: [] };
  const current = status.currentCPUUtilizationPercentage as number | undefined;
  return {
    specs: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } } }],
    statuses: current === undefined ? [] : [{ resource: { current: { averageUtilization: current } } }],
  };
}

/** `kubectl get hpa` columns; `v1` reads the v1 CPU fields. */
const hpaColumns = (v1: boolean): Column[] => [
  nameColumn,
  column('Reference', 'The object scaled, as kind/name.', (o) => {
    const ref = objectAt(objectAt(o.spec).scaleTargetRef);
    return `${String(ref.kind ?? '')}/${String(ref.name ?? '')}`;
  }),
  column('Targets', 'Current and target values of the metrics.', (o) => {
    const { specs, statuses } = metricsOf(o, v1);
    return formatMetrics(specs, statuses);
  }),
  column('MinPods', 'Fewest replicas allowed.', (o) => {
    const min = objectAt(o.spec).minReplicas;
    return min === undefined ? '<unset>' : String(min);
  }),
  column('MaxPods', 'Most replicas allowed.', (o) => Number(objectAt(o.spec).maxReplicas ?? 0)),
  column('Replicas', 'Current replicas of the target.', (o) => Number(objectAt(o.status).currentReplicas ?? 0)),
  ageColumn,
];

const SCALE_UP = { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] };
const SCALE_DOWN = { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };

/** v2 defaults: 1 minimum replica, 80% CPU when no metrics are given, and full scaling rules when a behavior is given. */
function defaultV2(obj: ApiObject): void {
  const spec = child(obj as Record<string, unknown>, 'spec');
  spec.minReplicas ??= 1;
  if (!Array.isArray(spec.metrics) || spec.metrics.length === 0) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  }
  const behavior = spec.behavior as Record<string, Record<string, unknown> | undefined> | undefined;
  if (behavior) {
    for (const [dir, rules] of [['scaleUp', SCALE_UP], ['scaleDown', SCALE_DOWN]] as const) {
      const given = behavior[dir] ?? {};
      const filled: Record<string, unknown> = structuredClone(rules);
      for (const k of ['selectPolicy', 'stabilizationWindowSeconds', 'policies', 'tolerance']) if (given[k] !== undefined && given[k] !== null) filled[k] = given[k];
      behavior[dir] = filled;
    }
  }
  statusZeros(obj, { desiredReplicas: 0, currentMetrics: null });
}

/** The shared spec checks: bounds and the target reference. */
function boundsErrors(spec: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  const min = spec.minReplicas as number | undefined;
  const max = (spec.maxReplicas as number | undefined) ?? 0;
  if (min !== undefined && min < 1) errs.push(invalidValue('spec.minReplicas', min, 'must be greater than or equal to 1'));
  if (max < 1) errs.push(invalidValue('spec.maxReplicas', max, 'must be greater than 0'));
  if (min !== undefined && max < min) errs.push(invalidValue('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  const ref = objectAt(spec.scaleTargetRef);
  for (const k of ['kind', 'name'] as const) {
    const v = ref[k];
    if (!v) errs.push(required(`spec.scaleTargetRef.${k}`));
    else if (typeof v === 'string' && (v === '.' || v === '..' || /[/%]/.test(v))) errs.push(invalidValue(`spec.scaleTargetRef.${k}`, v, v.includes('/') ? "may not contain '/'" : v.includes('%') ? "may not contain '%'" : `may not be '${v}'`));
  }
  return errs;
}

/** Errors of one metric target. */
function targetErrors(path: string, t: Target | undefined): FieldError[] {
  const errs: FieldError[] = [];
  if (!t?.type) errs.push(required(`${path}.type`, 'must specify a metric target type'));
  if (!['Utilization', 'Value', 'AverageValue'].includes(t?.type ?? '')) errs.push(invalidValue(`${path}.type`, t?.type ?? '', 'must be either Utilization, Value, or AverageValue'));
  for (const k of ['value', 'averageValue'] as const) if (t?.[k] !== undefined && !(parseFloat(String(t[k])) > 0)) errs.push(invalidValue(`${path}.${k}`, t[k], 'must be positive'));
  if (t?.averageUtilization !== undefined && t.averageUtilization < 1) errs.push(invalidValue(`${path}.averageUtilization`, t.averageUtilization, 'must be greater than 0'));
  return errs;
}

/** Errors of the v2 metrics and behavior. */
function metricErrors(spec: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  ((spec.metrics as Metric[] | undefined) ?? []).forEach((m, i) => {
    const p = `spec.metrics[${i}]`;
    if (!m.type) errs.push(required(`${p}.type`, 'must specify a metric source type'));
    if (!SOURCES.includes(m.type ?? '')) errs.push(notSupported(`${p}.type`, m.type ?? '', SOURCES));
    const field = { ContainerResource: 'containerResource', External: 'external', Object: 'object', Pods: 'pods', Resource: 'resource' }[m.type ?? ''];
    if (field && !(m as Record<string, unknown>)[field]) errs.push(required(`${p}.${field}`, 'must populate information for the given metric source'));
    for (const other of ['object', 'pods', 'resource', 'containerResource', 'external'] as const) if (other !== field && m[other]) errs.push(forbiddenValue(`${p}.${other}`, 'must populate the given metric source only'));
    const src = field ? ((m as Record<string, unknown>)[field] as { name?: string; target?: Target; metric?: { name?: string } } | undefined) : undefined;
    if (!src) return;
    if (field === 'resource' || field === 'containerResource') {
      if (!src.name) errs.push(required(`${p}.${field}.name`, 'must specify a resource name'));
      if (src.target?.averageUtilization === undefined && src.target?.averageValue === undefined) errs.push(required(`${p}.${field}.target.averageUtilization`, 'must set either a target raw value or a target utilization'));
      if (src.target?.averageUtilization !== undefined && src.target?.averageValue !== undefined) errs.push(forbiddenValue(`${p}.${field}.target.averageValue`, 'may not set both a target raw value and a target utilization'));
    } else if (!src.metric?.name) errs.push(required(`${p}.${field}.metric.name`, 'must specify a metric name'));
    errs.push(...targetErrors(`${p}.${field}.target`, src.target));
  });
  const behavior = objectAt(spec.behavior);
  for (const dir of ['scaleUp', 'scaleDown'] as const) {
    const rules = behavior[dir] as { stabilizationWindowSeconds?: number; selectPolicy?: string; policies?: { type?: string; value?: number; periodSeconds?: number }[] } | undefined;
    if (!rules) continue;
    const p = `spec.behavior.${dir}`;
    const w = rules.stabilizationWindowSeconds;
    if (w !== undefined && w < 0) errs.push(invalidValue(`${p}.stabilizationWindowSeconds`, w, 'must be greater than or equal to zero'));
    if (w !== undefined && w > 3600) errs.push(invalidValue(`${p}.stabilizationWindowSeconds`, w, 'must be less than or equal to 3600'));
    if (rules.selectPolicy !== undefined && !['Disabled', 'Max', 'Min'].includes(rules.selectPolicy)) errs.push(notSupported(`${p}.selectPolicy`, rules.selectPolicy, ['Disabled', 'Max', 'Min']));
    if (!rules.policies?.length) errs.push(required(`${p}.policies`, 'must specify at least one Policy'));
    (rules.policies ?? []).forEach((pol, j) => {
      const pp = `${p}.policies[${j}]`;
      if (pol.type !== 'Pods' && pol.type !== 'Percent') errs.push(notSupported(`${pp}.type`, pol.type ?? '', ['Percent', 'Pods']));
      if ((pol.value ?? 0) <= 0) errs.push(invalidValue(`${pp}.value`, pol.value ?? 0, 'must be greater than zero'));
      if ((pol.periodSeconds ?? 0) <= 0) errs.push(invalidValue(`${pp}.periodSeconds`, pol.periodSeconds ?? 0, 'must be greater than zero'));
      if ((pol.periodSeconds ?? 0) > 1800) errs.push(invalidValue(`${pp}.periodSeconds`, pol.periodSeconds, 'must be less than or equal to 1800'));
    });
  }
  return errs;
}

const hpa = (version: 'v2' | 'v1', rest: Pick<ResourceType, 'defaults' | 'validate'>): ResourceType => ({
  group: 'autoscaling', version, kind: 'HorizontalPodAutoscaler', resource: 'horizontalpodautoscalers', singular: 'horizontalpodautoscaler', namespaced: true,
  shortNames: ['hpa'], categories: ['all'], schemaName: `${version === 'v2' ? V2 : V1}HorizontalPodAutoscaler`, subresources: { status: true },
  description: 'Scales a Deployment, StatefulSet or other object with a scale subresource up and down to keep metrics near their targets.',
  columns: hpaColumns(version === 'v1'),
  ...rest,
});

/** HorizontalPodAutoscaler (v2 preferred, then v1) and the Scale body. */
export const AUTOSCALING: TypeGroup = {
  resources: [
    hpa('v2', { defaults: defaultV2, validate: (obj) => [...boundsErrors(objectAt(obj.spec)), ...metricErrors(objectAt(obj.spec))] }),
    hpa('v1', {
      defaults(obj) {
        child(obj as Record<string, unknown>, 'spec').minReplicas ??= 1;
        statusZeros(obj, { currentReplicas: 0, desiredReplicas: 0 });
      },
      validate(obj) {
        const spec = objectAt(obj.spec);
        const cpu = spec.targetCPUUtilizationPercentage as number | undefined;
        return [...boundsErrors(spec), ...(cpu !== undefined && cpu < 1 ? [invalidValue('spec.targetCPUUtilizationPercentage', cpu, 'must be greater than 0')] : [])];
      },
    }),
  ],
  definitions: { ...V2_DEFINITIONS, ...V1_DEFINITIONS },
  bodyKinds: [{ apiVersion: 'autoscaling/v1', kind: 'Scale', schemaName: `${V1}Scale` }],
};
