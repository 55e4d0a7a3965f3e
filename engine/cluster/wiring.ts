import { basename, dirname } from 'node:path';
import type { NodeProvider } from '../docker/provider.js';
import { CLUSTER_CIDR, podCidrFor } from '../network/ipam.js';
import { formatPeers, PEERS_PATH } from '../network/peers.js';

/** What the peers file needs to know of a node. */
export interface Member {
  name: string;
  ip: string;
  index: number;
}

/** The peers file describing `members`: each node's address and podCIDR. */
export function peersContent(members: Member[]): string {
  return formatPeers(CLUSTER_CIDR, members.map((n) => ({ name: n.name, ip: n.ip, podCIDR: podCidrFor(n.index) })));
}

/** Writes the current membership into every member; their supervisors route from it. */
export async function writePeers(provider: NodeProvider, members: Member[]): Promise<void> {
  const content = peersContent(members);
  await Promise.all(members.map((n) => writePeersFile(provider, n.name, content)));
}

/** Writes the peers file into one node. */
export function writePeersFile(provider: NodeProvider, node: string, content: string): Promise<void> {
  return provider.writeFiles(node, dirname(PEERS_PATH), { [basename(PEERS_PATH)]: { content } });
}
