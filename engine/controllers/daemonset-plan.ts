// The DaemonSet controller's decisions, pure: which nodes should run a daemon pod (the
// scheduler's own node selector, affinity and taint predicates), what a daemon pod looks like
// (upstream's automatic tolerations, labels, and a node affinity that pins it to its node), which
// pods sit on which node, what to create and delete on each node, and the set's status.
import { TEMPLATE_GENERATION } from '../api/types/apps-rules.js';
import type { AffinityJson, TolerationJson } from '../api/types/pod-json.js';
import { matchesNodeSelectorAndAffinity, untoleratedTaint } from '../scheduler/matching.js';
import { taintsOf, type Node, type Pod as SchedPod } from '../scheduler/types.js';
import { REVISION_HASH_LABEL } from './controller-history.js';
import { availableAt, createdAt, isPodAvailable, isPodReady, type LabelSelector, type OwnerRef, type Pod, type PodTemplate } from './workload-util.js';
import type { ObjectMeta } from '../api/resource-type.js';

/** The label daemon pods carry with the DaemonSet's template generation. */
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';
/** Most pods one sync creates or deletes (upstream's burstReplicas). */
export const DS_BURST_REPLICAS = 250;

/** A DaemonSet's status. */
export interface DaemonSetStatus {
  currentNumberScheduled: number;
  numberMisscheduled: number;
  desiredNumberScheduled: number;
  numberReady: number;
  updatedNumberScheduled: number;
  numberAvailable: number;
  numberUnavailable: number;
  observedGeneration?: number;
  collisionCount?: number;
  conditions?: unknown[];
}

/** A DaemonSet as the controller reads it. */
export interface DaemonSet {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta & { ownerReferences?: OwnerRef[] };
  spec: {
    selector?: LabelSelector;
    template?: PodTemplate;
    updateStrategy?: { type?: string; rollingUpdate?: { maxUnavailable?: number | string; maxSurge?: number | string } };
    minReadySeconds?: number;
    revisionHistoryLimit?: number;
  };
  status?: Partial<DaemonSetStatus>;
  [field: string]: unknown;
}

/** A Node as the controller reads it (the scheduler's view plus a name). */
export type DsNode = Node & { metadata: { name: string; [k: string]: unknown } };

const toleration = (key: string, effect: string): TolerationJson => ({ key, operator: 'Exists', effect });
/** The tolerations every daemon pod gets (upstream's AddOrUpdateDaemonPodTolerations). */
const DAEMON_TOLERATIONS: TolerationJson[] = [
  toleration('node.kubernetes.io/not-ready', 'NoExecute'),
  toleration('node.kubernetes.io/unreachable', 'NoExecute'),
  toleration('node.kubernetes.io/disk-pressure', 'NoSchedule'),
  toleration('node.kubernetes.io/memory-pressure', 'NoSchedule'),
  toleration('node.kubernetes.io/pid-pressure', 'NoSchedule'),
  toleration('node.kubernetes.io/unschedulable', 'NoSchedule'),
];
const HOST_NETWORK_TOLERATION = toleration('node.kubernetes.io/network-unavailable', 'NoSchedule');

const sameToleration = (a: TolerationJson, b: TolerationJson) =>
  (a.key ?? '') === (b.key ?? '') && (a.operator ?? '') === (b.operator ?? '') && (a.value ?? '') === (b.value ?? '') && (a.effect ?? '') === (b.effect ?? '');

/**
 * The pod's tolerations plus the daemon ones: a toleration of the same key, operator, value and
 * effect is replaced by the daemon one (so it tolerates forever), others are kept in order.
 */
export function daemonTolerations(tolerations: TolerationJson[] | undefined, hostNetwork: boolean): TolerationJson[] {
  const out = [...(tolerations ?? [])];
  for (const t of hostNetwork ? [...DAEMON_TOLERATIONS, HOST_NETWORK_TOLERATION] : DAEMON_TOLERATIONS) {
    const at = out.findIndex((o) => sameToleration(o, t));
    if (at < 0) out.push(t);
    else out[at] = t;
  }
  return out;
}

/** The DaemonSet's template generation (the deprecated.daemonset.template.generation annotation), if readable. */
export function templateGeneration(ds: DaemonSet): number | undefined {
  const raw = ds.metadata.annotations?.[TEMPLATE_GENERATION];
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : undefined;
}

/**
 * The template daemon pods are made from: the DaemonSet's template with the daemon tolerations
 * and the controller-revision-hash and pod-template-generation labels.
 */
export function daemonPodTemplate(ds: DaemonSet, hash: string): PodTemplate {
  const t = JSON.parse(JSON.stringify(ds.spec.template ?? {})) as PodTemplate;
  const spec = (t.spec ??= {});
  spec.tolerations = daemonTolerations(spec.tolerations as TolerationJson[] | undefined, spec.hostNetwork === true);
  const generation = templateGeneration(ds);
  t.metadata = { ...t.metadata, labels: { ...t.metadata?.labels, ...(generation !== undefined ? { [TEMPLATE_GENERATION_LABEL]: String(generation) } : {}), [REVISION_HASH_LABEL]: hash } };
  return t;
}

/**
 * The affinity with its required node terms replaced by one that selects only `nodeName`
 * (matchFields metadata.name In [nodeName]); everything else is kept.
 */
export function pinToNode(affinity: AffinityJson | undefined, nodeName: string): AffinityJson {
  const term = { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] };
  const copy = JSON.parse(JSON.stringify(affinity ?? {})) as AffinityJson;
  copy.nodeAffinity = { ...copy.nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] } };
  return copy;
}

/** Whether a node should run the daemon pod, and whether a daemon pod already there may stay. */
export interface NodeVerdict {
  shouldRun: boolean;
  shouldContinueRunning: boolean;
}

/**
 * Upstream's NodeShouldRunDaemonPod: the template's nodeName (if any), nodeSelector and required
 * node affinity must match, and every NoSchedule/NoExecute taint be tolerated (with the daemon
 * tolerations). A node whose only untolerated taints are NoSchedule keeps its running pod.
 */
export function nodeShouldRunDaemonPod(node: DsNode, ds: DaemonSet): NodeVerdict {
  const spec = ds.spec.template?.spec ?? {};
  const nodeName = typeof spec.nodeName === 'string' ? spec.nodeName : '';
  if (nodeName && nodeName !== node.metadata.name) return { shouldRun: false, shouldContinueRunning: false };
  const probe = { metadata: ds.spec.template?.metadata, spec } as SchedPod;
  if (!matchesNodeSelectorAndAffinity(probe, node)) return { shouldRun: false, shouldContinueRunning: false };
  const tolerations = daemonTolerations(spec.tolerations as TolerationJson[] | undefined, spec.hostNetwork === true);
  const taints = taintsOf(node);
  if (!untoleratedTaint(taints, tolerations, ['NoSchedule', 'NoExecute'])) return { shouldRun: true, shouldContinueRunning: true };
  return { shouldRun: false, shouldContinueRunning: !untoleratedTaint(taints, tolerations, ['NoExecute']) };
}

/** The node a daemon pod is for: its spec.nodeName, or else the one node its affinity pins it to. */
export function targetNodeName(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = (pod.spec?.affinity as AffinityJson | undefined)?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const term of terms) {
    for (const f of term.matchFields ?? []) {
      if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
    }
  }
  return undefined;
}

const isTerminal = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

/**
 * The set's pods by the node they are for. Finished pods already being deleted are left out
 * unless `includeDeletedTerminal`; pods with no target node are left out.
 */
export function podsByNode(pods: Pod[], includeDeletedTerminal: boolean): Map<string, Pod[]> {
  const byNode = new Map<string, Pod[]>();
  for (const pod of pods) {
    if (!includeDeletedTerminal && isTerminal(pod) && pod.metadata.deletionTimestamp) continue;
    const node = targetNodeName(pod);
    if (node === undefined) continue;
    byNode.set(node, [...(byNode.get(node) ?? []), pod]);
  }
  return byNode;
}

/** Oldest first, scheduled pods before unscheduled ones, ties by name (upstream's podByCreationTimestampAndPhase). */
export function oldestFirst(pods: Pod[]): Pod[] {
  return [...pods].sort((a, b) => {
    const sa = Boolean(a.spec?.nodeName);
    const sb = Boolean(b.spec?.nodeName);
    if (sa !== sb) return sa ? -1 : 1;
    return createdAt(a) - createdAt(b) || (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0);
  });
}

/** True when the pod runs the current revision (its hash, or the set's template generation, matches). */
export function isPodUpdated(pod: Pod, hash: string, generation: number | undefined): boolean {
  const labels = pod.metadata.labels ?? {};
  return (hash !== '' && labels[REVISION_HASH_LABEL] === hash) || (generation !== undefined && labels[TEMPLATE_GENERATION_LABEL] === String(generation));
}

/** True when the update strategy lets a node run an old and a new pod at once (maxSurge > 0). */
export function allowsSurge(ds: DaemonSet): boolean {
  const s = ds.spec.updateStrategy;
  if ((s?.type ?? 'RollingUpdate') !== 'RollingUpdate') return false;
  const v = s?.rollingUpdate?.maxSurge;
  return v !== undefined && v !== 0 && v !== '0' && v !== '0%';
}

/**
 * Upstream's failed-pod back-off per node: the first failed pod on a node is deleted at once, the
 * next ones only after 1 s, 2 s, 4 s … (at most `maxMs`) since the previous deletion.
 */
export class FailedPodBackoff {
  private readonly entries = new Map<string, { delay: number; at: number }>();

  constructor(
    private readonly initialMs = 1000,
    private readonly maxMs = 15 * 60_000,
  ) {}

  /** Ms left before a failed pod under `key` may be deleted again, or 0 when it may be now. */
  remaining(key: string, now: number): number {
    const e = this.entries.get(key);
    if (!e || now - e.at > 2 * this.maxMs) return 0;
    return Math.max(0, e.at + e.delay - now);
  }

  /** Records a deletion under `key` at `now` and doubles its delay. */
  next(key: string, now: number): void {
    for (const [k, e] of this.entries) if (now - e.at > 2 * this.maxMs) this.entries.delete(k);
    const e = this.entries.get(key);
    this.entries.set(key, { delay: e ? Math.min(e.delay * 2, this.maxMs) : this.initialMs, at: now });
  }
}

/** What one sync does to a DaemonSet's nodes: nodes that get a pod, pods that go, failed pods found. */
export interface ManagePlan {
  create: string[];
  remove: Pod[];
  /** Failed pods being deleted (each gets a FailedDaemonPod event). */
  failed: Pod[];
  /** When a failed pod held back by the back-off may go (ms from now). */
  requeueAfter?: number;
}

/**
 * Upstream's podsShouldBeOnNode over every node: a pod for each node that should run one and has
 * none; failed pods deleted (with back-off), succeeded ones too; extra pods beyond the oldest
 * removed (with maxSurge: the oldest new and the oldest old may both stay until the new one is
 * available or the old one stops being ready); every pod removed from nodes where it may not
 * stay; unscheduled pods for nodes that no longer exist removed.
 */
export function planManage(ds: DaemonSet, nodes: DsNode[], byNode: Map<string, Pod[]>, hash: string, now: number, backoff: FailedPodBackoff): ManagePlan {
  const plan: ManagePlan = { create: [], remove: [], failed: [] };
  const surge = allowsSurge(ds);
  const minReady = ds.spec.minReadySeconds ?? 0;
  for (const node of nodes) {
    const name = node.metadata.name;
    const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds);
    const pods = byNode.get(name);
    if (shouldRun && !pods?.length) {
      plan.create.push(name);
      continue;
    }
    if (!pods?.length) continue;
    if (!shouldContinueRunning) {
      plan.remove.push(...pods.filter((p) => !p.metadata.deletionTimestamp));
      continue;
    }
    const running: Pod[] = [];
    for (const pod of pods) {
      if (pod.metadata.deletionTimestamp) continue;
      if (pod.status?.phase === 'Failed') {
        const key = `${ds.metadata.uid}/${name}`;
        const wait = backoff.remaining(key, now);
        if (wait > 0) {
          plan.requeueAfter = Math.min(plan.requeueAfter ?? Infinity, wait);
          continue;
        }
        backoff.next(key, now);
        plan.failed.push(pod);
        plan.remove.push(pod);
      } else if (pod.status?.phase === 'Succeeded') plan.remove.push(pod);
      else running.push(pod);
    }
    const sorted = oldestFirst(running);
    if (!surge) {
      plan.remove.push(...sorted.slice(1));
      continue;
    }
    if (sorted.length === 0) {
      if (shouldRun) plan.create.push(name);
      continue;
    }
    let oldestNew: Pod | undefined;
    let oldestOld: Pod | undefined;
    for (const pod of sorted) {
      const isNew = pod.metadata.labels?.[REVISION_HASH_LABEL] === hash;
      if (isNew && !oldestNew) oldestNew = pod;
      else if (!isNew && !oldestOld) oldestOld = pod;
      else plan.remove.push(pod);
    }
    if (oldestNew && oldestOld && (!isPodReady(oldestOld) || isPodAvailable(oldestNew, minReady, now))) plan.remove.push(oldestOld);
  }
  const existing = new Set(nodes.map((n) => n.metadata.name));
  for (const [name, pods] of byNode) {
    if (!existing.has(name)) plan.remove.push(...pods.filter((p) => !p.spec?.nodeName && !p.metadata.deletionTimestamp));
  }
  plan.create = plan.create.slice(0, DS_BURST_REPLICAS);
  plan.remove = plan.remove.slice(0, DS_BURST_REPLICAS);
  return plan;
}

/** The status counts (without observedGeneration and collisionCount), and when a ready pod turns available (ms from now). */
export function daemonSetStatus(ds: DaemonSet, nodes: DsNode[], byNode: Map<string, Pod[]>, hash: string, now: number): { counts: Omit<DaemonSetStatus, 'observedGeneration' | 'collisionCount' | 'conditions'>; requeueAfter?: number } {
  const generation = templateGeneration(ds);
  const minReady = ds.spec.minReadySeconds ?? 0;
  let desired = 0;
  let current = 0;
  let misscheduled = 0;
  let ready = 0;
  let updated = 0;
  let available = 0;
  let nextAvailable: number | undefined;
  for (const node of nodes) {
    const pods = byNode.get(node.metadata.name) ?? [];
    if (!nodeShouldRunDaemonPod(node, ds).shouldRun) {
      if (pods.length) misscheduled++;
      continue;
    }
    desired++;
    if (!pods.length) continue;
    current++;
    const pod = oldestFirst(pods)[0]!;
    const at = availableAt(pod, minReady);
    if (at !== undefined) {
      ready++;
      if (at <= now) available++;
      else nextAvailable = Math.min(nextAvailable ?? Infinity, at);
    }
    if (isPodUpdated(pod, hash, generation)) updated++;
  }
  const counts = {
    currentNumberScheduled: current,
    numberMisscheduled: misscheduled,
    desiredNumberScheduled: desired,
    numberReady: ready,
    updatedNumberScheduled: updated,
    numberAvailable: available,
    numberUnavailable: desired - available,
  };
  return { counts, ...(nextAvailable !== undefined ? { requeueAfter: Math.max(nextAvailable - now, 0) + 50 } : {}) };
}
