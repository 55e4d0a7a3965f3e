import { describe, expect, it } from 'vitest';
import type { PodSpecJson } from '../api/types/pod-json.js';
import { ApiError } from './status.js';
import { bindPod } from './binding.js';
import { budgetVerdict, ignoresBudgets } from './eviction.js';
import { addDefaultTolerations, addTokenVolume, shouldAutomount, TOKEN_MOUNT_PATH } from './pod-admission.js';

const NOT_READY = 'node.kubernetes.io/not-ready';
const UNREACHABLE = 'node.kubernetes.io/unreachable';

describe('default tolerations', () => {
  it.each([
    ['none', [], [NOT_READY, UNREACHABLE]],
    ['not-ready NoExecute already', [{ key: NOT_READY, operator: 'Exists', effect: 'NoExecute' }], [UNREACHABLE]],
    ['not-ready with any effect', [{ key: NOT_READY, operator: 'Exists' }], [UNREACHABLE]],
    ['a NoSchedule toleration only', [{ key: NOT_READY, operator: 'Exists', effect: 'NoSchedule' }], [NOT_READY, UNREACHABLE]],
    ['everything (empty key)', [{ operator: 'Exists' }], []],
    ['every NoExecute taint', [{ operator: 'Exists', effect: 'NoExecute' }], []],
  ])('with %s adds %j', (_, tolerations, added) => {
    const spec = { tolerations: structuredClone(tolerations) } as PodSpecJson;
    addDefaultTolerations(spec, 42);
    expect(spec.tolerations!.slice(tolerations.length)).toEqual(added.map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 42 })));
  });
});

describe('service account token volume', () => {
  it('mounts one projected volume in every container and init container without a mount there', () => {
    const spec = {
      initContainers: [{ name: 'i', image: 'x' }],
      containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'x', volumeMounts: [{ name: 'own', mountPath: TOKEN_MOUNT_PATH }] }],
      volumes: [{ name: 'own', emptyDir: {} }],
    } as unknown as PodSpecJson;
    addTokenVolume(spec, 'kube-api-access-abcde');
    expect(spec.volumes!.map((v) => (v as { name: string }).name)).toEqual(['own', 'kube-api-access-abcde']);
    const mount = { name: 'kube-api-access-abcde', readOnly: true, mountPath: TOKEN_MOUNT_PATH };
    expect(spec.initContainers![0]!.volumeMounts).toEqual([mount]);
    expect(spec.containers![0]!.volumeMounts).toEqual([mount]);
    expect(spec.containers![1]!.volumeMounts).toEqual([{ name: 'own', mountPath: TOKEN_MOUNT_PATH }]);
  });

  it('adds nothing when every container mounts the path itself', () => {
    const spec = { containers: [{ name: 'b', image: 'x', volumeMounts: [{ name: 'own', mountPath: TOKEN_MOUNT_PATH }] }] } as unknown as PodSpecJson;
    addTokenVolume(spec);
    expect(spec.volumes).toBeUndefined();
  });

  it.each([
    [undefined, undefined, true],
    [undefined, false, false],
    [true, false, true],
    [false, true, false],
  ])('pod %s, account %s: automount %s', (pod, account, want) => {
    expect(shouldAutomount({ automountServiceAccountToken: pod } as PodSpecJson, { automountServiceAccountToken: account })).toBe(want);
  });
});

describe('binding', () => {
  it('sets the node once and marks the pod scheduled', () => {
    const pod = bindPod({ metadata: { name: 'p' }, spec: {}, status: { conditions: [{ type: 'PodScheduled', status: 'False' }] } }, 'n1', { a: 'b' });
    expect(pod.spec).toEqual({ nodeName: 'n1' });
    expect(pod.metadata.annotations).toEqual({ a: 'b' });
    expect((pod.status as { conditions: unknown[] }).conditions).toEqual([expect.objectContaining({ type: 'PodScheduled', status: 'True' })]);
    expect(() => bindPod(pod, 'n2')).toThrow('pod p is already assigned to node "n1"');
    expect(() => bindPod({ metadata: { name: 'q', deletionTimestamp: 'x' }, spec: {} }, 'n1')).toThrow('is being deleted');
  });
});

describe('eviction budgets', () => {
  const ready = { metadata: {}, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } };
  const unready = { metadata: {}, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] } };
  const pdb = (status: Record<string, number>, policy?: string) => ({ metadata: { name: 'b', generation: 1 }, spec: { unhealthyPodEvictionPolicy: policy }, status: { observedGeneration: 1, ...status } });
  const code = (fn: () => unknown) => {
    try {
      fn();
      return 0;
    } catch (err) {
      return (err as ApiError).status.code;
    }
  };

  it.each([
    ['Pending', true],
    ['Succeeded', true],
    ['Failed', true],
    ['Running', false],
  ])('a %s pod skips budgets: %s', (phase, skip) => {
    expect(ignoresBudgets({ metadata: {}, status: { phase } })).toBe(skip);
  });

  it('allows while disruptions are left and refuses with 429 otherwise', () => {
    expect(budgetVerdict(pdb({ disruptionsAllowed: 1 }), ready)).toBe('allow');
    expect(code(() => budgetVerdict(pdb({ disruptionsAllowed: 0 }), ready))).toBe(429);
    expect(code(() => budgetVerdict({ ...pdb({ disruptionsAllowed: 1 }), status: { disruptionsAllowed: 1, observedGeneration: 0 } }, ready))).toBe(429);
    expect(code(() => budgetVerdict(pdb({ disruptionsAllowed: -1 }), ready))).toBe(403);
  });

  it('lets unhealthy pods go when the budget is met or the policy says always', () => {
    expect(budgetVerdict(pdb({ disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2 }), unready)).toBe('free');
    expect(code(() => budgetVerdict(pdb({ disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 2 }), unready))).toBe(429);
    expect(budgetVerdict(pdb({ disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 2 }, 'AlwaysAllow'), unready)).toBe('free');
  });
});
