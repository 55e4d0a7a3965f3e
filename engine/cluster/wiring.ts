import type { NodeInfo, NodeProvider } from '../docker/provider.js';
import { CLUSTER_CIDR, podCidrFor } from '../network/ipam.js';
import { formatPeers, PEERS_PATH } from '../network/peers.js';

/** Writes the current membership of `nodes`' cluster into every one of them; their supervisors route from it. */
export async function writePeers(provider: NodeProvider, nodes: NodeInfo[]): Promise<void> {
  const content = formatPeers(
    CLUSTER_CIDR,
    nodes.map((n) => ({ name: n.name, ip: n.ip, podCIDR: podCidrFor(n.index) })),
  );
  await Promise.all(nodes.map((n) => provider.writeFile(n.name, PEERS_PATH, content)));
}
