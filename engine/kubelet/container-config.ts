// Docker container configurations for a pod: the sandbox that owns the pod's network (and IPC)
// namespace, and each container joined to it, with the limits, identity and mounts the pod spec
// asks for. Pure: the agent resolves env and volumes first and passes them in.
import { createHash } from 'node:crypto';
import { milliCpu, units } from '../scheduler/resources.js';
import { CONTAINER_KIND, CONTAINER_NAME, MANAGED, POD_IP, POD_NAME, POD_NAMESPACE, POD_UID, RESTART_COUNT, SANDBOX_NAME, SPEC_HASH } from './labels.js';
import type { DnsSettings } from './cluster-network.js';
import type { Container, Pod } from './pod-types.js';
import { POD_RUNTIME } from './pod-runtime.js';

/** The image the sandbox runs (made by the agent from the node's busybox; see builtin-images.ts). */
export const PAUSE_IMAGE = 'kubelab/pause:1';

/** Labels shared by every container of a pod. */
function podLabels(pod: Pod): Record<string, string> {
  return {
    [MANAGED]: 'true',
    [POD_NAMESPACE]: pod.metadata.namespace ?? 'default',
    [POD_NAME]: pod.metadata.name,
    [POD_UID]: pod.metadata.uid ?? '',
  };
}

/** The host name a pod's containers see: spec.hostname or the pod name, cut to 63 characters. */
export function podHostname(pod: Pod): string {
  return (pod.spec.hostname || pod.metadata.name).slice(0, 63).replace(/[-.]+$/, '');
}

/**
 * Docker config of the pod's sandbox. With host networking it shares the node's network and gets
 * `dns` as Docker's resolver settings. Otherwise Docker's networking is off (NetworkDisabled: a
 * network namespace with only loopback): the agent wires it to the bridge with address `ip` after
 * it starts and writes its resolv.conf itself (see pod-network.ts, pod-etc-files.ts).
 */
export function sandboxConfig(pod: Pod, attempt: number, net: { ip?: string; dns?: DnsSettings }): object {
  const labels = { ...podLabels(pod), [CONTAINER_NAME]: SANDBOX_NAME, [CONTAINER_KIND]: 'sandbox', [RESTART_COUNT]: String(attempt) };
  const common = { IpcMode: 'shareable', RestartPolicy: { Name: 'no' }, LogConfig: { Type: 'none', Config: {} } };
  const base = { Image: PAUSE_IMAGE, Cmd: ['/bin/busybox', 'sleep', '2147483647'], StopSignal: 'SIGKILL' };
  const dns = net.dns;
  if (pod.spec.hostNetwork) return { ...base, Labels: labels, HostConfig: { ...common, NetworkMode: 'host', ...(dns ? { Dns: dns.servers, DnsSearch: dns.searches, DnsOptions: dns.options } : {}) } };
  return { ...base, Hostname: podHostname(pod), NetworkDisabled: true, Labels: { ...labels, [POD_IP]: net.ip ?? '' }, HostConfig: common };
}

/**
 * Whether the pod needs a sandbox container. Pods on the node's network have no namespace of
 * their own to pin, and a shared process namespace needs a first process; every other pod's
 * namespaces are pinned by the agent (see pod-runtime.ts).
 */
export function needsSandboxContainer(pod: Pod): boolean {
  return Boolean(pod.spec.hostNetwork || pod.spec.shareProcessNamespace);
}

/** Hash of what, when changed in the spec, means the container must be replaced (kubelet compares the same). */
export function specHash(container: Container): string {
  return createHash('sha256').update(JSON.stringify({ ...container, resources: undefined })).digest('hex').slice(0, 16);
}

/** A bind mount prepared by the agent: node path → container path. */
export interface PreparedMount {
  source: string;
  target: string;
  readOnly: boolean;
}

/** Everything the agent resolved for one container. */
export interface ResolvedContainer {
  container: Container;
  kind: 'init' | 'app';
  attempt: number;
  env: Map<string, string>;
  entrypoint?: string[];
  cmd?: string[];
  mounts: PreparedMount[];
  /** The pod's sandbox container; without one the container joins the pod's pinned namespaces. */
  sandboxId?: string;
}

/** `uid[:gid]` for Docker's User from the container's and the pod's security contexts. */
export function userOf(pod: Pod, container: Container): string | undefined {
  const uid = container.securityContext?.runAsUser ?? pod.spec.securityContext?.runAsUser;
  const gid = container.securityContext?.runAsGroup ?? pod.spec.securityContext?.runAsGroup;
  if (uid === undefined) return gid === undefined ? undefined : `0:${gid}`;
  return gid === undefined ? String(uid) : `${uid}:${gid}`;
}

/** Docker's CPU and memory settings for a container's resources. */
export function resourceSettings(container: Container): Record<string, number> {
  const limits = container.resources?.limits ?? {};
  const requests = container.resources?.requests ?? {};
  const out: Record<string, number> = {};
  if (limits.cpu !== undefined) {
    out.CpuPeriod = 100_000;
    out.CpuQuota = Math.max(1000, Math.round((milliCpu(limits.cpu) * 100_000) / 1000));
  }
  const cpuRequest = requests.cpu ?? limits.cpu;
  // Shares as kubelet computes them: 1024 per core, at least 2.
  out.CpuShares = cpuRequest !== undefined ? Math.max(2, Math.floor((milliCpu(cpuRequest) * 1024) / 1000)) : 2;
  if (limits.memory !== undefined) {
    out.Memory = units(limits.memory);
    out.MemorySwap = out.Memory;
  }
  return out;
}

/** Docker config of one of the pod's containers. */
export function containerConfig(pod: Pod, r: ResolvedContainer): object {
  const c = r.container;
  const sc = c.securityContext ?? {};
  const securityOpt: string[] = [];
  if (sc.allowPrivilegeEscalation === false) securityOpt.push('no-new-privileges');
  return {
    Image: c.image,
    Entrypoint: r.entrypoint,
    Cmd: r.cmd,
    Env: [...r.env].map(([k, v]) => `${k}=${v}`),
    WorkingDir: c.workingDir,
    User: userOf(pod, c),
    Tty: Boolean(c.tty),
    OpenStdin: Boolean(c.stdin),
    StdinOnce: Boolean(c.stdinOnce),
    AttachStdin: false,
    Labels: {
      ...podLabels(pod),
      [CONTAINER_NAME]: c.name,
      [CONTAINER_KIND]: r.kind,
      [RESTART_COUNT]: String(r.attempt),
      [SPEC_HASH]: specHash(c),
    },
    // In pinned namespaces: Docker's networking off (the runtime replaces the empty namespace with
    // the pod's), the pod's host name, and no /dev/shm of Docker's (the pod's is bind-mounted).
    ...(r.sandboxId ? {} : { NetworkDisabled: true, Hostname: podHostname(pod) }),
    HostConfig: {
      ...(r.sandboxId
        ? {
            NetworkMode: `container:${r.sandboxId}`,
            IpcMode: `container:${r.sandboxId}`,
            PidMode: pod.spec.shareProcessNamespace ? `container:${r.sandboxId}` : undefined,
          }
        : { Runtime: POD_RUNTIME, IpcMode: 'none' }),
      Binds: r.mounts.map((m) => `${m.source}:${m.target}${m.readOnly ? ':ro' : ''}`),
      ReadonlyRootfs: Boolean(sc.readOnlyRootFilesystem),
      CapAdd: sc.capabilities?.add,
      CapDrop: sc.capabilities?.drop,
      Privileged: Boolean(sc.privileged),
      SecurityOpt: securityOpt.length ? securityOpt : undefined,
      GroupAdd: pod.spec.securityContext?.supplementalGroups?.map(String),
      RestartPolicy: { Name: 'no' },
      LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '2' } },
      ...resourceSettings(c),
    },
  };
}
