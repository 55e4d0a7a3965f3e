import { describe, expect, it } from 'vitest';
import { logContainer, logStatusProblem, type LogPod } from './pod-log.js';

const spec = { containers: [{ name: 'app' }, { name: 'side' }], initContainers: [{ name: 'setup' }] };

describe('logContainer', () => {
  it.each([
    [{ spec: { containers: [{ name: 'only' }] } }, null, 'only'],
    [{ spec }, 'side', 'side'],
    [{ spec }, 'setup', 'setup'],
  ])('picks the container (%#)', (pod, asked, want) => {
    expect(logContainer(pod as LogPod, 'p', asked)).toBe(want);
  });

  it.each([
    [{ spec }, null, 'a container name must be specified for pod p, choose one of: [app side] or one of the init containers: [setup]'],
    [{ spec: { containers: [{ name: 'a' }, { name: 'b' }] } }, '', 'a container name must be specified for pod p, choose one of: [a b]'],
    [{ spec }, 'nope', 'container nope is not valid for pod p'],
  ])('refuses (%#)', (pod, asked, message) => {
    expect(() => logContainer(pod as LogPod, 'p', asked)).toThrow(message);
  });
});

describe('logStatusProblem', () => {
  const terminated = { containerID: 'docker://1' };
  const pod = (status: object): LogPod => ({ spec, status: { hostIP: '10.0.0.1', containerStatuses: [{ name: 'app', ...status }] } });
  it.each([
    ['running', pod({ state: { running: {} } }), false, undefined],
    ['terminated', pod({ state: { terminated } }), false, undefined],
    ['crash looping with a last state', pod({ state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated } }), false, undefined],
    ['creating', pod({ state: { waiting: { reason: 'ContainerCreating' } } }), false, 'container "app" in pod "p" is waiting to start: ContainerCreating'],
    ['pull failing', pod({ state: { waiting: { reason: 'ImagePullBackOff' } } }), false, 'container "app" in pod "p" is waiting to start: trying and failing to pull image'],
    ['image not pulled', pod({ state: { waiting: { reason: 'ErrImagePull' } } }), false, `container "app" in pod "p" is waiting to start: image can't be pulled`],
    ['no state yet', pod({}), false, 'container "app" in pod "p" is waiting to start - no logs yet'],
    ['previous without a last state', pod({ state: { running: {} } }), true, 'previous terminated container "app" in pod "p" not found'],
    ['previous with a last state', pod({ state: { running: {} }, lastState: { terminated } }), true, undefined],
    ['no status for it on a node', { spec, status: { hostIP: '10.0.0.1' } }, false, 'container "app" in pod "p" is not available'],
    ['no status and no node', { spec }, false, undefined],
  ])('%s', (_name, p, previous, want) => {
    expect(logStatusProblem(p as LogPod, 'p', 'app', previous)).toBe(want);
  });
});
