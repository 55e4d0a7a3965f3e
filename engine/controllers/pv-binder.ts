// The PersistentVolume controller (upstream's persistentvolume-binder): binds claims to volumes
// both ways (volume claimRef + phase Bound, claim volumeName + bind annotations + status), sends
// claims of dynamic classes to their provisioner, gives classless claims the default class when
// one appears, marks claims Lost and volumes Released / Failed. It never deletes a volume: a
// provisioned volume with reclaim policy Delete waits for its provisioner's deleter (for
// kubelab.io/local-path, the node agent of the volume's node). Decisions are in pv-binder-plan.ts.
import type { ReconcileResult } from '../client/controller.js';
import type { EventRecorder } from '../client/event-recorder.js';
import type { Informer } from '../client/informer.js';
import { ApiRequestError, type RestClient } from '../client/rest-client.js';
import { WorkQueue } from '../client/work-queue.js';
import { defaultClassOf } from '../apiserver/storage-admission.js';
import { nullLogger, type Logger } from '../log/logger.js';
import { claimStatus, planClaim, planReclaim, planVolume, type ClaimEnv, type PlannedEvent } from './pv-binder-plan.js';
import {
  BETA_STORAGE_PROVISIONER,
  BIND_COMPLETED,
  BOUND_BY_CONTROLLER,
  STORAGE_PROVISIONER,
  claimKey,
  claimsOfPod,
  isPodTerminated,
  isVolumeBoundToClaim,
  retryOnConflict,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type StorageClass,
} from './storage-util.js';
import { BY_NAMESPACE, ensureIndex, namespaceIndex, rfc3339, type Pod } from './workload-util.js';

/** What the controller runs on. */
export interface PvBinderDeps {
  client: RestClient;
  claims: Informer<PersistentVolumeClaim>;
  volumes: Informer<PersistentVolume>;
  classes: Informer<StorageClass>;
  pods: Informer<Pod>;
  /** Records as persistentvolume-controller. */
  events: EventRecorder;
  log?: Logger;
  /** How often claims that are not bound are looked at again (ms; default 15 s, upstream's sync period). */
  resyncMs?: number;
}

const PVC_KIND = ['v1', 'PersistentVolumeClaim'] as const;
const PV_KIND = ['v1', 'PersistentVolume'] as const;
/** The index of volumes by the claim (namespace/name) their claimRef names. */
const BY_CLAIM_REF = 'claimRef';
const enc = encodeURIComponent;
const claimPath = (ns: string, name: string) => `/api/v1/namespaces/${enc(ns)}/persistentvolumeclaims/${enc(name)}`;
const volumePath = (name: string) => `/api/v1/persistentvolumes/${enc(name)}`;
const notFound = (err: unknown) => err instanceof ApiRequestError && err.code === 404;
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The PV controller's queue (keys `claim/<ns>/<name>` and `volume/<name>`) and reconcile function. */
export function pvBinderController(deps: PvBinderDeps): { queue: WorkQueue; reconcile(key: string): Promise<ReconcileResult | void> } {
  const { client, claims, volumes, classes, pods, events } = deps;
  const log = deps.log ?? nullLogger;
  const resyncMs = deps.resyncMs ?? 15_000;
  const queue = new WorkQueue();
  ensureIndex(pods, BY_NAMESPACE, namespaceIndex);
  ensureIndex(volumes, BY_CLAIM_REF, (v) => (v.spec?.claimRef?.name ? [`${v.spec.claimRef.namespace ?? ''}/${v.spec.claimRef.name}`] : []));

  const addClaim = (key: string) => queue.add(`claim/${key}`);
  const addVolume = (name: string) => queue.add(`volume/${name}`);
  const claimChanged = (c: PersistentVolumeClaim) => {
    addClaim(claimKey(c));
    if (c.spec?.volumeName) addVolume(c.spec.volumeName);
    for (const v of volumes.byIndex(BY_CLAIM_REF, claimKey(c))) addVolume(v.metadata.name);
  };
  const volumeChanged = (v: PersistentVolume) => {
    addVolume(v.metadata.name);
    const ref = v.spec?.claimRef;
    if (ref?.name) addClaim(`${ref.namespace ?? ''}/${ref.name}`);
  };
  claims.addHandler({
    onAdd: claimChanged,
    onUpdate: (_, c) => claimChanged(c),
    onDelete: (c) => {
      claimChanged(c);
      if (c.metadata.uid) events.forget(c.metadata.uid);
    },
  });
  volumes.addHandler({
    onAdd: volumeChanged,
    onUpdate: (_, v) => volumeChanged(v),
    onDelete: (v) => {
      volumeChanged(v);
      if (v.metadata.uid) events.forget(v.metadata.uid);
    },
  });
  const classChanged = () => {
    for (const c of claims.list()) if (c.status?.phase !== 'Bound') addClaim(claimKey(c));
  };
  classes.addHandler({ onAdd: classChanged, onUpdate: classChanged });

  const emit = (obj: PersistentVolumeClaim | PersistentVolume, kind: readonly [string, string], e: PlannedEvent | undefined) => {
    if (e) events.event(obj, kind, e.type, e.reason, e.message);
  };

  /** Writes the volume's phase (and message) when it differs; returns the volume as it now is. */
  const setVolumePhase = async (v: PersistentVolume, phase: string, message?: string): Promise<PersistentVolume> => {
    if (v.status?.phase === phase) return v;
    const status = { phase, message: message ?? null, lastPhaseTransitionTime: rfc3339(Date.now()) };
    log.v(2).info(`persistentvolume ${v.metadata.name}: phase ${v.status?.phase ?? ''} -> ${phase}`);
    return client.patch<PersistentVolume>(`${volumePath(v.metadata.name)}/status`, { metadata: { resourceVersion: v.metadata.resourceVersion }, status });
  };

  /** Writes the claim's status for `phase` when it differs. */
  const setClaimStatus = async (c: PersistentVolumeClaim, phase: 'Pending' | 'Bound' | 'Lost', v?: PersistentVolume): Promise<PersistentVolumeClaim> => {
    const want = claimStatus(c, phase, v);
    const current = c.status ?? {};
    if (current.phase === want.phase && same(current.accessModes, want.accessModes) && same(current.capacity, want.capacity)) return c;
    const status = { ...want, accessModes: want.accessModes ?? null, capacity: want.capacity ?? null };
    return client.patch<PersistentVolumeClaim>(`${claimPath(c.metadata.namespace ?? '', c.metadata.name)}/status`, { metadata: { resourceVersion: c.metadata.resourceVersion }, status });
  };

  /** Binds both ways, as upstream does it, skipping the steps already done. */
  const bind = async (claim: PersistentVolumeClaim, volume: PersistentVolume): Promise<void> => {
    let v = volume;
    let c = claim;
    const ref = v.spec.claimRef;
    if (!ref || ref.name !== c.metadata.name || ref.namespace !== c.metadata.namespace || ref.uid !== c.metadata.uid) {
      const byController = !isVolumeBoundToClaim(v, c);
      const claimRef = { kind: 'PersistentVolumeClaim', namespace: c.metadata.namespace, name: c.metadata.name, uid: c.metadata.uid, apiVersion: 'v1', resourceVersion: c.metadata.resourceVersion };
      v = await client.patch<PersistentVolume>(volumePath(v.metadata.name), {
        metadata: { resourceVersion: v.metadata.resourceVersion, ...(byController ? { annotations: { [BOUND_BY_CONTROLLER]: 'yes' } } : {}) },
        spec: { claimRef },
      });
    }
    v = await setVolumePhase(v, 'Bound');
    const ann = c.metadata.annotations ?? {};
    const byController = c.spec.volumeName !== v.metadata.name;
    if (byController || !ann[BIND_COMPLETED]) {
      const annotations = { [BIND_COMPLETED]: 'yes', ...(byController && !ann[BOUND_BY_CONTROLLER] ? { [BOUND_BY_CONTROLLER]: 'yes' } : {}) };
      c = await client.patch<PersistentVolumeClaim>(claimPath(c.metadata.namespace ?? '', c.metadata.name), {
        metadata: { resourceVersion: c.metadata.resourceVersion, annotations },
        spec: { volumeName: v.metadata.name },
      });
    }
    await setClaimStatus(c, 'Bound', v);
    if (byController) log.v(1).info(`persistentvolumeclaim ${claimKey(c)} bound to ${v.metadata.name}`);
  };

  const syncClaim = async (key: string): Promise<ReconcileResult | void> => {
    const claim = claims.get(key);
    if (!claim) return;
    const ns = claim.metadata.namespace ?? '';
    const env: ClaimEnv = {
      volumes: volumes.list(),
      volume: (name) => volumes.get(name),
      storageClass: (name) => classes.get(name),
      defaultClass: defaultClassOf(classes.list()) as StorageClass | undefined,
      unscheduledPods: pods
        .byIndex(BY_NAMESPACE, ns)
        .filter((p) => !p.spec?.nodeName && !p.metadata.deletionTimestamp && !isPodTerminated(p) && claimsOfPod(p).includes(claim.metadata.name))
        .map((p) => p.metadata.name),
    };
    const plan = planClaim(claim, env);
    switch (plan.action) {
      case 'bind':
        await bind(claim, plan.volume);
        return;
      case 'assignClass':
        await client.patch(claimPath(ns, claim.metadata.name), { metadata: { resourceVersion: claim.metadata.resourceVersion }, spec: { storageClassName: plan.className } });
        log.v(1).info(`persistentvolumeclaim ${key}: default StorageClass ${plan.className} assigned`);
        return;
      case 'provision': {
        const ann = claim.metadata.annotations ?? {};
        if (ann[STORAGE_PROVISIONER] !== plan.provisioner || ann[BETA_STORAGE_PROVISIONER] !== plan.provisioner) {
          await client.patch(claimPath(ns, claim.metadata.name), {
            metadata: { resourceVersion: claim.metadata.resourceVersion, annotations: { [STORAGE_PROVISIONER]: plan.provisioner, [BETA_STORAGE_PROVISIONER]: plan.provisioner } },
          });
        }
        emit(claim, PVC_KIND, plan.event);
        return { requeueAfter: resyncMs };
      }
      case 'pending':
        emit(claim, PVC_KIND, plan.event);
        await setClaimStatus(claim, 'Pending');
        return { requeueAfter: resyncMs };
      case 'lost':
        emit(claim, PVC_KIND, plan.event);
        await setClaimStatus(claim, 'Lost');
        return { requeueAfter: resyncMs };
      case 'error':
        throw new Error(`persistentvolumeclaim ${key}: ${plan.message}`);
    }
  };

  /** Whether the claim a volume points at still exists as that object, asking the apiserver (the cache may lag). */
  const claimStillThere = async (v: PersistentVolume): Promise<boolean> => {
    const ref = v.spec.claimRef!;
    try {
      const live = await client.get<PersistentVolumeClaim>(claimPath(ref.namespace ?? '', ref.name ?? ''));
      return live.metadata.uid === ref.uid;
    } catch (err) {
      if (notFound(err)) return false;
      throw err;
    }
  };

  const syncVolume = async (name: string): Promise<ReconcileResult | void> => {
    let v = volumes.get(name);
    if (!v) return;
    const ref = v.spec.claimRef;
    const claim = ref?.name ? claims.get(`${ref.namespace ?? ''}/${ref.name}`) : undefined;
    const plan = planVolume(v, claim);
    switch (plan.action) {
      case 'phase':
        await setVolumePhase(v, plan.phase);
        return;
      case 'syncClaim':
        addClaim(`${ref!.namespace ?? ''}/${ref!.name}`);
        return;
      case 'mismatch':
        emit(v, PV_KIND, plan.volumeEvent);
        if (claim) emit(claim, PVC_KIND, plan.claimEvent);
        return;
      case 'unbind': {
        const annotations = plan.dropClaimRef ? { [BOUND_BY_CONTROLLER]: null } : undefined;
        v = await client.patch<PersistentVolume>(volumePath(name), {
          metadata: { resourceVersion: v.metadata.resourceVersion, ...(annotations ? { annotations } : {}) },
          spec: { claimRef: plan.dropClaimRef ? null : { uid: null } },
        });
        await setVolumePhase(v, 'Available');
        return;
      }
      case 'release': {
        if (v.status?.phase !== 'Released' && v.status?.phase !== 'Failed') {
          if (plan.claimGone && (await claimStillThere(v))) return { requeueAfter: 1000 };
          log.v(1).info(`persistentvolume ${name} is released; reclaim policy ${v.spec.persistentVolumeReclaimPolicy ?? 'Retain'}`);
          v = await setVolumePhase(v, 'Released');
        }
        const reclaim = planReclaim(v);
        if (reclaim.action === 'fail' && v.status?.phase !== 'Failed') {
          await setVolumePhase(v, 'Failed', reclaim.event.message);
          emit(v, PV_KIND, reclaim.event);
        }
        return;
      }
    }
  };

  const reconcile = (key: string): Promise<ReconcileResult | void> =>
    retryOnConflict(() => (key.startsWith('claim/') ? syncClaim(key.slice('claim/'.length)) : syncVolume(key.slice('volume/'.length))));
  return { queue, reconcile };
}
