// Small builders for the scheduler's table tests: pods, nodes and clusters as the apiserver stores them.
import type { ContainerJson, PodSpecJson } from '../api/types/pod-json.js';
import { nodeInfo, type NodeInfo } from './node-info.js';
import { HOSTNAME_LABEL, type Meta, type Node, type Pod, type Taint } from './types.js';

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
