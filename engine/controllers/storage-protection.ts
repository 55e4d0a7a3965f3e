// The pvc-protection and pv-protection controllers: they remove kubernetes.io/pvc-protection from
// a deleting claim once no running pod uses it (asking the apiserver before trusting the cache),
// and kubernetes.io/pv-protection from a deleting volume once it is not Bound, so the apiserver
// can finish the deletion. Decisions are in storage-protection-plan.ts.
import type { ApiObject } from '../api/resource-type.js';
import type { ReconcileResult } from '../client/controller.js';
import type { Informer } from '../client/informer.js';
import { ApiRequestError, type RestClient } from '../client/rest-client.js';
import { WorkQueue } from '../client/work-queue.js';
import { nullLogger, type Logger } from '../log/logger.js';
import { planClaimProtection, planVolumeProtection } from './storage-protection-plan.js';
import { PV_PROTECTION, PVC_PROTECTION, claimKey, claimsOfPod, retryOnConflict, type PersistentVolume, type PersistentVolumeClaim } from './storage-util.js';
import { BY_NAMESPACE, ensureIndex, namespaceIndex, type Pod } from './workload-util.js';

type Controller = { queue: WorkQueue; reconcile(key: string): Promise<ReconcileResult | void> };
const enc = encodeURIComponent;

/** Adds or removes `finalizer` on the object at `path`, guarded by its resourceVersion; a gone object is fine. */
async function setFinalizer(client: RestClient, path: string, obj: ApiObject, finalizer: string, present: boolean): Promise<void> {
  const others = (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  const finalizers = present ? [...others, finalizer] : others;
  try {
    await client.patch(path, { metadata: { resourceVersion: obj.metadata.resourceVersion, finalizers: finalizers.length ? finalizers : null } });
  } catch (err) {
    if (!(err instanceof ApiRequestError && err.code === 404)) throw err;
  }
}

/** The pvc-protection controller (queue of claim keys), fed by claims and by the pods that use them. */
export function pvcProtectionController(deps: { client: RestClient; claims: Informer<PersistentVolumeClaim>; pods: Informer<Pod>; log?: Logger }): Controller {
  const { client, claims, pods } = deps;
  const log = deps.log ?? nullLogger;
  const queue = new WorkQueue();
  ensureIndex(pods, BY_NAMESPACE, namespaceIndex);
  claims.addHandler({ onAdd: (c) => queue.add(claimKey(c)), onUpdate: (_, c) => queue.add(claimKey(c)) });
  const podChanged = (p: Pod) => {
    for (const name of claimsOfPod(p)) if (claims.get(`${p.metadata.namespace ?? ''}/${name}`)?.metadata.deletionTimestamp) queue.add(`${p.metadata.namespace ?? ''}/${name}`);
  };
  pods.addHandler({ onUpdate: (_, p) => podChanged(p), onDelete: podChanged });

  const sync = async (key: string): Promise<void> => {
    const claim = claims.get(key);
    if (!claim) return;
    const ns = claim.metadata.namespace ?? '';
    const path = `/api/v1/namespaces/${enc(ns)}/persistentvolumeclaims/${enc(claim.metadata.name)}`;
    const plan = planClaimProtection(claim, pods.byIndex(BY_NAMESPACE, ns));
    if (plan === 'keep') return;
    if (plan === 'remove') {
      // The cache may not have seen a new pod yet: ask the apiserver before letting the claim go.
      const live = await client.list<Pod>(`/api/v1/namespaces/${enc(ns)}/pods`);
      if (planClaimProtection(claim, live.items) !== 'remove') return;
      log.v(1).info(`pvc-protection: ${key} is not used by any pod; removing ${PVC_PROTECTION}`);
    }
    await setFinalizer(client, path, claim, PVC_PROTECTION, plan === 'add');
  };
  return { queue, reconcile: (key) => retryOnConflict(() => sync(key)) };
}

/** The pv-protection controller (queue of volume names). */
export function pvProtectionController(deps: { client: RestClient; volumes: Informer<PersistentVolume>; log?: Logger }): Controller {
  const { client, volumes } = deps;
  const log = deps.log ?? nullLogger;
  const queue = new WorkQueue();
  volumes.addHandler({ onAdd: (v) => queue.add(v.metadata.name), onUpdate: (_, v) => queue.add(v.metadata.name) });
  const sync = async (name: string): Promise<void> => {
    const volume = volumes.get(name);
    if (!volume) return;
    const plan = planVolumeProtection(volume);
    if (plan === 'keep') return;
    if (plan === 'remove') log.v(1).info(`pv-protection: ${name} is not bound; removing ${PV_PROTECTION}`);
    await setFinalizer(client, `/api/v1/persistentvolumes/${enc(name)}`, volume, PV_PROTECTION, plan === 'add');
  };
  return { queue, reconcile: (name) => retryOnConflict(() => sync(name)) };
}
