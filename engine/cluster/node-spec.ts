import type { NodeSpec } from '../docker/provider.js';
import { nodeAddressFor, podCidrFor } from '../network/ipam.js';
import { APISERVER_PORT, DOCKER_TLS_PORT, PORT_TUNNEL_PORT } from '../supervisor/contract.js';
import { nodeName, nodeRole } from './names.js';

export { DOCKER_TLS_PORT };

/** Settings of a cluster's control plane, chosen when the cluster is created. */
export interface ControlPlaneSettings {
  /** Default tolerationSeconds for the not-ready/unreachable taints (default 300). */
  evictionSeconds?: number;
  /** How long HorizontalPodAutoscalers wait before scaling down (default 300). */
  hpaDownscaleSeconds?: number;
}

/** The environment variables that carry `settings` to the control plane's processes. */
export function controlPlaneEnv(settings: ControlPlaneSettings): Record<string, string> | undefined {
  const env: Record<string, string> = {};
  if (settings.evictionSeconds !== undefined) env.KUBELAB_EVICTION_SECONDS = String(settings.evictionSeconds);
  if (settings.hpaDownscaleSeconds !== undefined) env.KUBELAB_HPA_DOWNSCALE_STABILIZATION_SECONDS = String(settings.hpaDownscaleSeconds);
  return Object.keys(env).length ? env : undefined;
}

/** The container spec of node `index` of `cluster`: name, role, fixed address, podCIDR, published ports. */
export function nodeSpec(cluster: string, index: number, image: string, subnet: string, apiPort?: number, settings: ControlPlaneSettings = {}): NodeSpec {
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
    env: index === 0 ? controlPlaneEnv(settings) : undefined,
  };
}
