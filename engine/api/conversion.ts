// Versions that share one store: objects are kept in one version (the storage version) and
// converted when read or written through another, as Kubernetes does for autoscaling/v1 and
// events.k8s.io/v1. Pure functions; lossless round trips keep what the other version cannot
// express in annotations, as upstream does for HPAs.
import type { ApiObject } from './resource-type.js';

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

/** How one served version maps to and from the stored one. */
export interface Conversion {
  /** The storage key resource shared with the storage version. */
  storageResource: string;
  toStored(obj: ApiObject): ApiObject;
  fromStored(obj: ApiObject): ApiObject;
}

const ANN = 'autoscaling.alpha.kubernetes.io/';

function parseAnnotation(ann: Record<string, string> | undefined, key: string): unknown[] | Rec | undefined {
  const raw = ann?.[`${ANN}${key}`];
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as unknown[] | Rec;
  } catch {
    return undefined;
  }
}

const isCpuUtilization = (m: Rec) => m.type === 'Resource' && isRec(m.resource) && m.resource.name === 'cpu' && isRec(m.resource.target) && m.resource.target.type === 'Utilization';
const isCpuCurrent = (m: Rec) => m.type === 'Resource' && isRec(m.resource) && m.resource.name === 'cpu' && isRec(m.resource.current) && m.resource.current.averageUtilization !== undefined;

/** autoscaling/v1 HorizontalPodAutoscaler ⇄ autoscaling/v2 (the storage version). */
export const HPA_V1: Conversion = {
  storageResource: 'autoscaling/horizontalpodautoscalers',
  toStored(obj) {
    const { metadata, spec = {}, status } = obj as { metadata: ApiObject['metadata']; spec?: Rec; status?: Rec };
    const annotations = { ...(metadata.annotations ?? {}) };
    const metrics = (parseAnnotation(annotations, 'metrics') as Rec[] | undefined) ?? [];
    const behavior = parseAnnotation(annotations, 'behavior');
    const conditions = parseAnnotation(annotations, 'conditions') as Rec[] | undefined;
    const currentMetrics = (parseAnnotation(annotations, 'current-metrics') as Rec[] | undefined) ?? [];
    for (const k of ['metrics', 'behavior', 'conditions', 'current-metrics']) delete annotations[`${ANN}${k}`];
    const { targetCPUUtilizationPercentage: cpu, ...restSpec } = spec;
    const out: Rec = {
      ...obj,
      apiVersion: 'autoscaling/v2',
      metadata: { ...metadata, ...(Object.keys(annotations).length ? { annotations } : {}) },
      spec: {
        ...restSpec,
        ...(cpu !== undefined || metrics.length ? { metrics: [...(cpu !== undefined ? [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpu } } }] : []), ...metrics] } : {}),
        ...(behavior ? { behavior } : {}),
      },
    };
    if (!Object.keys(annotations).length) delete (out.metadata as Rec).annotations;
    if (status) {
      const { currentCPUUtilizationPercentage: cur, ...restStatus } = status;
      out.status = {
        ...restStatus,
        ...(cur !== undefined || currentMetrics.length ? { currentMetrics: [...(cur !== undefined ? [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: cur } } }] : []), ...currentMetrics] } : {}),
        ...(conditions ? { conditions } : {}),
      };
    }
    return out as ApiObject;
  },
  fromStored(obj) {
    const { metadata, spec = {}, status } = obj as { metadata: ApiObject['metadata']; spec?: Rec; status?: Rec };
    const annotations: Record<string, string> = { ...(metadata.annotations ?? {}) };
    const { metrics: rawMetrics, behavior, ...restSpec } = spec as { metrics?: Rec[] | null; behavior?: Rec };
    const metrics = rawMetrics ?? [];
    const cpu = metrics.find(isCpuUtilization);
    const others = metrics.filter((m) => m !== cpu);
    if (others.length) annotations[`${ANN}metrics`] = JSON.stringify(others);
    if (behavior) annotations[`${ANN}behavior`] = JSON.stringify(behavior);
    const out: Rec = {
      ...obj,
      apiVersion: 'autoscaling/v1',
      spec: { ...restSpec, ...(cpu ? { targetCPUUtilizationPercentage: ((cpu.resource as Rec).target as Rec).averageUtilization } : {}) },
    };
    if (status) {
      const { currentMetrics: rawCurrent, conditions, ...restStatus } = status as { currentMetrics?: Rec[] | null; conditions?: Rec[] | null };
      const currentMetrics = rawCurrent ?? [];
      const cur = currentMetrics.find(isCpuCurrent);
      const rest = currentMetrics.filter((m) => m !== cur);
      if (rest.length) annotations[`${ANN}current-metrics`] = JSON.stringify(rest);
      if (conditions?.length) annotations[`${ANN}conditions`] = JSON.stringify(conditions);
      out.status = { ...restStatus, ...(cur ? { currentCPUUtilizationPercentage: ((cur.resource as Rec).current as Rec).averageUtilization } : {}) };
    }
    out.metadata = { ...metadata, ...(Object.keys(annotations).length ? { annotations } : {}) };
    return out as ApiObject;
  },
};

/** Field pairs between events.k8s.io/v1 Event and core/v1 Event (the storage version). */
const EVENT_FIELDS: Array<[events: string, core: string]> = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
  ['reportingController', 'reportingComponent'],
];

function renamed(obj: ApiObject, pairs: Array<[string, string]>, apiVersion: string): ApiObject {
  const out: Rec = { ...obj, apiVersion };
  for (const [from, to] of pairs) {
    delete out[from];
    if ((obj as Rec)[from] !== undefined) out[to] = (obj as Rec)[from];
  }
  return out as ApiObject;
}

/** events.k8s.io/v1 Event ⇄ core/v1 Event (the storage version): the same events under other names. */
export const EVENTS_V1: Conversion = {
  storageResource: 'events',
  toStored: (obj) => renamed(obj, EVENT_FIELDS, 'v1'),
  fromStored: (obj) => renamed(obj, EVENT_FIELDS.map(([a, b]) => [b, a]), 'events.k8s.io/v1'),
};
