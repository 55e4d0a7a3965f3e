import { describe, expect, it } from 'vitest';
import { podPhase, podStatus, qosClass, shouldRestart, type ContainerRecord, type ContainerView, type PodView } from './pod-status.js';
import type { Container, Pod } from './pod-types.js';

const rec = (over: Partial<ContainerRecord> = {}): ContainerRecord => ({
  id: 'abc',
  attempt: 0,
  running: true,
  exitCode: 0,
  oomKilled: false,
  startedAt: '2026-11-22T10:00:00Z',
  image: 'kubelab/busybox:1',
  imageId: 'docker://sha256:1',
  ...over,
});
const view = (over: Partial<ContainerView> = {}): ContainerView => ({ latest: rec(), ready: true, started: true, ...over });
const podOf = (containers: Container[], extra: Partial<Pod['spec']> = {}, status?: Pod['status']): Pod => ({ metadata: { name: 'p', namespace: 'ns', uid: 'u' }, spec: { containers, ...extra }, status });
const pv = (app: Record<string, ContainerView>, init: Record<string, ContainerView> = {}): PodView => ({ sandboxReady: true, podIP: '10.244.1.2', hostIP: '172.30.0.3', app: new Map(Object.entries(app)), init: new Map(Object.entries(init)) });

describe('pod status', () => {
  it.each([
    [[{ name: 'a' }], 'BestEffort'],
    [[{ name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' } } }], 'Guaranteed'],
    [[{ name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } } }], 'Guaranteed'],
    [[{ name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } } }], 'Burstable'],
    [[{ name: 'a', resources: { requests: { memory: '1Gi' } } }], 'Burstable'],
    [[{ name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' } } }, { name: 'b' }], 'Burstable'],
  ])('QoS class of %j is %s', (containers, want) => {
    expect(qosClass(podOf(containers as Container[]))).toBe(want);
  });

  it.each([
    ['Always', 0, true],
    ['Always', 1, true],
    ['OnFailure', 0, false],
    ['OnFailure', 2, true],
    ['Never', 1, false],
    [undefined, 0, true],
  ])('restart policy %s with exit %d restarts: %s', (policy, code, want) => {
    expect(shouldRestart(policy, code)).toBe(want);
  });

  it.each([
    ['a container never started', 'Always', { a: view({ latest: undefined }) }, 'Pending'],
    ['a running container', 'Always', { a: view() }, 'Running'],
    ['exited, restarting', 'Always', { a: view({ latest: rec({ running: false, exitCode: 1 }) }) }, 'Running'],
    ['exited 0 under OnFailure', 'OnFailure', { a: view({ latest: rec({ running: false, exitCode: 0 }) }) }, 'Succeeded'],
    ['exited 1 under OnFailure', 'OnFailure', { a: view({ latest: rec({ running: false, exitCode: 1 }) }) }, 'Running'],
    ['exited 1 under Never', 'Never', { a: view({ latest: rec({ running: false, exitCode: 1 }) }) }, 'Failed'],
    ['exited 0 under Never', 'Never', { a: view({ latest: rec({ running: false, exitCode: 0 }) }) }, 'Succeeded'],
  ])('phase with %s under %s', (_what, policy, app, want) => {
    const pod = podOf([{ name: 'a' }], { restartPolicy: policy });
    expect(podPhase(pod, pv(app), true)).toBe(want);
  });

  it('stays Pending while init containers run, Failed when one fails under Never, and keeps a terminal phase', () => {
    const pod = podOf([{ name: 'a' }], { initContainers: [{ name: 'i' }] });
    expect(podPhase(pod, pv({}, { i: view() }), false)).toBe('Pending');
    const never = podOf([{ name: 'a' }], { restartPolicy: 'Never', initContainers: [{ name: 'i' }] });
    expect(podPhase(never, pv({}, { i: view({ latest: rec({ running: false, exitCode: 2 }) }) }), false)).toBe('Failed');
    const done = podOf([{ name: 'a' }], {}, { phase: 'Succeeded' });
    expect(podPhase(done, pv({ a: view() }), true)).toBe('Succeeded');
  });

  it('reports a crash-looping container as waiting with its last termination, and readiness from probes', () => {
    const pod = podOf([{ name: 'a', image: 'img:1' }, { name: 'b', image: 'img:2' }]);
    const status = podStatus(
      pod,
      pv({
        a: view({ latest: rec({ id: 'x2', attempt: 2, running: false, exitCode: 3, finishedAt: '2026-11-22T10:00:05Z' }), previous: rec({ id: 'x1', attempt: 1 }), waiting: { reason: 'CrashLoopBackOff', message: 'back-off 20s' } }),
        b: view({ ready: false }),
      }),
      '2026-11-22T10:00:06Z',
    );
    const [a, b] = status.containerStatuses!;
    expect(a).toMatchObject({ name: 'a', image: 'img:1', ready: false, restartCount: 2, containerID: 'docker://x2', state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 20s' } } });
    expect(a!.lastState.terminated).toMatchObject({ exitCode: 3, reason: 'Error', containerID: 'docker://x2' });
    expect(b).toMatchObject({ ready: false, started: true, state: { running: { startedAt: '2026-11-22T10:00:00Z' } } });
    expect(status.phase).toBe('Running');
    const ready = status.conditions!.find((c) => c.type === 'Ready')!;
    expect(ready).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [a b]' });
    expect(status).toMatchObject({ podIP: '10.244.1.2', podIPs: [{ ip: '10.244.1.2' }], hostIP: '172.30.0.3', qosClass: 'BestEffort', startTime: '2026-11-22T10:00:06Z' });
  });

  it('keeps transition times and the start time while nothing changes, and the scheduler\'s condition', () => {
    const pod = podOf([{ name: 'a' }]);
    const first = podStatus({ ...pod, status: { conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: '2026-11-22T09:00:00Z' }] } }, pv({ a: view() }), '2026-11-22T10:00:00Z');
    const again = podStatus({ ...pod, status: first }, pv({ a: view() }), '2026-11-22T11:00:00Z');
    expect(again).toEqual(first);
    expect(again.conditions!.map((c) => `${c.type}=${c.status}`)).toEqual(['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True']);
    const unready = podStatus({ ...pod, status: first }, pv({ a: view({ ready: false }) }), '2026-11-22T11:00:00Z');
    expect(unready.conditions!.find((c) => c.type === 'Ready')!.lastTransitionTime).toBe('2026-11-22T11:00:00Z');
  });

  it('shows containers waiting behind init containers as PodInitializing, and a completed pod as not ready with PodCompleted', () => {
    const pod = podOf([{ name: 'a' }], { initContainers: [{ name: 'i' }] });
    const status = podStatus(pod, pv({}, { i: view() }), '2026-11-22T10:00:00Z');
    expect(status.containerStatuses![0]!.state).toEqual({ waiting: { reason: 'PodInitializing' } });
    expect(status.conditions!.find((c) => c.type === 'Initialized')).toMatchObject({ status: 'False', message: 'containers with incomplete status: [i]' });
    const done = podStatus(podOf([{ name: 'a' }], { restartPolicy: 'Never' }), pv({ a: view({ latest: rec({ running: false, exitCode: 0, finishedAt: '2026-11-22T10:00:01Z' }) }) }), '2026-11-22T10:00:02Z');
    expect(done.phase).toBe('Succeeded');
    expect(done.containerStatuses![0]!.state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(done.conditions!.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
  });
});
