// Clusters as the dashboard shows them: the engine's status of each, its kubectl context when the
// kubeconfig has it, and the operation running on it. Clusters still being created (no Docker
// object yet) show up too, so the list can display their progress.
import type { ClusterStatus } from '../cluster/cluster.js';
import { contextName } from '../kubeconfig/kubeconfig.js';
import type { ClusterSummary, OperationState } from './contract.js';

/**
 * The summaries of `statuses` (sorted by name), plus a stopped, node-less entry for each running
 * operation whose cluster is not listed yet. `current` is the kubeconfig's current-context: the
 * cluster whose context it is gets `current: true`.
 */
export function summarizeClusters(statuses: ClusterStatus[], contexts: ReadonlySet<string>, running: OperationState[], current?: string): ClusterSummary[] {
  const out: ClusterSummary[] = statuses.map((s) => {
    const summary: ClusterSummary = {
      name: s.name,
      state: s.state,
      nodes: s.nodes.map((n) => ({ name: n.name, role: n.role, state: n.state, ready: n.ready, ip: n.ip || undefined, podCIDR: n.podCIDR })),
    };
    const context = s.context ?? (contexts.has(contextName(s.name)) ? contextName(s.name) : undefined);
    if (context) summary.context = context;
    if (context && current === context) summary.current = true;
    const op = running.find((o) => o.cluster === s.name);
    if (op) summary.operation = op;
    return summary;
  });
  for (const op of running) {
    if (!out.some((c) => c.name === op.cluster)) out.push({ name: op.cluster, state: 'stopped', nodes: [], operation: op });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
