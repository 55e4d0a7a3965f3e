// How a per-node process (node agent, proxy) reaches the apiserver as its node: the node's client
// certificate from the PKI folder the host wrote, and the apiserver's address from the peers file.
import { readFile } from 'node:fs/promises';
import { podCidrFor } from '../network/ipam.js';
import { parsePeers, PEERS_PATH } from '../network/peers.js';
import { APISERVER_PORT, PKI_DIR } from '../supervisor/contract.js';
import type { RestConfig } from './rest-client.js';

/** Where the apiserver is: on loopback on the control plane, else at the control-plane node's address. Also how many nodes there are. */
export async function apiserverUrl(controlPlane: boolean, peersPath = PEERS_PATH): Promise<{ url: string; peers: number }> {
  const peers = parsePeers(await readFile(peersPath, 'utf8')).peers;
  if (controlPlane) return { url: `https://127.0.0.1:${APISERVER_PORT}`, peers: peers.length };
  const cp = peers.find((p) => p.podCIDR === podCidrFor(0));
  if (!cp) throw new Error(`no control-plane node in ${peersPath}`);
  return { url: `https://${cp.ip}:${APISERVER_PORT}`, peers: peers.length };
}

/** REST configuration for this node's identity (system:node:<name>, from node.crt/node.key), and the cluster's node count. */
export async function nodeApiConfig(controlPlane: boolean, userAgent: string, dir = PKI_DIR): Promise<{ config: RestConfig; peers: number }> {
  const read = (f: string) => readFile(`${dir}/${f}`, 'utf8');
  const [ca, cert, key] = await Promise.all([read('ca.crt'), read('node.crt'), read('node.key')]);
  const api = await apiserverUrl(controlPlane);
  return { config: { server: api.url, ca, cert, key, userAgent }, peers: api.peers };
}
