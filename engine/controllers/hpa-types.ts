// The autoscaling/v2 HorizontalPodAutoscaler as the HPA controller reads and writes it, and the
// draft of one sync: the conditions it sets (keeping lastTransitionTime unless the status
// flips, as upstream's setCondition does) and the events it will record.
import type { ApiObject, ObjectMeta } from '../api/resource-type.js';
import type { LabelSelector } from './workload-util.js';
import type { ScalingBehavior } from './hpa-normalize.js';
import { rfc3339 } from './workload-util.js';

/** A metric's target. */
export interface MetricTarget {
  type?: string;
  value?: string;
  averageValue?: string;
  averageUtilization?: number;
}

/** A metric's name and optional selector. */
export interface MetricIdentifier {
  name: string;
  selector?: LabelSelector;
}

/** A reference to an object by kind, name and API version. */
export interface ObjectRef {
  kind: string;
  name: string;
  apiVersion?: string;
}

/** One entry of spec.metrics. */
export interface MetricSpec {
  type: string;
  resource?: { name: string; target: MetricTarget };
  containerResource?: { name: string; container: string; target: MetricTarget };
  pods?: { metric: MetricIdentifier; target: MetricTarget };
  object?: { describedObject: ObjectRef; metric: MetricIdentifier; target: MetricTarget };
  external?: { metric: MetricIdentifier; target: MetricTarget };
}

/** A value read for a metric. */
export interface MetricValueStatus {
  value?: string;
  averageValue?: string;
  averageUtilization?: number;
}

/** One entry of status.currentMetrics; `{ type: '' }` for a metric that could not be read, as upstream writes it. */
export interface MetricStatus {
  type: string;
  resource?: { name: string; current: MetricValueStatus };
  containerResource?: { name: string; container: string; current: MetricValueStatus };
}

/** An HPA condition. */
export interface HpaCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** status of an autoscaling/v2 HPA. */
export interface HpaStatus {
  observedGeneration?: number;
  lastScaleTime?: string;
  currentReplicas?: number;
  desiredReplicas?: number;
  currentMetrics?: MetricStatus[] | null;
  conditions?: HpaCondition[] | null;
}

/** An autoscaling/v2 HorizontalPodAutoscaler. */
export interface Hpa extends ApiObject {
  metadata: ObjectMeta;
  spec: {
    scaleTargetRef: ObjectRef;
    minReplicas?: number;
    maxReplicas: number;
    metrics?: MetricSpec[] | null;
    behavior?: ScalingBehavior | null;
  };
  status?: HpaStatus;
}

/** What the scale subresource said about the target. */
export interface ScaleView {
  specReplicas: number;
  statusReplicas: number;
  selector: string;
}

/** An event the sync will record about the HPA. */
export interface HpaEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** The conditions and events one sync builds up before it writes anything. */
export class SyncDraft {
  readonly events: HpaEvent[] = [];
  conditions: HpaCondition[];

  constructor(
    start: HpaCondition[] | null | undefined,
    private readonly now: number,
  ) {
    this.conditions = (start ?? []).map((c) => ({ ...c }));
  }

  /** Sets a condition; lastTransitionTime changes only when its status does. */
  set(type: string, status: 'True' | 'False', reason: string, message: string): void {
    let c = this.conditions.find((x) => x.type === type);
    if (!c) this.conditions.push((c = { type, status: '' }));
    if (c.status !== status) c.lastTransitionTime = rfc3339(this.now);
    c.status = status;
    c.reason = reason;
    c.message = message;
  }

  /** Queues a Warning event. */
  warn(reason: string, message: string): void {
    this.events.push({ type: 'Warning', reason, message });
  }

  /** Queues a Normal event. */
  normal(reason: string, message: string): void {
    this.events.push({ type: 'Normal', reason, message });
  }
}
