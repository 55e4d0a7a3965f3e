// The garbage collector's view of the cluster through the apiserver's own storage. (It runs in
// the apiserver process until the controller-manager exists; the collector itself only knows
// the GcBackend interface.)
import { findKind, type ResourceType } from '../api/registry.js';
import type { GcBackend, GcObject } from '../controllers/garbage-collector.js';
import { StoreError } from '../store/errors.js';
import type { Storage, StoredObject } from '../store/storage.js';
import { refOf } from './context.js';
import { deleteObject } from './deletion.js';

function typeOf(obj: { apiVersion: string; kind: string }): ResourceType | undefined {
  return findKind(obj.apiVersion, obj.kind);
}

const refFor = (type: ResourceType, namespace: string | undefined) => refOf({ type, path: { group: type.group, version: type.version, resource: type.resource, namespace } });

const ignoreGone = (err: unknown) => {
  if (!(err instanceof StoreError && (err.reason === 'NotFound' || err.reason === 'Conflict'))) throw err;
};

/** A GcBackend on Storage. */
export function storageGcBackend(storage: Storage, onError: (msg: string) => void): GcBackend {
  return {
    watchAll(onObject, onReset) {
      let current: { cancel(): void } | undefined;
      let stopped = false;
      const begin = () => {
        if (stopped) return;
        onReset();
        current = storage.watch(
          { resource: '' },
          undefined,
          (e) => {
            const o = e.object as unknown as GcObject;
            if (o.apiVersion && o.kind) onObject(o, e.type === 'DELETED');
          },
          (err) => {
            onError(`garbage collector watch ended (${err.message}); starting over`);
            current?.cancel();
            setTimeout(begin, 1000).unref();
          },
        );
      };
      begin();
      return {
        cancel() {
          stopped = true;
          current?.cancel();
        },
      };
    },
    async get(apiVersion, kind, namespace, name) {
      const type = typeOf({ apiVersion, kind });
      if (!type) return undefined;
      try {
        return (await storage.get(refFor(type, namespace), name)) as unknown as GcObject;
      } catch (err) {
        if (err instanceof StoreError && err.reason === 'NotFound') return undefined;
        throw err;
      }
    },
    async delete(obj, policy) {
      const type = typeOf(obj);
      if (!type) return;
      await deleteObject(storage, type, obj.metadata.namespace, obj.metadata.name, { propagationPolicy: policy, preconditions: { uid: obj.metadata.uid } }).catch(ignoreGone);
    },
    async update(obj, change) {
      const type = typeOf(obj);
      if (!type) return;
      const ref = refFor(type, obj.metadata.namespace);
      const probe = structuredClone(obj);
      if (!change(probe)) return;
      try {
        const stored = await storage.guaranteedUpdate(ref, obj.metadata.name, (o) => {
          if (o.metadata.uid !== obj.metadata.uid) throw new StoreError('NotFound', 'replaced by a new object of the same name');
          change(o as unknown as GcObject);
          return o;
        });
        await releaseIfDone(storage, ref, stored);
      } catch (err) {
        ignoreGone(err);
      }
    },
    isNamespaced(apiVersion, kind) {
      return typeOf({ apiVersion, kind })?.namespaced;
    },
  };
}

/** Removes an object marked for deletion once nothing holds it any more. */
async function releaseIfDone(storage: Storage, ref: ReturnType<typeof refFor>, stored: StoredObject): Promise<void> {
  const m = stored.metadata;
  if (m.deletionTimestamp && ((m.finalizers as string[] | undefined) ?? []).length === 0 && !((m.deletionGracePeriodSeconds as number | undefined) ?? 0)) {
    await storage.delete(ref, m.name, m.resourceVersion).catch(ignoreGone);
  }
}
