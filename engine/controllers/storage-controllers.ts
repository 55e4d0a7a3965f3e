// The storage controllers of the controller-manager, built on its shared informers: the
// PersistentVolume binder, the kubelab.io/local-path provisioner, and pvc- / pv-protection.
import type { EventRecorder } from '../client/event-recorder.js';
import type { SharedInformers } from '../client/informer.js';
import type { RestClient } from '../client/rest-client.js';
import type { Logger } from '../log/logger.js';
import { localPathProvisioner } from './local-path.js';
import { pvBinderController } from './pv-binder.js';
import { pvProtectionController, pvcProtectionController } from './storage-protection.js';

/**
 * The storage controllers as entries for runController (name, workers, queue, reconcile);
 * `recorder(component)` makes the EventRecorder of each reporting component.
 */
export function storageControllers(client: RestClient, informers: SharedInformers, recorder: (component: string) => EventRecorder, log?: Logger) {
  const core = (resource: string) => ({ group: '', version: 'v1', resource });
  const pods = informers.for(core('pods')) as never;
  const nodes = informers.for(core('nodes')) as never;
  const claims = informers.for(core('persistentvolumeclaims')) as never;
  const volumes = informers.for(core('persistentvolumes')) as never;
  const classes = informers.for({ group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses' }) as never;
  return [
    // One worker: claims and volumes share a queue, and binding decisions read the whole cache.
    { name: 'persistentvolume-binder', workers: 1, ...pvBinderController({ client, claims, volumes, classes, pods, events: recorder('persistentvolume-controller'), log }) },
    { name: 'local-path-provisioner', workers: 2, ...localPathProvisioner({ client, claims, volumes, classes, nodes, events: recorder('kubelab.io/local-path'), log }) },
    { name: 'pvc-protection', workers: 2, ...pvcProtectionController({ client, claims, pods, log }) },
    { name: 'pv-protection', workers: 2, ...pvProtectionController({ client, volumes, log }) },
  ];
}
