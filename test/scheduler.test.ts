// The scheduler core against a real apiserver on real etcd, with hand-made Node objects (no node
// agent runs the pods): placement, FailedScheduling as kubectl describe shows it, retries when
// nodes appear, bursts without double-booking, binding, eviction with budgets, kubectl drain, and
// pod admission (service account, token volume, default tolerations).
import { eventually } from './helpers/eventually.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestClient } from '../engine/client/rest-client.js';
import { startScheduling, type Scheduling } from '../engine/scheduler/scheduler-loop.js';
import { startTestApiServer, type TestApiServer } from './helpers/apiserver.js';
import { kubectl } from './helpers/kubectl.js';

let api: TestApiServer;
let client: RestClient;
let schedulerClient: RestClient;
let scheduling: Scheduling;
const NS = 'sched';

type Obj = { metadata: { name: string; namespace?: string; uid?: string; deletionTimestamp?: string; labels?: Record<string, string> }; spec?: Record<string, any>; status?: Record<string, any> };

function node(name: string, opts: { labels?: Record<string, string>; taints?: unknown[]; cpu?: string; pods?: string } = {}): Obj {
  const capacity = { cpu: opts.cpu ?? '4', memory: '8Gi', pods: opts.pods ?? '110' };
  return {
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...opts.labels } },
    spec: { ...(opts.taints ? { taints: opts.taints } : {}) },
    status: { capacity, allocatable: capacity, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ready', lastHeartbeatTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }] },
  };
}

function pod(name: string, spec: Record<string, unknown> = {}, labels: Record<string, string> = {}): Obj {
  return { metadata: { name, labels }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }], terminationGracePeriodSeconds: 0, ...spec } };
}

const podsPath = (ns = NS) => `/api/v1/namespaces/${ns}/pods`;
const getPod = (name: string, ns = NS) => client.get<Obj>(`${podsPath(ns)}/${name}`);

const until = <T>(what: string, fn: () => Promise<T | undefined | false>, ms = 10_000): Promise<T> => eventually(what, fn, ms, 50);

const boundTo = (name: string, ns = NS) => until(`pod ${ns}/${name} bound`, async () => (await getPod(name, ns)).spec?.nodeName as string | undefined);

async function podsOn(nodeName: string): Promise<Obj[]> {
  const list = await client.list<Obj>('/api/v1/pods', { fieldSelector: `spec.nodeName=${nodeName}` });
  return list.items;
}

describe.sequential('the scheduler', () => {
  beforeAll(async () => {
    api = await startTestApiServer();
    const cert = api.clientCert('system:kube-scheduler', ['system:masters']);
    client = new RestClient({ server: `https://127.0.0.1:${api.port}`, ca: api.ca.cert, cert: api.admin.cert, key: api.admin.key, userAgent: 'scheduler-test' });
    schedulerClient = new RestClient({ server: `https://127.0.0.1:${api.port}`, ca: api.ca.cert, cert: cert.cert, key: cert.key, userAgent: 'kube-scheduler' });
    await client.create('/api/v1/nodes', node('cp', { labels: { 'node-role.kubernetes.io/control-plane': '' }, taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }));
    await client.create('/api/v1/nodes', node('w1'));
    await client.create('/api/v1/nodes', node('w2'));
    await client.create('/api/v1/namespaces', { metadata: { name: NS } });
    scheduling = startScheduling(schedulerClient);
    await scheduling.synced;
  }, 60_000);

  afterAll(async () => {
    await scheduling?.stop();
    schedulerClient?.close();
    client?.close();
    await api?.stop();
  });

  it('lets system:masters (the scheduler\'s group) bind pods', async () => {
    const r = await kubectl(api.kubeconfig, ['auth', 'can-i', 'create', 'pods/binding', '--as=system:kube-scheduler', '--as-group=system:masters', '-n', NS]);
    expect(r.stdout.trim()).toBe('yes');
  });

  it('binds pods to the workers, spreading them, never to the tainted control plane', async () => {
    for (let i = 0; i < 4; i++) await client.create(podsPath(), pod(`spread-${i}`, {}, { app: 'spread' }));
    const nodes = await Promise.all([0, 1, 2, 3].map((i) => boundTo(`spread-${i}`)));
    expect(new Set(nodes)).toEqual(new Set(['w1', 'w2']));
    const p = await getPod('spread-0');
    expect(p.status?.conditions).toContainEqual(expect.objectContaining({ type: 'PodScheduled', status: 'True' }));
    const events = await client.list<Obj & { reason?: string; message?: string; source?: { component?: string }; type?: string }>(`/api/v1/namespaces/${NS}/events`, {
      fieldSelector: `involvedObject.name=spread-0`,
    });
    expect(events.items).toContainEqual(expect.objectContaining({ reason: 'Scheduled', type: 'Normal', source: { component: 'default-scheduler' }, message: `Successfully assigned ${NS}/spread-0 to ${nodes[0]}` }));
  });

  it('leaves a pod no node can take Pending, with FailedScheduling as kubectl describe shows it', async () => {
    await client.create(podsPath(), pod('huge', { containers: [{ name: 'c', image: 'busybox:1.36', resources: { requests: { cpu: '64' } } }] }));
    const cond = await until('PodScheduled=False', async () => (await getPod('huge')).status?.conditions?.find((c: { type: string; status: string }) => c.type === 'PodScheduled' && c.status === 'False'));
    expect(cond).toMatchObject({ reason: 'Unschedulable' });
    expect(cond.message).toMatch(/^0\/3 nodes are available: 1 node\(s\) had untolerated taint \{node-role.kubernetes.io\/control-plane: \}, 2 Insufficient cpu\./);
    const describe = await until('FailedScheduling in describe', async () => {
      const r = await kubectl(api.kubeconfig, ['-n', NS, 'describe', 'pod', 'huge']);
      return r.stdout.includes('FailedScheduling') && r.stdout;
    });
    expect(describe).toMatch(/Warning\s+FailedScheduling\s+.*default-scheduler\s+0\/3 nodes are available: .*2 Insufficient cpu/);
    expect(describe).toMatch(/Status:\s+Pending/);
    expect((await getPod('huge')).spec?.nodeName).toBeUndefined();
  });

  it('binds a pod whose nodeSelector matches no node once a matching node is added', async () => {
    await client.create(podsPath(), pod('picky', { nodeSelector: { disk: 'ssd' } }));
    const msg = await until('FailedScheduling event', async () => {
      const { items } = await client.list<{ reason?: string; message?: string }>(`/api/v1/namespaces/${NS}/events`, { fieldSelector: 'involvedObject.name=picky,reason=FailedScheduling' });
      return items[0]?.message;
    });
    expect(msg).toMatch(/^0\/3 nodes are available: .*2 node\(s\) didn't match Pod's node affinity\/selector/);
    const r = await kubectl(api.kubeconfig, ['-n', NS, 'get', 'pod', 'picky', '-o', 'jsonpath={.status.phase}']);
    expect(r.stdout).toBe('Pending');
    const added = Date.now();
    await client.create('/api/v1/nodes', node('w3', { labels: { disk: 'ssd' } }));
    expect(await boundTo('picky')).toBe('w3');
    expect(Date.now() - added).toBeLessThan(5000);
  });

  it('refuses to bind a pod twice (409) and answers 404 for a missing pod', async () => {
    const nodeName = await boundTo('spread-1');
    const binding = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { kind: 'Node', name: 'w1' } });
    const again = await api.raw('POST', `${podsPath()}/spread-1/binding`, { body: binding('spread-1') });
    expect(again.code).toBe(409);
    expect(JSON.parse(again.body).message).toContain(`pod spread-1 is already assigned to node "${nodeName}"`);
    const viaCollection = await api.raw('POST', `/api/v1/namespaces/${NS}/bindings`, { body: binding('spread-1') });
    expect(viaCollection.code).toBe(409);
    const missing = await api.raw('POST', `${podsPath()}/nobody/binding`, { body: binding('nobody') });
    expect(missing.code).toBe(404);
    // A pod of another scheduler is left alone; binding it by hand through the collection works.
    await client.create(podsPath(), pod('manual', { schedulerName: 'my-scheduler' }));
    await new Promise((r) => setTimeout(r, 300));
    expect((await getPod('manual')).spec?.nodeName).toBeUndefined();
    const ok = await api.raw('POST', `/api/v1/namespaces/${NS}/bindings`, { body: binding('manual') });
    expect(ok.code, ok.body).toBe(201);
    expect(JSON.parse(ok.body)).toMatchObject({ kind: 'Status', status: 'Success', code: 201 });
    expect((await getPod('manual')).spec?.nodeName).toBe('w1');
  });

  it('evicts a pod unless its disruption budget allows no disruption (429)', async () => {
    await client.create(podsPath(), pod('guarded', {}, { app: 'guarded' }));
    await boundTo('guarded');
    // No node agent runs here: make the pod look running and ready, as a kubelet would report it.
    await client.patch(`${podsPath()}/guarded/status`, { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }, 'strategic');
    const pdb = await client.create<Obj>(`/apis/policy/v1/namespaces/${NS}/poddisruptionbudgets`, { metadata: { name: 'guard' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'guarded' } } } });
    const setStatus = (allowed: number) =>
      client.patch(`/apis/policy/v1/namespaces/${NS}/poddisruptionbudgets/guard/status`, { status: { observedGeneration: 1, disruptionsAllowed: allowed, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 } });
    expect(pdb.metadata.name).toBe('guard');
    await setStatus(0);
    const evict = () => api.raw('POST', `${podsPath()}/guarded/eviction`, { body: JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'guarded' }, deleteOptions: { gracePeriodSeconds: 0 } }) });
    const refused = await evict();
    expect(refused.code).toBe(429);
    expect(JSON.parse(refused.body)).toMatchObject({ reason: 'TooManyRequests', message: "Cannot evict pod as it would violate the pod's disruption budget.", details: { causes: [{ reason: 'DisruptionBudget' }] } });
    expect((await getPod('guarded')).metadata.deletionTimestamp).toBeUndefined();
    await setStatus(1);
    const allowed = await evict();
    expect(allowed.code, allowed.body).toBe(201);
    expect(JSON.parse(allowed.body)).toMatchObject({ kind: 'Status', status: 'Success' });
    await expect(getPod('guarded')).rejects.toMatchObject({ code: 404 });
    const after = await client.get<Obj>(`/apis/policy/v1/namespaces/${NS}/poddisruptionbudgets/guard`);
    expect(after.status).toMatchObject({ disruptionsAllowed: 0 });
    expect(Object.keys(after.status?.disruptedPods ?? {})).toEqual(['guarded']);
    // policy/v1beta1 bodies are accepted too; a pending pod is evicted without budget checks.
    await client.create(podsPath(), pod('old-style', { nodeSelector: { nowhere: 'true' } }, { app: 'guarded' }));
    const beta = await api.raw('POST', `${podsPath()}/old-style/eviction`, { body: JSON.stringify({ apiVersion: 'policy/v1beta1', kind: 'Eviction', metadata: { name: 'old-style' } }) });
    expect(beta.code, beta.body).toBe(201);
    await until('old-style gone', async () => getPod('old-style').then(() => false, (err) => err.code === 404));
  });

  it('drains a node with real kubectl drain', async () => {
    for (let i = 0; i < 3; i++) await client.create(podsPath(), pod(`drain-${i}`, { nodeSelector: { 'kubernetes.io/hostname': 'w2' } }));
    for (let i = 0; i < 3; i++) expect(await boundTo(`drain-${i}`)).toBe('w2');
    const r = await kubectl(api.kubeconfig, ['drain', 'w2', '--ignore-daemonsets', '--force', '--grace-period=0', '--timeout=60s']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('node/w2 cordoned');
    expect(r.stdout).toContain('pod/drain-0 evicted');
    expect(r.stdout).toContain('node/w2 drained');
    expect(await podsOn('w2')).toEqual([]);
    const w2 = await client.get<Obj>('/api/v1/nodes/w2');
    expect(w2.spec?.unschedulable).toBe(true);
    // A cordoned node takes no new pods.
    await client.create(podsPath(), pod('after-drain', { nodeSelector: { 'kubernetes.io/hostname': 'w2' } }));
    const cond = await until('unschedulable', async () => (await getPod('after-drain')).status?.conditions?.find((c: { type: string }) => c.type === 'PodScheduled'));
    expect(cond.message).toContain("node(s) were unschedulable");
    expect((await kubectl(api.kubeconfig, ['uncordon', 'w2'])).code).toBe(0);
    expect(await boundTo('after-drain')).toBe('w2');
  });

  it('admits pods with their service account, its token volume and the default tolerations', async () => {
    const created = await client.create<Obj>(podsPath(), pod('with-sa'));
    const spec = created.spec!;
    expect(spec.serviceAccountName).toBe('default');
    const volume = spec.volumes.find((v: { name: string }) => v.name.startsWith('kube-api-access-'));
    expect(volume.name).toMatch(/^kube-api-access-[a-z0-9]{5}$/);
    expect(volume.projected.sources).toEqual([
      { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ]);
    expect(spec.containers[0].volumeMounts).toEqual([{ name: volume.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }]);
    expect(spec.tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    const noMount = await client.create<Obj>(podsPath(), pod('no-token', { automountServiceAccountToken: false }));
    expect(noMount.spec!.volumes).toBeUndefined();
    const missing = await kubectl(api.kubeconfig, ['-n', NS, 'run', 'ghost', '--image=busybox:1.36', '--overrides={"spec":{"serviceAccountName":"ghost"}}']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain(`pods "ghost" is forbidden: error looking up service account ${NS}/ghost: serviceaccount "ghost" not found`);
    // A namespace created just now: the pod waits for its default account rather than failing.
    await client.create('/api/v1/namespaces', { metadata: { name: 'fresh' } });
    const fresh = await client.create<Obj>(podsPath('fresh'), pod('first'));
    expect(fresh.spec!.serviceAccountName).toBe('default');
  });

  it('preempts lower-priority pods for a pod that fits nowhere else', async () => {
    await client.create('/api/v1/nodes', node('small', { cpu: '1', labels: { pool: 'small' } }));
    await client.create(podsPath(), pod('low', { priority: 0, nodeSelector: { pool: 'small' }, containers: [{ name: 'c', image: 'busybox:1.36', resources: { requests: { cpu: '800m' } } }] }));
    expect(await boundTo('low')).toBe('small');
    await client.create(podsPath(), pod('high', { priority: 1000, nodeSelector: { pool: 'small' }, containers: [{ name: 'c', image: 'busybox:1.36', resources: { requests: { cpu: '800m' } } }] }));
    // `low` is bound to a node without an agent: its graceful deletion starts (or it goes at once with grace 0).
    await until('low preempted', async () => getPod('low').then((p) => Boolean(p.metadata.deletionTimestamp), (err) => err.code === 404));
    expect(await boundTo('high')).toBe('small');
    const { items } = await client.list<{ reason?: string; message?: string }>(`/api/v1/namespaces/${NS}/events`, { fieldSelector: 'involvedObject.name=low,reason=Preempted' });
    expect(items[0]?.message).toMatch(/^Preempted by pod .+ on node small$/);
  });

  it('binds 100 pods created at 5/s with p99 latency under 100 ms', async () => {
    await client.create('/api/v1/namespaces', { metadata: { name: 'pace' } });
    const seenBound = new Map<string, number>();
    const watch = client.watch<Obj>(podsPath('pace'), {}, (e) => {
      if (e.object.spec?.nodeName && !seenBound.has(e.object.metadata.name)) seenBound.set(e.object.metadata.name, performance.now());
    }, () => {});
    const created = new Map<string, number>();
    try {
      for (let i = 0; i < 100; i++) {
        const started = performance.now();
        await client.create(podsPath('pace'), pod(`p-${i}`));
        created.set(`p-${i}`, performance.now());
        await new Promise((r) => setTimeout(r, Math.max(0, 200 - (performance.now() - started))));
      }
      await until('all bound', async () => seenBound.size === 100, 10_000);
    } finally {
      watch.stop();
    }
    const latencies = [...created].map(([name, at]) => seenBound.get(name)! - at).sort((a, b) => a - b);
    const p99 = latencies[Math.ceil(latencies.length * 0.99) - 1]!;
    expect(p99, `p99 ${p99.toFixed(1)} ms, median ${latencies[50]!.toFixed(1)} ms`).toBeLessThan(100);
    await client.request('DELETE', podsPath('pace'), { gracePeriodSeconds: 0 });
  }, 60_000);

  it('never books more pods on a node than it has room for, even in a burst of 100', async () => {
    await client.create('/api/v1/nodes', node('b1', { pods: '30', labels: { pool: 'burst' } }));
    await client.create('/api/v1/nodes', node('b2', { pods: '30', labels: { pool: 'burst' } }));
    await client.create('/api/v1/namespaces', { metadata: { name: 'burst' } });
    await Promise.all(Array.from({ length: 100 }, (_, i) => client.create(podsPath('burst'), pod(`b-${i}`, { nodeSelector: { pool: 'burst' }, containers: [{ name: 'c', image: 'busybox:1.36', ports: [{ containerPort: 80 }] }] }))));
    await until('60 bound', async () => (await podsOn('b1')).length + (await podsOn('b2')).length >= 60, 20_000);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await podsOn('b1')).length).toBe(30);
    expect((await podsOn('b2')).length).toBe(30);
    const { items } = await client.list<Obj>(podsPath('burst'));
    const pending = items.filter((p) => !p.spec?.nodeName);
    expect(pending).toHaveLength(40);
    const cond = await until('Too many pods', async () => (await getPod(pending[0]!.metadata.name, 'burst')).status?.conditions?.find((c: { type: string }) => c.type === 'PodScheduled'));
    expect(cond.message).toContain('2 Too many pods');
  }, 60_000);
});
