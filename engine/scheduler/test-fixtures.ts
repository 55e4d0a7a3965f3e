// Small builders for the scheduler's table tests: pods, nodes and clusters as the apiserver stores them.
import type { ContainerJson, PodSpecJson } from '../api/types/pod-json.js';
import { nodeInfo, type NodeInfo } from './node-info.js';
import { HOSTNAME_LABEL, type Meta, type Node, type Pod, type Taint } from './types.js';
import { BIND_COMPLETED, SELECTED_NODE, volumeClass, type Claim, type PersistentVolume, type StorageClass, type VolumeLister } from './volume-types.js';

/** A container with the given requests (cpu, memory, …). */
export const container = (requests: Record<string, string> = {}, extra: Partial<ContainerJson> = {}): ContainerJson => ({
  name: 'c',
  image: 'busybox',
  resources: { requests },
  ...extra,
});

/** A pod in `default` with one container requesting `requests`, plus any spec and metadata overrides. */
export function pod(name: string, opts: { requests?: Record<string, string>; spec?: Partial<PodSpecJson>; meta?: Partial<Meta> } = {}): Pod {
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}`, ...opts.meta },
    spec: { containers: [container(opts.requests)], ...opts.spec },
    status: { phase: 'Pending' },
  };
}

/** A pod owned by the ReplicaSet `rs` with the app label `app`. */
export const replica = (name: string, rs: string, extra: { requests?: Record<string, string>; spec?: Partial<PodSpecJson> } = {}): Pod =>
  pod(name, {
    ...extra,
    meta: { labels: { app: rs }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs, uid: `rs-${rs}`, controller: true }] },
  });

/** A ready node with 4 cpus, 8Gi and room for 110 pods, labelled with its hostname. */
export function node(name: string, opts: { cpu?: string; memory?: string; pods?: string; labels?: Record<string, string>; taints?: Taint[]; unschedulable?: boolean } = {}): Node {
  const allocatable = { cpu: opts.cpu ?? '4', memory: opts.memory ?? '8Gi', pods: opts.pods ?? '110' };
  return {
    metadata: { name, labels: { [HOSTNAME_LABEL]: name, ...opts.labels } },
    spec: { ...(opts.taints ? { taints: opts.taints } : {}), ...(opts.unschedulable ? { unschedulable: true } : {}) },
    status: { allocatable, capacity: allocatable },
  };
}

/** The control-plane taint kubeadm (and kubelab) puts on control-plane nodes. */
export const CONTROL_PLANE_TAINT: Taint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

/** A pod bound to `nodeName`. */
export const bound = (p: Pod, nodeName: string): Pod => ({ ...p, spec: { ...p.spec, nodeName }, status: { phase: 'Running' } });

/** NodeInfos for [node, pods on it] pairs. */
export const cluster = (...entries: [Node, Pod[]?][]): NodeInfo[] => entries.map(([n, pods = []]) => nodeInfo(n, pods.map((p) => bound(p, String(n.metadata?.name)))));

/** The same cluster with `p` bound to `nodeName` (as after a successful binding). */
export const place = (nodes: NodeInfo[], p: Pod, nodeName: string): NodeInfo[] =>
  nodes.map((n) => (n.name === nodeName ? nodeInfo(n.node, [...n.pods, bound(p, nodeName)]) : n));

/** A claim in `default` for `size` of `cls` (ReadWriteOnce unless `modes`), bound to `volume` when given. */
export function claim(name: string, opts: { cls?: string; size?: string; modes?: string[]; volume?: string; selectedNode?: string; phase?: string; deleting?: boolean } = {}): Claim {
  const annotations: Record<string, string> = {};
  if (opts.volume) annotations[BIND_COMPLETED] = 'yes';
  if (opts.selectedNode) annotations[SELECTED_NODE] = opts.selectedNode;
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '10', annotations, ...(opts.deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}) },
    spec: { storageClassName: opts.cls ?? 'standard', accessModes: opts.modes ?? ['ReadWriteOnce'], resources: { requests: { storage: opts.size ?? '1Gi' } }, ...(opts.volume ? { volumeName: opts.volume } : {}) },
    status: { phase: opts.phase ?? (opts.volume ? 'Bound' : 'Pending') },
  };
}

/** A volume of `size` and class `cls`, Available (or reserved/bound to `claimRef`), optionally pinned to nodes by hostname. */
export function volume(name: string, opts: { cls?: string; size?: string; modes?: string[]; nodes?: string[]; zone?: string; claimRef?: Claim; phase?: string } = {}): PersistentVolume {
  const terms = opts.nodes
    ? [{ matchExpressions: [{ key: HOSTNAME_LABEL, operator: 'In', values: opts.nodes }] }]
    : opts.zone
      ? [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [opts.zone] }] }]
      : undefined;
  const ref = opts.claimRef?.metadata;
  return {
    metadata: { name, resourceVersion: '5' },
    spec: {
      storageClassName: opts.cls ?? 'standard',
      capacity: { storage: opts.size ?? '1Gi' },
      accessModes: opts.modes ?? ['ReadWriteOnce'],
      hostPath: { path: `/data/${name}` },
      ...(terms ? { nodeAffinity: { required: { nodeSelectorTerms: terms } } } : {}),
      ...(ref ? { claimRef: { kind: 'PersistentVolumeClaim', namespace: ref.namespace, name: ref.name, uid: ref.uid } } : {}),
    },
    status: { phase: opts.phase ?? (ref ? 'Bound' : 'Available') },
  };
}

/** A StorageClass with the given binding mode and provisioner. */
export const storageClass = (name: string, mode: 'Immediate' | 'WaitForFirstConsumer', provisioner = 'kubelab.io/local-path', extra: Partial<StorageClass> = {}): StorageClass => ({
  metadata: { name },
  provisioner,
  volumeBindingMode: mode,
  ...extra,
});

/** A VolumeLister over fixed claims, volumes and classes. */
export function volumeLister(claims: Claim[], volumes: PersistentVolume[], classes: StorageClass[]): VolumeLister {
  return {
    claim: (ns, name) => claims.find((c) => c.metadata?.namespace === ns && c.metadata?.name === name),
    volume: (name) => volumes.find((v) => v.metadata?.name === name),
    volumesOfClass: (cls) => volumes.filter((v) => volumeClass(v) === cls),
    storageClass: (name) => classes.find((c) => c.metadata?.name === name),
  };
}

/** A pod in `default` whose volumes are the given claims (volume names v0, v1, …). */
export const claimPod = (name: string, claims: string[], extra: { spec?: Partial<PodSpecJson> } = {}): Pod =>
  pod(name, { spec: { volumes: claims.map((c, i) => ({ name: `v${i}`, persistentVolumeClaim: { claimName: c } })), ...extra.spec } });
