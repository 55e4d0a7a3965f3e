import { describe, expect, it } from 'vitest';
import { EVENTS_V1, HPA_V1 } from './conversion.js';
import type { ApiObject } from './resource-type.js';

const v2: ApiObject = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'demo' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    minReplicas: 1,
    maxReplicas: 5,
    metrics: [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
      { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '200Mi' } } },
    ],
    behavior: { scaleDown: { stabilizationWindowSeconds: 30 } },
  },
  status: { currentReplicas: 2, desiredReplicas: 3, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 75 } } }], conditions: [{ type: 'AbleToScale', status: 'True' }] },
};

describe('autoscaling/v1 ⇄ v2', () => {
  it('shows the CPU target as v1 fields and keeps the rest in annotations', () => {
    const v1 = HPA_V1.fromStored(v2) as ApiObject & { spec: Record<string, unknown>; status: Record<string, unknown> };
    expect(v1.apiVersion).toBe('autoscaling/v1');
    expect(v1.spec).toEqual({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 60 });
    expect(v1.status).toEqual({ currentReplicas: 2, desiredReplicas: 3, currentCPUUtilizationPercentage: 75 });
    expect(JSON.parse(v1.metadata.annotations!['autoscaling.alpha.kubernetes.io/metrics']!)).toEqual([(v2.spec as { metrics: unknown[] }).metrics[1]]);
  });

  it('round-trips without loss', () => {
    expect(HPA_V1.toStored(HPA_V1.fromStored(v2))).toEqual(v2);
  });

  it('turns a v1 target into a v2 metric', () => {
    const v1: ApiObject = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'a' }, spec: { maxReplicas: 3, targetCPUUtilizationPercentage: 50 } };
    expect((HPA_V1.toStored(v1).spec as { metrics: unknown[] }).metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }]);
  });
});

describe('events.k8s.io/v1 ⇄ core/v1 Event', () => {
  const core: ApiObject = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e' }, involvedObject: { kind: 'Pod', name: 'p' }, message: 'pulled', reason: 'Pulled', type: 'Normal', count: 2, source: { component: 'kubelet' }, reportingComponent: 'kubelet' };
  it('renames the fields both ways', () => {
    const ev = EVENTS_V1.fromStored(core);
    expect(ev).toEqual({ apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'e' }, regarding: { kind: 'Pod', name: 'p' }, note: 'pulled', reason: 'Pulled', type: 'Normal', deprecatedCount: 2, deprecatedSource: { component: 'kubelet' }, reportingController: 'kubelet' });
    expect(EVENTS_V1.toStored(ev)).toEqual(core);
  });
});
