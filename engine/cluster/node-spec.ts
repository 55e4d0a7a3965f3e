import type { NodeSpec } from '../docker/provider.js';
import { nodeAddressFor, podCidrFor } from '../network/ipam.js';
import { APISERVER_PORT, DOCKER_TLS_PORT, PORT_TUNNEL_PORT } from '../supervisor/contract.js';
import { nodeName, nodeRole } from './names.js';

export { DOCKER_TLS_PORT };

/** The container spec of node `index` of `cluster`: name, role, fixed address, podCIDR, published ports. */
export function nodeSpec(cluster: string, index: number, image: string, subnet: string, apiPort?: number, evictionSeconds?: number): NodeSpec {
  const ports: NodeSpec['ports'] = [{ container: DOCKER_TLS_PORT }];
  // The control plane also publishes the port tunnel: the host reaches NodePorts through it.
  if (index === 0) ports.unshift({ container: APISERVER_PORT, host: apiPort }, { container: PORT_TUNNEL_PORT });
  return {
    cluster,
    name: nodeName(cluster, index),
    index,
    role: nodeRole(index),
    image,
    ip: nodeAddressFor(subnet, index),
    podCIDR: podCidrFor(index),
    ports,
    // Control-plane settings travel as the node's environment, which its processes inherit.
    env: index === 0 && evictionSeconds !== undefined ? { KUBELAB_EVICTION_SECONDS: String(evictionSeconds) } : undefined,
  };
}
