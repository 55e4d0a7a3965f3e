// The kubelab.io/local-path provisioner, run in the controller-manager like an external
// provisioner would run beside it: for each claim the PV controller sent to it, it makes a
// PersistentVolume `pvc-<uid>` (a DirectoryOrCreate hostPath on one node, node affinity to it,
// claimRef to the claim); the PV controller then binds the two. The node agent of that node
// creates the directory when a pod mounts it and removes it (and the volume) once the volume is
// Released with reclaim policy Delete. Decisions are in local-path-plan.ts.
import type { ReconcileResult } from '../client/controller.js';
import type { EventRecorder } from '../client/event-recorder.js';
import type { Informer } from '../client/informer.js';
import { ApiRequestError, type RestClient } from '../client/rest-client.js';
import { WorkQueue } from '../client/work-queue.js';
import { nullLogger, type Logger } from '../log/logger.js';
import { localPathVolume, pickNode, planProvision, volumeNameFor } from './local-path-plan.js';
import type { NodeObj } from './node-lifecycle-plan.js';
import { SELECTED_NODE, claimKey, classOfClaim, type PersistentVolume, type PersistentVolumeClaim, type StorageClass } from './storage-util.js';

/** What the provisioner runs on. */
export interface LocalPathDeps {
  client: RestClient;
  claims: Informer<PersistentVolumeClaim>;
  volumes: Informer<PersistentVolume>;
  classes: Informer<StorageClass>;
  nodes: Informer<NodeObj & { metadata: { name: string } } & Record<string, unknown>>;
  /** Records as kubelab.io/local-path. */
  events: EventRecorder;
  log?: Logger;
  /** How long to wait before trying a failed claim again (ms; default 15 s). */
  retryMs?: number;
}

const PVC_KIND = ['v1', 'PersistentVolumeClaim'] as const;
const enc = encodeURIComponent;
const isCode = (err: unknown, code: number) => err instanceof ApiRequestError && err.code === code;

/** The provisioner's queue (claim keys) and reconcile function. */
export function localPathProvisioner(deps: LocalPathDeps): { queue: WorkQueue; reconcile(key: string): Promise<ReconcileResult | void> } {
  const { client, claims, volumes, classes, nodes, events } = deps;
  const log = deps.log ?? nullLogger;
  const retryMs = deps.retryMs ?? 15_000;
  const queue = new WorkQueue();
  /** Uids of claims a volume was made for, so a lagging cache never makes one twice. */
  const done = new Set<string>();
  claims.addHandler({
    onAdd: (c) => queue.add(claimKey(c)),
    onUpdate: (_, c) => queue.add(claimKey(c)),
    onDelete: (c) => {
      if (c.metadata.uid) done.delete(c.metadata.uid);
      queue.add(claimKey(c));
    },
  });

  /** Whether the node exists (the cache first, then the apiserver). */
  const nodeExists = async (name: string): Promise<boolean> => {
    if (nodes.get(name)) return true;
    try {
      await client.get(`/api/v1/nodes/${enc(name)}`);
      return true;
    } catch (err) {
      if (isCode(err, 404)) return false;
      throw err;
    }
  };

  const provision = async (claim: PersistentVolumeClaim, klass: StorageClass, node: string): Promise<ReconcileResult | void> => {
    const path = `/api/v1/namespaces/${enc(claim.metadata.namespace ?? '')}/persistentvolumeclaims/${enc(claim.metadata.name)}`;
    if (!(await nodeExists(node))) {
      events.event(claim, PVC_KIND, 'Warning', 'ProvisioningFailed', `failed to get target node: node "${node}" not found`);
      // Let the scheduler choose again.
      await client.patch(path, { metadata: { resourceVersion: claim.metadata.resourceVersion, annotations: { [SELECTED_NODE]: null } } }).catch((err) => {
        if (!isCode(err, 404) && !isCode(err, 409)) throw err;
      });
      return;
    }
    const name = volumeNameFor(claim);
    events.event(claim, PVC_KIND, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${claimKey(claim)}"`);
    try {
      await client.create('/api/v1/persistentvolumes', localPathVolume(claim, klass, node));
    } catch (err) {
      if (!isCode(err, 409)) {
        events.event(claim, PVC_KIND, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${klass.metadata.name}": ${(err as Error).message}`);
        throw err;
      }
    }
    done.add(String(claim.metadata.uid));
    events.event(claim, PVC_KIND, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${name}`);
    log.v(1).info(`local-path: volume ${name} for claim ${claimKey(claim)} on node ${node}`);
  };

  const reconcile = async (key: string): Promise<ReconcileResult | void> => {
    const claim = claims.get(key);
    if (!claim || done.has(String(claim.metadata.uid))) return;
    const klass = classes.get(classOfClaim(claim));
    const plan = planProvision(claim, klass, Boolean(volumes.get(volumeNameFor(claim))));
    switch (plan.action) {
      case 'skip':
        return;
      case 'fail':
        events.event(claim, PVC_KIND, 'Warning', 'ProvisioningFailed', plan.message);
        return { requeueAfter: retryMs };
      case 'pickNode': {
        const node = pickNode(nodes.list(), volumes.list());
        if (node) return provision(claim, klass!, node);
        events.event(claim, PVC_KIND, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${klass!.metadata.name}": no Ready schedulable node to put the volume on`);
        return { requeueAfter: retryMs };
      }
      case 'provision':
        return provision(claim, klass!, plan.node);
    }
  };
  return { queue, reconcile };
}
