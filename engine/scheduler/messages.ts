// The FailedScheduling message text, built as kube-scheduler's FitError does:
// "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {…}. preemption: …"
import type { Rejection } from './types.js';

/** The message when the cluster has no nodes at all. */
export const NO_NODES = 'no nodes available to schedule pods';

/**
 * "0/<total> nodes are available: <histogram>." where the histogram counts each reason over the
 * rejected nodes as "<count> <reason>", sorted as strings. A pre-filter message replaces the
 * histogram, as upstream does when the attempt stopped before any node was filtered.
 */
export function fitMessage(total: number, rejections: Iterable<Rejection>, preFilterMessage?: string): string {
  let msg = `0/${total} nodes are available:`;
  if (preFilterMessage) return `${msg} ${preFilterMessage}.`;
  const counts = new Map<string, number>();
  for (const r of rejections) for (const reason of r.reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  const parts = [...counts].map(([reason, n]) => `${n} ${reason}`).sort(byBytes);
  if (parts.length) msg += ` ${parts.join(', ')}.`;
  return msg;
}

/** Go's sort.Strings order (byte-wise), which for these ASCII strings is plain code-unit order. */
function byBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The whole message: the filter part, then the preemption part when there is one. */
export const failedSchedulingMessage = (fit: string, preemption: string): string => (preemption ? `${fit} ${preemption}` : fit);
