// The DaemonSet controller: runs one pod of each DaemonSet on every node that should run it. It
// keeps the set's ControllerRevisions (one per template, for rollout history and undo), adopts
// matching orphan pods and revisions, creates pods pinned to their node (the scheduler binds
// them), deletes failed, surplus and misplaced pods, rolls updates out within maxUnavailable /
// maxSurge (or waits for deletions with OnDelete), trims old revisions and reports status.
// The decisions live in daemonset-plan.ts and daemonset-update-plan.ts; this file reads caches and writes.
import type { ApiObject } from '../api/resource-type.js';
import type { ReconcileResult } from '../client/controller.js';
import type { EventRecorder } from '../client/event-recorder.js';
import type { Informer } from '../client/informer.js';
import { ApiRequestError, type RestClient } from '../client/rest-client.js';
import { WorkQueue } from '../client/work-queue.js';
import { nullLogger, type Logger } from '../log/logger.js';
import { bumpCollisionCount, createRevision, equalRevisions, newRevision, nextRevision, REVISION_HASH_LABEL, revisionsToPrune, templateRevisionData, type ControllerRevision } from './controller-history.js';
import { daemonPodTemplate, daemonSetStatus, FailedPodBackoff, nodeShouldRunDaemonPod, pinToNode, planManage, podsByNode, type DaemonSet, type DaemonSetStatus, type DsNode } from './daemonset-plan.js';
import { planRollingUpdate } from './daemonset-update-plan.js';
import { Expectations } from './expectations.js';
import { ownerQueue, watchOwned, watchOwnedPods, watchOwners } from './owned-pods.js';
import { claimPods, slowStartBatches } from './replicaset-plan.js';
import { BY_NAMESPACE, ensureIndex, namespaceIndex, ownerRefTo, type Pod } from './workload-util.js';

const DS_KIND = ['apps/v1', 'DaemonSet'] as const;

/** What the controller runs on. */
export interface DaemonSetControllerDeps {
  client: RestClient;
  daemonSets: Informer<DaemonSet & ApiObject>;
  revisions: Informer<ControllerRevision>;
  pods: Informer<Pod>;
  nodes: Informer<DsNode & ApiObject>;
  events: EventRecorder;
  log?: Logger;
}

const enc = encodeURIComponent;
const keyOf = (o: { metadata: { namespace?: string; name: string } }) => `${o.metadata.namespace}/${o.metadata.name}`;
const dsPath = (ns: string, name: string) => `/apis/apps/v1/namespaces/${enc(ns)}/daemonsets/${enc(name)}`;
const revPath = (ns: string, name: string) => `/apis/apps/v1/namespaces/${enc(ns)}/controllerrevisions/${enc(name)}`;
const podsPath = (ns: string) => `/api/v1/namespaces/${enc(ns)}/pods`;
const notFound = (err: unknown) => err instanceof ApiRequestError && err.code === 404;
const ignoreNotFound = (err: unknown) => (notFound(err) ? undefined : Promise.reject(err));
const hashOf = (r: ControllerRevision) => r.metadata.labels?.[REVISION_HASH_LABEL] ?? r.metadata.name;

/** The DaemonSet controller's queue (fed by the informer handlers it registers) and reconcile function. */
export function daemonSetController(deps: DaemonSetControllerDeps): { queue: WorkQueue; reconcile(key: string): Promise<ReconcileResult | void> } {
  const { client, daemonSets, revisions, pods, nodes, events } = deps;
  const log = deps.log ?? nullLogger;
  const queue = new WorkQueue();
  const expectations = new Expectations();
  const backoff = new FailedPodBackoff();
  for (const inf of [daemonSets, revisions, pods] as Informer<ApiObject>[]) ensureIndex(inf, BY_NAMESPACE, namespaceIndex);

  const setKeys = ownerQueue(queue, daemonSets, 'DaemonSet');
  watchOwners(daemonSets, queue, expectations);
  watchOwnedPods(pods, setKeys, queue, expectations, { matchGoneOrphans: true });
  watchOwned(revisions, setKeys);
  const allSets = () => daemonSets.list().forEach((ds) => queue.add(keyOf(ds)));
  nodes.addHandler({
    onAdd: allSets,
    onDelete: allSets,
    onUpdate: (old, node) => {
      for (const ds of daemonSets.list()) {
        const a = nodeShouldRunDaemonPod(old, ds);
        const b = nodeShouldRunDaemonPod(node, ds);
        if (a.shouldRun !== b.shouldRun || a.shouldContinueRunning !== b.shouldContinueRunning) queue.add(keyOf(ds));
      }
    },
  });

  /** Makes `ds` the controller of `obj` (adopt) or drops it (release), guarded by the object's resourceVersion. */
  const setController = async <T extends Pod | ControllerRevision>(path: string, obj: T, ds: DaemonSet, adopt: boolean): Promise<T | undefined> => {
    const others = (obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== ds.metadata.uid);
    const refs = adopt ? [...others, ownerRefTo(ds as ApiObject, ...DS_KIND)] : others;
    const patch = { metadata: { uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion, ownerReferences: refs.length ? refs : null } };
    return client.patch<T>(path, patch).catch((err) => {
      if (notFound(err)) return undefined;
      throw new Error(`failed to ${adopt ? 'adopt' : 'release'} ${obj.metadata.name}: ${(err as Error).message}`, { cause: err });
    });
  };

  /** True when the set still exists as cached (not deleted, not recreated): the check before adopting. */
  const stillOurs = async (ds: DaemonSet): Promise<boolean> => {
    const fresh = await client.get<DaemonSet>(dsPath(ds.metadata.namespace ?? '', ds.metadata.name)).catch(ignoreNotFound);
    return fresh !== undefined && fresh.metadata.uid === ds.metadata.uid && !fresh.metadata.deletionTimestamp;
  };

  /** The objects of the set's namespace the set controls, adopting matching orphans and releasing owned ones that stopped matching. */
  const claim = async <T extends Pod | ControllerRevision>(ds: DaemonSet, candidates: T[], path: (o: T) => string): Promise<T[]> => {
    const claims = claimPods({ metadata: ds.metadata, spec: { selector: ds.spec.selector } }, candidates as Pod[]) as { owned: T[]; adopt: T[]; release: T[] };
    if (claims.adopt.length && (await stillOurs(ds))) {
      for (const o of claims.adopt) {
        const adopted = await setController(path(o), o, ds, true);
        if (adopted) claims.owned.push(adopted);
      }
    }
    for (const o of claims.release) await setController(path(o), o, ds, false);
    return claims.owned;
  };

  /** Creates the revision of the current template; after a name collision, bumps collisionCount and retries later. */
  const snapshot = async (ds: DaemonSet, revision: number): Promise<ControllerRevision> => {
    const ns = ds.metadata.namespace ?? '';
    const body = newRevision({ owner: ds as ApiObject, apiVersion: DS_KIND[0], kind: DS_KIND[1], templateLabels: ds.spec.template?.metadata?.labels, data: templateRevisionData(ds.spec.template), revision, collisionCount: ds.status?.collisionCount });
    const made = await createRevision(client, body);
    if (made.revision) return made.revision;
    const count = await bumpCollisionCount(client, dsPath(ns, ds.metadata.name), ds.status?.collisionCount);
    log.v(2).info(`daemonset ${keyOf(ds)}: hash collision with controller revision ${body.metadata.name}, collisionCount now ${count}`);
    throw new Error(`controller revision ${body.metadata.name} exists with other data; collisionCount of DaemonSet ${keyOf(ds)} is now ${count}`);
  };

  /**
   * The set's current revision (the one holding its template; created or renumbered as needed,
   * duplicates merged into the newest) and its old ones.
   */
  const constructHistory = async (ds: DaemonSet, owned: Pod[]): Promise<{ cur: ControllerRevision; old: ControllerRevision[] }> => {
    const ns = ds.metadata.namespace ?? '';
    const all = await claim(ds, revisions.byIndex(BY_NAMESPACE, ns), (r) => revPath(ns, r.metadata.name));
    const data = templateRevisionData(ds.spec.template);
    const current = equalRevisions(all, data);
    const old = all.filter((r) => !current.includes(r));
    const next = nextRevision(old);
    if (!current.length) return { cur: await snapshot(ds, next), old };
    let cur = current[current.length - 1]!;
    const dupHashes = new Set(current.filter((r) => r !== cur).map(hashOf));
    for (const pod of owned) {
      const h = pod.metadata.labels?.[REVISION_HASH_LABEL];
      if (h && dupHashes.has(h)) await client.patch(`${podsPath(ns)}/${enc(pod.metadata.name)}`, { metadata: { labels: { [REVISION_HASH_LABEL]: hashOf(cur) } } }).catch(ignoreNotFound);
    }
    for (const dup of current) if (dup !== cur) await client.delete(revPath(ns, dup.metadata.name)).catch(ignoreNotFound);
    if (cur.revision < next) cur = await client.patch<ControllerRevision>(revPath(ns, cur.metadata.name), { metadata: { uid: cur.metadata.uid }, revision: next });
    return { cur, old };
  };

  /** Creates pods on `create` nodes (slow start) and deletes `remove`; returns the first error. */
  const syncNodes = async (ds: DaemonSet, key: string, create: string[], remove: Pod[], hash: string): Promise<Error | undefined> => {
    const ns = ds.metadata.namespace ?? '';
    expectations.expect(key, create.length, remove.map(keyOf));
    const template = daemonPodTemplate(ds, hash);
    let failure: Error | undefined;
    let pos = 0;
    for (const batch of slowStartBatches(create.length)) {
      const chunk = create.slice(pos, pos + batch);
      pos += batch;
      const results = await Promise.allSettled(
        chunk.map((node) => {
          const body = {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { generateName: `${ds.metadata.name}-`, namespace: ns, labels: template.metadata?.labels, annotations: template.metadata?.annotations, ownerReferences: [ownerRefTo(ds as ApiObject, ...DS_KIND)] },
            spec: { ...template.spec, affinity: pinToNode(template.spec?.affinity as never, node) },
          };
          return client.create<Pod>(podsPath(ns), body);
        }),
      );
      for (const r of results) {
        if (r.status === 'fulfilled') events.event(ds, DS_KIND, 'Normal', 'SuccessfulCreate', `Created pod: ${r.value.metadata.name}`);
        else {
          expectations.creationObserved(key);
          failure ??= r.reason as Error;
          events.event(ds, DS_KIND, 'Warning', 'FailedCreate', `Error creating: ${(r.reason as Error).message}`);
        }
      }
      if (failure) {
        expectations.creationObserved(key, create.length - pos);
        break;
      }
    }
    await Promise.all(
      remove.map(async (pod) => {
        try {
          await client.delete(`${podsPath(ns)}/${enc(pod.metadata.name)}`);
          events.event(ds, DS_KIND, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
        } catch (err) {
          expectations.deletionObserved(key, keyOf(pod));
          if (notFound(err)) return;
          events.event(ds, DS_KIND, 'Warning', 'FailedDelete', `Error deleting: ${(err as Error).message}`);
          failure ??= err as Error;
        }
      }),
    );
    if (create.length || remove.length) log.v(2).info(`daemonset ${key}: creating ${create.length} pod(s), deleting ${remove.length}`);
    return failure;
  };

  /** Writes the status when it changed; returns when a ready pod turns available (ms from now). */
  const writeStatus = async (ds: DaemonSet, nodeList: DsNode[], owned: Pod[], hash: string, observed: boolean): Promise<number | undefined> => {
    const { counts, requeueAfter } = daemonSetStatus(ds, nodeList, podsByNode(owned, false), hash, Date.now());
    const status: Partial<DaemonSetStatus> = { ...counts, observedGeneration: observed ? ds.metadata.generation : ds.status?.observedGeneration };
    const was = ds.status ?? {};
    const same = (Object.keys(status) as (keyof DaemonSetStatus)[]).every((k) => (status[k] ?? 0) === (was[k] ?? 0));
    if (!same) await client.patch(`${dsPath(ds.metadata.namespace ?? '', ds.metadata.name)}/status`, { metadata: { uid: ds.metadata.uid }, status }).catch(ignoreNotFound);
    return requeueAfter;
  };

  const reconcile = async (key: string): Promise<ReconcileResult | void> => {
    const ds = daemonSets.get(key);
    if (!ds) {
      expectations.delete(key);
      return;
    }
    if (ds.metadata.deletionTimestamp) return;
    const ns = ds.metadata.namespace ?? '';
    const nodeList = nodes.list();
    const owned = await claim(ds, pods.byIndex(BY_NAMESPACE, ns), (p) => `${podsPath(ns)}/${enc(p.metadata.name)}`);
    const { cur, old } = await constructHistory(ds, owned);
    const hash = hashOf(cur);
    if (!expectations.satisfied(key)) {
      const wait = await writeStatus(ds, nodeList, owned, hash, false);
      return wait !== undefined ? { requeueAfter: wait } : undefined;
    }
    const now = Date.now();
    const manage = planManage(ds, nodeList, podsByNode(owned, true), hash, now, backoff);
    for (const pod of manage.failed) events.event(ds, DS_KIND, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${ns}/${pod.metadata.name} on node ${pod.spec?.nodeName ?? ''}, will try to kill it`);
    let failure = await syncNodes(ds, key, manage.create, manage.remove, hash);
    if (!failure && !manage.create.length && !manage.remove.length && (ds.spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
      const step = planRollingUpdate(ds, nodeList, podsByNode(owned, false), hash, now);
      if (step.create.length || step.remove.length) failure = await syncNodes(ds, key, step.create, step.remove, hash);
    }
    const live = new Set(owned.map((p) => p.metadata.labels?.[REVISION_HASH_LABEL]).filter(Boolean));
    for (const r of revisionsToPrune(old, ds.spec.revisionHistoryLimit ?? 10, (r) => live.has(hashOf(r)))) await client.delete(revPath(ns, r.metadata.name)).catch(ignoreNotFound);
    const available = await writeStatus(ds, nodeList, owned, hash, true);
    if (failure) throw new Error(`failed to sync pods of DaemonSet ${key}: ${failure.message}`, { cause: failure });
    const waits = [manage.requeueAfter, available].filter((w): w is number => w !== undefined);
    return waits.length ? { requeueAfter: Math.min(...waits) } : undefined;
  };

  return { queue, reconcile };
}
