// The node agent's deleter for local-path volumes: a level-triggered loop over the PersistentVolume
// informer. A Released volume with reclaimPolicy Delete whose directory is on this node has that
// directory removed, then the object deleted; a failure is a VolumeFailedDelete event on the
// volume and a retry with back-off. Retain volumes, other nodes' volumes and anything outside
// the storage root are never touched.
import { realpath, rm } from 'node:fs/promises';
import type { ApiObject } from '../api/resource-type.js';
import { runController } from '../client/controller.js';
import type { EventRecorder } from '../client/event-recorder.js';
import type { SharedInformers } from '../client/informer.js';
import type { RestClient } from '../client/rest-client.js';
import { ExponentialBackoff, WorkQueue } from '../client/work-queue.js';
import type { Logger } from '../log/logger.js';
import type { PersistentVolume } from '../scheduler/volume-types.js';
import { deleteDecision, isLocalPathVolumeOn, STORAGE_ROOT, storageDirOf } from './local-volumes-plan.js';

const PV_KIND = ['v1', 'PersistentVolume'] as const;

/** What the deleter needs from the agent. */
export interface LocalVolumeDeleterDeps {
  client: Pick<RestClient, 'request'>;
  informers: SharedInformers;
  node: string;
  events: EventRecorder;
  log: Logger;
  /** The storage root (tests use a scratch directory). */
  root?: string;
}

/**
 * Removes the directory `path`, which must be a direct child of `root` (checked again here), and
 * only while `root` itself is a real directory, not a link to somewhere else. A path already gone
 * is fine; a link is removed as a link, never followed.
 */
export async function removeStorageDir(path: string, root = STORAGE_ROOT): Promise<void> {
  if (storageDirOf(path, root) !== path) throw new Error(`refusing to remove ${path}: not a directory directly under ${root}/`);
  const real = await realpath(root).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (real === undefined) return;
  if (real !== root) throw new Error(`refusing to remove ${path}: ${root} leads to ${real}`);
  await rm(path, { recursive: true, force: true });
}

/** Starts the deleter on the shared PV informer (made and started here if new); `stop` shuts its queue down. */
export function startLocalVolumeDeleter(d: LocalVolumeDeleterDeps): { stop(): void } {
  const root = d.root ?? STORAGE_ROOT;
  const volumes = d.informers.for<ApiObject & PersistentVolume>({ group: '', version: 'v1', resource: 'persistentvolumes' });
  const queue = new WorkQueue(new ExponentialBackoff(1000, 300_000));
  const enqueue = (pv: ApiObject & PersistentVolume) => {
    if (isLocalPathVolumeOn(pv, d.node)) queue.add(pv.metadata.name);
  };
  volumes.addHandler({ onAdd: enqueue, onUpdate: (_old, pv) => enqueue(pv) });

  const reconcile = async (name: string) => {
    const pv = volumes.get(name);
    if (!pv) return;
    const decision = deleteDecision(pv, d.node, root);
    if (decision.action === 'none') return;
    if (decision.action === 'refuse') {
      // Nothing a retry would change: say so once per change of the volume.
      d.events.event(pv, PV_KIND, 'Warning', 'VolumeFailedDelete', decision.message);
      return;
    }
    try {
      await removeStorageDir(decision.path, root);
    } catch (err) {
      d.events.event(pv, PV_KIND, 'Warning', 'VolumeFailedDelete', `failed to remove ${decision.path}: ${(err as Error).message}`);
      throw err;
    }
    if (!decision.deleteObject) return;
    try {
      await d.client.request('DELETE', `/api/v1/persistentvolumes/${encodeURIComponent(name)}`, { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: pv.metadata.uid } });
    } catch (err) {
      const code = (err as { code?: number }).code;
      if (code === 404 || code === 409) return;
      d.events.event(pv, PV_KIND, 'Warning', 'VolumeFailedDelete', `failed to delete persistentvolume ${name}: ${(err as Error).message}`);
      throw err;
    }
    d.log.info(`local volumes: removed ${decision.path} and deleted persistentvolume ${name}`);
  };

  void runController({ name: 'local-volumes', queue, reconcile, log: d.log });
  return { stop: () => queue.shutDown() };
}
