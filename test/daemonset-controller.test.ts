// The DaemonSet controller in-process on a real apiserver and etcd, with the real scheduler binding
// its pods and real kubectl driving it. Nodes are hand-made Node objects; the test plays the node
// agent by marking bound pods Running and Ready and by finishing the deletion of terminating pods.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiObject } from '../engine/api/resource-type.js';
import { revisionHash, revisionName, templateRevisionData } from '../engine/controllers/controller-history.js';
import { startScheduling, type Scheduling } from '../engine/scheduler/scheduler-loop.js';
import { startTestApiServer, type TestApiServer } from './helpers/apiserver.js';
import { apiShorthands, readyNode, startControllers, type InProcessControllers } from './helpers/in-process.js';

let api: TestApiServer;
let controllers: InProcessControllers;
let scheduling: Scheduling;
let stopKubelet: () => void;
const NS = 'ds';

type Pod = ApiObject & { spec: { nodeName?: string; affinity?: unknown; tolerations?: { key?: string; effect?: string; tolerationSeconds?: number }[]; containers: { image: string }[] }; status?: { phase?: string } };
type Status = Record<string, number>;

const { ok, getJson, until, podsIn, eventsIn, setPodStatus, fakeNodeAgent } = apiShorthands(() => api);
const livePods = async () => (await podsIn<Pod>(NS, 'app=agent')).filter((p) => !p.metadata.deletionTimestamp);
const status = async () => (await getJson<{ status: Status; metadata: { generation: number } }>(`/apis/apps/v1/namespaces/${NS}/daemonsets/agent`));
const byNode = (pods: Pod[]) => Object.fromEntries(pods.map((p) => [p.spec.nodeName ?? '', p]));
const events = async () => (await eventsIn(NS)).filter((e) => e.involvedObject.kind === 'DaemonSet');

const DS = `
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      terminationGracePeriodSeconds: 0
      containers: [{name: c, image: busybox:1.36}]
`;

beforeAll(async () => {
  api = await startTestApiServer();
  // Hand-made nodes renew no Lease: a long grace keeps the node lifecycle controller from marking them.
  controllers = await startControllers(api, { nodeGraceMs: 600_000 }, async (client) => {
    for (const n of ['n1', 'n2', 'tainted']) await client.create('/api/v1/nodes', readyNode(n));
    await ok(['taint', 'node', 'tainted', 'dedicated=db:NoSchedule']);
    await ok(['create', 'namespace', NS]);
  });
  scheduling = startScheduling(controllers.client);
  await scheduling.synced;
  // Plays the node agents: bound pods become Running and Ready; terminating ones are removed.
  stopKubelet = fakeNodeAgent(NS, { boundOnly: true, finishDeletions: true });
}, 60_000);

afterAll(async () => {
  stopKubelet?.();
  await scheduling?.stop();
  await controllers?.stop();
  await api?.stop();
});

describe.sequential('DaemonSet controller', () => {
  it('runs one pod on every node that tolerates it, pinned by node affinity and bound by the scheduler', async () => {
    await ok(['-n', NS, 'apply', '-f', '-'], DS);
    const pods = await until('a pod on n1 and n2', async () => {
      const p = await livePods();
      return p.length === 2 && p.every((x) => x.status?.phase === 'Running') && p;
    });
    expect(Object.keys(byNode(pods)).sort()).toEqual(['n1', 'n2']);
    const ds = await getJson(`/apis/apps/v1/namespaces/${NS}/daemonsets/agent`);
    const p = byNode(pods).n1!;
    expect(p.metadata.name).toMatch(/^agent-[a-z0-9]{5}$/);
    expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: ds.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(p.metadata.labels).toMatchObject({ app: 'agent', 'pod-template-generation': '1', 'controller-revision-hash': expect.stringMatching(/^[a-z0-9]+$/) });
    expect(p.spec.affinity).toEqual({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }] } } });
    expect(p.spec.tolerations).toContainEqual({ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' });
    expect(p.spec.tolerations).toContainEqual({ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' });
    const s = await until('status of 2 ready nodes', async () => {
      const d = await status();
      return d.status.numberAvailable === 2 && d.status.observedGeneration === d.metadata.generation && d.status;
    });
    expect(s).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 2, updatedNumberScheduled: 2, numberMisscheduled: 0 });
    expect(await ok(['-n', NS, 'get', 'ds', 'agent', '--no-headers'])).toMatch(/^agent\s+2\s+2\s+2\s+2\s+2\s+<none>/);
    expect((await events()).filter((e) => e.reason === 'SuccessfulCreate' && /^Created pod: agent-/.test(e.message))).toHaveLength(2);
    const revs = await getJson<{ items: { metadata: { name: string; labels: Record<string, string> }; revision: number }[] }>(`/apis/apps/v1/namespaces/${NS}/controllerrevisions`);
    expect(revs.items.map((r) => [r.metadata.name, r.revision])).toEqual([[`agent-${p.metadata.labels!['controller-revision-hash']}`, 1]]);
  });

  it('gives a node added later a pod, keeps it under a NoSchedule taint, removes it under NoExecute and with the node', async () => {
    await controllers.client.create('/api/v1/nodes', readyNode('n3'));
    await until('a pod on n3', async () => byNode(await livePods()).n3?.status?.phase === 'Running');
    await until('desired 3', async () => (await status()).status.numberAvailable === 3);
    const onN3 = byNode(await livePods()).n3!.metadata.name;
    await ok(['taint', 'node', 'n3', 'maint=yes:NoSchedule']);
    await until('n3 counted as misscheduled', async () => {
      const s = (await status()).status;
      return s.desiredNumberScheduled === 2 && s.numberMisscheduled === 1;
    });
    expect(byNode(await livePods()).n3?.metadata.name).toBe(onN3);
    await ok(['taint', 'node', 'n3', 'maint=yes:NoExecute']);
    await until('the pod on n3 gone', async () => !byNode(await livePods()).n3);
    // Untainted, the node gets a pod again; deleted, the node takes its pod with it.
    await ok(['taint', 'node', 'n3', 'maint-']);
    await until('a pod on n3 again', async () => byNode(await livePods()).n3?.status?.phase === 'Running');
    await ok(['delete', 'node', 'n3']);
    await until('no pod left for n3', async () => (await livePods()).every((p) => p.spec.nodeName !== 'n3' && !JSON.stringify(p.spec.affinity).includes('"n3"')));
    await until('status back to 2 nodes', async () => {
      const s = (await status()).status;
      return s.desiredNumberScheduled === 2 && s.numberMisscheduled === 0 && s.currentNumberScheduled === 2;
    });
    expect(Object.keys(byNode(await livePods())).sort()).toEqual(['n1', 'n2']);
  });

  it('replaces a failed pod and says so', async () => {
    const victim = byNode(await livePods()).n1!;
    await setPodStatus(NS, victim.metadata.name, { phase: 'Failed' });
    await until('a new running pod on n1', async () => {
      const p = byNode(await livePods()).n1;
      return p && p.metadata.name !== victim.metadata.name && p.status?.phase === 'Running';
    });
    const e = await events();
    expect(e).toContainEqual(expect.objectContaining({ type: 'Warning', reason: 'FailedDaemonPod', message: `Found failed daemon pod ${NS}/${victim.metadata.name} on node n1, will try to kill it` }));
    expect(e).toContainEqual(expect.objectContaining({ reason: 'SuccessfulDelete', message: `Deleted pod: ${victim.metadata.name}` }));
  });

  it('still runs its pod on a cordoned node (daemon pods tolerate unschedulable)', async () => {
    await ok(['cordon', 'n2']);
    try {
      const old = byNode(await livePods()).n2!;
      await ok(['-n', NS, 'delete', 'pod', old.metadata.name, '--wait=false']);
      await until('a new running pod on cordoned n2', async () => {
        const p = byNode(await livePods()).n2;
        return p && p.metadata.name !== old.metadata.name && p.status?.phase === 'Running';
      });
    } finally {
      await ok(['uncordon', 'n2']);
    }
  });

  it('rolls an image change out (kubectl rollout status), keeps history (rollout history), and undoes it (rollout undo)', async () => {
    // maxUnavailable 1 over 2 nodes: some node keeps a running pod throughout.
    let watching = true;
    let fewest = 2;
    const watch = (async () => {
      while (watching) {
        const running = new Set((await livePods()).filter((p) => p.status?.phase === 'Running').map((p) => p.spec.nodeName));
        fewest = Math.min(fewest, running.size);
        await new Promise((r) => setTimeout(r, 30));
      }
    })();
    await ok(['-n', NS, 'set', 'image', 'ds/agent', 'c=busybox:1.37']);
    const out = await ok(['-n', NS, 'rollout', 'status', 'ds/agent', '--timeout=40s']);
    watching = false;
    await watch;
    expect(fewest).toBe(1);
    expect(out).toContain('daemon set "agent" successfully rolled out');
    let pods = await livePods();
    expect(pods).toHaveLength(2);
    expect(pods.map((p) => p.spec.containers[0]!.image)).toEqual(['busybox:1.37', 'busybox:1.37']);
    expect(pods.every((p) => p.metadata.labels?.['pod-template-generation'] === '2')).toBe(true);
    const history = await ok(['-n', NS, 'rollout', 'history', 'ds/agent']);
    expect(history).toMatch(/REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    expect(await ok(['-n', NS, 'rollout', 'history', 'ds/agent', '--revision=1'])).toContain('busybox:1.36');

    await ok(['-n', NS, 'rollout', 'undo', 'ds/agent']);
    expect(await ok(['-n', NS, 'rollout', 'status', 'ds/agent', '--timeout=40s'])).toContain('successfully rolled out');
    pods = await livePods();
    expect(pods.map((p) => p.spec.containers[0]!.image)).toEqual(['busybox:1.36', 'busybox:1.36']);
    // The first revision is reused and renumbered, as upstream does.
    expect(await ok(['-n', NS, 'rollout', 'history', 'ds/agent'])).toMatch(/REVISION\s+CHANGE-CAUSE\n2\s+<none>\n3\s+<none>/);
    const s = (await status()).status;
    expect(s).toMatchObject({ updatedNumberScheduled: 2, numberAvailable: 2, desiredNumberScheduled: 2 });
  });

  it('escapes a ControllerRevision name collision by bumping status.collisionCount', async () => {
    // The name the controller will give the next template's revision, taken first by someone else.
    const ds = await getJson<{ spec: { template: { spec: { containers: { image: string }[] } } } }>(`/apis/apps/v1/namespaces/${NS}/daemonsets/agent`);
    ds.spec.template.spec.containers[0]!.image = 'busybox:1.38';
    const taken = revisionName('agent', revisionHash(templateRevisionData(ds.spec.template)));
    await controllers.client.create(`/apis/apps/v1/namespaces/${NS}/controllerrevisions`, { metadata: { name: taken }, data: { someone: 'else' }, revision: 1 });
    await ok(['-n', NS, 'set', 'image', 'ds/agent', 'c=busybox:1.38']);
    expect(await ok(['-n', NS, 'rollout', 'status', 'ds/agent', '--timeout=40s'])).toContain('successfully rolled out');
    expect((await status()).status.collisionCount).toBe(1);
    const revs = await getJson<{ items: { metadata: { name: string; ownerReferences?: unknown[] }; revision: number }[] }>(`/apis/apps/v1/namespaces/${NS}/controllerrevisions`);
    const owned = revs.items.filter((r) => r.metadata.ownerReferences?.length);
    expect(owned.map((r) => r.revision).sort()).toEqual([2, 3, 4]);
    expect(owned.some((r) => r.metadata.name === taken)).toBe(false);
    expect((await livePods()).map((p) => p.spec.containers[0]!.image)).toEqual(['busybox:1.38', 'busybox:1.38']);
  });

  it('trims history to revisionHistoryLimit and deletes its pods with the set', async () => {
    await ok(['-n', NS, 'patch', 'ds/agent', '-p', '{"spec":{"revisionHistoryLimit":1}}']);
    await until('history down to the current and one old revision', async () => {
      const revs = await getJson<{ items: { metadata: { ownerReferences?: unknown[] } }[] }>(`/apis/apps/v1/namespaces/${NS}/controllerrevisions`);
      return revs.items.filter((r) => r.metadata.ownerReferences?.length).length === 2;
    });
    await ok(['-n', NS, 'delete', 'ds/agent']);
    await until('no pods left', async () => (await livePods()).length === 0);
  });
});
