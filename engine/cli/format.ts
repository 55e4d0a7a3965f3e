import type { ClusterStatus } from '../cluster/cluster.js';

/** Lays out rows as left-aligned columns separated by three spaces (as kubectl does). */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('   ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** The `kubelab list` table. */
export function clustersTable(clusters: ClusterStatus[]): string {
  if (clusters.length === 0) return 'No clusters. Create one with `kubelab start`.\n';
  return table(
    ['NAME', 'STATE', 'NODES', 'READY'],
    clusters.map((c) => [c.name, c.state, String(c.nodes.length), `${c.nodes.filter((n) => n.ready).length}/${c.nodes.length}`]),
  );
}

/** The `kubelab status` view of one cluster. */
export function statusView(c: ClusterStatus): string {
  const rows = c.nodes.map((n) => [
    n.name,
    n.role,
    n.state,
    n.ready ? 'yes' : 'no',
    n.ip,
    n.podCIDR,
    n.ports.map((p) => `127.0.0.1:${p.host}->${p.container}`).join(','),
  ]);
  return `Cluster ${c.name}: ${c.state}\n\n` + table(['NODE', 'ROLE', 'STATE', 'READY', 'IP', 'POD CIDR', 'PORTS'], rows);
}
