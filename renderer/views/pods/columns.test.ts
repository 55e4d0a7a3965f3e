import { describe, expect, it } from 'vitest';
import type { ContainerStatus, Pod } from '../../api/types';
import { podIP, podSummary, podTone, restartsText, statusTone, POD_COLUMNS } from './columns';

const running = (name: string, ready = true, restartCount = 0, extra: Partial<ContainerStatus> = {}): ContainerStatus => ({
  name,
  ready,
  restartCount,
  state: { running: { startedAt: '2024-01-01T00:00:00Z' } },
  ...extra,
});

function pod(status: Pod['status'], spec: Pod['spec'] = { containers: [{ name: 'app' }] }, meta: Partial<Pod['metadata']> = {}): Pod {
  return { metadata: { name: 'p', namespace: 'default', uid: Math.random().toString(), ...meta }, spec, status };
}

describe('podSummary', () => {
  it.each<{ name: string; pod: Pod; ready: string; status: string; restarts: number }>([
    { name: 'running and ready', pod: pod({ phase: 'Running', containerStatuses: [running('app')] }), ready: '1/1', status: 'Running', restarts: 0 },
    { name: 'pending with no statuses', pod: pod({ phase: 'Pending' }), ready: '0/1', status: 'Pending', restarts: 0 },
    {
      name: 'container creating',
      pod: pod({ phase: 'Pending', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] }),
      ready: '0/1',
      status: 'ContainerCreating',
      restarts: 0,
    },
    {
      name: 'crash loop',
      pod: pod({
        phase: 'Running',
        containerStatuses: [
          { name: 'app', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, finishedAt: '2024-01-01T00:10:00Z' } } },
        ],
      }),
      ready: '0/1',
      status: 'CrashLoopBackOff',
      restarts: 4,
    },
    {
      name: 'terminated without a reason shows the exit code',
      pod: pod({ phase: 'Failed', containerStatuses: [{ name: 'app', restartCount: 0, state: { terminated: { exitCode: 3 } } }] }),
      ready: '0/1',
      status: 'ExitCode:3',
      restarts: 0,
    },
    {
      name: 'completed job pod',
      pod: pod({ phase: 'Succeeded', containerStatuses: [{ name: 'app', restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }),
      ready: '0/1',
      status: 'Completed',
      restarts: 0,
    },
    {
      name: 'one of two ready',
      pod: pod({ phase: 'Running', containerStatuses: [running('a'), running('b', false)] }, { containers: [{ name: 'a' }, { name: 'b' }] }),
      ready: '1/2',
      status: 'Running',
      restarts: 0,
    },
    {
      name: 'init container running',
      pod: pod(
        { phase: 'Pending', initContainerStatuses: [{ name: 'init', restartCount: 0, state: { running: {} } }], containerStatuses: [] },
        { initContainers: [{ name: 'init' }], containers: [{ name: 'app' }] },
      ),
      ready: '0/1',
      status: 'Init:0/1',
      restarts: 0,
    },
    {
      name: 'init container failing',
      pod: pod(
        { phase: 'Pending', initContainerStatuses: [{ name: 'init', restartCount: 2, state: { terminated: { exitCode: 1, reason: 'Error' } } }] },
        { initContainers: [{ name: 'init' }], containers: [{ name: 'app' }] },
      ),
      ready: '0/1',
      status: 'Init:Error',
      restarts: 2,
    },
    {
      name: 'sidecar init container counts as a container',
      pod: pod(
        { phase: 'Running', initContainerStatuses: [{ name: 'side', ready: true, started: true, restartCount: 0, state: { running: {} } }], containerStatuses: [running('app')] },
        { initContainers: [{ name: 'side', restartPolicy: 'Always' }], containers: [{ name: 'app' }] },
      ),
      ready: '2/2',
      status: 'Running',
      restarts: 0,
    },
    {
      name: 'terminating',
      pod: pod({ phase: 'Running', containerStatuses: [running('app')] }, undefined, { deletionTimestamp: '2024-01-01T00:00:00Z' }),
      ready: '1/1',
      status: 'Terminating',
      restarts: 0,
    },
    { name: 'evicted', pod: pod({ phase: 'Failed', reason: 'Evicted' }), ready: '0/1', status: 'Evicted', restarts: 0 },
  ])('$name', ({ pod: p, ready, status, restarts }) => {
    const s = podSummary(p);
    expect(`${s.ready}/${s.total}`).toBe(ready);
    expect(s.status).toBe(status);
    expect(s.restarts).toBe(restarts);
  });
});

describe('restartsText', () => {
  it('adds how long ago the last restart was', () => {
    expect(restartsText({ ready: 0, total: 1, status: 'x', restarts: 4, lastRestart: '2024-01-01T00:10:00Z' }, Date.parse('2024-01-01T00:12:00Z'))).toBe('4 (2m ago)');
    expect(restartsText({ ready: 0, total: 1, status: 'x', restarts: 0 }, 0)).toBe('0');
  });
});

describe('statusTone', () => {
  it.each([
    ['Running', 1, 1, 'ok'],
    ['Running', 0, 1, 'warn'],
    ['CrashLoopBackOff', 0, 1, 'bad'],
    ['ImagePullBackOff', 0, 1, 'bad'],
    ['ErrImagePull', 0, 1, 'bad'],
    ['Error', 0, 1, 'bad'],
    ['OOMKilled', 0, 1, 'bad'],
    ['Completed', 0, 1, 'muted'],
    ['Pending', 0, 1, 'progress'],
    ['ContainerCreating', 0, 1, 'progress'],
    ['Terminating', 1, 1, 'progress'],
    ['Init:0/1', 0, 1, 'progress'],
    ['Init:Error', 0, 1, 'bad'],
  ] as const)('%s %d/%d → %s', (status, ready, total, tone) => {
    expect(statusTone(status, ready, total)).toBe(tone);
  });
});

describe('pod columns', () => {
  it('show what kubectl get pods -o wide shows', () => {
    const p = pod({ phase: 'Running', podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }], containerStatuses: [running('app')] }, { nodeName: 'dev-worker', containers: [{ name: 'app' }] }, { creationTimestamp: '2024-01-01T00:00:00Z' });
    const now = Date.parse('2024-01-01T00:00:45Z');
    expect(POD_COLUMNS.map((c) => c.header)).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node']);
    expect(POD_COLUMNS.map((c) => c.text(p, now))).toEqual(['p', '1/1', 'Running', '0', '45s', '10.244.1.5', 'dev-worker']);
    expect(podTone(p)).toBe('ok');
  });
  it('print <none> for a pod without IP or node', () => {
    const p = pod({ phase: 'Pending' });
    expect(podIP(p)).toBeUndefined();
    expect(POD_COLUMNS.slice(5).map((c) => c.text(p, 0))).toEqual(['<none>', '<none>']);
  });
});
