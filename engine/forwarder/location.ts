// Where the host reaches a cluster's control plane: the apiserver's and the port tunnel's
// published loopback ports. Docker picks new ones at every node start, so they are read afresh.
import type { NodeInfo } from '../docker/provider.js';
import { APISERVER_PORT, PORT_TUNNEL_PORT } from '../supervisor/contract.js';

/** The control plane as the host can reach it. */
export type ControlPlaneLocation =
  | { state: 'gone' }
  | { state: 'stopped' }
  /** Running, but made before the port tunnel existed: it publishes no tunnel port. */
  | { state: 'no-tunnel'; apiPort: number }
  | { state: 'running'; apiPort: number; tunnelPort: number };

/** The location of the cluster whose nodes are `nodes`. */
export function controlPlaneLocation(nodes: NodeInfo[]): ControlPlaneLocation {
  if (nodes.length === 0) return { state: 'gone' };
  const cp = nodes.find((n) => n.role === 'control-plane');
  const apiPort = cp?.ports.find((p) => p.container === APISERVER_PORT)?.host;
  if (!cp || cp.state !== 'running' || !apiPort) return { state: 'stopped' };
  const tunnelPort = cp.ports.find((p) => p.container === PORT_TUNNEL_PORT)?.host;
  return tunnelPort ? { state: 'running', apiPort, tunnelPort } : { state: 'no-tunnel', apiPort };
}

/** What to tell a user whose cluster predates host access. */
export const NO_TUNNEL_MESSAGE = 'host access to NodePort and LoadBalancer Services needs a cluster created by this version of kubelab';
