// The scheduler's volume binding against a real apiserver on real etcd, with hand-made Nodes and
// the test playing the PV controller and the local-path provisioner: WaitForFirstConsumer claims
// get the selected-node annotation and their pods are bound once the claims are; volumes pinned
// to a node pull their pods there; missing, unbound-Immediate and ReadWriteOncePod claims give
// upstream's FailedScheduling messages; a provisioner that gives up sends the pod round again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestClient } from '../engine/client/rest-client.js';
import { startScheduling, type Scheduling } from '../engine/scheduler/scheduler-loop.js';
import { startTestApiServer, type TestApiServer } from './helpers/apiserver.js';
import { apiShorthands, clientOf, readyNode, stamp } from './helpers/in-process.js';

let api: TestApiServer;
let client: RestClient;
let scheduling: Scheduling;
const NS = 'vols';
const SELECTED = 'volume.kubernetes.io/selected-node';
const BIND_TIMEOUT_MS = 4000;

type Obj = { metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string; annotations?: Record<string, string> }; spec?: Record<string, any>; status?: Record<string, any> };

const node = (name: string) => readyNode(name, name === 'cp' ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } : {});

const podsPath = `/api/v1/namespaces/${NS}/pods`;
const claimsPath = `/api/v1/namespaces/${NS}/persistentvolumeclaims`;
const { until } = apiShorthands(() => api, { untilMs: 10_000, pollMs: 50 });
const getPod = (name: string) => client.get<Obj>(`${podsPath}/${name}`);
const getClaim = (name: string) => client.get<Obj>(`${claimsPath}/${name}`);
const boundTo = (name: string, ms?: number) => until(`pod ${name} bound`, async () => (await getPod(name)).spec?.nodeName as string | undefined, ms);
const selectedNode = (claim: string, ms?: number) => until(`claim ${claim} given a node`, async () => (await getClaim(claim)).metadata.annotations?.[SELECTED], ms);

function podWith(name: string, claims: string[], spec: Record<string, unknown> = {}): Obj {
  return {
    metadata: { name },
    spec: {
      containers: [{ name: 'c', image: 'busybox:1.36', volumeMounts: claims.map((_, i) => ({ name: `v${i}`, mountPath: `/data${i}` })) }],
      volumes: claims.map((c, i) => ({ name: `v${i}`, persistentVolumeClaim: { claimName: c } })),
      terminationGracePeriodSeconds: 0,
      ...spec,
    },
  };
}

const storageClass = (name: string, mode: string, provisioner = 'kubelab.io/local-path') =>
  client.create('/apis/storage.k8s.io/v1/storageclasses', { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner, reclaimPolicy: 'Delete', volumeBindingMode: mode });

const claim = (name: string, cls: string, modes = ['ReadWriteOnce']) =>
  client.create<Obj>(claimsPath, { metadata: { name }, spec: { storageClassName: cls, accessModes: modes, resources: { requests: { storage: '1Gi' } } } });

/** The PV controller's last step: claim and volume point at each other and say Bound. */
async function completeBinding(claimName: string, pvName: string): Promise<void> {
  await client.patch(`/api/v1/persistentvolumes/${pvName}/status`, { status: { phase: 'Bound' } });
  await client.patch(`${claimsPath}/${claimName}`, { metadata: { annotations: { 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes' } }, spec: { volumeName: pvName } });
  await client.patch(`${claimsPath}/${claimName}/status`, { status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } } });
}

/** Plays the local-path provisioner for a claim the scheduler sent to `nodeName`, as the contract says. */
async function provision(claimName: string, nodeName: string): Promise<string> {
  const c = await getClaim(claimName);
  const pvName = `pvc-${c.metadata.uid}`;
  await client.create('/api/v1/persistentvolumes', {
    metadata: { name: pvName, annotations: { 'pv.kubernetes.io/provisioned-by': 'kubelab.io/local-path', 'kubelab.io/node': nodeName } },
    spec: {
      capacity: { storage: '1Gi' },
      accessModes: c.spec?.accessModes,
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: c.spec?.storageClassName,
      hostPath: { path: `/var/lib/kubelab/storage/${pvName}_${NS}_${claimName}`, type: 'DirectoryOrCreate' },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [nodeName] }] }] } },
      claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: NS, name: claimName, uid: c.metadata.uid },
    },
  });
  await completeBinding(claimName, pvName);
  return pvName;
}

async function failedScheduling(pod: string, match: RegExp, ms = 10_000): Promise<string> {
  return until(`FailedScheduling for ${pod} matching ${match}`, async () => {
    const { items } = await client.list<{ message?: string }>(`/api/v1/namespaces/${NS}/events`, { fieldSelector: `involvedObject.name=${pod},reason=FailedScheduling` });
    return items.map((e) => e.message ?? '').find((m) => match.test(m));
  }, ms);
}

describe.sequential('the scheduler with volumes', () => {
  beforeAll(async () => {
    api = await startTestApiServer();
    client = clientOf(api, 'scheduler-volumes-test');
    const schedulerClient = clientOf(api, 'kube-scheduler', api.clientCert('system:kube-scheduler', ['system:masters']));
    for (const n of ['cp', 'w1', 'w2']) await client.create('/api/v1/nodes', node(n));
    await client.create('/api/v1/namespaces', { metadata: { name: NS } });
    await storageClass('local', 'WaitForFirstConsumer');
    await storageClass('fast', 'Immediate');
    await storageClass('local-manual', 'WaitForFirstConsumer', 'kubernetes.io/no-provisioner');
    scheduling = startScheduling(schedulerClient, { volumeBindTimeoutMs: BIND_TIMEOUT_MS, queue: { initialBackoffMs: 200, maxBackoffMs: 1000 } });
    await scheduling.synced;
  }, 60_000);

  afterAll(async () => {
    await scheduling?.stop();
    client?.close();
    await api?.stop();
  });

  it('marks a WaitForFirstConsumer claim with a node and binds its pod there once the claim is bound', async () => {
    await claim('data', 'local');
    await client.create(podsPath, podWith('db', ['data']));
    const chosen = await selectedNode('data');
    expect(['w1', 'w2']).toContain(chosen);
    // The pod waits for its claim: not bound yet, and other pods are scheduled meanwhile.
    await client.create(podsPath, podWith('bystander', []));
    await boundTo('bystander');
    expect((await getPod('db')).spec?.nodeName).toBeUndefined();
    await provision('data', chosen);
    expect(await boundTo('db')).toBe(chosen);
  });

  it('sends every pod sharing a claim that is being provisioned to the same node', async () => {
    await claim('shared', 'local');
    await Promise.all(['s1', 's2', 's3'].map((n) => client.create(podsPath, podWith(n, ['shared']))));
    const chosen = await selectedNode('shared');
    await new Promise((r) => setTimeout(r, 300));
    await provision('shared', chosen);
    expect(await Promise.all(['s1', 's2', 's3'].map((n) => boundTo(n)))).toEqual([chosen, chosen, chosen]);
  });

  it('places a pod where its bound volume lives, and explains why it cannot go elsewhere', async () => {
    const c = await claim('pinned', 'local');
    await client.create('/api/v1/persistentvolumes', {
      metadata: { name: 'pinned-pv' },
      spec: {
        capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: 'local', persistentVolumeReclaimPolicy: 'Retain', hostPath: { path: '/srv/pinned' },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['w2'] }] }] } },
        claimRef: { kind: 'PersistentVolumeClaim', namespace: NS, name: 'pinned', uid: c.metadata.uid },
      },
    });
    await completeBinding('pinned', 'pinned-pv');
    await client.create(podsPath, podWith('follows-volume', ['pinned']));
    expect(await boundTo('follows-volume')).toBe('w2');
    await client.create(podsPath, podWith('wants-w1', ['pinned'], { nodeSelector: { 'kubernetes.io/hostname': 'w1' } }));
    const msg = await failedScheduling('wants-w1', /volume node affinity/);
    expect(msg).toBe(
      "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 1 node(s) had volume node affinity conflict. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
  });

  it('waits for a missing claim and for an unbound Immediate claim, then schedules once they are bound', async () => {
    await client.create(podsPath, podWith('early', ['later']));
    expect(await failedScheduling('early', /not found/)).toBe(
      '0/3 nodes are available: persistentvolumeclaim "later" not found. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    );
    const cond = await until('PodScheduled=False', async () => (await getPod('early')).status?.conditions?.find((x: { type: string }) => x.type === 'PodScheduled'));
    expect(cond).toMatchObject({ status: 'False', reason: 'Unschedulable' });
    await claim('later', 'fast');
    expect(await failedScheduling('early', /immediate/)).toBe(
      '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    );
    // The PV controller binds Immediate claims without waiting for a pod.
    const pv = await provision('later', 'w1');
    expect(pv).toMatch(/^pvc-/);
    expect(await boundTo('early')).toBe('w1');
  });

  it('reserves an Available static volume for a WaitForFirstConsumer claim and binds the pod on its node', async () => {
    await client.create('/api/v1/persistentvolumes', {
      metadata: { name: 'disk-w1' },
      spec: {
        capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: 'local-manual', persistentVolumeReclaimPolicy: 'Retain', local: { path: '/mnt/disk' },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['w1'] }] }] } },
      },
    });
    await client.patch('/api/v1/persistentvolumes/disk-w1/status', { status: { phase: 'Available' } });
    const c = await claim('static', 'local-manual');
    await client.create(podsPath, podWith('on-disk', ['static']));
    const ref = await until('volume reserved for the claim', async () => (await client.get<Obj>('/api/v1/persistentvolumes/disk-w1')).spec?.claimRef);
    expect(ref).toMatchObject({ kind: 'PersistentVolumeClaim', namespace: NS, name: 'static', uid: c.metadata.uid });
    expect((await getClaim('static')).metadata.annotations?.[SELECTED]).toBeUndefined();
    await completeBinding('static', 'disk-w1');
    expect(await boundTo('on-disk')).toBe('w1');
    // No volume left for another claim of that class: nothing can provision it either.
    await claim('static-2', 'local-manual');
    await client.create(podsPath, podWith('no-disk', ['static-2']));
    expect(await failedScheduling('no-disk', /persistent volumes to bind/)).toMatch(/^0\/3 nodes are available: 1 node\(s\) had untolerated taint .*, 2 node\(s\) didn't find available persistent volumes to bind\./);
  });

  it('retries a pod whose provisioning failed, then binds it', async () => {
    await claim('flaky', 'local');
    await client.create(podsPath, podWith('flaky-pod', ['flaky']));
    const first = await selectedNode('flaky');
    // The provisioner gives up: a ProvisioningFailed event about the claim.
    const c = await getClaim('flaky');
    await client.create(`/api/v1/namespaces/${NS}/events`, {
      metadata: { name: 'flaky.failed' },
      involvedObject: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: NS, name: 'flaky', uid: c.metadata.uid },
      reason: 'ProvisioningFailed', message: 'disk full', type: 'Warning', source: { component: 'kubelab.io/local-path' },
      firstTimestamp: stamp(), lastTimestamp: stamp(), count: 1,
    });
    const msg = await failedScheduling('flaky-pod', /PreBind/);
    expect(msg).toBe('running PreBind plugin "VolumeBinding": binding volumes: provisioning failed for PVC "flaky": disk full');
    const cond = await until('SchedulerError', async () => (await getPod('flaky-pod')).status?.conditions?.find((x: { reason?: string }) => x.reason === 'SchedulerError'));
    expect(cond).toMatchObject({ type: 'PodScheduled', status: 'False', message: msg });
    // Upstream's signal works too: the provisioner takes the node away; the scheduler picks one again.
    await client.patch(`${claimsPath}/flaky`, { metadata: { annotations: { [SELECTED]: null } } });
    const again = await selectedNode('flaky');
    expect((await getPod('flaky-pod')).spec?.nodeName).toBeUndefined();
    expect(['w1', 'w2']).toContain(again);
    expect(first).toBeTruthy();
    await provision('flaky', again);
    expect(await boundTo('flaky-pod')).toBe(again);
  });

  it('gives up waiting after the bind timeout and tries again', async () => {
    await claim('slow', 'local');
    await client.create(podsPath, podWith('slow-pod', ['slow']));
    const chosen = await selectedNode('slow');
    const msg = await failedScheduling('slow-pod', /deadline/, BIND_TIMEOUT_MS + 5000);
    expect(msg).toBe('running PreBind plugin "VolumeBinding": binding volumes: context deadline exceeded');
    // The claim keeps its node; the retried pod heads there again and is bound when the volume comes.
    await provision('slow', chosen);
    expect(await boundTo('slow-pod', BIND_TIMEOUT_MS + 5000)).toBe(chosen);
  }, 30_000);

  it('lets one pod at a time use a ReadWriteOncePod claim', async () => {
    await claim('solo', 'fast', ['ReadWriteOncePod']);
    await provision('solo', 'w2');
    await client.create(podsPath, podWith('first', ['solo']));
    expect(await boundTo('first')).toBe('w2');
    await client.create(podsPath, podWith('second', ['solo']));
    expect(await failedScheduling('second', /ReadWriteOncePod/)).toMatch(
      /^0\/3 nodes are available: 1 node\(s\) had untolerated taint .*, 2 node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode\. preemption: /,
    );
    await client.request('DELETE', `${podsPath}/first`, { gracePeriodSeconds: 0 });
    expect(await boundTo('second')).toBe('w2');
  });
});
