// The node agent's Node object: identity, labels, capacity and allocatable from the node's real
// CPUs, memory and disk, addresses, system info and the four conditions, plus the heartbeat Lease.
import { randomUUID, createHash } from 'node:crypto';
import { statfs, readFile } from 'node:fs/promises';
import { cpus, release } from 'node:os';
import { KUBELAB_VERSION, KUBERNETES_VERSION } from '../version.js';
import { microTime } from '../client/controller.js';
import type { RestClient } from '../client/rest-client.js';
import { NODE_ENDPOINT_PORT } from '../supervisor/contract.js';

/** How many pods a node takes (kubelet's default). */
export const MAX_PODS = 110;
/** Memory held back from allocatable (kubelet's default hard eviction threshold). */
export const RESERVED_MEMORY = 100 * 1024 * 1024;
/** Lease duration and renewal period (kubelet's defaults). */
export const LEASE_SECONDS = 40;
export const LEASE_RENEW_MS = 10_000;

/** Facts about the machine the node agent measures. */
export interface MachineFacts {
  cpus: number;
  memoryBytes: number;
  availableMemoryBytes: number;
  diskBytes: number;
  diskFreeBytes: number;
  osImage: string;
  kernelVersion: string;
  runtimeVersion: string;
  machineID: string;
  bootID: string;
}

/** Who the node is. */
export interface NodeIdentityFacts {
  name: string;
  ip: string;
  podCIDR: string;
  controlPlane: boolean;
  /** Taint the control plane against ordinary pods (kind does so when the cluster has workers). */
  taintControlPlane: boolean;
}

const arch = () => (process.arch === 'x64' ? 'amd64' : process.arch);
const KUBELET_VERSION = `v${KUBERNETES_VERSION.major}.${KUBERNETES_VERSION.minor}.${KUBERNETES_VERSION.patch}+kubelab.${KUBELAB_VERSION}`;

/** Reads the machine's facts (runtimeVersion is the nested dockerd's, passed in). */
export async function machineFacts(runtimeVersion: string, nodeName: string, dataDir = '/var'): Promise<MachineFacts> {
  const meminfo = await readFile('/proc/meminfo', 'utf8').catch(() => '');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(meminfo)?.[1] ?? 0) * 1024;
  const fs = await statfs(dataDir).catch(() => undefined);
  const osRelease = await readFile('/etc/os-release', 'utf8').catch(() => '');
  const pretty = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(osRelease)?.[1] ?? 'Linux';
  const machineID = (await readFile('/etc/machine-id', 'utf8').catch(() => '')).trim() || createHash('md5').update(nodeName).digest('hex');
  const bootID = (await readFile('/proc/sys/kernel/random/boot_id', 'utf8').catch(() => '')).trim() || randomUUID();
  return {
    cpus: cpus().length,
    memoryBytes: kb('MemTotal'),
    availableMemoryBytes: kb('MemAvailable'),
    diskBytes: fs ? fs.blocks * fs.bsize : 0,
    diskFreeBytes: fs ? fs.bavail * fs.bsize : 0,
    osImage: pretty,
    kernelVersion: release(),
    runtimeVersion: `docker://${runtimeVersion}`,
    machineID,
    bootID,
  };
}

const ki = (bytes: number) => `${Math.floor(bytes / 1024)}Ki`;

/** The Node object to register. */
export function nodeObject(id: NodeIdentityFacts): Record<string, unknown> {
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': arch(),
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': arch(),
    'kubernetes.io/hostname': id.name,
    'kubernetes.io/os': 'linux',
  };
  if (id.controlPlane) {
    labels['node-role.kubernetes.io/control-plane'] = '';
    labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
  }
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: id.name, labels, annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' } },
    spec: {
      podCIDR: id.podCIDR,
      podCIDRs: [id.podCIDR],
      providerID: `kubelab://${id.name}`,
      ...(id.controlPlane && id.taintControlPlane ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } : {}),
    },
  };
}

interface Condition {
  type: string;
  status: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
  reason: string;
  message: string;
}

/** The node's status: capacity, allocatable, conditions (transition times kept from `previous`), addresses, system info. */
export function nodeStatus(id: NodeIdentityFacts, m: MachineFacts, runtimeUp: boolean, previous: Condition[] | undefined, now: string): Record<string, unknown> {
  const capacity = { cpu: String(m.cpus), memory: ki(m.memoryBytes), 'ephemeral-storage': ki(m.diskBytes), pods: String(MAX_PODS), 'hugepages-1Gi': '0', 'hugepages-2Mi': '0' };
  const allocatable = { ...capacity, memory: ki(Math.max(0, m.memoryBytes - RESERVED_MEMORY)), 'ephemeral-storage': String(Math.floor(m.diskBytes * 0.9)) };
  const memoryPressure = m.availableMemoryBytes > 0 && m.availableMemoryBytes < RESERVED_MEMORY;
  const diskPressure = m.diskBytes > 0 && m.diskFreeBytes / m.diskBytes < 0.1;
  const cond = (type: string, status: boolean, reason: string, message: string): Condition => {
    const s = status ? 'True' : 'False';
    const before = previous?.find((c) => c.type === type);
    return { type, status: s, lastHeartbeatTime: now, lastTransitionTime: before?.status === s ? before.lastTransitionTime : now, reason, message };
  };
  return {
    capacity,
    allocatable,
    conditions: [
      cond('MemoryPressure', memoryPressure, memoryPressure ? 'KubeletHasInsufficientMemory' : 'KubeletHasSufficientMemory', memoryPressure ? 'kubelet has insufficient memory available' : 'kubelet has sufficient memory available'),
      cond('DiskPressure', diskPressure, diskPressure ? 'KubeletHasDiskPressure' : 'KubeletHasNoDiskPressure', diskPressure ? 'kubelet has disk pressure' : 'kubelet has no disk pressure'),
      cond('PIDPressure', false, 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      cond('Ready', runtimeUp, runtimeUp ? 'KubeletReady' : 'KubeletNotReady', runtimeUp ? 'kubelet is posting ready status' : 'container runtime is down: the nested dockerd does not answer'),
    ],
    addresses: [
      { type: 'InternalIP', address: id.ip },
      { type: 'Hostname', address: id.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: NODE_ENDPOINT_PORT } },
    nodeInfo: {
      machineID: m.machineID,
      systemUUID: m.machineID,
      bootID: m.bootID,
      kernelVersion: m.kernelVersion,
      osImage: m.osImage,
      containerRuntimeVersion: m.runtimeVersion,
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: KUBELET_VERSION,
      operatingSystem: 'linux',
      architecture: arch(),
    },
  };
}

/** Registers the Node (or refreshes an existing one's labels and addresses); resolves with its uid. */
export async function registerNode(client: RestClient, id: NodeIdentityFacts): Promise<string> {
  const want = nodeObject(id);
  try {
    const made = await client.create<{ metadata: { uid: string } }>('/api/v1/nodes', want);
    return made.metadata.uid;
  } catch (err) {
    if ((err as { code?: number }).code !== 409) throw err;
  }
  // Already registered (agent or node restart): refresh what the agent owns, keep the user's taints and labels.
  const meta = want.metadata as { labels: Record<string, string> };
  const patched = await client.patch<{ metadata: { uid: string } }>(`/api/v1/nodes/${encodeURIComponent(id.name)}`, { metadata: { labels: meta.labels } }, 'merge');
  return patched.metadata.uid;
}

/** Renews the node's Lease in kube-node-lease, creating it (owned by the Node) when missing. */
export async function renewLease(client: RestClient, name: string, nodeUid: string): Promise<void> {
  const path = `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${encodeURIComponent(name)}`;
  const spec = { holderIdentity: name, leaseDurationSeconds: LEASE_SECONDS, renewTime: microTime((performance.timeOrigin + performance.now()) * 1000) };
  try {
    await client.patch(path, { spec }, 'merge');
  } catch (err) {
    if ((err as { code?: number }).code !== 404) throw err;
    await client.create('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name, namespace: 'kube-node-lease', ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: nodeUid }] },
      spec,
    });
  }
}
