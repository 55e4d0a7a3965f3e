// The `port-tunnel` command on the control-plane node: the TLS tunnel the host's forwarder dials
// (through the port the node publishes on the host's loopback) to reach NodePorts on this node.
import { clusterCa, mintServingCert } from '../client/credentials.js';
import { PORT_TUNNEL_PORT } from '../supervisor/contract.js';
import { createTunnelServer } from './server.js';

/** Runs the tunnel server until the process is stopped. */
export async function runPortTunnel(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const say = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  const nodeIp = env.KUBELAB_NODE_IP;
  if (!nodeIp) throw new Error('KUBELAB_NODE_IP must be set');
  const ca = await clusterCa();
  // The host dials 127.0.0.1 (its published port); other nodes would dial the node's own name or address.
  const tls = mintServingCert(ca, ['localhost', '127.0.0.1', ...(env.KUBELAB_NODE_NAME ? [env.KUBELAB_NODE_NAME] : []), nodeIp]);
  const server = createTunnelServer({ tls: { key: tls.key, cert: tls.cert, ca: ca.cert }, targetHost: nodeIp, say });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(PORT_TUNNEL_PORT, '0.0.0.0', () => resolve());
  });
  say(`port tunnel listening on :${PORT_TUNNEL_PORT}, connecting to node ports on ${nodeIp}`);
  // Open relays end with the process: a stopped node has nothing left to reach anyway.
  const stop = () => process.exit(0);
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
