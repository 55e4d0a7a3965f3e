// Defaulting, validation and printing of PersistentVolumes and PersistentVolumeClaims, as upstream
// does them.
import { labelSelectorErrors, nameErrors } from '../checks.js';
import { forbiddenValue, invalidValue, notSupported, required, type FieldError } from '../field-error.js';
import type { ApiObject } from '../resource-type.js';
import { rec } from './core-checks.js';
import { PV_SOURCES } from './core-pv-sources.js';
import { compareQuantities, parseQuantity, quantitySign } from './core-quantity.js';
import { BETA_STORAGE_CLASS } from './storage-meta.js';

export type Obj = ApiObject;

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const SHORT_MODES: [string, string][] = [['ReadWriteOnce', 'RWO'], ['ReadOnlyMany', 'ROX'], ['ReadWriteMany', 'RWX'], ['ReadWriteOncePod', 'RWOP']];
const VOLUME_MODES = ['Block', 'Filesystem'];
const same = (a: unknown, b: unknown) => JSON.stringify(canonical(a ?? null)) === JSON.stringify(canonical(b ?? null));

/** Access modes as kubectl abbreviates them: RWO,ROX,RWX,RWOP in that order. */
export function accessModes(modes: unknown): string {
  const set = new Set(Array.isArray(modes) ? modes : []);
  return SHORT_MODES.filter(([m]) => set.has(m)).map(([, s]) => s).join(',');
}

/** A volume's storage class: the old annotation first, then storageClassName. */
export const volumeClass = (pv: Obj): string => pv.metadata.annotations?.[BETA_STORAGE_CLASS] ?? String(rec(pv.spec).storageClassName ?? '');
/** A claim's storage class: the old annotation first, then storageClassName. */
export const claimClass = (pvc: Obj): string => pvc.metadata.annotations?.[BETA_STORAGE_CLASS] ?? String(rec(pvc.spec).storageClassName ?? '');

/** Fills a PersistentVolume's defaults: phase Pending, reclaim policy Retain, volume mode Filesystem, and its source's own defaults. */
export function defaultPV(pv: Obj): void {
  const spec = rec(pv.spec);
  pv.spec = spec;
  spec.persistentVolumeReclaimPolicy ||= 'Retain';
  spec.volumeMode ??= 'Filesystem';
  pv.status = { ...rec(pv.status) };
  (pv.status as Record<string, unknown>).phase ||= 'Pending';
  const hostPath = rec(spec.hostPath);
  if (spec.hostPath && hostPath.type === undefined) hostPath.type = '';
  for (const key of ['rbd', 'iscsi', 'scaleIO', 'azureDisk']) {
    if (!spec[key]) continue;
    const s = rec(spec[key]);
    if (key === 'rbd') Object.assign(s, { pool: s.pool || 'rbd', user: s.user || 'admin', keyring: s.keyring || '/etc/ceph/keyring' });
    if (key === 'iscsi') s.iscsiInterface ||= 'default';
    if (key === 'scaleIO') Object.assign(s, { storageMode: s.storageMode || 'ThinProvisioned', fsType: s.fsType || 'xfs' });
    if (key === 'azureDisk') Object.assign(s, { cachingMode: s.cachingMode ?? 'ReadWrite', fsType: s.fsType ?? 'ext4', readOnly: s.readOnly ?? false, kind: s.kind ?? 'Shared' });
  }
}

/** Fills a claim's defaults: phase Pending, volume mode Filesystem; on create, dataSource and dataSourceRef mirror each other. */
export function defaultPVC(pvc: Obj, old?: Obj): void {
  const spec = rec(pvc.spec);
  pvc.spec = spec;
  spec.volumeMode ??= 'Filesystem';
  pvc.status = { ...rec(pvc.status) };
  (pvc.status as Record<string, unknown>).phase ||= 'Pending';
  if (old) return;
  if (spec.dataSource && !spec.dataSourceRef) spec.dataSourceRef = { ...rec(spec.dataSource) };
  else if (spec.dataSourceRef && !spec.dataSource && !rec(spec.dataSourceRef).namespace) {
    const { namespace: _ns, ...local } = rec(spec.dataSourceRef);
    spec.dataSource = local;
  }
}

/** Access modes: at least one, known, and ReadWriteOncePod alone. */
function accessModeErrors(field: string, modes: unknown, why: string): FieldError[] {
  const list = Array.isArray(modes) ? modes : [];
  if (list.length === 0) return [required(field, why)];
  const errs = list.filter((m) => !ACCESS_MODES.includes(m)).map((m) => notSupported(field, m, ACCESS_MODES));
  if (list.includes('ReadWriteOncePod') && list.some((m) => m !== 'ReadWriteOncePod' && ACCESS_MODES.includes(m))) {
    errs.push(forbiddenValue(field, 'may not use ReadWriteOncePod with other access modes'));
  }
  return errs;
}

/** A quantity that must be greater than zero. */
function positiveErrors(field: string, value: unknown): FieldError[] {
  const q = parseQuantity(value);
  return q && quantitySign(q) > 0 ? [] : [invalidValue(field, value, 'must be greater than zero')];
}

/** Everything wrong with a PersistentVolume; on updates its source, volume mode and node affinity cannot change. */
export function pvErrors(pv: Obj, old?: Obj): FieldError[] {
  const spec = rec(pv.spec);
  const errs = accessModeErrors('spec.accessModes', spec.accessModes, '');
  const capacity = rec(spec.capacity);
  const keys = Object.keys(capacity);
  if (keys.length === 0) errs.push(required('spec.capacity'));
  if (!keys.includes('storage') || keys.length > 1) errs.push(notSupported('spec.capacity', capacity, ['storage']));
  for (const k of keys) errs.push(...positiveErrors(`spec.capacity[${k}]`, capacity[k]));
  if (spec.storageClassName) errs.push(...nameErrors('spec.storageClassName', String(spec.storageClassName), 'subdomain'));
  if (spec.volumeMode !== undefined && !VOLUME_MODES.includes(String(spec.volumeMode))) errs.push(notSupported('spec.volumeMode', spec.volumeMode, VOLUME_MODES));
  if (spec.volumeAttributesClassName !== undefined) {
    if (spec.volumeAttributesClassName === '') errs.push(required('spec.volumeAttributesClassName', 'an empty string is disallowed'));
    else errs.push(...nameErrors('spec.volumeAttributesClassName', String(spec.volumeAttributesClassName), 'subdomain'));
    if (!spec.csi) errs.push(required('spec.csi', 'has to be specified when using volumeAttributesClassName'));
  }
  const sources = Object.keys(PV_SOURCES).filter((k) => spec[k] !== undefined && spec[k] !== null);
  if (sources.length === 0) errs.push(required('spec', 'must specify a volume type'));
  for (const extra of sources.slice(1)) errs.push(forbiddenValue(`spec.${extra}`, 'may not specify more than 1 volume type'));
  if (spec.hostPath && !rec(spec.hostPath).path) errs.push(required('spec.hostPath.path'));
  if (spec.nfs) {
    const nfs = rec(spec.nfs);
    if (!nfs.server) errs.push(required('spec.nfs.server'));
    if (!nfs.path) errs.push(required('spec.nfs.path'));
    else if (!String(nfs.path).startsWith('/')) errs.push(invalidValue('spec.nfs.path', nfs.path, 'must be an absolute path'));
  }
  if (spec.local && !spec.nodeAffinity) errs.push(required('spec.nodeAffinity', 'Local volume requires node affinity'));
  if (!old) return errs;
  const before = rec(old.spec);
  if (!Object.keys(PV_SOURCES).every((k) => same(spec[k], before[k]))) {
    errs.push(forbiddenValue('spec.persistentvolumesource', 'spec.persistentvolumesource is immutable after creation'));
  }
  if (!same(spec.volumeMode, before.volumeMode)) errs.push(invalidValue('volumeMode', spec.volumeMode ?? null, 'field is immutable'));
  if (before.nodeAffinity !== undefined && !same(spec.nodeAffinity, before.nodeAffinity)) errs.push(invalidValue('nodeAffinity', spec.nodeAffinity ?? null, 'field is immutable'));
  return errs;
}

/** Everything wrong with a claim; on updates its spec is fixed except the ways upstream allows it to change. */
export function pvcErrors(pvc: Obj, old?: Obj): FieldError[] {
  const spec = rec(pvc.spec);
  const errs = accessModeErrors('spec.accessModes', spec.accessModes, 'at least 1 access mode is required');
  errs.push(...labelSelectorErrors('spec.selector', spec.selector));
  const requests = rec(rec(spec.resources).requests);
  if (requests.storage === undefined) errs.push(required('spec.resources[storage]'));
  else errs.push(...positiveErrors('spec.resources[storage]', requests.storage));
  if (spec.storageClassName) errs.push(...nameErrors('spec.storageClassName', String(spec.storageClassName), 'subdomain'));
  if (spec.volumeMode !== undefined && !VOLUME_MODES.includes(String(spec.volumeMode))) errs.push(notSupported('spec.volumeMode', spec.volumeMode, VOLUME_MODES));
  if (spec.dataSource) errs.push(...dataSourceErrors('spec.dataSource', rec(spec.dataSource)));
  const ref = rec(spec.dataSourceRef);
  if (spec.dataSourceRef) {
    if (!ref.name) errs.push(required('spec.dataSourceRef.name'));
    if (!ref.kind) errs.push(required('spec.dataSourceRef.kind'));
    if (spec.dataSource && !ref.namespace && !same(spec.dataSource, { ...ref })) errs.push(invalidValue('spec', 'spec.dataSource', 'must match dataSourceRef'));
  }
  return old ? [...errs, ...pvcUpdateErrors(pvc, old)] : errs;
}

/** A data source needs a name and a kind; in the core group only PersistentVolumeClaims can be one. */
function dataSourceErrors(field: string, ds: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  if (!ds.name) errs.push(required(`${field}.name`));
  if (!ds.kind) errs.push(required(`${field}.kind`));
  if (!ds.apiGroup && ds.kind !== 'PersistentVolumeClaim') errs.push(notSupported(field, ds.kind ?? '', ['PersistentVolumeClaim', 'VolumeSnapshot.snapshot.storage.k8s.io']));
  return errs;
}

function pvcUpdateErrors(pvc: Obj, old: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const now = structuredClone(rec(pvc.spec));
  const before = structuredClone(rec(old.spec));
  const oldAnnotation = old.metadata.annotations?.[BETA_STORAGE_CLASS];
  const newAnnotation = pvc.metadata.annotations?.[BETA_STORAGE_CLASS];
  if (oldAnnotation !== newAnnotation) errs.push(invalidValue(`metadata.annotations[${BETA_STORAGE_CLASS}]`, newAnnotation ?? '', 'field is immutable'));
  // A volume name may be set once, and a storage class given later when there was none.
  if (!before.volumeName) before.volumeName = now.volumeName;
  if (before.storageClassName === undefined && oldAnnotation === undefined) before.storageClassName = now.storageClassName;
  const bound = rec(pvc.status).phase === 'Bound';
  const storage = (s: Record<string, unknown>) => rec(rec(s.resources).requests);
  if (bound) {
    if (now.resources && storage(now).storage !== undefined) storage(now).storage = storage(before).storage;
    if (now.volumeAttributesClassName !== undefined) now.volumeAttributesClassName = before.volumeAttributesClassName;
  }
  if (!same(now, before)) {
    const changed = Object.keys({ ...now, ...before }).filter((k) => !same(now[k], before[k]));
    errs.push(forbiddenValue('spec', `spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n${changed.map((k) => `  ${k}: ${JSON.stringify(before[k] ?? null)} -> ${JSON.stringify(now[k] ?? null)}`).join('\n')}`));
  }
  const newSize = parseQuantity(storage(rec(pvc.spec)).storage);
  const oldSize = parseQuantity(storage(rec(old.spec)).storage);
  const statusSize = parseQuantity(rec(rec(old.status).capacity).storage);
  // Shrinking is allowed down to (not including) the capacity the volume has, to recover from failed expansions.
  if (newSize && oldSize && statusSize && compareQuantities(newSize, oldSize) < 0 && compareQuantities(newSize, statusSize) <= 0) {
    errs.push(forbiddenValue('spec.resources.requests.storage', 'field can not be less than status.capacity'));
  }
  return errs;
}

/** A spec with its keys in a fixed order, for comparison. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (!v || typeof v !== 'object') return v;
  return Object.fromEntries(Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined).map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
}
