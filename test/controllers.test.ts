// The ReplicaSet, Deployment, node lifecycle and taint eviction controllers, run in-process on a
// real apiserver and etcd and driven with real kubectl. The test plays the node agent itself by
// writing pod status (Running, Ready) through pods/status and by renewing a hand-made Node's
// Lease: the real node agent is tested end-to-end elsewhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiObject } from '../engine/api/resource-type.js';
import { startTestApiServer, type TestApiServer } from './helpers/apiserver.js';
import { apiShorthands, startControllers, type InProcessControllers, type TestPod as Pod } from './helpers/in-process.js';

let api: TestApiServer;
let controllers: InProcessControllers;
const GRACE_S = 3;
const { ok, getJson, until, podsIn, eventsIn: events, setPodStatus, fakeNodeAgent } = apiShorthands(() => api, { untilMs: 30_000, pollMs: 200 });

const live = (pods: Pod[]) => pods.filter((p) => !p.metadata.deletionTimestamp);

beforeAll(async () => {
  api = await startTestApiServer();
  controllers = await startControllers(api, { nodeGraceMs: GRACE_S * 1000, nodePeriodMs: 500 });
  for (const ns of ['rs', 'deploy', 'recreate', 'nodes']) await ok(['create', 'namespace', ns]);
});

afterAll(async () => {
  await controllers?.stop();
  await api?.stop();
});

const RS = `
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: front}
spec:
  replicas: 3
  selector: {matchLabels: {app: front}}
  template:
    metadata: {labels: {app: front}}
    spec:
      containers: [{name: c, image: busybox}]
`;

describe.sequential('ReplicaSet controller', () => {
  it('creates the pods with owner references and events, then reports them ready', async () => {
    await ok(['-n', 'rs', 'apply', '-f', '-'], RS);
    const pods = await until('3 pods', async () => {
      const p = live(await podsIn('rs', 'app=front'));
      return p.length === 3 && p;
    });
    const rs = await getJson<ApiObject>('/apis/apps/v1/namespaces/rs/replicasets/front');
    for (const p of pods) {
      expect(p.metadata.name).toMatch(/^front-[a-z0-9]{5}$/);
      expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'front', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    }
    await until('SuccessfulCreate events', async () => (await events('rs')).filter((e) => e.reason === 'SuccessfulCreate' && /^Created pod: front-/.test(e.message)).length === 3);
    const stop = fakeNodeAgent('rs');
    try {
      await until('readyReplicas 3', async () => {
        const s = (await getJson<{ status: Record<string, number> }>('/apis/apps/v1/namespaces/rs/replicasets/front')).status;
        return s.readyReplicas === 3 && s.availableReplicas === 3 && s.replicas === 3 && s.fullyLabeledReplicas === 3 && s.observedGeneration === 1;
      });
      const out = await ok(['-n', 'rs', 'get', 'rs', 'front', '--no-headers']);
      expect(out).toMatch(/^front\s+3\s+3\s+3\s+/);
    } finally {
      stop();
    }
  });

  it('scales down deleting unscheduled pods first, and replaces a deleted pod', async () => {
    // One pod gets a node: it should survive the scale-down to 1.
    const pods = live(await podsIn('rs', 'app=front'));
    const bound = pods[0]!.metadata.name;
    const b = await api.raw('POST', `/api/v1/namespaces/rs/pods/${bound}/binding`, { body: JSON.stringify({ apiVersion: 'v1', kind: 'Binding', metadata: { name: bound }, target: { kind: 'Node', name: 'n1' } }) });
    expect(b.code, b.body).toBe(201);
    await ok(['-n', 'rs', 'scale', 'rs/front', '--replicas=1']);
    const left = await until('1 pod', async () => {
      const p = live(await podsIn('rs', 'app=front'));
      return p.length === 1 && p;
    });
    expect(left[0]!.metadata.name).toBe(bound);
    await until('SuccessfulDelete events', async () => (await events('rs')).filter((e) => e.reason === 'SuccessfulDelete' && /^Deleted pod: front-/.test(e.message)).length === 2);
    // Pods being deleted do not count: a replacement comes at once.
    await ok(['-n', 'rs', 'delete', 'pod', bound, '--wait=false']);
    await until('a replacement', async () => live(await podsIn('rs', 'app=front')).some((p) => p.metadata.name !== bound));
  });

  it('adopts a matching orphan and releases a pod whose labels stop matching', async () => {
    await ok(['-n', 'rs', 'scale', 'rs/front', '--replicas=2']);
    await until('2 pods', async () => live(await podsIn('rs', 'app=front')).length === 2);
    await ok(['-n', 'rs', 'run', 'orphan', '--image=busybox', '--labels=app=front']);
    // 3 matching pods for 2 replicas: the orphan is adopted and one pod goes.
    await until('2 pods again, all owned', async () => {
      const p = live(await podsIn('rs', 'app=front'));
      return p.length === 2 && p.every((x) => (x.metadata.ownerReferences as { name: string }[] | undefined)?.[0]?.name === 'front');
    });
    const victim = live(await podsIn('rs', 'app=front'))[0]!.metadata.name;
    await ok(['-n', 'rs', 'label', 'pod', victim, 'app=other', '--overwrite']);
    await until('released and replaced', async () => {
      const released = (await getJson<ApiObject>(`/api/v1/namespaces/rs/pods/${victim}`)).metadata.ownerReferences;
      return !released && live(await podsIn('rs', 'app=front')).length === 2;
    });
  });

  it('stops on a failed create with FailedCreate and ReplicaFailure, and recovers', async () => {
    const broken = RS.replace(/front/g, 'ghostly').replace('containers:', 'serviceAccountName: ghost\n      containers:');
    await ok(['-n', 'rs', 'apply', '-f', '-'], broken);
    await until('ReplicaFailure', async () => {
      const s = (await getJson<{ status: { conditions?: { type: string; status: string; reason: string; message: string }[] } }>('/apis/apps/v1/namespaces/rs/replicasets/ghostly')).status;
      return s.conditions?.some((c) => c.type === 'ReplicaFailure' && c.status === 'True' && c.reason === 'FailedCreate' && /serviceaccount "ghost" not found/.test(c.message));
    });
    const failed = (await events('rs')).filter((e) => e.reason === 'FailedCreate' && e.involvedObject.name === 'ghostly');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0]!.message).toMatch(/^Error creating: pods "ghostly-" is forbidden: error looking up service account rs\/ghost/);
    await ok(['-n', 'rs', 'create', 'serviceaccount', 'ghost']);
    await until('3 pods and no ReplicaFailure', async () => {
      const s = (await getJson<{ status: { replicas?: number; conditions?: unknown[] } }>('/apis/apps/v1/namespaces/rs/replicasets/ghostly')).status;
      return live(await podsIn('rs', 'app=ghostly')).length === 3 && s.replicas === 3 && !s.conditions;
    }, 60_000);
  });
});

type Rs = ApiObject & { spec: { replicas: number; template: { spec: { containers: { image: string }[] } } } };
const setsOf = async (ns: string) => (await getJson<{ items: Rs[] }>(`/apis/apps/v1/namespaces/${ns}/replicasets`)).items;
const revisionOf = (rs: Rs) => rs.metadata.annotations?.['deployment.kubernetes.io/revision'];

describe.sequential('Deployment controller', () => {
  const d = (args: string[], input?: string) => ok(['-n', 'deploy', ...args], input);
  let stopKubelet: () => void = () => {};
  beforeAll(() => {
    stopKubelet = fakeNodeAgent('deploy');
  });
  afterAll(() => stopKubelet());

  it('rolls out a new Deployment: rollout status, wait Available, events, revision 1', async () => {
    await d(['create', 'deployment', 'web', '--image=nginx:1.0', '--replicas=3']);
    const status = await d(['rollout', 'status', 'deployment/web', '--timeout=60s']);
    expect(status).toContain('deployment "web" successfully rolled out');
    await d(['wait', '--for=condition=Available', 'deployment/web', '--timeout=30s']);
    const sets = await setsOf('deploy');
    expect(sets).toHaveLength(1);
    const rs = sets[0]!;
    const hash = rs.metadata.labels?.['pod-template-hash'];
    expect(rs.metadata.name).toBe(`web-${hash}`);
    expect(revisionOf(rs)).toBe('1');
    expect(rs.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' });
    const dep = await getJson<ApiObject & { status: { conditions: { type: string; reason: string; message: string }[] } }>('/apis/apps/v1/namespaces/deploy/deployments/web');
    expect(dep.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    expect(dep.status).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
    expect(dep.status.conditions.find((c) => c.type === 'Progressing')).toMatchObject({ reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rs.metadata.name}" has successfully progressed.` });
    expect(dep.status.conditions.find((c) => c.type === 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
    expect((await events('deploy')).map((e) => e.message)).toContain(`Scaled up replica set ${rs.metadata.name} from 0 to 3`);
  });

  it('rolls out set image as a new revision and keeps the pod count within maxSurge', async () => {
    let maxPods = 0;
    const watch = setInterval(() => void podsIn('deploy').then((p) => (maxPods = Math.max(maxPods, live(p).length))), 50);
    try {
      await d(['set', 'image', 'deployment/web', 'nginx=nginx:1.1']);
      await d(['annotate', 'deployment/web', 'kubernetes.io/change-cause=to 1.1']);
      expect(await d(['rollout', 'status', 'deployment/web', '--timeout=60s'])).toContain('successfully rolled out');
    } finally {
      clearInterval(watch);
    }
    // 3 replicas, 25%: surge rounds up to 1, unavailable down to 0.
    expect(maxPods).toBeLessThanOrEqual(4);
    const sets = await until('change-cause on the new set', async () => {
      const l = await setsOf('deploy');
      return l.some((x) => x.metadata.annotations?.['kubernetes.io/change-cause']) && l;
    });
    expect(sets).toHaveLength(2);
    const fresh = sets.find((s) => s.spec.template.spec.containers[0]!.image === 'nginx:1.1')!;
    expect(revisionOf(fresh)).toBe('2');
    expect(fresh.metadata.annotations?.['kubernetes.io/change-cause']).toBe('to 1.1');
    expect(sets.find((s) => s !== fresh)!.spec.replicas).toBe(0);
    const history = await d(['rollout', 'history', 'deployment/web']);
    expect(history).toMatch(/^1\s+<none>$/m);
    expect(history).toMatch(/^2\s+to 1\.1$/m);
    expect(await d(['rollout', 'history', 'deployment/web', '--revision=1'])).toContain('nginx:1.0');
  });

  it('rolls back with rollout undo onto the existing ReplicaSet as a new revision', async () => {
    const before = await setsOf('deploy');
    const first = before.find((s) => revisionOf(s) === '1')!;
    expect(await d(['rollout', 'undo', 'deployment/web'])).toContain('rolled back');
    expect(await d(['rollout', 'status', 'deployment/web', '--timeout=60s'])).toContain('successfully rolled out');
    const after = await setsOf('deploy');
    expect(after).toHaveLength(2);
    const back = after.find((s) => s.metadata.uid === first.metadata.uid)!;
    expect(revisionOf(back)).toBe('3');
    expect(back.spec.replicas).toBe(3);
    expect(back.metadata.annotations?.['deployment.kubernetes.io/revision-history']).toBe('1');
    expect(await d(['rollout', 'undo', 'deployment/web', '--to-revision=2'])).toContain('rolled back');
    expect(await d(['rollout', 'status', 'deployment/web', '--timeout=60s'])).toContain('successfully rolled out');
    expect((await setsOf('deploy')).map(revisionOf).sort()).toEqual(['3', '4']);
  });

  it('pauses (scaling still applies, no rollout) and resumes', async () => {
    await d(['rollout', 'pause', 'deployment/web']);
    await until('DeploymentPaused', async () => {
      const dep = await getJson<{ status: { conditions: { type: string; reason: string }[] } }>('/apis/apps/v1/namespaces/deploy/deployments/web');
      return dep.status.conditions.some((c) => c.type === 'Progressing' && c.reason === 'DeploymentPaused');
    });
    await d(['set', 'image', 'deployment/web', 'nginx=nginx:1.2']);
    await d(['scale', 'deployment/web', '--replicas=5']);
    await until('5 pods', async () => live(await podsIn('deploy')).length === 5);
    await new Promise((r) => setTimeout(r, 500));
    expect(await setsOf('deploy')).toHaveLength(2);
    await d(['rollout', 'resume', 'deployment/web']);
    expect(await d(['rollout', 'status', 'deployment/web', '--timeout=60s'])).toContain('successfully rolled out');
    const sets = await setsOf('deploy');
    expect(sets).toHaveLength(3);
    const current = sets.find((s) => s.spec.template.spec.containers[0]!.image === 'nginx:1.2')!;
    expect(current.spec.replicas).toBe(5);
    expect(revisionOf(current)).toBe('5');
  });

  it('restarts, scales and trims history to revisionHistoryLimit', async () => {
    await d(['patch', 'deployment/web', '-p', '{"spec":{"revisionHistoryLimit":1}}']);
    await d(['rollout', 'restart', 'deployment/web']);
    expect(await d(['rollout', 'status', 'deployment/web', '--timeout=60s'])).toContain('successfully rolled out');
    await until('history trimmed to 1 old set', async () => (await setsOf('deploy')).length === 2);
    await d(['scale', 'deployment/web', '--replicas=2']);
    await until('2 pods', async () => live(await podsIn('deploy')).length === 2);
    expect(await d(['get', 'deployment', 'web', '--no-headers'])).toMatch(/^web\s+2\/2\s+2\s+2\s+/);
  });

  it('Recreate scales old pods to zero before the new set starts', async () => {
    const r = (args: string[]) => ok(['-n', 'recreate', ...args]);
    const stop = fakeNodeAgent('recreate');
    try {
      await r(['create', 'deployment', 'db', '--image=postgres:15', '--replicas=2']);
      await r(['patch', 'deployment/db', '--type=json', '-p', '[{"op":"replace","path":"/spec/strategy","value":{"type":"Recreate"}}]']);
      expect(await r(['rollout', 'status', 'deployment/db', '--timeout=60s'])).toContain('successfully rolled out');
      let mixed = false;
      const watch = setInterval(
        () =>
          void podsIn('recreate').then((p) => {
            const images = new Set(live(p).map((x) => (x.spec as { containers: { image: string }[] }).containers[0]!.image));
            if (images.size > 1) mixed = true;
          }),
        30,
      );
      try {
        await r(['set', 'image', 'deployment/db', 'postgres=postgres:16']);
        expect(await r(['rollout', 'status', 'deployment/db', '--timeout=60s'])).toContain('successfully rolled out');
      } finally {
        clearInterval(watch);
      }
      expect(mixed).toBe(false);
      expect(live(await podsIn('recreate')).length).toBe(2);
    } finally {
      stop();
    }
  });
});

describe.sequential('node lifecycle and taint eviction', () => {
  const now = () => new Date().toISOString();
  type Node = ApiObject & { spec?: { taints?: { key: string; effect: string; timeAdded?: string }[] }; status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] } };
  const node = () => getJson<Node>('/api/v1/nodes/lab-w1');
  const renew = async () => {
    const lease = await getJson<ApiObject & { spec: Record<string, unknown> }>('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/lab-w1');
    const body = JSON.stringify({ ...lease, spec: { ...lease.spec, renewTime: now().replace('Z', '000Z').replace(/\.(\d{3})000Z$/, '.$1000Z') } });
    const r = await api.raw('PUT', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/lab-w1', { body });
    expect(r.code, r.body).toBe(200);
  };

  it('marks a silent node Unknown and tainted, evicts pods after tolerationSeconds, and clears taints when it is back', async () => {
    const t = now().replace(/\.\d+Z$/, 'Z');
    const ready = { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: t, lastTransitionTime: t };
    const created = await api.raw('POST', '/api/v1/nodes', { body: JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'lab-w1' }, status: { conditions: [ready] } }) });
    expect(created.code, created.body).toBe(201);
    const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'lab-w1' }, spec: { holderIdentity: 'lab-w1', leaseDurationSeconds: 40, renewTime: '2020-01-01T00:00:00.000000Z' } };
    expect((await api.raw('POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', { body: JSON.stringify(lease) })).code).toBe(201);
    const pod = (name: string, tolerationSeconds?: number) =>
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name },
        spec: {
          nodeName: 'lab-w1',
          containers: [{ name: 'c', image: 'busybox' }],
          tolerations: [
            { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', ...(tolerationSeconds !== undefined ? { tolerationSeconds } : {}) },
            { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
          ],
        },
      });
    for (const [name, secs] of [['short', 2], ['forever', undefined]] as const) {
      const r = await api.raw('POST', '/api/v1/namespaces/nodes/pods', { body: pod(name, secs) });
      expect(r.code, r.body).toBe(201);
      await setPodStatus('nodes', name, { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: t }] });
    }
    // Heartbeats while the test says so: the node stays Ready and untainted.
    for (let i = 0; i < 8; i++) {
      await renew();
      await new Promise((r) => setTimeout(r, 500));
    }
    expect((await node()).status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect((await node()).spec?.taints ?? []).toEqual([]);
    // Silence: Unknown and tainted within the grace period (plus a monitor period).
    const silentSince = Date.now();
    const stale = await until('Unknown and tainted', async () => {
      const n = await node();
      const keys = (n.spec?.taints ?? []).map((x) => `${x.key}:${x.effect}`).sort();
      return n.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'Unknown' && keys.join() === 'node.kubernetes.io/unreachable:NoExecute,node.kubernetes.io/unreachable:NoSchedule' && n;
    }, 15_000);
    expect(Date.now() - silentSince).toBeLessThan((GRACE_S + 3) * 1000);
    expect(stale.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    expect(stale.spec?.taints?.find((x) => x.effect === 'NoExecute')?.timeAdded).toBeTruthy();
    await until('pods not ready', async () => {
      const pods = await podsIn('nodes');
      return pods.every((p) => p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'False');
    });
    // tolerationSeconds 2 runs from the taint's timeAdded; the pod that tolerates forever stays.
    const taintedAt = Date.parse(stale.spec!.taints!.find((x) => x.effect === 'NoExecute')!.timeAdded!);
    await until('short evicted', async () => (await getJson<Pod>('/api/v1/namespaces/nodes/pods/short')).metadata.deletionTimestamp, 10_000);
    expect(Date.now() - taintedAt).toBeGreaterThanOrEqual(1500);
    expect((await events('nodes')).some((e) => e.reason === 'TaintManagerEviction' && e.message === 'Marking for deletion Pod nodes/short')).toBe(true);
    expect((await getJson<Pod>('/api/v1/namespaces/nodes/pods/forever')).metadata.deletionTimestamp).toBeUndefined();
    // Heartbeats resume: Ready again and no taints.
    await renew();
    await until('taints cleared', async () => {
      const n = await node();
      return !(n.spec?.taints ?? []).length && n.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    }, 10_000);
  });

  it('taints an unschedulable node and force-deletes the pods of a deleted Node', async () => {
    await ok(['cordon', 'lab-w1']);
    await until('unschedulable taint', async () => (await node()).spec?.taints?.some((x) => x.key === 'node.kubernetes.io/unschedulable' && x.effect === 'NoSchedule'));
    await ok(['uncordon', 'lab-w1']);
    await until('unschedulable taint gone', async () => !(await node()).spec?.taints?.some((x) => x.key === 'node.kubernetes.io/unschedulable'));
    await ok(['delete', 'node', 'lab-w1']);
    await until('pods gone', async () => (await podsIn('nodes')).length === 0, 15_000);
  });
});
