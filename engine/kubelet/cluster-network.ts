// What a pod learns about the cluster's network from its node agent: the resolver settings its
// dnsPolicy asks for (cluster DNS first, the node's, or only the pod's own dnsConfig) and the
// environment variables naming the Services of its namespace, as the kubelet writes them.
import { intToIp, parseCidr } from '../network/cidr.js';
import type { DnsSettings } from '../network/resolv-conf.js';

export { parseResolvConf, type DnsSettings } from '../network/resolv-conf.js';
import type { Pod } from './pod-types.js';

/** The cluster DNS Service's address and the cluster's domain. */
export const CLUSTER_DNS = { server: '10.96.0.10', domain: 'cluster.local' } as const;
/** Upstream's limits on resolver settings. */
const MAX_NAMESERVERS = 3;
const MAX_SEARCHES = 32;

const unique = (list: string[]) => [...new Set(list)];

/** Options by name, later ones replacing earlier ones of the same name (`ndots:2` replaces `ndots:5`). */
function mergeOptions(base: string[], extra: string[]): string[] {
  const byName = new Map<string, string>();
  for (const o of [...base, ...extra]) byName.set(o.split(':')[0]!, o);
  return [...byName.values()];
}

/** Where the node's DNS relay listens: the node's address on its pod bridge (the first of its podCIDR). */
export function nodeDnsRelayAddress(podCIDR: string): string {
  const cidr = parseCidr(podCIDR);
  return intToIp(cidr.base + 1);
}

/**
 * The node's resolver as pods reach it: its resolv.conf with loopback servers (the engine's
 * embedded DNS, which only the node itself reaches) replaced by `relay`, the node's DNS relay.
 */
export function nodeResolverForPods(node: DnsSettings, relay: string): DnsSettings {
  const servers = [...new Set(node.servers.map((s) => (s.startsWith('127.') || s === '::1' ? relay : s)))];
  return { ...node, servers };
}

/** The resolver a pod's containers get, from its dnsPolicy and dnsConfig; `node` is the node's resolver as pods reach it. */
export function podDns(pod: Pod, node: DnsSettings): DnsSettings {
  const policy = pod.spec.dnsPolicy || 'ClusterFirst';
  const cfg = pod.spec.dnsConfig ?? {};
  const podOptions = (cfg.options ?? []).filter((o) => o.name).map((o) => (o.value !== undefined && o.value !== '' ? `${o.name}:${o.value}` : o.name!));
  let base: DnsSettings | undefined;
  const clusterFirst = policy === 'ClusterFirstWithHostNet' || (policy === 'ClusterFirst' && !pod.spec.hostNetwork);
  if (clusterFirst) {
    const ns = pod.metadata.namespace ?? 'default';
    const d = CLUSTER_DNS.domain;
    base = { servers: [CLUSTER_DNS.server], searches: [`${ns}.svc.${d}`, `svc.${d}`, d, ...node.searches], options: ['ndots:5'] };
  } else if (policy === 'None') base = { servers: [], searches: [], options: [] };
  else base = { servers: [...node.servers], searches: [...node.searches], options: [...node.options] };
  return {
    servers: unique([...base.servers, ...(cfg.nameservers ?? [])]).slice(0, MAX_NAMESERVERS),
    searches: unique([...base.searches, ...(cfg.searches ?? [])]).slice(0, MAX_SEARCHES),
    options: mergeOptions(base.options, podOptions),
  };
}

/** A Service as the environment needs it. */
export interface ServiceInfo {
  metadata: { name: string; namespace?: string };
  spec?: { type?: string; clusterIP?: string; ports?: { name?: string; port: number; protocol?: string }[] };
}

/** The variables of one Service: NAME_SERVICE_HOST, NAME_SERVICE_PORT[_PORTNAME], NAME_PORT and NAME_PORT_<port>_<PROTO>[_PROTO|_PORT|_ADDR]. */
function serviceVars(svc: ServiceInfo, into: Map<string, string>): void {
  const ip = svc.spec?.clusterIP;
  const ports = svc.spec?.ports ?? [];
  if (!ip || ip === 'None' || svc.spec?.type === 'ExternalName' || ports.length === 0) return;
  const name = svc.metadata.name.toUpperCase().replace(/-/g, '_');
  into.set(`${name}_SERVICE_HOST`, ip);
  into.set(`${name}_SERVICE_PORT`, String(ports[0]!.port));
  for (const p of ports) if (p.name) into.set(`${name}_SERVICE_PORT_${p.name.toUpperCase().replace(/-/g, '_')}`, String(p.port));
  const url = (p: { port: number; protocol?: string }) => `${(p.protocol ?? 'TCP').toLowerCase()}://${ip}:${p.port}`;
  into.set(`${name}_PORT`, url(ports[0]!));
  for (const p of ports) {
    const proto = (p.protocol ?? 'TCP').toUpperCase();
    const prefix = `${name}_PORT_${p.port}_${proto}`;
    into.set(prefix, url(p));
    into.set(`${prefix}_PROTO`, proto.toLowerCase());
    into.set(`${prefix}_PORT`, String(p.port));
    into.set(`${prefix}_ADDR`, ip);
  }
}

/**
 * The Service variables a pod's containers start with: those of every Service in its namespace
 * (unless enableServiceLinks is false) and always those of `default/kubernetes`, which wins.
 */
export function serviceEnv(pod: Pod, services: ServiceInfo[]): Map<string, string> {
  const ns = pod.metadata.namespace ?? 'default';
  const links = pod.spec.enableServiceLinks !== false;
  const out = new Map<string, string>();
  const sorted = [...services].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  if (links) for (const svc of sorted) if ((svc.metadata.namespace ?? 'default') === ns) serviceVars(svc, out);
  const master = services.find((s) => s.metadata.name === 'kubernetes' && (s.metadata.namespace ?? 'default') === 'default');
  if (master) serviceVars(master, out);
  return out;
}
