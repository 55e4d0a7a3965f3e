import { describe, expect, it } from 'vitest';
import { EventRecorder } from './event-recorder.js';

function fakeClient() {
  const calls: Array<[string, string, Record<string, unknown>]> = [];
  return {
    calls,
    client: {
      create: async (path: string, body: unknown) => (calls.push(['create', path, body as Record<string, unknown>]), {}),
      patch: async (path: string, body: unknown) => (calls.push(['patch', path, body as Record<string, unknown>]), {}),
    },
  };
}

const pod = { kind: 'Pod', namespace: 'ns', name: 'p', uid: 'u1' };

describe('event recorder', () => {
  it('writes a repeat at most once per interval, counting every occurrence on the event written', async () => {
    let now = 1_000_000;
    const { calls, client } = fakeClient();
    const rec = new EventRecorder(client as never, { component: 'default-scheduler', instance: 'default-scheduler-x' }, { minRepeatMs: 60_000, now: () => now });
    await rec.record(pod, 'Warning', 'FailedScheduling', 'no room', 'Scheduling');
    now += 59_999;
    await rec.record(pod, 'Warning', 'FailedScheduling', 'no room', 'Scheduling');
    expect(calls).toHaveLength(1);
    expect(calls[0]![2]).toMatchObject({ reason: 'FailedScheduling', type: 'Warning', action: 'Scheduling', count: 1, source: { component: 'default-scheduler' }, reportingInstance: 'default-scheduler-x', involvedObject: { kind: 'Pod', name: 'p', uid: 'u1' } });
    now += 1;
    await rec.record(pod, 'Warning', 'FailedScheduling', 'no room', 'Scheduling');
    expect(calls[1]![0]).toBe('patch');
    expect(calls[1]![1]).toBe(`/api/v1/namespaces/ns/events/${(calls[0]![2].metadata as { name: string }).name}`);
    expect(calls[1]![2]).toMatchObject({ count: 3 });
    await rec.record(pod, 'Warning', 'FailedScheduling', 'another reason', 'Scheduling');
    expect(calls[2]![0]).toBe('create');
  });

  it('writes every repeat by default, names the container by field path, and starts over after forget', async () => {
    const { calls, client } = fakeClient();
    const rec = new EventRecorder(client as never, { component: 'kubelet', host: 'n1' });
    const target = { ...pod, fieldPath: 'spec.containers{web}' };
    await rec.record(target, 'Normal', 'Pulled', 'present');
    await rec.record(target, 'Normal', 'Pulled', 'present');
    expect(calls.map((c) => c[0])).toEqual(['create', 'patch']);
    expect(calls[0]![2]).toMatchObject({ source: { component: 'kubelet', host: 'n1' }, reportingInstance: 'n1', involvedObject: { fieldPath: 'spec.containers{web}' } });
    rec.forget('u1');
    await rec.record(target, 'Normal', 'Pulled', 'present');
    expect(calls.map((c) => c[0])).toEqual(['create', 'patch', 'create']);
  });

  it('records about API objects of any kind', async () => {
    const { calls, client } = fakeClient();
    const rec = new EventRecorder(client as never, { component: 'deployment-controller' });
    rec.event({ metadata: { name: 'web', namespace: 'shop', uid: 'd1' } }, ['apps/v1', 'Deployment'], 'Normal', 'ScalingReplicaSet', 'Scaled up replica set web-1 from 0 to 3');
    await new Promise((r) => setTimeout(r, 0));
    expect(calls[0]![1]).toBe('/api/v1/namespaces/shop/events');
    expect(calls[0]![2]).toMatchObject({ involvedObject: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd1' }, reason: 'ScalingReplicaSet' });
  });
});
