// Validation of a pod's containers as Kubernetes 1.34 does it: names, images, ports, environment,
// mounts, probes, lifecycle hooks, resources and security settings, with upstream's field paths
// and messages.
import { nameErrors, nonNegative, portErrors } from '../checks.js';
import { forbiddenValue, invalidValue, notSupported, required, type FieldError } from '../field-error.js';
import type { ContainerJson, EnvVarJson, HandlerJson, KeyRefJson, MountJson, PodSpecJson, ProbeJson, ResourcesJson, VolumeJson } from './pod-json.js';
import { quantityValue } from './pod-quantity.js';

/** FieldValueDuplicate. */
export const duplicate = (field: string, value: unknown): FieldError => ({ reason: 'FieldValueDuplicate', field, message: `Duplicate value: ${JSON.stringify(value)}` });
/** FieldValueNotFound: a reference to something that does not exist. */
export const notFound = (field: string, value: unknown): FieldError => ({ reason: 'FieldValueNotFound', field, message: `Not found: ${JSON.stringify(value)}` });

/** Errors of a port name (IANA service name), one per broken rule, as upstream lists them. */
export function portNameErrors(field: string, name: string): FieldError[] {
  const msgs: string[] = [];
  if (name.length > 15) msgs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(name)) msgs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(name)) msgs.push('must contain at least one letter (a-z)');
  if (name.includes('--')) msgs.push('must not contain consecutive hyphens');
  if (name.startsWith('-') || name.endsWith('-')) msgs.push('must not begin or end with a hyphen');
  return msgs.map((m) => invalidValue(field, name, m));
}

/** Errors of a port given by number or by name (probes). */
export function portNumOrNameErrors(field: string, port: unknown): FieldError[] {
  if (typeof port === 'string') return portNameErrors(field, port);
  return portErrors(field, port);
}

/** Errors of an environment variable name (any printable ASCII but "="). */
export function envVarNameErrors(field: string, name: string): FieldError[] {
  return /^[\x20-\x3c\x3e-\x7e]+$/.test(name) ? [] : [invalidValue(field, name, "a valid environment variable name must consist only of printable ASCII characters other than '='")];
}

/** Errors of a ConfigMap or Secret key. */
export function configKeyErrors(field: string, key: string): FieldError[] {
  if (key.length > 253) return [{ reason: 'FieldValueTooLong', field, message: 'Too long: may not be more than 253 bytes' }];
  if (!/^[-._a-zA-Z0-9]+$/.test(key)) return [invalidValue(field, key, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')")];
  if (key === '.' || key === '..') return [invalidValue(field, key, `must not be '${key}'`)];
  if (key.startsWith('..')) return [invalidValue(field, key, "must not start with '..'")];
  return [];
}

/** Errors of a relative path that must stay inside its volume (subPath, key paths). */
export function localPathErrors(field: string, p: string): FieldError[] {
  const errs: FieldError[] = [];
  if (p.startsWith('/')) errs.push(invalidValue(field, p, 'must be a relative path'));
  if (p.split('/').includes('..')) errs.push(invalidValue(field, p, "must not contain '..'"));
  return errs;
}

const ENV_FIELD_PATHS = ['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs'];
/** Field paths the downward API volume accepts. */
export const VOLUME_FIELD_PATHS = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];
const ENV_RESOURCES = ['limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory'];

/** Errors of a downward API field reference, against the paths allowed where it is used. */
export function fieldRefErrors(field: string, ref: { apiVersion?: string; fieldPath?: string }, allowed: string[]): FieldError[] {
  if (!ref.fieldPath) return [required(`${field}.fieldPath`)];
  if (ref.apiVersion && ref.apiVersion !== 'v1') return [notSupported(`${field}.apiVersion`, ref.apiVersion, ['v1'])];
  const sub = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(ref.fieldPath);
  if (sub) return [];
  return allowed.includes(ref.fieldPath) ? [] : [notSupported(`${field}.fieldPath`, ref.fieldPath, allowed)];
}

/** Errors of a resource field reference (env or downward API volume). */
export function resourceFieldRefErrors(field: string, ref: { resource?: string; divisor?: unknown }): FieldError[] {
  if (!ref.resource) return [required(`${field}.resource`)];
  if (!ENV_RESOURCES.includes(ref.resource) && !/^(limits|requests)\.hugepages-/.test(ref.resource)) return [notSupported(`${field}.resource`, ref.resource, ENV_RESOURCES)];
  return [];
}

function keyRefErrors(field: string, ref: KeyRefJson): FieldError[] {
  const errs: FieldError[] = [];
  if (!ref.name) errs.push(required(`${field}.name`));
  else errs.push(...nameErrors(`${field}.name`, ref.name, 'subdomain'));
  if (!ref.key) errs.push(required(`${field}.key`));
  else errs.push(...configKeyErrors(`${field}.key`, ref.key));
  return errs;
}

function envErrors(path: string, env: EnvVarJson[]): FieldError[] {
  const errs: FieldError[] = [];
  env.forEach((e, i) => {
    const p = `${path}[${i}]`;
    if (!e.name) errs.push(required(`${p}.name`));
    else errs.push(...envVarNameErrors(`${p}.name`, e.name));
    const from = e.valueFrom;
    if (!from) return;
    const fp = `${p}.valueFrom`;
    const sources = (['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef', 'fileKeyRef'] as const).filter((k) => from[k]);
    if (e.value) errs.push(invalidValue(fp, '', 'may not be specified when `value` is not empty'));
    if (sources.length === 0) errs.push(invalidValue(fp, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    else if (sources.length > 1) errs.push(invalidValue(fp, '', 'may not have more than one field specified at a time'));
    else {
      if (from.fieldRef) errs.push(...fieldRefErrors(`${fp}.fieldRef`, from.fieldRef, ENV_FIELD_PATHS));
      if (from.resourceFieldRef) errs.push(...resourceFieldRefErrors(`${fp}.resourceFieldRef`, from.resourceFieldRef));
      if (from.configMapKeyRef) errs.push(...keyRefErrors(`${fp}.configMapKeyRef`, from.configMapKeyRef));
      if (from.secretKeyRef) errs.push(...keyRefErrors(`${fp}.secretKeyRef`, from.secretKeyRef));
    }
  });
  return errs;
}

function envFromErrors(path: string, envFrom: NonNullable<ContainerJson['envFrom']>): FieldError[] {
  const errs: FieldError[] = [];
  envFrom.forEach((e, i) => {
    const p = `${path}[${i}]`;
    if (e.prefix) errs.push(...envVarNameErrors(`${p}.prefix`, e.prefix));
    const refs = (['configMapRef', 'secretRef'] as const).filter((k) => e[k]);
    if (refs.length === 0) errs.push(invalidValue(p, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (refs.length > 1) errs.push(invalidValue(p, '', 'may not have more than one field specified at a time'));
    for (const k of refs) {
      const name = e[k]!.name;
      if (!name) errs.push(required(`${p}.${k}.name`));
      else errs.push(...nameErrors(`${p}.${k}.name`, name, 'subdomain'));
    }
  });
  return errs;
}

/** Errors of the action of a probe or lifecycle hook: exactly one handler, each well-formed. */
function handlerErrors(path: string, h: HandlerJson, kinds: (keyof HandlerJson)[]): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  for (const kind of kinds) {
    if (!h[kind]) continue;
    if (n++ > 0) {
      errs.push(forbiddenValue(`${path}.${kind}`, 'may not specify more than 1 handler type'));
      continue;
    }
    const p = `${path}.${kind}`;
    if (kind === 'exec' && !h.exec!.command?.length) errs.push(required(`${p}.command`));
    if (kind === 'httpGet') {
      errs.push(...portNumOrNameErrors(`${p}.port`, h.httpGet!.port));
      for (const hdr of h.httpGet!.httpHeaders ?? []) {
        if (!/^[-A-Za-z0-9]+$/.test(hdr.name ?? '')) {
          errs.push(invalidValue(`${p}.httpHeaders`, hdr.name ?? '', "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')"));
        }
      }
    }
    if (kind === 'tcpSocket') errs.push(...portNumOrNameErrors(`${p}.port`, h.tcpSocket!.port));
    if (kind === 'grpc') errs.push(...portErrors(`${p}.port`, h.grpc!.port));
    if (kind === 'sleep' && (h.sleep!.seconds ?? 0) < 0) errs.push(invalidValue(p, h.sleep!.seconds, 'must be non-negative'));
  }
  if (n === 0) errs.push(required(path, 'must specify a handler type'));
  return errs;
}

function probeErrors(path: string, p: ProbeJson | undefined, singleSuccess: boolean): FieldError[] {
  if (!p) return [];
  const errs = handlerErrors(path, p, ['exec', 'httpGet', 'tcpSocket', 'grpc']);
  for (const k of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) errs.push(...nonNegative(`${path}.${k}`, p[k]));
  if (p.terminationGracePeriodSeconds !== undefined && p.terminationGracePeriodSeconds <= 0) {
    errs.push(invalidValue(`${path}.terminationGracePeriodSeconds`, p.terminationGracePeriodSeconds, 'must be greater than 0'));
  }
  if (singleSuccess && p.successThreshold !== undefined && p.successThreshold !== 1) errs.push(invalidValue(`${path}.successThreshold`, p.successThreshold, 'must be 1'));
  return errs;
}

function lifecycleErrors(path: string, l: ContainerJson['lifecycle']): FieldError[] {
  if (!l) return [];
  const kinds: (keyof HandlerJson)[] = ['exec', 'httpGet', 'tcpSocket', 'sleep'];
  return [...(l.postStart ? handlerErrors(`${path}.postStart`, l.postStart, kinds) : []), ...(l.preStop ? handlerErrors(`${path}.preStop`, l.preStop, kinds) : [])];
}

const STANDARD_CONTAINER_RESOURCES = ['cpu', 'memory', 'ephemeral-storage'];
const isNative = (name: string) => !name.includes('/') || name.startsWith('kubernetes.io/');
const overcommitAllowed = (name: string) => isNative(name) && !name.startsWith('hugepages-');

/** Errors of resource requests and limits: known names, no negative amounts, requests within limits. */
export function resourcesErrors(path: string, r: ResourcesJson | undefined, pod = false): FieldError[] {
  if (!r) return [];
  const errs: FieldError[] = [];
  const names = (m: Record<string, unknown> | undefined, key: string) => {
    for (const [name, q] of Object.entries(m ?? {})) {
      const p = `${path}.${key}[${name}]`;
      const standard = STANDARD_CONTAINER_RESOURCES.includes(name) || name.startsWith('hugepages-') || (name.includes('/') && !isNative(name));
      if (!standard) errs.push(invalidValue(p, name, pod ? 'must be a supported resource' : 'must be a standard resource for containers'));
      if (quantityValue(q) < 0) errs.push(invalidValue(p, String(q), 'must be greater than or equal to 0'));
    }
  };
  names(r.limits, 'limits');
  names(r.requests, 'requests');
  for (const [name, q] of Object.entries(r.requests ?? {})) {
    const lim = r.limits?.[name];
    if (lim !== undefined) {
      if (!overcommitAllowed(name) && quantityValue(q) !== quantityValue(lim)) errs.push(invalidValue(`${path}.requests`, String(q), `must be equal to ${name} limit of ${lim}`));
      else if (quantityValue(q) > quantityValue(lim)) errs.push(invalidValue(`${path}.requests`, String(q), `must be less than or equal to ${name} limit of ${lim}`));
    } else if (!overcommitAllowed(name)) errs.push(required(`${path}.limits`, 'Limit must be set for non overcommitable resources'));
  }
  return errs;
}

function mountErrors(path: string, c: ContainerJson, volumes: Map<string, VolumeJson>, ephemeral: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  const devices = c.volumeDevices ?? [];
  (c.volumeMounts ?? []).forEach((m: MountJson, i) => {
    const p = `${path}[${i}]`;
    if (!m.name) errs.push(required(`${p}.name`));
    else if (!volumes.has(m.name)) errs.push(notFound(`${p}.name`, m.name));
    if (!m.mountPath) errs.push(required(`${p}.mountPath`));
    else if (seen.has(m.mountPath)) errs.push(invalidValue(`${p}.mountPath`, m.mountPath, 'must be unique'));
    if (m.mountPath) seen.add(m.mountPath);
    if (m.name && devices.some((d) => d.name === m.name)) errs.push(invalidValue(`${p}.name`, m.name, 'must not already exist in volumeDevices'));
    if (m.mountPath && devices.some((d) => d.devicePath === m.mountPath)) errs.push(invalidValue(`${p}.mountPath`, m.mountPath, 'must not already exist as a path in volumeDevices'));
    if (m.subPath) {
      if (ephemeral) errs.push(forbiddenValue(`${p}.subPath`, 'cannot be set for an Ephemeral Container'));
      errs.push(...localPathErrors(`${path}.subPath`, m.subPath));
    }
    if (m.subPathExpr && m.subPath) errs.push(invalidValue(`${p}.subPathExpr`, m.subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
    if (m.recursiveReadOnly && m.recursiveReadOnly !== 'Disabled' && !m.readOnly) errs.push(forbiddenValue(`${p}.recursiveReadOnly`, 'may only be specified when readOnly is true'));
  });
  const paths = new Set<string>();
  devices.forEach((d, i) => {
    const p = `${path.replace(/volumeMounts$/, 'volumeDevices')}[${i}]`;
    if (!d.name) errs.push(required(`${p}.name`));
    else if (!volumes.has(d.name)) errs.push(notFound(`${p}.name`, d.name));
    else if (!volumes.get(d.name)!.persistentVolumeClaim && !volumes.get(d.name)!.ephemeral) errs.push(invalidValue(`${p}.name`, d.name, 'can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode'));
    if (!d.devicePath) errs.push(required(`${p}.devicePath`));
    else if (paths.has(d.devicePath)) errs.push(invalidValue(`${p}.devicePath`, d.devicePath, 'must be unique'));
    if (d.devicePath) paths.add(d.devicePath);
  });
  return errs;
}

function securityContextErrors(path: string, sc: ContainerJson['securityContext']): FieldError[] {
  if (!sc) return [];
  const errs: FieldError[] = [];
  for (const k of ['runAsUser', 'runAsGroup'] as const) {
    const v = sc[k];
    if (typeof v === 'number' && (v < 0 || v > 2147483647)) errs.push(invalidValue(`${path}.${k}`, v, 'must be between 0 and 2147483647, inclusive'));
  }
  if (sc.allowPrivilegeEscalation === false && sc.privileged === true) {
    errs.push(invalidValue(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
  }
  if (sc.allowPrivilegeEscalation === false && sc.capabilities?.add?.includes('CAP_SYS_ADMIN')) {
    errs.push(invalidValue(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN'));
  }
  errs.push(...profileErrors(`${path}.seccompProfile`, sc.seccompProfile, 'seccomp'), ...profileErrors(`${path}.appArmorProfile`, sc.appArmorProfile, 'AppArmor'));
  return errs;
}

/** Errors of a seccomp or AppArmor profile: localhostProfile exactly when the type is Localhost. */
export function profileErrors(path: string, p: { type?: string; localhostProfile?: string } | undefined, what: string): FieldError[] {
  if (!p) return [];
  if (p.type === 'Localhost' && !p.localhostProfile) return [required(`${path}.localhostProfile`, `must be set when ${what} type is Localhost`)];
  if (p.type !== 'Localhost' && p.localhostProfile !== undefined) return [invalidValue(`${path}.localhostProfile`, p.localhostProfile, `can only be set when ${what} type is Localhost`)];
  return [];
}

/** Errors common to every kind of container. */
function containerCommonErrors(path: string, c: ContainerJson, volumes: Map<string, VolumeJson>, hostNetwork: boolean, ephemeral: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.image) errs.push(required(`${path}.image`));
  else if (c.image.trim() !== c.image) errs.push(invalidValue(`${path}.image`, c.image, 'must not have leading or trailing whitespace'));
  const portNames = new Set<string>();
  (c.ports ?? []).forEach((port, i) => {
    const p = `${path}.ports[${i}]`;
    if (port.name) {
      errs.push(...portNameErrors(`${p}.name`, port.name));
      if (portNames.has(port.name)) errs.push(duplicate(`${p}.name`, port.name));
      portNames.add(port.name);
    }
    if (!port.containerPort) errs.push(required(`${p}.containerPort`));
    else errs.push(...portErrors(`${p}.containerPort`, port.containerPort));
    if (port.hostPort) errs.push(...portErrors(`${p}.hostPort`, port.hostPort));
    if (hostNetwork && port.hostPort && port.hostPort !== port.containerPort) errs.push(invalidValue(`${p}.hostPort`, port.hostPort, 'must match `containerPort` when `hostNetwork` is true'));
  });
  errs.push(...envErrors(`${path}.env`, c.env ?? []), ...envFromErrors(`${path}.envFrom`, c.envFrom ?? []));
  errs.push(...mountErrors(`${path}.volumeMounts`, c, volumes, ephemeral));
  errs.push(...resourcesErrors(`${path}.resources`, c.resources));
  errs.push(...securityContextErrors(`${path}.securityContext`, c.securityContext));
  const resized = new Set<string>();
  (c.resizePolicy ?? []).forEach((r, i) => {
    const p = `${path}.resizePolicy[${i}]`;
    if (r.resourceName !== 'cpu' && r.resourceName !== 'memory') errs.push(notSupported(`${p}.resourceName`, r.resourceName, ['cpu', 'memory']));
    else if (resized.has(r.resourceName)) errs.push(duplicate(`${p}.resourceName`, r.resourceName));
    if (r.resourceName) resized.add(r.resourceName);
  });
  return errs;
}

type Kind = 'containers' | 'initContainers' | 'ephemeralContainers';

/** Errors of one container of `kind` at `path`. */
function containerErrors(path: string, kind: Kind, c: ContainerJson, volumes: Map<string, VolumeJson>, spec: PodSpecJson): FieldError[] {
  const errs = containerCommonErrors(path, c, volumes, spec.hostNetwork === true, kind === 'ephemeralContainers');
  if (kind === 'ephemeralContainers') {
    for (const field of ['ports', 'resources', 'lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe', 'resizePolicy', 'restartPolicy', 'restartPolicyRules'] as const) {
      if (c[field] !== undefined) errs.push(forbiddenValue(`${path}.${field}`, 'cannot be set for an Ephemeral Container'));
    }
    return errs;
  }
  if (kind === 'containers') {
    if (c.restartPolicy !== undefined) errs.push(forbiddenValue(`${path}.restartPolicy`, 'may not be set for non-init containers'));
  } else if (c.restartPolicy !== undefined && c.restartPolicy !== 'Always') {
    errs.push(notSupported(`${path}.restartPolicy`, c.restartPolicy, ['Always']));
  }
  if (kind === 'initContainers' && c.restartPolicy !== 'Always') {
    for (const field of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
      if (c[field] !== undefined) errs.push(forbiddenValue(`${path}.${field}`, 'may not be set for init containers without restartPolicy=Always'));
    }
    return errs;
  }
  errs.push(...lifecycleErrors(`${path}.lifecycle`, c.lifecycle));
  errs.push(...probeErrors(`${path}.livenessProbe`, c.livenessProbe, true), ...probeErrors(`${path}.readinessProbe`, c.readinessProbe, false), ...probeErrors(`${path}.startupProbe`, c.startupProbe, true));
  return errs;
}

/** Errors of the containers, init containers and ephemeral containers of a spec at `path`. */
export function allContainerErrors(path: string, spec: PodSpecJson, volumes: Map<string, VolumeJson>): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  const regular = Array.isArray(spec.containers) ? spec.containers : [];
  if (regular.length === 0) errs.push(required(`${path}.containers`));
  for (const kind of ['containers', 'initContainers', 'ephemeralContainers'] as const) {
    const list = spec[kind];
    if (!Array.isArray(list)) continue;
    list.forEach((c, i) => {
      const p = `${path}.${kind}[${i}]`;
      if (!c.name) errs.push(required(`${p}.name`));
      else {
        errs.push(...nameErrors(`${p}.name`, c.name, 'label'));
        if (names.has(c.name)) errs.push(duplicate(`${p}.name`, c.name));
        names.add(c.name);
      }
      errs.push(...containerErrors(p, kind, c, volumes, spec));
      if (kind === 'ephemeralContainers' && c.targetContainerName && !regular.some((r) => r.name === c.targetContainerName)) {
        errs.push(notFound(`${p}.targetContainerName`, c.targetContainerName));
      }
    });
  }
  return errs;
}
