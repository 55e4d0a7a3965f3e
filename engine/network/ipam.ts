import { cidrsOverlap, formatCidr, intToIp, parseCidr } from './cidr.js';

/** The cluster-wide pod network; node N owns 10.244.N.0/24 of it. */
export const CLUSTER_CIDR = '10.244.0.0/16';

/** Largest node index: podCIDRs are /24s of a /16, and node addresses must fit the node network's /24. */
export const MAX_NODE_INDEX = 250;

/** The podCIDR of the node with index `index` (0 = control plane). */
export function podCidrFor(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index > MAX_NODE_INDEX) {
    throw new RangeError(`node index ${index} is outside 0..${MAX_NODE_INDEX}`);
  }
  const cluster = parseCidr(CLUSTER_CIDR);
  return formatCidr({ base: cluster.base + index * 256, bits: 24 });
}

/** Address (with prefix length) of the nested runtime's bridge: the first host of the podCIDR. */
export function bridgeAddressFor(index: number): string {
  const pod = parseCidr(podCidrFor(index));
  return `${intToIp(pod.base + 1)}/${pod.bits}`;
}

/** The addresses pods get on a node, and the bridge's own. */
export interface PodAddressRange {
  /** First and last pod address, as integers. */
  first: number;
  last: number;
  /** The bridge's address (the pods' gateway) and the podCIDR's prefix length. */
  gateway: string;
  prefix: number;
}

/**
 * The pod half of a node's podCIDR: from the address after the bridge's up to the middle. The
 * upper half is dockerd's own (its --fixed-cidr), for containers people run through docker-env,
 * so the two never hand out the same address.
 */
export function podAddressRange(podCIDR: string): PodAddressRange {
  const c = parseCidr(podCIDR);
  const size = 2 ** (32 - c.bits);
  return { first: c.base + 2, last: c.base + size / 2 - 1, gateway: intToIp(c.base + 1), prefix: c.bits };
}

/** dockerd's --fixed-cidr on a node: the upper half of its podCIDR (see podAddressRange). */
export function dockerFixedCidr(podCIDR: string): string {
  const c = parseCidr(podCIDR);
  return `${intToIp(c.base + 2 ** (32 - c.bits) / 2)}/${c.bits + 1}`;
}

/** The lowest node index not in `used`; throws when the cluster is full. */
export function nextFreeIndex(used: Iterable<number>): number {
  const taken = new Set(used);
  for (let i = 0; i <= MAX_NODE_INDEX; i++) if (!taken.has(i)) return i;
  throw new RangeError(`no free node index: a cluster holds at most ${MAX_NODE_INDEX + 1} nodes`);
}

/** The fixed address of node `index` on the cluster's node network (skips network and gateway). */
export function nodeAddressFor(subnet: string, index: number): string {
  const net = parseCidr(subnet);
  const offset = index + 2;
  if (offset >= 2 ** (32 - net.bits) - 1) throw new RangeError(`node index ${index} does not fit subnet ${subnet}`);
  return intToIp(net.base + offset);
}

/**
 * Picks a /24 for a new cluster's node network that overlaps none of `used` (the subnets of every
 * network on the engine) nor the pod and service ranges. Candidates are 172.30.0.0/24 … 172.31.255.0/24.
 */
export function pickNodeSubnet(used: string[]): string {
  const reserved = [...used, CLUSTER_CIDR, '10.96.0.0/12'].map(parseCidr);
  const start = parseCidr('172.30.0.0/15');
  for (let i = 0; i < 512; i++) {
    const candidate = { base: start.base + i * 256, bits: 24 };
    if (!reserved.some((r) => cidrsOverlap(r, candidate))) return formatCidr(candidate);
  }
  throw new RangeError('no free /24 left in 172.30.0.0/15 for a node network');
}
