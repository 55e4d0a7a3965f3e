// The node lifecycle controller's decisions, pure: when a node's heartbeat is stale, what its
// conditions become, which taints its conditions call for, and when a pod on a NoExecute-tainted
// node must be evicted given its tolerations.
import { rfc3339, type Toleration } from './workload-util.js';

/** A node taint. */
export interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

/** A node condition. */
export interface NodeCondition {
  type: string;
  status: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** A Node as the controller reads it. */
export interface NodeObj {
  metadata: { name: string; uid?: string; resourceVersion?: string; creationTimestamp?: string; [k: string]: unknown };
  spec?: { taints?: Taint[]; unschedulable?: boolean; [k: string]: unknown };
  status?: { conditions?: NodeCondition[]; [k: string]: unknown };
  [k: string]: unknown;
}

export const NOT_READY = 'node.kubernetes.io/not-ready';
export const UNREACHABLE = 'node.kubernetes.io/unreachable';
export const UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
/** Taints by condition (NoSchedule): condition type → status → taint key. */
const CONDITION_TAINTS: Record<string, Record<string, string>> = {
  Ready: { False: NOT_READY, Unknown: UNREACHABLE },
  MemoryPressure: { True: 'node.kubernetes.io/memory-pressure' },
  DiskPressure: { True: 'node.kubernetes.io/disk-pressure' },
  PIDPressure: { True: 'node.kubernetes.io/pid-pressure' },
  NetworkUnavailable: { True: 'node.kubernetes.io/network-unavailable' },
};
/** Keys this controller owns; other taints are left as they are. */
const MANAGED = new Set([UNSCHEDULABLE, ...Object.values(CONDITION_TAINTS).flatMap((m) => Object.values(m))]);
/** Conditions turned Unknown when the node stops reporting. */
const WATCHED = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

/** What the controller last saw of a node's heartbeats, and when (local clock) one last changed. */
export interface Heartbeat {
  readyHeartbeat?: string;
  leaseRenew?: string;
  probeAt: number;
}

/** The heartbeat record after seeing the node and its Lease at `now`: probeAt moves when either heartbeat changed. */
export function observeHeartbeat(prev: Heartbeat | undefined, node: NodeObj, leaseRenew: string | undefined, now: number): Heartbeat {
  const readyHeartbeat = node.status?.conditions?.find((c) => c.type === 'Ready')?.lastHeartbeatTime;
  if (!prev) return { readyHeartbeat, leaseRenew, probeAt: now };
  const changed = (readyHeartbeat !== undefined && readyHeartbeat !== prev.readyHeartbeat) || (leaseRenew !== undefined && leaseRenew !== prev.leaseRenew);
  return { readyHeartbeat, leaseRenew, probeAt: changed ? now : prev.probeAt };
}

/**
 * The conditions of a node whose heartbeats stopped: Ready and the pressure conditions turn
 * Unknown (NodeStatusUnknown), missing ones are added Unknown (NodeStatusNeverUpdated).
 * Undefined when nothing changes.
 */
export function staleConditions(conditions: NodeCondition[] | undefined, now: number): NodeCondition[] | undefined {
  const t = rfc3339(now);
  const out = [...(conditions ?? [])];
  let changed = false;
  for (const type of WATCHED) {
    const i = out.findIndex((c) => c.type === type);
    if (i < 0) {
      out.push({ type, status: 'Unknown', lastHeartbeatTime: t, lastTransitionTime: t, reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.' });
      changed = true;
    } else if (out[i]!.status !== 'Unknown') {
      out[i] = { ...out[i]!, status: 'Unknown', lastTransitionTime: t, reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' };
      changed = true;
    }
  }
  return changed ? out : undefined;
}

/**
 * The conditions of a node whose heartbeats resumed: those this controller turned Unknown
 * (NodeStatusUnknown) take back what the agent had posted before (`before`). Undefined when none.
 */
export function restoreConditions(conditions: NodeCondition[] | undefined, before: NodeCondition[], now: number): NodeCondition[] | undefined {
  let changed = false;
  const out = (conditions ?? []).map((c) => {
    const prev = before.find((b) => b.type === c.type);
    if (c.status !== 'Unknown' || c.reason !== 'NodeStatusUnknown' || !prev || prev.status === 'Unknown') return c;
    changed = true;
    return { ...prev, lastHeartbeatTime: rfc3339(now), lastTransitionTime: rfc3339(now) };
  });
  return changed ? out : undefined;
}

/**
 * The taints the node should carry: its unmanaged taints as they are, NoSchedule taints for its
 * conditions and spec.unschedulable, and a NoExecute not-ready or unreachable taint for a Ready
 * condition that is False or Unknown. Taints already there keep their timeAdded.
 */
export function desiredTaints(node: NodeObj, now: number): Taint[] {
  const current = node.spec?.taints ?? [];
  const keep = current.filter((t) => !MANAGED.has(t.key) || (t.effect !== 'NoSchedule' && t.effect !== 'NoExecute'));
  const want: Taint[] = [];
  for (const c of node.status?.conditions ?? []) {
    const key = CONDITION_TAINTS[c.type]?.[c.status];
    if (key) want.push({ key, effect: 'NoSchedule' });
  }
  if (node.spec?.unschedulable) want.push({ key: UNSCHEDULABLE, effect: 'NoSchedule' });
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status;
  if (ready === 'False') want.push({ key: NOT_READY, effect: 'NoExecute', timeAdded: rfc3339(now) });
  if (ready === 'Unknown') want.push({ key: UNREACHABLE, effect: 'NoExecute', timeAdded: rfc3339(now) });
  const withTime = want.map((w) => {
    const had = current.find((t) => t.key === w.key && t.effect === w.effect);
    return had?.timeAdded ? { ...w, timeAdded: had.timeAdded } : w;
  });
  return [...keep, ...withTime];
}

/** True when the two taint lists are the same (order aside). */
export function sameTaints(a: Taint[] | undefined, b: Taint[] | undefined): boolean {
  const norm = (l: Taint[] | undefined) => (l ?? []).map((t) => `${t.key}=${t.value ?? ''}:${t.effect}@${t.timeAdded ?? ''}`).sort().join('|');
  return norm(a) === norm(b);
}

/** True when the toleration tolerates the taint. */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.operator === 'Exists') return !t.key || t.key === taint.key;
  return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
}

/**
 * When (ms since the epoch) a pod with `tolerations` must leave a node with `taints`: now for an
 * untolerated NoExecute taint, otherwise the earliest taint's timeAdded (or `seen` for taints
 * without one) plus the shortest tolerationSeconds among the tolerations matching it. Undefined
 * when every NoExecute taint is tolerated forever.
 */
export function evictionTime(tolerations: Toleration[] | undefined, taints: Taint[], seen: (t: Taint) => number, now: number): number | undefined {
  let at: number | undefined;
  for (const taint of taints) {
    if (taint.effect !== 'NoExecute') continue;
    const matching = (tolerations ?? []).filter((t) => tolerates(t, taint));
    if (!matching.length) return now;
    if (matching.some((t) => t.tolerationSeconds === undefined || t.tolerationSeconds === null)) continue;
    const seconds = Math.max(0, Math.min(...matching.map((t) => t.tolerationSeconds!)));
    const added = Date.parse(taint.timeAdded ?? '');
    const when = (Number.isNaN(added) ? seen(taint) : added) + seconds * 1000;
    at = Math.min(at ?? Infinity, when);
  }
  return at;
}
