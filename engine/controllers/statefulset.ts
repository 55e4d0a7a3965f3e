// The StatefulSet controller: runs each set's pods as <set>-<ordinal> with stable names, network
// identities and claims from volumeClaimTemplates; creates, replaces, scales down and rolls them
// in order (OrderedReady) or all at once (Parallel); keeps ControllerRevisions for updates and
// `kubectl rollout undo`; applies the claim retention policy through owner references; reports
// status and events. The decisions live in statefulset-plan.ts; this file reads caches and writes.
import type { ApiObject } from '../api/resource-type.js';
import type { ReconcileResult } from '../client/controller.js';
import type { EventRecorder } from '../client/event-recorder.js';
import type { Informer } from '../client/informer.js';
import { ApiRequestError, type RestClient } from '../client/rest-client.js';
import { WorkQueue } from '../client/work-queue.js';
import { nullLogger, type Logger } from '../log/logger.js';
import { bumpCollisionCount, createRevision, newRevision, revisionsToPrune, templateRevisionData, type ControllerRevision } from './controller-history.js';
import { Expectations } from './expectations.js';
import { ownerQueue, watchOwned, watchOwnedPods, watchOwners } from './owned-pods.js';
import { slowStartBatches } from './replicaset-plan.js';
import { chooseRevisions, planSync, sameStatus, templateOfRevision, type ClaimOwners, type Op, type SyncPlan } from './statefulset-plan.js';
import { isMemberOf, podRevision, type Claim, type StatefulSet } from './statefulset-pods.js';
import { BY_NAMESPACE, controllerRef, ensureIndex, namespaceIndex, ownerRefTo, selectorMatcher, type Pod } from './workload-util.js';

const STS_KIND = ['apps/v1', 'StatefulSet'] as const;

/** What the controller runs on. */
export interface StatefulSetControllerDeps {
  client: RestClient;
  statefulSets: Informer<StatefulSet>;
  pods: Informer<Pod>;
  revisions: Informer<ControllerRevision>;
  claims: Informer<Claim>;
  events: EventRecorder;
  log?: Logger;
  /** Honour rollingUpdate.maxUnavailable (upstream's MaxUnavailableStatefulSet feature; off by default as in 1.34). */
  maxUnavailable?: boolean;
}

const enc = encodeURIComponent;
const keyOf = (o: ApiObject) => `${o.metadata.namespace}/${o.metadata.name}`;
const setPath = (ns: string, name: string) => `/apis/apps/v1/namespaces/${enc(ns)}/statefulsets/${enc(name)}`;
const podPath = (ns: string, name = '') => `/api/v1/namespaces/${enc(ns)}/pods${name ? `/${enc(name)}` : ''}`;
const claimPath = (ns: string, name = '') => `/api/v1/namespaces/${enc(ns)}/persistentvolumeclaims${name ? `/${enc(name)}` : ''}`;
const revisionPath = (ns: string, name: string) => `/apis/apps/v1/namespaces/${enc(ns)}/controllerrevisions/${enc(name)}`;
const is = (...codes: number[]) => (err: unknown) => err instanceof ApiRequestError && codes.includes(err.code);
const ignore = (...codes: number[]) => (err: unknown) => (is(...codes)(err) ? undefined : Promise.reject(err));
/** Several errors as one, as Go's aggregate prints them. */
const aggregate = (errs: string[]) => (errs.length === 1 ? errs[0]! : `[${errs.join(', ')}]`);

/** The StatefulSet controller's queue (fed by the informer handlers it registers) and reconcile function. */
export function statefulSetController(deps: StatefulSetControllerDeps): { queue: WorkQueue; reconcile(key: string): Promise<ReconcileResult | void> } {
  const { client, statefulSets: sets, pods, revisions, claims, events } = deps;
  const log = deps.log ?? nullLogger;
  const queue = new WorkQueue();
  const expectations = new Expectations();
  for (const inf of [sets, pods, revisions, claims] as Informer<ApiObject>[]) ensureIndex(inf, BY_NAMESPACE, namespaceIndex);
  const inNamespace = (o: ApiObject) => sets.byIndex(BY_NAMESPACE, o.metadata.namespace ?? '');

  const setKeys = ownerQueue(queue, sets, 'StatefulSet');
  watchOwnedPods(pods, setKeys, queue, expectations);
  watchOwners(sets, queue, expectations);
  watchOwned(revisions, setKeys);
  // A pod waits for a claim of its name to go (stale owner) or to be made again (deleted while pending).
  const claimGone = (c: Claim) => {
    for (const set of inNamespace(c)) {
      if ((set.spec.volumeClaimTemplates ?? []).some((t) => c.metadata.name.startsWith(`${t.metadata?.name}-${set.metadata.name}-`))) queue.add(keyOf(set));
    }
  };
  claims.addHandler({ onDelete: claimGone, onUpdate: (old, c) => c.metadata.deletionTimestamp && !old.metadata.deletionTimestamp && claimGone(c) });

  const event = (set: StatefulSet, type: 'Normal' | 'Warning', reason: string, message: string) => events.event(set, STS_KIND, type, reason, message);

  /** Fails unless the set as the server has it now may adopt (same uid, not being deleted). */
  const checkCanAdopt = async (set: StatefulSet) => {
    const fresh = await client.get<StatefulSet>(setPath(set.metadata.namespace ?? '', set.metadata.name));
    if (fresh.metadata.uid !== set.metadata.uid) throw new Error(`original StatefulSet ${keyOf(set)} is gone: got uid ${fresh.metadata.uid}, wanted ${set.metadata.uid}`);
    if (fresh.metadata.deletionTimestamp) throw new Error(`${keyOf(set)} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
  };

  /** Adopts (`adopt`) or releases an object by rewriting its owner references, guarded by its resourceVersion. */
  const setOwner = async <T extends ApiObject>(set: StatefulSet, path: string, obj: T, adopt: boolean): Promise<T | undefined> => {
    const others = ((obj.metadata.ownerReferences as { uid: string }[] | undefined) ?? []).filter((r) => r.uid !== set.metadata.uid);
    const refs = adopt ? [...others, ownerRefTo(set, 'apps/v1', 'StatefulSet')] : others;
    const patch = { metadata: { uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion, ownerReferences: refs.length ? refs : null } };
    return client.patch<T>(path, patch).catch(ignore(404));
  };

  /** The set's pods: owned members that match, plus matching orphans adopted; owned ones that stopped matching are released. */
  const claimPods = async (set: StatefulSet): Promise<Pod[]> => {
    const ns = set.metadata.namespace ?? '';
    const matches = selectorMatcher(set.spec.selector);
    const mine: Pod[] = [];
    let checked = false;
    for (const pod of pods.byIndex(BY_NAMESPACE, ns)) {
      const ref = controllerRef(pod);
      const fits = matches(pod.metadata.labels) && isMemberOf(set, pod);
      if (ref?.uid === set.metadata.uid) {
        if (fits) mine.push(pod);
        else await setOwner(set, podPath(ns, pod.metadata.name), pod, false);
      } else if (!ref && fits && !set.metadata.deletionTimestamp && !pod.metadata.deletionTimestamp) {
        if (!checked) await checkCanAdopt(set);
        checked = true;
        const adopted = await setOwner(set, podPath(ns, pod.metadata.name), pod, true);
        if (adopted) mine.push(adopted);
      }
    }
    return mine;
  };

  /** The set's revisions (matching its selector, controlled by it), adopting matching orphans. */
  const claimRevisions = async (set: StatefulSet): Promise<ControllerRevision[]> => {
    const ns = set.metadata.namespace ?? '';
    const matches = selectorMatcher(set.spec.selector);
    const found = revisions.byIndex(BY_NAMESPACE, ns).filter((r) => matches(r.metadata.labels) && (!controllerRef(r) || controllerRef(r)?.uid === set.metadata.uid));
    const orphans = found.filter((r) => !controllerRef(r));
    if (!orphans.length || set.metadata.deletionTimestamp) return found.filter((r) => controllerRef(r));
    await checkCanAdopt(set);
    const out: ControllerRevision[] = found.filter((r) => controllerRef(r));
    for (const r of orphans) {
      const adopted = await setOwner(set, revisionPath(ns, r.metadata.name), r, true);
      if (adopted) out.push(adopted);
    }
    return out;
  };

  /** The update revision as a stored object: the one found, renumbered (rollback), or created (bumping collisionCount on name collisions). */
  const resolveUpdate = async (set: StatefulSet, owned: ControllerRevision[]): Promise<{ update: ControllerRevision; current?: ControllerRevision; collisionCount: number }> => {
    const ns = set.metadata.namespace ?? '';
    let collisionCount = set.status?.collisionCount ?? 0;
    const { update: choice, current } = chooseRevisions(set, owned, collisionCount);
    if ('use' in choice) return { update: choice.use, current, collisionCount };
    if ('renumber' in choice) {
      const r = choice.renumber;
      const update = await client.patch<ControllerRevision>(revisionPath(ns, r.metadata.name), { metadata: { uid: r.metadata.uid }, revision: choice.revision });
      return { update, current: current?.metadata.name === update.metadata.name ? update : current, collisionCount };
    }
    let body = choice.create;
    for (let attempt = 0; attempt < 5; attempt++) {
      const made = await createRevision(client, body);
      if (made.revision) return { update: made.revision, current, collisionCount };
      collisionCount = await bumpCollisionCount(client, setPath(ns, set.metadata.name), collisionCount);
      const data = templateRevisionData(set.spec.template);
      body = newRevision({ owner: set, apiVersion: 'apps/v1', kind: 'StatefulSet', templateLabels: set.spec.template?.metadata?.labels, data, revision: body.revision, collisionCount });
    }
    throw new Error(`could not find a free name for a new revision of ${keyOf(set)} (collisionCount ${collisionCount})`);
  };

  /** Creates the claims of `pod`, then fails if any is missing or being deleted. */
  const createClaims = async (set: StatefulSet, pod: Pod, toCreate: Claim[], deleting: string[]): Promise<void> => {
    const ns = set.metadata.namespace ?? '';
    const errs: string[] = [];
    for (const claim of toCreate) {
      try {
        await client.create(claimPath(ns), claim);
        event(set, 'Normal', 'SuccessfulCreate', `create Claim ${claim.metadata.name} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} success`);
      } catch (err) {
        if (is(409)(err)) continue; // made by an earlier sync our cache has not shown yet
        const message = (err as Error).message;
        errs.push(`failed to create PVC ${claim.metadata.name}: ${message}`);
        event(set, 'Warning', 'FailedCreate', `create Claim ${claim.metadata.name} for Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${message}`);
      }
    }
    for (const name of deleting) errs.push(`pvc ${name} is being deleted`);
    if (errs.length) throw new Error(aggregate(errs));
  };

  /** Sets the owner references of claims as the retention policy wants. */
  const fixOwners = async (set: StatefulSet, owners: ClaimOwners[], pod?: Pod): Promise<void> => {
    for (const { claim, ownerReferences, conflict } of owners) {
      if (conflict) event(set, 'Warning', 'ConflictingController', `PersistentVolumeClaim ${claim.metadata.name} has a conflicting OwnerReference that acts as a managing controller, the retention policy is ignored for this claim`);
      // A pod created in this sync had no uid when the plan was made: its reference gets it now.
      const refs = ownerReferences.map((r) => (pod && r.kind === 'Pod' && r.name === pod.metadata.name ? { ...r, uid: String(pod.metadata.uid) } : r));
      const patch = { metadata: { uid: claim.metadata.uid, resourceVersion: claim.metadata.resourceVersion, ownerReferences: refs.length ? refs : null } };
      await client.patch(claimPath(claim.metadata.namespace ?? '', claim.metadata.name), patch).catch(ignore(404));
    }
  };

  const podEvent = (set: StatefulSet, verb: 'create' | 'delete' | 'update', pod: Pod, err?: unknown) => {
    const Verb = verb[0]!.toUpperCase() + verb.slice(1);
    if (!err) event(set, 'Normal', `Successful${Verb}`, `${verb} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
    else event(set, 'Warning', `Failed${Verb}`, `${verb} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${(err as Error).message}`);
  };

  /** Runs one op; `key` is the set's, for expectations. */
  const runOp = async (set: StatefulSet, key: string, op: Op): Promise<void> => {
    const ns = set.metadata.namespace ?? '';
    switch (op.type) {
      case 'create': {
        let made: Pod | undefined;
        try {
          try {
            await createClaims(set, op.pod, op.claims, op.deleting);
            made = await client.create<Pod>(podPath(ns), op.pod);
          } catch (err) {
            if (!is(409)(err)) podEvent(set, 'create', op.pod, err);
            throw err;
          }
          podEvent(set, 'create', op.pod);
        } finally {
          if (!made) expectations.creationObserved(key);
        }
        try {
          await fixOwners(set, op.owners, made);
        } catch (err) {
          podEvent(set, 'update', op.pod, err);
          throw err;
        }
        return;
      }
      case 'delete': {
        try {
          await client.request('DELETE', podPath(ns, op.pod.metadata.name), { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { uid: op.pod.metadata.uid } });
          podEvent(set, 'delete', op.pod);
        } catch (err) {
          expectations.deletionObserved(key, keyOf(op.pod));
          if (is(404, 409)(err)) return; // already gone, or a newer pod of that name
          podEvent(set, 'delete', op.pod, err);
          throw err;
        }
        return;
      }
      case 'claims':
      case 'update':
        try {
          if (op.type === 'claims') await createClaims(set, op.pod, op.claims, op.deleting);
          if (op.type === 'update' && op.labels) await client.patch(podPath(ns, op.pod.metadata.name), { metadata: { uid: op.pod.metadata.uid, labels: op.labels } });
          await fixOwners(set, op.owners);
        } catch (err) {
          podEvent(set, 'update', op.pod, err);
          throw err;
        }
        if (op.type === 'update') podEvent(set, 'update', op.pod);
        return;
      case 'owners':
        return fixOwners(set, op.owners);
    }
  };

  /** Runs the plan's phases; returns the first failure (the rest of the sync is skipped). */
  const runPlan = async (set: StatefulSet, key: string, plan: SyncPlan): Promise<Error | undefined> => {
    const all = plan.phases.flat(2);
    expectations.expect(
      key,
      all.filter((op) => op.type === 'create').length,
      all.flatMap((op) => (op.type === 'delete' ? [keyOf(op.pod)] : [])),
    );
    const started = new Set<Op>();
    const runUnit = async (unit: Op[]) => {
      for (const op of unit) {
        started.add(op);
        await runOp(set, key, op);
      }
    };
    try {
      for (const phase of plan.phases) {
        if (plan.monotonic) {
          for (const unit of phase) await runUnit(unit);
          continue;
        }
        let at = 0;
        for (const size of slowStartBatches(phase.length)) {
          const results = await Promise.allSettled(phase.slice(at, (at += size)).map(runUnit));
          const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
          if (failed) throw failed.reason;
        }
      }
      return undefined;
    } catch (err) {
      return err as Error;
    } finally {
      for (const op of all) {
        if (started.has(op)) continue;
        if (op.type === 'create') expectations.creationObserved(key);
        if (op.type === 'delete') expectations.deletionObserved(key, keyOf(op.pod));
      }
    }
  };

  const reconcile = async (key: string): Promise<ReconcileResult | void> => {
    const set = sets.get(key);
    if (!set) {
      expectations.delete(key);
      return;
    }
    const ns = set.metadata.namespace ?? '';
    if (!Object.keys(set.spec.selector?.matchLabels ?? {}).length && !(set.spec.selector?.matchExpressions ?? []).length) {
      log.error(`statefulset ${key}: empty selector; nothing to do`);
      return;
    }
    const owned = await claimRevisions(set);
    const members = await claimPods(set);
    const { update, current = update, collisionCount } = await resolveUpdate(set, owned);
    const plan = planSync({
      set,
      pods: members,
      claim: (name) => claims.get(`${ns}/${name}`),
      current: { name: current.metadata.name, template: templateOfRevision(current, set.spec.template) },
      update: { name: update.metadata.name, template: templateOfRevision(update, set.spec.template) },
      collisionCount,
      now: Date.now(),
      maxUnavailable: deps.maxUnavailable,
    });
    const failure = expectations.satisfied(key) ? await runPlan(set, key, plan) : undefined;
    if (plan.waiting) log.v(4).info(`statefulset ${key}: waiting for ${plan.waiting}`);
    if (!sameStatus(set.status, plan.status)) {
      await client.patch(`${setPath(ns, set.metadata.name)}/status`, { metadata: { uid: set.metadata.uid }, status: plan.status }).catch(ignore(404));
    }
    // Keep revisionHistoryLimit unused revisions; those of the current, update and live pods stay.
    const live = new Set([current.metadata.name, update.metadata.name, ...members.map(podRevision)]);
    const known = owned.some((r) => r.metadata.name === update.metadata.name) ? owned : [...owned, update];
    for (const r of revisionsToPrune(known, set.spec.revisionHistoryLimit ?? 10, (x) => live.has(x.metadata.name))) {
      await client.delete(revisionPath(ns, r.metadata.name)).catch(ignore(404));
    }
    if (failure) throw failure;
    return plan.requeueAfter !== undefined ? { requeueAfter: plan.requeueAfter } : undefined;
  };

  return { queue, reconcile };
}
