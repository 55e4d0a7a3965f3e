import { cidrContains, parseCidr } from './cidr.js';

/** One node as its peers see it: its address on the node network and the pod range behind it. */
export interface Peer {
  name: string;
  ip: string;
  podCIDR: string;
}

/** A change to the node's routing table. */
export type RouteOp = { op: 'replace'; dst: string; via: string } | { op: 'delete'; dst: string };

/** A route as read from `ip -4 route show`. */
export interface Route {
  dst: string;
  via?: string;
  dev?: string;
}

/** Parses the output of `ip -4 route show`. */
export function parseRoutes(text: string): Route[] {
  const routes: Route[] = [];
  for (const line of text.split('\n')) {
    const words = line.trim().split(/\s+/);
    const dst = words[0];
    if (!dst) continue;
    const at = (key: string) => {
      const i = words.indexOf(key);
      return i >= 0 ? words[i + 1] : undefined;
    };
    routes.push({ dst, via: at('via'), dev: at('dev') });
  }
  return routes;
}

/**
 * The route changes that make `current` route every peer's podCIDR via that peer, and drop gateway
 * routes into the cluster CIDR that no longer belong to a peer. The node's own podCIDR is skipped.
 */
export function planRoutes(current: Route[], peers: Peer[], self: string, clusterCidr: string): RouteOp[] {
  const cluster = parseCidr(clusterCidr);
  const desired = new Map(peers.filter((p) => p.name !== self).map((p) => [p.podCIDR, p.ip]));
  const ops: RouteOp[] = [];
  for (const [dst, via] of desired) {
    const have = current.find((r) => r.dst === dst);
    if (have?.via !== via) ops.push({ op: 'replace', dst, via });
  }
  for (const r of current) {
    if (!r.via || desired.has(r.dst) || !r.dst.includes('/')) continue;
    const network = r.dst.split('/')[0] ?? '';
    if (cidrContains(cluster, network)) ops.push({ op: 'delete', dst: r.dst });
  }
  return ops;
}

/** The `ip` command arguments that carry out a RouteOp. */
export function routeCommand(op: RouteOp): string[] {
  return op.op === 'replace' ? ['route', 'replace', op.dst, 'via', op.via] : ['route', 'del', op.dst];
}
