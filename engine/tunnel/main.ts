// The port tunnel of the control-plane node, run by its supervisor: the TLS tunnel the host's
// forwarder dials (through the port the node publishes on the host's loopback) to reach NodePorts.
import { clusterCa, mintServingCert } from '../client/credentials.js';
import { PORT_TUNNEL_PORT } from '../supervisor/contract.js';
import type { Server } from 'node:tls';
import { createTunnelServer } from './server.js';

/**
 * Starts the tunnel server (inside the control-plane node's supervisor, which saves the node a
 * process): the host's forwarder reaches node ports through it.
 */
export async function startPortTunnel(nodeIp: string, nodeName: string, say: (line: string) => void): Promise<Server> {
  const ca = await clusterCa();
  // The host dials 127.0.0.1 (its published port); other nodes would dial the node's own name or address.
  const tls = mintServingCert(ca, ['localhost', '127.0.0.1', nodeName, nodeIp]);
  const server = createTunnelServer({ tls: { key: tls.key, cert: tls.cert, ca: ca.cert }, targetHost: nodeIp, say });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(PORT_TUNNEL_PORT, '0.0.0.0', () => resolve());
  });
  say(`port tunnel listening on :${PORT_TUNNEL_PORT}, connecting to node ports on ${nodeIp}`);
  return server;
}
