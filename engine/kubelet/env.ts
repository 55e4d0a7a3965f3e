// A container's environment as the kubelet builds it: envFrom sources first, then env entries in
// order (later names win), `$(VAR)` references expanded against what came before, values from
// ConfigMaps, Secrets, the pod's own fields (downward API) and its resources.
import { milliCpu, units } from '../scheduler/resources.js';
import type { Container, EnvVar, Pod } from './pod-types.js';

/** A container that cannot be configured yet (missing ConfigMap, Secret or key): CreateContainerConfigError. */
export class ContainerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContainerConfigError';
  }
}

/** Where ConfigMap and Secret data come from; undefined when the object does not exist. Secret values are decoded. */
export interface ConfigSource {
  configMap(namespace: string, name: string): Promise<Record<string, string> | undefined>;
  secret(namespace: string, name: string): Promise<Record<string, string> | undefined>;
}

/** What the downward API needs beyond the pod: the node's allocatable, for resources without limits. */
export interface NodeFacts {
  allocatableMilliCpu: number;
  allocatableMemory: number;
}

/** Expands `$(NAME)` from `vars` (unknown names stay as written; `$$(NAME)` escapes to `$(NAME)`). */
export function expand(text: string, vars: ReadonlyMap<string, string>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (whole: string, name?: string) => {
    if (whole === '$$') return '$';
    return name !== undefined && vars.has(name) ? vars.get(name)! : whole;
  });
}

/** Reads `metadata.labels['x']`-style subscripts. */
function subscript(path: string, prefix: string): string | undefined {
  const m = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\['(.+)'\\]$`).exec(path);
  return m?.[1];
}

/** A pod field as the downward API gives it (env and volume files share this). */
export function podField(pod: Pod, fieldPath: string): string {
  const meta = pod.metadata;
  const status = pod.status ?? {};
  switch (fieldPath) {
    case 'metadata.name':
      return meta.name;
    case 'metadata.namespace':
      return meta.namespace ?? 'default';
    case 'metadata.uid':
      return meta.uid ?? '';
    case 'spec.nodeName':
      return pod.spec.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec.serviceAccountName ?? '';
    case 'status.hostIP':
      return status.hostIP ?? '';
    case 'status.hostIPs':
      return (status.hostIPs ?? []).map((a) => a.ip).join(',');
    case 'status.podIP':
      return status.podIP ?? '';
    case 'status.podIPs':
      return (status.podIPs ?? []).map((a) => a.ip).join(',');
    case 'metadata.labels':
      return formatMap(meta.labels);
    case 'metadata.annotations':
      return formatMap(meta.annotations);
  }
  const label = subscript(fieldPath, 'metadata.labels');
  if (label !== undefined) return meta.labels?.[label] ?? '';
  const annotation = subscript(fieldPath, 'metadata.annotations');
  if (annotation !== undefined) return meta.annotations?.[annotation] ?? '';
  throw new ContainerConfigError(`unsupported fieldPath: ${fieldPath}`);
}

/** Labels or annotations as the downward API writes them: `key="value"` lines, sorted. */
function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(m![k])}`)
    .join('\n');
}

/** A container resource (`limits.cpu`, `requests.memory`, …) divided by `divisor`, rounded up, as the downward API gives it. */
export function resourceField(pod: Pod, containerName: string, resource: string, divisor: string | number | undefined, node: NodeFacts): string {
  const c = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].find((x) => x.name === containerName);
  if (!c) throw new ContainerConfigError(`container ${containerName} not found for resourceFieldRef`);
  const [kind, name] = resource.split('.') as [string, string];
  const list = kind === 'limits' ? c.resources?.limits : kind === 'requests' ? c.resources?.requests : undefined;
  if (!list && kind !== 'limits' && kind !== 'requests') throw new ContainerConfigError(`unsupported resource: ${resource}`);
  const raw = list?.[name];
  if (name === 'cpu') {
    const milli = raw !== undefined ? milliCpu(raw) : kind === 'limits' ? node.allocatableMilliCpu : 0;
    const div = divisor === undefined ? 1000 : milliCpu(divisor) || 1000;
    return String(Math.ceil(milli / div));
  }
  const amount = raw !== undefined ? units(raw) : kind === 'limits' && name === 'memory' ? node.allocatableMemory : 0;
  const div = divisor === undefined ? 1 : units(divisor) || 1;
  return String(Math.ceil(amount / div));
}

/** Name of a valid environment variable (C identifier rules are too strict for Kubernetes; it only forbids '='). */
const validName = (n: string) => n.length > 0 && !n.includes('=');

/**
 * The environment of `container` in `pod` as ordered `NAME=value` pairs. Throws
 * ContainerConfigError for a missing ConfigMap, Secret or key that is not optional.
 */
export async function containerEnv(pod: Pod, container: Container, source: ConfigSource, node: NodeFacts, base: ReadonlyMap<string, string> = new Map()): Promise<Map<string, string>> {
  const ns = pod.metadata.namespace ?? 'default';
  const vars = new Map(base);
  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      const data = await source.configMap(ns, from.configMapRef.name);
      if (!data) {
        if (from.configMapRef.optional) continue;
        throw new ContainerConfigError(`configmap "${from.configMapRef.name}" not found`);
      }
      for (const [k, v] of Object.entries(data)) if (validName(prefix + k)) vars.set(prefix + k, v);
    }
    if (from.secretRef) {
      const data = await source.secret(ns, from.secretRef.name);
      if (!data) {
        if (from.secretRef.optional) continue;
        throw new ContainerConfigError(`secret "${from.secretRef.name}" not found`);
      }
      for (const [k, v] of Object.entries(data)) if (validName(prefix + k)) vars.set(prefix + k, v);
    }
  }
  for (const e of container.env ?? []) {
    const value = await envValue(pod, container, e, source, node, vars);
    if (value !== undefined) vars.set(e.name, value);
  }
  return vars;
}

async function envValue(pod: Pod, container: Container, e: EnvVar, source: ConfigSource, node: NodeFacts, vars: ReadonlyMap<string, string>): Promise<string | undefined> {
  const ns = pod.metadata.namespace ?? 'default';
  const from = e.valueFrom;
  if (!from) return expand(e.value ?? '', vars);
  if (from.fieldRef) return podField(pod, from.fieldRef.fieldPath);
  if (from.resourceFieldRef) return resourceField(pod, from.resourceFieldRef.containerName || container.name, from.resourceFieldRef.resource, from.resourceFieldRef.divisor, node);
  const ref = from.configMapKeyRef ?? from.secretKeyRef;
  if (!ref) return '';
  const kind = from.configMapKeyRef ? 'configmap' : 'secret';
  const data = from.configMapKeyRef ? await source.configMap(ns, ref.name ?? '') : await source.secret(ns, ref.name ?? '');
  if (!data) {
    if (ref.optional) return undefined;
    throw new ContainerConfigError(`${kind} "${ref.name}" not found`);
  }
  if (!(ref.key in data)) {
    if (ref.optional) return undefined;
    throw new ContainerConfigError(`couldn't find key ${ref.key} in ${kind === 'configmap' ? 'ConfigMap' : 'Secret'} ${ns}/${ref.name}`);
  }
  return data[ref.key];
}

/** The container's command line with `$(VAR)` expanded: entrypoint override and arguments. */
export function commandLine(container: Container, vars: ReadonlyMap<string, string>): { entrypoint?: string[]; cmd?: string[] } {
  const entrypoint = container.command?.map((a) => expand(a, vars));
  const args = container.args?.map((a) => expand(a, vars));
  // A command without args must not inherit the image's CMD.
  return { entrypoint, cmd: entrypoint ? (args ?? []) : args };
}
