// The StatefulSet controller run in-process on a real apiserver and etcd and driven with real
// kubectl. The test plays the node agent by writing pod status (Running, Ready, Failed) through
// pods/status; pods stay unscheduled, so deletions are immediate. The claims are never bound (no
// storage here): the controller only creates them, names them and sets their owners.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiObject } from '../engine/api/resource-type.js';
import { createLogger } from '../engine/log/logger.js';
import { startTestApiServer, type TestApiServer } from './helpers/apiserver.js';
import { apiShorthands, exitedStatus, runningStatus, startControllers, type InProcessControllers } from './helpers/in-process.js';

const NS = 'sts';
let api: TestApiServer;
let controllers: InProcessControllers;
/** Names of pods of the namespace in the order their deletion was seen. */
const deletions: string[] = [];
/** Failed StatefulSet reconciles: the flows below should need no retries. */
const failures: string[] = [];

type Pod = ApiObject & { spec: { hostname?: string; subdomain?: string; volumes?: { name: string; persistentVolumeClaim?: { claimName: string } }[] }; status?: { phase?: string } };
type Claim = ApiObject & { metadata: { ownerReferences?: { uid: string; kind: string }[] }; spec: Record<string, unknown> };
type Sts = ApiObject & { status: Record<string, unknown> };

const { ok, getJson, until, podsIn, eventsIn, setPodStatus, fakeNodeAgent } = apiShorthands(() => api, { namespace: NS });
const live = async (selector = 'app=web') => (await podsIn<Pod>(NS, selector)).filter((p) => !p.metadata.deletionTimestamp);
const names = (pods: ApiObject[]) => pods.map((p) => p.metadata.name).sort();
const claimsOf = async (selector: string) => (await getJson<{ items: Claim[] }>(`/api/v1/namespaces/${NS}/persistentvolumeclaims?labelSelector=${encodeURIComponent(selector)}`)).items;
const sts = (name: string) => getJson<Sts>(`/apis/apps/v1/namespaces/${NS}/statefulsets/${name}`);
const events = () => eventsIn(NS);
const revisionLabels = async (selector = 'app=web') => Object.fromEntries((await live(selector)).map((p) => [p.metadata.name, p.metadata.labels?.['controller-revision-hash']]));

/** Writes a pod's status as its node agent would. */
const setPhase = (name: string, phase: 'Running' | 'Failed') => setPodStatus(NS, name, phase === 'Running' ? runningStatus() : exitedStatus(1));
/** Plays the node agent: every Pending pod of the namespace becomes Running and Ready. */
const fakeKubelet = () => fakeNodeAgent(NS);

const statefulSet = (name: string, replicas: number, extra = '') => `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: ${name}}
spec:
  serviceName: ${name}
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: c, image: "nginx:1.0", volumeMounts: [{name: data, mountPath: /data}]}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
${extra}`;

beforeAll(async () => {
  api = await startTestApiServer();
  const log = createLogger((level, m) => level === 'error' && m.startsWith('statefulset') && failures.push(m));
  controllers = await startControllers(api, { log }, (_, informers) => {
    informers.for<ApiObject>({ group: '', version: 'v1', resource: 'pods' }).addHandler({ onDelete: (p) => p.metadata.namespace === NS && deletions.push(p.metadata.name) });
  });
  await ok(['create', 'namespace', NS]);
  await until('the default ServiceAccount', async () => (await api.raw('GET', `/api/v1/namespaces/${NS}/serviceaccounts/default`)).code === 200);
});

afterAll(async () => {
  await controllers?.stop();
  await api?.stop();
});

describe.sequential('StatefulSet controller', () => {
  let stopKubelet: () => void = () => {};
  afterAll(() => stopKubelet());
  afterEach(() => expect(failures).toEqual([]));

  it('brings web-0..2 up in order, each with its claim made first, and reports the rollout done', async () => {
    await ok(['create', 'service', 'clusterip', 'web', '--clusterip=None']);
    await ok(['apply', '-f', '-'], statefulSet('web', 3));
    // Nothing is ready yet: only web-0 may exist.
    await until('web-0', async () => names(await live()).join() === 'web-0');
    await new Promise((r) => setTimeout(r, 700));
    expect(names(await live())).toEqual(['web-0']);
    await setPhase('web-0', 'Running');
    await until('web-1 after web-0 is ready', async () => names(await live()).join() === 'web-0,web-1');
    await new Promise((r) => setTimeout(r, 700));
    expect(names(await live())).toEqual(['web-0', 'web-1']);
    stopKubelet = fakeKubelet();
    expect(await ok(['rollout', 'status', 'sts/web', '--timeout=30s'])).toContain('partitioned roll out complete: 3 new pods have been updated...');

    const set = await sts('web');
    const revisions = (await getJson<{ items: (ApiObject & { revision: number })[] }>(`/apis/apps/v1/namespaces/${NS}/controllerrevisions`)).items;
    expect(revisions.map((r) => [r.metadata.name, r.revision])).toEqual([[set.status.updateRevision, 1]]);
    expect(set.status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3, currentReplicas: 3, updatedReplicas: 3, currentRevision: set.status.updateRevision, observedGeneration: 1, collisionCount: 0 });
    expect(await ok(['get', 'sts', 'web', '--no-headers'])).toMatch(/^web\s+3\/3\s+/);

    const web1 = (await live()).find((p) => p.metadata.name === 'web-1')!;
    expect(web1.metadata.labels).toEqual({ app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-1', 'apps.kubernetes.io/pod-index': '1', 'controller-revision-hash': set.status.updateRevision });
    expect(web1.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: set.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(web1.spec).toMatchObject({ hostname: 'web-1', subdomain: 'web' });
    expect(web1.spec.volumes?.find((v) => v.name === 'data')).toEqual({ name: 'data', persistentVolumeClaim: { claimName: 'data-web-1' } });

    const claims = await claimsOf('app=web');
    expect(names(claims)).toEqual(['data-web-0', 'data-web-1', 'data-web-2']);
    // Retain/Retain: the claims have no owners.
    expect(claims.every((c) => !c.metadata.ownerReferences)).toBe(true);
    const messages = (await events()).map((e) => `${e.reason}: ${e.message}`);
    for (const n of [0, 1, 2]) {
      expect(messages).toContain(`SuccessfulCreate: create Claim data-web-${n} Pod web-${n} in StatefulSet web success`);
      expect(messages).toContain(`SuccessfulCreate: create Pod web-${n} in StatefulSet web successful`);
    }
  });

  it('scales down from the highest ordinal, keeps the claims, and gets them back on scale-up', async () => {
    const before = Object.fromEntries((await claimsOf('app=web')).map((c) => [c.metadata.name, c.metadata.uid]));
    deletions.length = 0;
    await ok(['scale', 'sts/web', '--replicas=1']);
    await until('only web-0', async () => names(await live()).join() === 'web-0');
    expect(deletions).toEqual(['web-2', 'web-1']);
    expect(names(await claimsOf('app=web'))).toEqual(['data-web-0', 'data-web-1', 'data-web-2']);
    expect((await events()).map((e) => e.message)).toContain('delete Pod web-2 in StatefulSet web successful');

    await ok(['scale', 'sts/web', '--replicas=3']);
    expect(await ok(['rollout', 'status', 'sts/web', '--timeout=30s'])).toContain('partitioned roll out complete');
    const after = Object.fromEntries((await claimsOf('app=web')).map((c) => [c.metadata.name, c.metadata.uid]));
    expect(after).toEqual(before);
  });

  it('updates only ordinals at or above the partition, highest first, then finishes and rolls back', async () => {
    const old = await revisionLabels();
    const oldRevision = old['web-0']!;
    deletions.length = 0;
    await ok(['patch', 'sts/web', '-p', '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":1}}}}']);
    await ok(['set', 'image', 'sts/web', 'c=nginx:2.0']);
    expect(await ok(['rollout', 'status', 'sts/web', '--timeout=30s'])).toContain('partitioned roll out complete: 2 new pods have been updated...');
    const mid = await revisionLabels();
    expect(mid['web-0']).toBe(oldRevision);
    expect(mid['web-1']).not.toBe(oldRevision);
    expect(mid['web-2']).toBe(mid['web-1']);
    expect(deletions).toEqual(['web-2', 'web-1']);
    const status = (await sts('web')).status;
    expect(status).toMatchObject({ currentRevision: oldRevision, updateRevision: mid['web-1'], currentReplicas: 1, updatedReplicas: 2, readyReplicas: 3 });

    await ok(['patch', 'sts/web', '-p', '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":0}}}}']);
    await until('web-0 updated and the update current', async () => {
      const s = (await sts('web')).status;
      return s.currentRevision === mid['web-1'] && s.currentReplicas === 3 && s.updatedReplicas === 3;
    });
    const history = await ok(['rollout', 'history', 'sts/web']);
    expect(history).toMatch(/^1\s+<none>$/m);
    expect(history).toMatch(/^2\s+<none>$/m);
    expect(await ok(['rollout', 'history', 'sts/web', '--revision=1'])).toContain('nginx:1.0');

    expect(await ok(['rollout', 'undo', 'sts/web'])).toContain('rolled back');
    await until('every pod back on the first revision', async () => {
      const now = await revisionLabels();
      const s = (await sts('web')).status;
      return Object.values(now).length === 3 && Object.values(now).every((r) => r === oldRevision) && s.currentRevision === oldRevision && s.readyReplicas === 3;
    });
    // The old revision is reused and renumbered, not copied.
    const revisions = (await getJson<{ items: (ApiObject & { revision: number })[] }>(`/apis/apps/v1/namespaces/${NS}/controllerrevisions`)).items;
    expect(Object.fromEntries(revisions.map((r) => [r.metadata.name, r.revision]))).toEqual({ [oldRevision]: 3, [mid['web-1']!]: 2 });
  });

  it('recreates a deleted pod with the same name and claim, and replaces a failed one', async () => {
    const claimUid = (await claimsOf('app=web')).find((c) => c.metadata.name === 'data-web-1')!.metadata.uid;
    const before = (await live()).find((p) => p.metadata.name === 'web-1')!;
    await ok(['delete', 'pod', 'web-1']);
    const back = await until('a new web-1', async () => (await live()).find((p) => p.metadata.name === 'web-1' && p.metadata.uid !== before.metadata.uid && p.status?.phase === 'Running'));
    expect(back.spec.volumes?.find((v) => v.name === 'data')?.persistentVolumeClaim?.claimName).toBe('data-web-1');
    expect((await claimsOf('app=web')).find((c) => c.metadata.name === 'data-web-1')!.metadata.uid).toBe(claimUid);

    const web2 = (await live()).find((p) => p.metadata.name === 'web-2')!;
    await setPhase('web-2', 'Failed');
    await until('web-2 replaced', async () => (await live()).some((p) => p.metadata.name === 'web-2' && p.metadata.uid !== web2.metadata.uid && p.status?.phase === 'Running'));
  });

  it('deletes claims as persistentVolumeClaimRetentionPolicy says: with the pod on scale-down, with the set on deletion', async () => {
    const policy = '  persistentVolumeClaimRetentionPolicy: {whenDeleted: Delete, whenScaled: Delete}\n  podManagementPolicy: Parallel\n';
    await ok(['apply', '-f', '-'], statefulSet('db', 3, policy));
    await until('db-0..2 running', async () => (await live('app=db')).filter((p) => p.status?.phase === 'Running').length === 3);
    const set = await sts('db');
    await until('claims owned by the set', async () => {
      const claims = await claimsOf('app=db');
      return claims.length === 3 && claims.every((c) => c.metadata.ownerReferences?.[0]?.uid === set.metadata.uid);
    });
    await ok(['scale', 'sts/db', '--replicas=1']);
    await until('the claims of db-1 and db-2 gone with their pods', async () => names(await claimsOf('app=db')).join() === 'data-db-0');
    await ok(['delete', 'sts', 'db']);
    await until('the last claim gone with the set', async () => (await claimsOf('app=db')).length === 0, 30_000);
  });
});
