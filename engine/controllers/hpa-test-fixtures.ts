// Small builders for the HPA's table tests: pods as the node agent reports them, PodMetrics as
// the metrics API serves them, and HPAs as the apiserver stores them (defaults applied).
import type { PodMetrics } from './hpa-metrics.js';
import type { PodSamples } from './hpa-metrics.js';
import type { Hpa, MetricSpec } from './hpa-types.js';
import type { ScalingBehavior } from './hpa-normalize.js';
import type { Pod } from './workload-util.js';

/** A fixed "now" for the tables: 2025-01-01T00:10:00Z. */
export const NOW = Date.parse('2025-01-01T00:10:00Z');
const at = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

/** How a test pod looks. */
export interface PodOpts {
  /** Pod phase (default Running). */
  phase?: string;
  /** Ready condition status (default True); null for none. */
  ready?: 'True' | 'False' | null;
  /** ms before NOW the pod started (default 10 min) and its Ready condition last changed (default 9 min). */
  startedAgo?: number;
  readySinceAgo?: number;
  deleting?: boolean;
  /** Requests of the one container `app` (default cpu 1, memory 1Gi); null for none. */
  requests?: Record<string, string> | null;
  labels?: Record<string, string>;
  spec?: Record<string, unknown>;
}

/** A pod labelled app=web (unless `labels` say otherwise). */
export function pod(name: string, o: PodOpts = {}): Pod {
  const requests = o.requests === undefined ? { cpu: '1', memory: '1Gi' } : o.requests;
  const conditions = o.ready === null ? [] : [{ type: 'Ready', status: o.ready ?? 'True', lastTransitionTime: at(NOW - (o.readySinceAgo ?? 9 * 60_000)) }];
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: o.labels ?? { app: 'web' }, ...(o.deleting ? { deletionTimestamp: at(NOW) } : {}) },
    spec: { containers: [{ name: 'app', image: 'busybox', ...(requests ? { resources: { requests } } : {}) }], ...o.spec },
    status: { phase: o.phase ?? 'Running', startTime: at(NOW - (o.startedAgo ?? 10 * 60_000)), conditions },
  };
}

/** Samples (milli-units) by pod name, all taken at NOW over 15 s. */
export function samples(values: Record<string, number>, timestamp = NOW): PodSamples {
  return new Map(Object.entries(values).map(([k, v]) => [k, { value: v, timestamp, windowMs: 15_000 }]));
}

/** A PodMetrics item with one container per entry of `containers` (name → usage). */
export function podMetrics(name: string, containers: Record<string, Record<string, string>>, timestamp = NOW): PodMetrics {
  return {
    metadata: { name, namespace: 'default' },
    timestamp: at(timestamp),
    window: '15s',
    containers: Object.entries(containers).map(([c, usage]) => ({ name: c, usage })),
  };
}

/** An autoscaling/v2 HPA on Deployment web in default. */
export function hpa(o: { min?: number; max?: number; metrics?: MetricSpec[]; behavior?: ScalingBehavior; status?: Hpa['status'] } = {}): Hpa {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'default', uid: 'uid-hpa', generation: 1 },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: o.min ?? 1,
      maxReplicas: o.max ?? 10,
      metrics: o.metrics ?? [cpuUtilization(50)],
      ...(o.behavior ? { behavior: o.behavior } : {}),
    },
    ...(o.status ? { status: o.status } : {}),
  };
}

/** A Resource metric on cpu with a Utilization target. */
export const cpuUtilization = (percent: number): MetricSpec => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: percent } } });

/** A Resource metric on memory with an AverageValue target. */
export const memoryAverage = (value: string): MetricSpec => ({ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: value } } });
