// Defaulting and validation of storage.k8s.io/v1 objects.
import { immutable, labelSelectorErrors, nonNegative, qualifiedNameErrors } from '../checks.js';
import { forbiddenValue, invalidValue, notSupported, required, type FieldError } from '../field-error.js';
import type { ApiObject } from '../resource-type.js';

type Rec = Record<string, unknown>;
type Term = { matchLabelExpressions?: { key?: string; values?: string[] }[] };

const CSI_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const MAX_PARAMETERS = 512;
const MAX_PARAMETERS_SIZE = 256 * 1024;
const TEN_MINUTES = 600;

/** Annotations that mark a StorageClass as the default one. */
export const DEFAULT_CLASS_ANNOTATIONS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];

/** Whether a StorageClass is marked as the cluster default. */
export const isDefaultClass = (o: ApiObject): boolean => DEFAULT_CLASS_ANNOTATIONS.some((a) => o.metadata.annotations?.[a] === 'true');

/** Errors for a CSI driver name: at most 63 characters, alphanumerics with '-', '_' and '.' inside. */
export function csiDriverNameErrors(field: string, name: unknown): FieldError[] {
  if (typeof name !== 'string' || name === '') return [required(field)];
  if (name.length > 63) return [{ reason: 'FieldValueTooLong', field, message: 'Too long: may not be more than 63 bytes' }];
  return CSI_NAME.test(name.toLowerCase()) ? [] : [invalidValue(field, name, "a CSI driver name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'csi.example.com')")];
}

/** Errors of provisioner or CSI parameters: at most 512 non-empty keys and 256 KiB in all; `needOne` for at least one. */
export function parameterErrors(field: string, params: unknown, needOne = false): FieldError[] {
  const entries = Object.entries((params as Record<string, string> | undefined) ?? {});
  if (entries.length > MAX_PARAMETERS) return [{ reason: 'FieldValueTooLong', field, message: `Too long: may not have more than ${MAX_PARAMETERS} items` }];
  const errs: FieldError[] = entries.filter(([k]) => k === '').map(([k]) => invalidValue(field, k, 'field can not be empty.'));
  const size = entries.reduce((n, [k, v]) => n + k.length + String(v).length, 0);
  if (size > MAX_PARAMETERS_SIZE) errs.push({ reason: 'FieldValueTooLong', field, message: `Too long: may not be more than ${MAX_PARAMETERS_SIZE} bytes` });
  if (needOne && entries.length === 0) errs.push(required(field, 'must contain at least one key/value pair'));
  return errs;
}

function topologyErrors(terms: Term[] | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const seen: string[] = [];
  (terms ?? []).forEach((term, i) => {
    const exprs = term.matchLabelExpressions ?? [];
    const keys = new Set<string>();
    exprs.forEach((e, j) => {
      const at = `allowedTopologies[${i}].matchLabelExpressions[${j}]`;
      errs.push(...qualifiedNameErrors(`${at}.key`, e.key ?? ''));
      if (keys.has(e.key ?? '')) errs.push({ reason: 'FieldValueDuplicate', field: `${at}.key`, message: `Duplicate value: "${e.key}"` });
      keys.add(e.key ?? '');
      if (!e.values?.length) errs.push(required(`${at}.values`, 'must specify as least one value'));
      const vals = new Set<string>();
      (e.values ?? []).forEach((v, k) => {
        if (vals.has(v)) errs.push({ reason: 'FieldValueDuplicate', field: `${at}.values[${k}]`, message: `Duplicate value: "${v}"` });
        vals.add(v);
      });
    });
    const key = JSON.stringify(exprs.map((e) => [e.key, [...(e.values ?? [])].sort()]).sort());
    if (seen.includes(key)) errs.push({ reason: 'FieldValueDuplicate', field: `allowedTopologies[${i}].matchLabelExpressions`, message: 'Duplicate value: ""' });
    seen.push(key);
  });
  return errs;
}

/** Fills a StorageClass's defaults: reclaimPolicy Delete, volumeBindingMode Immediate. */
export function defaultStorageClass(obj: ApiObject): void {
  obj.reclaimPolicy ??= 'Delete';
  obj.volumeBindingMode ??= 'Immediate';
}

/** Errors of a StorageClass: a provisioner, Delete or Retain, topologies; most fields fixed once created. */
export function storageClassErrors(obj: ApiObject, old?: ApiObject): FieldError[] {
  const errs: FieldError[] = [];
  const provisioner = (obj.provisioner as string | undefined) ?? '';
  if (!provisioner) errs.push(required('provisioner'));
  else errs.push(...qualifiedNameErrors('provisioner', provisioner.toLowerCase()));
  errs.push(...parameterErrors('parameters', obj.parameters));
  if (obj.reclaimPolicy && !['Delete', 'Retain'].includes(obj.reclaimPolicy as string)) errs.push(notSupported('reclaimPolicy', obj.reclaimPolicy, ['Delete', 'Retain']));
  errs.push(...topologyErrors(obj.allowedTopologies as Term[] | undefined));
  if (old) {
    if (JSON.stringify(obj.parameters ?? {}) !== JSON.stringify(old.parameters ?? {})) errs.push(forbiddenValue('parameters', 'updates to parameters are forbidden.'));
    if (provisioner !== old.provisioner) errs.push(forbiddenValue('provisioner', 'updates to provisioner are forbidden.'));
    if (obj.reclaimPolicy !== old.reclaimPolicy) errs.push(forbiddenValue('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
    errs.push(...immutable('volumeBindingMode', obj.volumeBindingMode, old.volumeBindingMode));
  }
  return errs;
}

/** Fills a CSIDriver's defaults as Kubernetes does: attach required, no pod info, persistent volumes. */
export function defaultCsiDriver(obj: ApiObject): void {
  const spec = (obj.spec ??= {}) as Rec;
  spec.attachRequired ??= true;
  spec.podInfoOnMount ??= false;
  spec.storageCapacity ??= false;
  spec.fsGroupPolicy ??= 'ReadWriteOnceWithFSType';
  if (!(spec.volumeLifecycleModes as unknown[] | undefined)?.length) spec.volumeLifecycleModes = ['Persistent'];
  spec.requiresRepublish ??= false;
  spec.seLinuxMount ??= false;
}

/** Errors of a CSIDriver: token audiences and lifetimes, update period; attachRequired and modes fixed. */
export function csiDriverErrors(obj: ApiObject, old?: ApiObject): FieldError[] {
  const spec = (obj.spec ?? {}) as { attachRequired?: boolean; volumeLifecycleModes?: string[]; tokenRequests?: { audience?: string; expirationSeconds?: number }[]; nodeAllocatableUpdatePeriodSeconds?: number };
  const errs = csiDriverNameErrors('metadata.name', obj.metadata.name).filter((e) => e.reason !== 'FieldValueRequired');
  if (spec.attachRequired === undefined) errs.push(required('spec.attachRequired'));
  const audiences = new Set<string>();
  (spec.tokenRequests ?? []).forEach((t, i) => {
    const a = t.audience ?? '';
    if (audiences.has(a)) errs.push({ reason: 'FieldValueDuplicate', field: `spec.tokenRequests[${i}].audience`, message: `Duplicate value: "${a}"` });
    audiences.add(a);
    const s = t.expirationSeconds;
    if (s !== undefined && s < TEN_MINUTES) errs.push(invalidValue(`spec.tokenRequests[${i}].expirationSeconds`, s, 'may not specify a duration less than 10 minutes'));
    if (s !== undefined && s > 2 ** 32) errs.push(invalidValue(`spec.tokenRequests[${i}].expirationSeconds`, s, 'may not specify a duration larger than 2^32 seconds'));
  });
  const period = spec.nodeAllocatableUpdatePeriodSeconds;
  if (period !== undefined && period < 10) errs.push(invalidValue('spec.nodeAllocatableUpdatePeriodSeconds', period, 'must be greater than or equal to 10 seconds'));
  if (old) {
    const prev = (old.spec ?? {}) as typeof spec;
    errs.push(...immutable('spec.attachRequired', spec.attachRequired, prev.attachRequired));
    errs.push(...immutable('spec.volumeLifecycleModes', spec.volumeLifecycleModes, prev.volumeLifecycleModes));
  }
  return errs;
}

/** Errors of a CSINode: unique, well-named drivers with node IDs and non-negative volume limits. */
export function csiNodeErrors(obj: ApiObject): FieldError[] {
  const drivers = ((obj.spec as { drivers?: { name?: string; nodeID?: string; allocatable?: { count?: number } }[] } | undefined)?.drivers ?? []);
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  drivers.forEach((d, i) => {
    const at = `spec.drivers[${i}]`;
    errs.push(...csiDriverNameErrors(`${at}.name`, d.name));
    if (d.name && seen.has(d.name)) errs.push({ reason: 'FieldValueDuplicate', field: `${at}.name`, message: `Duplicate value: "${d.name}"` });
    if (d.name) seen.add(d.name);
    if (!d.nodeID) errs.push(required(`${at}.nodeID`));
    else if (d.nodeID.length > 192) errs.push(invalidValue(`${at}.nodeID`, d.nodeID, 'must be 192 characters or less'));
    errs.push(...nonNegative(`${at}.allocatable.count`, d.allocatable?.count));
  });
  return errs;
}

/** Errors of a VolumeAttachment: an attacher, a node, exactly one source; the spec never changes. */
export function volumeAttachmentErrors(obj: ApiObject, old?: ApiObject): FieldError[] {
  const spec = (obj.spec ?? {}) as { attacher?: string; nodeName?: string; source?: { persistentVolumeName?: string; inlineVolumeSpec?: unknown } };
  const errs = csiDriverNameErrors('spec.attacher', spec.attacher);
  if (!spec.nodeName) errs.push(required('spec.nodeName'));
  const src = spec.source ?? {};
  const n = (src.persistentVolumeName ? 1 : 0) + (src.inlineVolumeSpec ? 1 : 0);
  if (n !== 1) errs.push(invalidValue('spec.source', src, 'must specify exactly one of inlineVolumeSpec and persistentVolumeName'));
  if (old && JSON.stringify(obj.spec ?? {}) !== JSON.stringify(old.spec ?? {})) errs.push(invalidValue('spec', obj.spec, 'field is immutable'));
  return errs;
}

/** Errors of a CSIStorageCapacity: a class name, non-negative sizes; class and topology fixed. */
export function storageCapacityErrors(obj: ApiObject, old?: ApiObject): FieldError[] {
  const errs: FieldError[] = [];
  const cls = obj.storageClassName as string | undefined;
  if (!cls) errs.push(required('storageClassName'));
  errs.push(...labelSelectorErrors('nodeTopology', obj.nodeTopology));
  for (const k of ['capacity', 'maximumVolumeSize']) {
    const v = obj[k];
    if ((typeof v === 'string' && v.trim().startsWith('-')) || (typeof v === 'number' && v < 0)) errs.push(invalidValue(k, v, 'must be greater than or equal to 0'));
  }
  if (old) errs.push(...immutable('storageClassName', cls, old.storageClassName), ...immutable('nodeTopology', obj.nodeTopology, old.nodeTopology));
  return errs;
}

/** Errors of a VolumeAttributesClass: a driver and at least one parameter, neither of which may change. */
export function attributesClassErrors(obj: ApiObject, old?: ApiObject): FieldError[] {
  const errs = [...csiDriverNameErrors('driverName', obj.driverName), ...parameterErrors('parameters', obj.parameters, true)];
  if (old) {
    if (JSON.stringify(obj.parameters ?? {}) !== JSON.stringify(old.parameters ?? {})) errs.push(forbiddenValue('parameters', 'updates to parameters are forbidden.'));
    if (obj.driverName !== old.driverName) errs.push(forbiddenValue('driverName', 'updates to driverName are forbidden.'));
  }
  return errs;
}
