// Validation of a pod's volumes as Kubernetes 1.34 does it: unique DNS-label names, exactly one
// source each, and each source's own rules, with upstream's field paths and messages.
import { nameErrors } from '../checks.js';
import { forbiddenValue, invalidValue, required, type FieldError } from '../field-error.js';
import { duplicate, fieldRefErrors, localPathErrors, resourceFieldRefErrors, VOLUME_FIELD_PATHS } from './pod-container-rules.js';
import type { VolumeJson } from './pod-json.js';
import { quantityValue } from './pod-quantity.js';

type Json = Record<string, unknown>;
const isObj = <T,>(v: T): v is T & Json => !!v && typeof v === 'object' && !Array.isArray(v);

/** The order upstream counts volume sources in; the first one found is the volume's source. */
const SOURCE_ORDER = [
  'hostPath', 'emptyDir', 'gitRepo', 'gcePersistentDisk', 'awsElasticBlockStore', 'secret', 'nfs', 'iscsi', 'glusterfs', 'flocker',
  'persistentVolumeClaim', 'rbd', 'quobyte', 'cinder', 'cephfs', 'downwardAPI', 'fc', 'flexVolume', 'configMap', 'azureFile',
  'vsphereVolume', 'photonPersistentDisk', 'portworxVolume', 'azureDisk', 'scaleIO', 'storageos', 'csi', 'ephemeral', 'image', 'projected',
];

const FILE_MODE = 'must be a number between 0 and 0777 (octal), both inclusive';

function modeErrors(field: string, mode: unknown): FieldError[] {
  return typeof mode === 'number' && (mode < 0 || mode > 0o777) ? [invalidValue(field, mode, FILE_MODE)] : [];
}

/** Errors of a file path inside a volume: relative, without "..", not starting with "..". */
function nonReservedPathErrors(field: string, p: string): FieldError[] {
  const errs = localPathErrors(field, p);
  if (p.startsWith('..') && errs.length === 0) errs.push(invalidValue(field, p, "must not start with '..'"));
  return errs;
}

function keyToPathErrors(path: string, items: unknown, paths?: Set<string>, conflict?: () => FieldError): FieldError[] {
  const errs: FieldError[] = [];
  (Array.isArray(items) ? items : []).forEach((kp: Json, i) => {
    const p = `${path}[${i}]`;
    if (!kp.key) errs.push(required(`${p}.key`));
    if (!kp.path) errs.push(required(`${p}.path`));
    else {
      errs.push(...nonReservedPathErrors(`${p}.path`, String(kp.path)));
      if (paths?.has(String(kp.path))) errs.push(conflict!());
      paths?.add(String(kp.path));
    }
    errs.push(...modeErrors(`${p}.mode`, kp.mode));
  });
  return errs;
}

function downwardItemErrors(path: string, items: unknown, paths?: Set<string>, conflict?: () => FieldError): FieldError[] {
  const errs: FieldError[] = [];
  (Array.isArray(items) ? items : []).forEach((item: Json, i) => {
    const p = `${path}[${i}]`;
    if (!item.path) errs.push(required(`${p}.path`));
    else {
      errs.push(...nonReservedPathErrors(`${p}.path`, String(item.path)));
      if (paths?.has(String(item.path))) errs.push(conflict!());
      paths?.add(String(item.path));
    }
    errs.push(...modeErrors(`${p}.mode`, item.mode));
    if (isObj(item.fieldRef) && isObj(item.resourceFieldRef)) errs.push(invalidValue(p, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
    else if (isObj(item.fieldRef)) errs.push(...fieldRefErrors(`${p}.fieldRef`, item.fieldRef, VOLUME_FIELD_PATHS));
    else if (isObj(item.resourceFieldRef)) {
      errs.push(...resourceFieldRefErrors(`${p}.resourceFieldRef`, item.resourceFieldRef));
      if (!item.resourceFieldRef.containerName) errs.push(required(`${p}.resourceFieldRef.containerName`));
    } else errs.push(required(p, 'one of fieldRef and resourceFieldRef is required'));
  });
  return errs;
}

function projectedErrors(path: string, src: Json): FieldError[] {
  const errs = modeErrors(`${path}.defaultMode`, src.defaultMode);
  const paths = new Set<string>();
  (Array.isArray(src.sources) ? src.sources : []).forEach((s: Json, i) => {
    const sp = `${path}.sources[${i}]`;
    const kinds = ['secret', 'downwardAPI', 'configMap', 'serviceAccountToken', 'clusterTrustBundle', 'podCertificate'].filter((k) => isObj(s[k]));
    if (kinds.length > 1) errs.push(forbiddenValue(sp, 'may not specify more than 1 volume type per source'));
    for (const kind of kinds) {
      const p = `${sp}.${kind}`;
      const v = s[kind] as Json;
      const conflict = () => invalidValue(path, v.name ?? '', 'conflicting duplicate paths');
      if (kind === 'secret' || kind === 'configMap') {
        if (!v.name) errs.push(required(`${p}.name`));
        errs.push(...keyToPathErrors(`${p}.items`, v.items, paths, conflict));
      }
      if (kind === 'downwardAPI') errs.push(...downwardItemErrors(`${p}.items`, v.items, paths, conflict));
      if (kind === 'serviceAccountToken') {
        const exp = v.expirationSeconds;
        if (typeof exp === 'number' && exp < 600) errs.push(invalidValue(`${p}.expirationSeconds`, exp, 'may not specify a duration less than 10 minutes'));
        if (typeof exp === 'number' && exp > 2 ** 32) errs.push(invalidValue(`${p}.expirationSeconds`, exp, 'may not specify a duration larger than 2^32 seconds'));
      }
      if (kind === 'serviceAccountToken' || kind === 'clusterTrustBundle') {
        if (!v.path) errs.push(required(`${p}.path`));
        else {
          errs.push(...nonReservedPathErrors(`${p}.path`, String(v.path)));
          if (paths.has(String(v.path))) errs.push(invalidValue(path, '', 'conflicting duplicate paths'));
          paths.add(String(v.path));
        }
      }
    }
  });
  return errs;
}

/** Errors of the claim template of an ephemeral volume (the claim spec rules that matter here). */
function ephemeralErrors(path: string, src: Json): FieldError[] {
  const tpl = src.volumeClaimTemplate;
  if (!isObj(tpl)) return [required(`${path}.volumeClaimTemplate`)];
  const p = `${path}.volumeClaimTemplate`;
  const errs: FieldError[] = [];
  const meta = isObj(tpl.metadata) ? tpl.metadata : {};
  for (const k of Object.keys(meta)) {
    if (k !== 'labels' && k !== 'annotations') errs.push(forbiddenValue(`${p}.metadata.${k}`, 'only labels and annotations may be set'));
  }
  const spec = isObj(tpl.spec) ? tpl.spec : {};
  if (!Array.isArray(spec.accessModes) || spec.accessModes.length === 0) errs.push(required(`${p}.spec.accessModes`, 'at least 1 access mode is required'));
  const requests = isObj(spec.resources) && isObj(spec.resources.requests) ? spec.resources.requests : {};
  if (requests.storage === undefined) errs.push(required(`${p}.spec.resources[storage]`));
  else if (!(quantityValue(requests.storage) > 0)) errs.push(invalidValue(`${p}.spec.resources[storage]`, String(requests.storage), 'must be greater than zero'));
  return errs;
}

/** Errors of one volume source at `path` (the volume's path plus the source's name). */
function sourceErrors(path: string, kind: string, src: Json, pod: boolean): FieldError[] {
  const errs: FieldError[] = [];
  switch (kind) {
    case 'hostPath':
      if (typeof src.path === 'string' && src.path.split('/').includes('..')) errs.push(invalidValue(`${path}.path`, src.path, "must not contain '..'"));
      break;
    case 'emptyDir':
      if (src.sizeLimit !== undefined && quantityValue(src.sizeLimit) < 0) errs.push(forbiddenValue(`${path}.sizeLimit`, 'SizeLimit field must be a valid resource quantity'));
      break;
    case 'gitRepo':
      if (typeof src.directory === 'string' && src.directory) errs.push(...localPathErrors(`${path}.directory`, src.directory));
      break;
    case 'secret':
      if (!src.secretName) errs.push(required(`${path}.secretName`));
      errs.push(...modeErrors(`${path}.defaultMode`, src.defaultMode), ...keyToPathErrors(`${path}.items`, src.items));
      break;
    case 'configMap':
      if (!src.name) errs.push(required(`${path}.name`));
      errs.push(...modeErrors(`${path}.defaultMode`, src.defaultMode), ...keyToPathErrors(`${path}.items`, src.items));
      break;
    case 'nfs':
      if (typeof src.path === 'string' && !src.path.startsWith('/')) errs.push(invalidValue(`${path}.path`, src.path, 'must be an absolute path'));
      break;
    case 'iscsi':
      if (typeof src.lun === 'number' && (src.lun < 0 || src.lun > 255)) errs.push(invalidValue(`${path}.lun`, src.lun, 'must be between 0 and 255'));
      if (typeof src.iqn === 'string' && !/^(iqn|eui|naa)/.test(src.iqn)) errs.push(invalidValue(`${path}.iqn`, src.iqn, 'must be valid format starting with iqn, eui, or naa'));
      break;
    case 'fc': {
      const wwns = Array.isArray(src.targetWWNs) && src.targetWWNs.length > 0;
      const wwids = Array.isArray(src.wwids) && src.wwids.length > 0;
      if (!wwns && !wwids) errs.push(required(`${path}.targetWWNs`, 'must specify either targetWWNs or wwids, but not both'));
      if (wwns && wwids) errs.push(invalidValue(`${path}.targetWWNs`, src.targetWWNs, 'targetWWNs and wwids can not be specified simultaneously'));
      if (wwns && src.lun === undefined) errs.push(required(`${path}.lun`, 'lun is required if targetWWNs is specified'));
      if (typeof src.lun === 'number' && (src.lun < 0 || src.lun > 255)) errs.push(invalidValue(`${path}.lun`, src.lun, 'must be between 0 and 255'));
      break;
    }
    case 'flocker':
      if (!src.datasetName === !src.datasetUUID) errs.push(required(path, 'one of datasetName and datasetUUID is required'));
      break;
    case 'downwardAPI':
      errs.push(...modeErrors(`${path}.defaultMode`, src.defaultMode), ...downwardItemErrors(`${path}.items`, src.items));
      break;
    case 'projected':
      errs.push(...projectedErrors(path, src));
      break;
    case 'ephemeral':
      errs.push(...ephemeralErrors(path, src));
      break;
    case 'image':
      if (pod && !src.reference) errs.push(required(`${path}.reference`));
      break;
  }
  return errs;
}

/** Errors of a spec's volumes at `path` (e.g. "spec.volumes"); `pod` for rules that apply to pods but not templates. */
export function volumesErrors(path: string, volumes: VolumeJson[] | undefined, pod: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (Array.isArray(volumes) ? volumes : []).forEach((v, i) => {
    const p = `${path}[${i}]`;
    const present = SOURCE_ORDER.filter((k) => v[k] !== undefined && v[k] !== null);
    if (present.length === 0) errs.push(required(p, 'must specify a volume type'));
    present.slice(1).forEach((k) => errs.push(forbiddenValue(`${p}.${k}`, 'may not specify more than 1 volume type')));
    if (present[0] && isObj(v[present[0]])) errs.push(...sourceErrors(`${p}.${present[0]}`, present[0], v[present[0]] as Json, pod));
    if (!v.name) errs.push(required(`${p}.name`));
    else {
      errs.push(...nameErrors(`${p}.name`, v.name, 'label'));
      if (names.has(v.name)) errs.push(duplicate(`${p}.name`, v.name));
      names.add(v.name);
    }
  });
  return errs;
}
