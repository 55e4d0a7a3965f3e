// Admission of new PersistentVolumeClaims and PersistentVolumes, as upstream's DefaultStorageClass
// and StorageObjectInUseProtection plugins do it: a claim that names no class gets the default
// StorageClass (the newest of several, none when there is none), and claims and volumes get the
// finalizer that keeps them while in use.
import type { ApiObject } from '../api/registry.js';
import { BETA_STORAGE_CLASS, PV_PROTECTION, PVC_PROTECTION } from '../api/types/storage-meta.js';
import { isDefaultClass } from '../api/types/storage-rules.js';
import type { Storage } from '../store/storage.js';


const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Adds `finalizer` to the object's finalizers unless it is there. */
function addFinalizer(obj: ApiObject, finalizer: string): void {
  const list: unknown = obj.metadata.finalizers ?? [];
  if (!Array.isArray(list)) return; // the shape check reports it
  if (!list.includes(finalizer)) obj.metadata.finalizers = [...(list as string[]), finalizer];
}

/** The default class among `classes`: of those marked default, the newest (ties: first by name). */
export function defaultClassOf(classes: ApiObject[]): ApiObject | undefined {
  const created = (c: ApiObject) => Date.parse(c.metadata.creationTimestamp ?? '') || 0;
  return classes.filter(isDefaultClass).sort((a, b) => created(b) - created(a) || a.metadata.name.localeCompare(b.metadata.name))[0];
}

/**
 * Mutates a claim being created: the protection finalizer, and the default class's name in
 * spec.storageClassName when the claim names none (neither storageClassName, not even "", nor the
 * beta annotation). `classes` lists the StorageClasses (read only when needed).
 */
export async function admitClaim(claim: ApiObject, classes: () => Promise<ApiObject[]>): Promise<void> {
  addFinalizer(claim, PVC_PROTECTION);
  if (!isObj(claim.spec)) return; // validation reports the missing spec
  const spec = claim.spec;
  if ((spec.storageClassName !== undefined && spec.storageClassName !== null) || claim.metadata.annotations?.[BETA_STORAGE_CLASS] !== undefined) return;
  const found = defaultClassOf(await classes());
  if (found) spec.storageClassName = found.metadata.name;
}

/** Admits a PersistentVolumeClaim being created (see admitClaim), reading StorageClasses from the store. */
export async function admitPersistentVolumeClaim(storage: Storage, claim: ApiObject): Promise<void> {
  await admitClaim(claim, async () => (await storage.list({ resource: 'storage.k8s.io/storageclasses' })).items as ApiObject[]);
}

/** Admits a PersistentVolume being created: the pv-protection finalizer. */
export function admitPersistentVolume(volume: ApiObject): void {
  addFinalizer(volume, PV_PROTECTION);
}
