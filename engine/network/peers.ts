import type { Peer } from './routes.js';

/**
 * Where each node keeps the list of its cluster's nodes. It lives in the container's own layer
 * (kept across stop/start): the host writes it before a node's first start, when /var is still empty.
 */
export const PEERS_PATH = '/etc/kubelab/peers.json';

/** Contents of the peers file. */
export interface PeersFile {
  clusterCIDR: string;
  peers: Peer[];
}

/** Serialises the peers file (stable order, so unchanged membership writes identical bytes). */
export function formatPeers(clusterCIDR: string, peers: Peer[]): string {
  const sorted = [...peers].sort((a, b) => a.name.localeCompare(b.name));
  return `${JSON.stringify({ clusterCIDR, peers: sorted } satisfies PeersFile, null, 2)}\n`;
}

/** Parses the peers file; throws on malformed content. */
export function parsePeers(text: string): PeersFile {
  const data = JSON.parse(text) as PeersFile;
  if (typeof data.clusterCIDR !== 'string' || !Array.isArray(data.peers)) throw new Error('malformed peers file');
  return data;
}
