// The Deployment controller: rolls a Deployment's pod template out through ReplicaSets named
// <deployment>-<pod-template-hash>. It keeps revisions, finds an existing set for a template it
// had before (rollback), scales new and old sets within maxSurge/maxUnavailable (or Recreate),
// resizes proportionally, honours pause, trims history and reports status and conditions.
// The decisions live in deployment-plan.ts; this file reads caches and writes.
import type { ReconcileResult } from '../client/controller.js';
import type { Informer } from '../client/informer.js';
import { ApiRequestError, type RestClient } from '../client/rest-client.js';
import { WorkQueue } from '../client/work-queue.js';
import { nullLogger, type Logger } from '../log/logger.js';
import { activeSets, isComplete, isScalingEvent, newSetReplicas, pauseCondition, rollNewSet, rollOldSets, rolloutStatus, calculateStatus, sameDeploymentStatus, scaleSets, setsToCleanUp, type ScaleStep } from './deployment-plan.js';
import {
  REVISION,
  TEMPLATE_HASH,
  equalIgnoringHash,
  getCondition,
  hasProgressDeadline,
  maxRevision,
  maxSurge,
  newCondition,
  replicasOf,
  setCondition,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  templateHash,
  type Deployment,
  type DeploymentStatus,
} from './deployment-util.js';
import type { EventRecorder } from '../client/event-recorder.js';
import { BY_NAMESPACE, controllerKey, controllerRef, createdAt, ensureIndex, namespaceIndex, ownerRefTo, selectorMatcher, type Pod, type ReplicaSet } from './workload-util.js';

const DEPLOY_KIND = ['apps/v1', 'Deployment'] as const;

/** What the controller runs on. */
export interface DeploymentControllerDeps {
  client: RestClient;
  deployments: Informer<Deployment & { metadata: { name: string } }>;
  replicaSets: Informer<ReplicaSet>;
  pods: Informer<Pod>;
  events: EventRecorder;
  log?: Logger;
}

const enc = encodeURIComponent;
const dPath = (ns: string, name: string) => `/apis/apps/v1/namespaces/${enc(ns)}/deployments/${enc(name)}`;
const rsBase = (ns: string) => `/apis/apps/v1/namespaces/${enc(ns)}/replicasets`;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const is = (code: number) => (err: unknown) => err instanceof ApiRequestError && err.code === code;

/** The Deployment controller's queue (fed by the handlers it registers) and reconcile function. */
export function deploymentController(deps: DeploymentControllerDeps): { queue: WorkQueue; reconcile(key: string): Promise<ReconcileResult | void> } {
  const { client, deployments, replicaSets, pods, events } = deps;
  const log = deps.log ?? nullLogger;
  const queue = new WorkQueue();
  ensureIndex(deployments, BY_NAMESPACE, namespaceIndex);
  ensureIndex(replicaSets, BY_NAMESPACE, namespaceIndex);
  ensureIndex(pods, BY_NAMESPACE, namespaceIndex);
  const keyOf = (o: { metadata: { namespace?: string; name: string } }) => `${o.metadata.namespace}/${o.metadata.name}`;

  /** The Deployment controlling a ReplicaSet, if in the cache. */
  const ownerOf = (rs: ReplicaSet): string | undefined => controllerKey(rs, 'Deployment', deployments);
  const enqueueFor = (rs: ReplicaSet) => {
    const key = ownerOf(rs);
    if (key) return queue.add(key);
    if (controllerRef(rs)) return;
    for (const d of deployments.byIndex(BY_NAMESPACE, rs.metadata.namespace ?? '')) if (selectorMatcher(d.spec.selector)(rs.metadata.labels)) queue.add(keyOf(d));
  };
  deployments.addHandler({ onAdd: (d) => queue.add(keyOf(d)), onUpdate: (_, d) => queue.add(keyOf(d)), onDelete: (d) => queue.add(keyOf(d)) });
  replicaSets.addHandler({
    onAdd: enqueueFor,
    onUpdate: (old, rs) => {
      const before = ownerOf(old);
      if (before && before !== ownerOf(rs)) queue.add(before);
      enqueueFor(rs);
    },
    onDelete: enqueueFor,
  });
  // Recreate waits for old pods to be gone.
  const podGone = (pod: Pod) => {
    const ref = controllerRef(pod);
    const rs = ref?.kind === 'ReplicaSet' ? replicaSets.get(`${pod.metadata.namespace}/${ref.name}`) : undefined;
    const key = rs && ownerOf(rs);
    if (key && deployments.get(key)?.spec.strategy?.type === 'Recreate') queue.add(key);
  };
  pods.addHandler({ onDelete: podGone, onUpdate: (_, p) => p.metadata.deletionTimestamp && podGone(p) });

  const writeStatus = async (d: Deployment, status: DeploymentStatus): Promise<Deployment> => {
    const ns = d.metadata.namespace ?? '';
    return client.patch<Deployment>(`${dPath(ns, d.metadata.name)}/status`, { metadata: { uid: d.metadata.uid }, status });
  };

  /** The sets the Deployment controls (adopting matching orphans, releasing ones that stopped matching). */
  const claimSets = async (d: Deployment): Promise<ReplicaSet[]> => {
    const matches = selectorMatcher(d.spec.selector);
    const owned: ReplicaSet[] = [];
    for (const rs of replicaSets.byIndex(BY_NAMESPACE, d.metadata.namespace ?? '')) {
      const ref = controllerRef(rs);
      const match = matches(rs.metadata.labels);
      const path = `${rsBase(rs.metadata.namespace ?? '')}/${enc(rs.metadata.name)}`;
      const refs = (rs.metadata.ownerReferences ?? []).filter((r) => r.uid !== d.metadata.uid);
      if (ref?.uid === d.metadata.uid) {
        if (match) owned.push(rs);
        else await client.patch(path, { metadata: { uid: rs.metadata.uid, resourceVersion: rs.metadata.resourceVersion, ownerReferences: refs.length ? refs : null } }).catch((e) => (is(404)(e) ? undefined : Promise.reject(e)));
      } else if (!ref && match && !d.metadata.deletionTimestamp && !rs.metadata.deletionTimestamp) {
        const adopted = await client
          .patch<ReplicaSet>(path, { metadata: { uid: rs.metadata.uid, resourceVersion: rs.metadata.resourceVersion, ownerReferences: [...refs, ownerRefTo(d as never, 'apps/v1', 'Deployment')] } })
          .catch((e) => (is(404)(e) ? undefined : Promise.reject(e)));
        if (adopted) owned.push(adopted);
      }
    }
    return owned;
  };

  /** Sets a ReplicaSet's size and replicas annotations; records ScalingReplicaSet when the size changed. */
  const scaleSet = async (d: Deployment, rs: ReplicaSet, replicas: number): Promise<ReplicaSet> => {
    const from = rs.spec.replicas ?? 0;
    const copy = clone(rs);
    const annotated = setReplicasAnnotations(copy.metadata, replicasOf(d), replicasOf(d) + maxSurge(d));
    if (from === replicas && !annotated) return rs;
    copy.spec.replicas = replicas;
    const updated = await client.update<ReplicaSet>(`${rsBase(rs.metadata.namespace ?? '')}/${enc(rs.metadata.name)}`, copy);
    if (from !== replicas) events.event(d as never, DEPLOY_KIND, 'Normal', 'ScalingReplicaSet', `Scaled ${replicas > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${replicas}`);
    return updated;
  };

  interface Sets {
    d: Deployment;
    newRS?: ReplicaSet;
    olds: ReplicaSet[];
  }

  /** Finds (or, with `create`, makes) the new set and brings revisions up to date (upstream's getAllReplicaSetsAndSyncRevision). */
  const syncRevision = async (d: Deployment, sets: ReplicaSet[], create: boolean): Promise<Sets> => {
    const ns = d.metadata.namespace ?? '';
    const sorted = [...sets].sort((a, b) => createdAt(a) - createdAt(b) || a.metadata.name.localeCompare(b.metadata.name));
    const existing = sorted.find((rs) => equalIgnoringHash(rs.spec.template, d.spec.template));
    const olds = sorted.filter((rs) => rs !== existing);
    const revision = maxRevision(olds) + 1;
    if (existing) {
      let newRS = existing;
      const copy = clone(existing);
      const changed = setNewReplicaSetAnnotations(d, copy.metadata, revision, true);
      if (changed || (copy.spec.minReadySeconds ?? 0) !== (d.spec.minReadySeconds ?? 0)) {
        copy.spec.minReadySeconds = d.spec.minReadySeconds ?? 0;
        newRS = await client.update<ReplicaSet>(`${rsBase(ns)}/${enc(existing.metadata.name)}`, copy);
      }
      const rev = newRS.metadata.annotations?.[REVISION];
      if (rev && d.metadata.annotations?.[REVISION] !== rev) {
        const patched = await client.patch<Deployment>(dPath(ns, d.metadata.name), { metadata: { uid: d.metadata.uid, annotations: { [REVISION]: rev } } });
        d = { ...d, metadata: patched.metadata };
      }
      if (hasProgressDeadline(d) && !getCondition(d.status, 'Progressing')) {
        const status = clone(d.status ?? {});
        setCondition(status, newCondition('Progressing', 'True', 'FoundNewReplicaSet', `Found new replica set "${newRS.metadata.name}"`, Date.now()));
        d = await writeStatus(d, status);
      }
      return { d, newRS, olds };
    }
    if (!create) return { d, olds };
    const hash = templateHash(d.spec.template, d.status?.collisionCount);
    const template = clone(d.spec.template ?? {});
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [TEMPLATE_HASH]: hash } };
    const selector = clone(d.spec.selector ?? {});
    selector.matchLabels = { ...selector.matchLabels, [TEMPLATE_HASH]: hash };
    const name = `${d.metadata.name}-${hash}`;
    const replicas = newSetReplicas(d, olds, undefined);
    const meta = { name, namespace: ns, labels: template.metadata.labels, annotations: {}, ownerReferences: [ownerRefTo(d as never, 'apps/v1', 'Deployment')] };
    setNewReplicaSetAnnotations(d, meta, revision, false);
    const body = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: meta, spec: { replicas, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template } };
    let created: ReplicaSet;
    try {
      created = await client.create<ReplicaSet>(rsBase(ns), body);
    } catch (err) {
      if (is(409)(err)) {
        const there = await client.get<ReplicaSet>(`${rsBase(ns)}/${enc(name)}`);
        if (controllerRef(there)?.uid === d.metadata.uid && equalIgnoringHash(there.spec.template, d.spec.template)) return { d, newRS: there, olds };
        const status = clone(d.status ?? {});
        status.collisionCount = (status.collisionCount ?? 0) + 1;
        await writeStatus(d, status);
        throw new Error(`hash collision for ReplicaSet ${name}; collisionCount is now ${status.collisionCount}`, { cause: err });
      }
      if (hasProgressDeadline(d)) {
        const status = clone(d.status ?? {});
        setCondition(status, newCondition('Progressing', 'False', 'ReplicaSetCreateError', `Failed to create new replica set "${name}": ${(err as Error).message}`, Date.now()));
        await writeStatus(d, status).catch(() => undefined);
      }
      throw err;
    }
    if (replicas > 0) events.event(d as never, DEPLOY_KIND, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${name} from 0 to ${replicas}`);
    if (d.metadata.annotations?.[REVISION] !== String(revision)) {
      const patched = await client.patch<Deployment>(dPath(ns, d.metadata.name), { metadata: { uid: d.metadata.uid, annotations: { [REVISION]: String(revision) } } });
      d = { ...d, metadata: patched.metadata };
    }
    if (hasProgressDeadline(d)) {
      const status = clone(d.status ?? {});
      setCondition(status, newCondition('Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "${name}"`, Date.now()));
      d = await writeStatus(d, status);
    }
    return { d, newRS: created, olds };
  };

  /** Applies scale steps; returns the sets with the updated ones swapped in. */
  const applySteps = async (d: Deployment, steps: ScaleStep[], sets: Sets): Promise<Sets> => {
    const replaced = new Map<ReplicaSet, ReplicaSet>();
    for (const s of steps) replaced.set(s.rs, await scaleSet(d, s.rs, s.replicas));
    const swap = (rs: ReplicaSet) => replaced.get(rs) ?? rs;
    return { d: sets.d, newRS: sets.newRS && swap(sets.newRS), olds: sets.olds.map(swap) };
  };

  const cleanup = async (d: Deployment, olds: ReplicaSet[]) => {
    for (const rs of setsToCleanUp(d, olds)) {
      log.v(2).info(`deployment ${keyOf(d)}: deleting old replica set ${rs.metadata.name}`);
      await client.delete(`${rsBase(rs.metadata.namespace ?? '')}/${enc(rs.metadata.name)}`).catch((e) => (is(404)(e) ? undefined : Promise.reject(e)));
    }
  };

  const all = (s: Sets) => (s.newRS ? [...s.olds, s.newRS] : s.olds);

  /** Writes the rollout status (with Progressing); returns when to look again. */
  const syncRolloutStatus = async (s: Sets): Promise<ReconcileResult | void> => {
    const { status, requeueAfter } = rolloutStatus(s.d, all(s), s.newRS, Date.now());
    if (!sameDeploymentStatus(s.d.status, status)) await writeStatus(s.d, status);
    return requeueAfter !== undefined ? { requeueAfter } : undefined;
  };

  /** Resizing only (paused Deployments and scaling events): upstream's sync. */
  const syncScale = async (d: Deployment, sets: ReplicaSet[]): Promise<void> => {
    let s = await syncRevision(d, sets, false);
    s = await applySteps(s.d, scaleSets(s.d, s.newRS, s.olds), s);
    if (s.d.spec.paused) await cleanup(s.d, s.olds);
    const status = calculateStatus(s.d, all(s), s.newRS, Date.now());
    if (!sameDeploymentStatus(s.d.status, status)) await writeStatus(s.d, status);
  };

  const rollingUpdate = async (d: Deployment, sets: ReplicaSet[]): Promise<ReconcileResult | void> => {
    let s = await syncRevision(d, sets, true);
    const target = s.newRS && rollNewSet(s.d, all(s), s.newRS);
    if (target !== undefined && s.newRS) {
      s = { ...s, newRS: await scaleSet(s.d, s.newRS, target) };
      return syncRolloutStatus(s);
    }
    const steps = rollOldSets(s.d, all(s), s.olds, s.newRS);
    if (steps.length) return syncRolloutStatus(await applySteps(s.d, steps, s));
    if (isComplete(s.d, s.d.status ?? {})) await cleanup(s.d, s.olds);
    return syncRolloutStatus(s);
  };

  const recreate = async (d: Deployment, sets: ReplicaSet[]): Promise<ReconcileResult | void> => {
    let s = await syncRevision(d, sets, false);
    const activeOld = activeSets(s.olds);
    if (activeOld.length) return syncRolloutStatus(await applySteps(s.d, activeOld.map((rs) => ({ rs, replicas: 0 })), s));
    const oldUids = new Set(s.olds.map((rs) => rs.metadata.uid));
    const oldRunning =
      s.olds.some((rs) => (rs.status?.replicas ?? 0) > 0) ||
      pods.byIndex(BY_NAMESPACE, d.metadata.namespace ?? '').some((p) => oldUids.has(controllerRef(p)?.uid) && p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded');
    if (oldRunning) return syncRolloutStatus(s);
    if (!s.newRS) s = await syncRevision(s.d, all(s), true);
    if (s.newRS && (s.newRS.spec.replicas ?? 0) !== replicasOf(s.d)) s = { ...s, newRS: await scaleSet(s.d, s.newRS, replicasOf(s.d)) };
    if (isComplete(s.d, s.d.status ?? {})) await cleanup(s.d, s.olds);
    return syncRolloutStatus(s);
  };

  const reconcile = async (key: string): Promise<ReconcileResult | void> => {
    const cached = deployments.get(key);
    if (!cached) return;
    let d: Deployment = cached;
    if (!Object.keys(d.spec.selector?.matchLabels ?? {}).length && !(d.spec.selector?.matchExpressions ?? []).length) {
      events.event(d as never, DEPLOY_KIND, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.metadata.generation ?? 0) > (d.status?.observedGeneration ?? 0)) await writeStatus(d, { ...d.status, observedGeneration: d.metadata.generation });
      return;
    }
    const sets = await claimSets(d);
    if (d.metadata.deletionTimestamp) {
      const s = await syncRevision(d, sets, false);
      const status = calculateStatus(s.d, all(s), s.newRS, Date.now());
      if (!sameDeploymentStatus(s.d.status, status)) await writeStatus(s.d, status);
      return;
    }
    const pc = pauseCondition(d, Date.now());
    if (pc) {
      const status = clone(d.status ?? {});
      setCondition(status, pc);
      d = await writeStatus(d, status);
    }
    if (d.spec.paused) return syncScale(d, sets);
    if (isScalingEvent(d, sets)) return syncScale(d, sets);
    return d.spec.strategy?.type === 'Recreate' ? recreate(d, sets) : rollingUpdate(d, sets);
  };

  return { queue, reconcile };
}
