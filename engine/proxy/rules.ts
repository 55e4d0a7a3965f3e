// The service proxy's iptables rules (kube-proxy's iptables mode, written our way): one
// iptables-restore text for `nat` and one for `filter`, generated from Services and
// EndpointSlices. Pure; main.ts applies the text with `iptables-restore --noflush`.
import { createHash } from 'node:crypto';
import { servicePorts, type EndpointSlice, type Service, type ServicePort } from './service-ports.js';

/** nat: entry for all service traffic; filter: rejects for cluster IPs without endpoints. */
export const SERVICES_CHAIN = 'KUBE-SERVICES';
/** nat: node ports, reached for any local destination address. */
export const NODEPORTS_CHAIN = 'KUBE-NODEPORTS';
/** nat: marks a packet to be masqueraded on its way out. */
export const MARK_MASQ_CHAIN = 'KUBE-MARK-MASQ';
/** nat: masquerades marked packets. */
export const POSTROUTING_CHAIN = 'KUBE-POSTROUTING';
/** filter: rejects for node ports without endpoints. */
export const EXTERNAL_SERVICES_CHAIN = 'KUBE-EXTERNAL-SERVICES';
/** Prefixes of the per-service-port and per-endpoint chains in nat; chains with these prefixes are ours to delete. */
export const SVC_PREFIX = 'KUBE-SVC-';
export const SEP_PREFIX = 'KUBE-SEP-';
/** The packet mark bit that asks KUBE-POSTROUTING to masquerade. */
export const MASQ_MARK = '0x4000';

const REJECT = '-j REJECT --reject-with icmp-port-unreachable';

/** What the rules are generated from. */
export interface ProxyRulesInput {
  services: Service[];
  slices: EndpointSlice[];
  /** Pod addresses; traffic to a cluster IP from anywhere else is masqueraded. */
  clusterCIDR: string;
  /** Chains that exist now in each table (from iptables-save), so stale ones can be deleted. */
  existingChains: { nat: string[]; filter: string[] };
}

/** The generated rules and what they were made from. */
export interface ProxyRules {
  /** iptables-restore input for the nat table (one *nat … COMMIT block). */
  nat: string;
  /** iptables-restore input for the filter table. */
  filter: string;
  /** The service ports the rules cover. */
  ports: ServicePort[];
  /** Chains the text deletes, as table/chain. */
  removedChains: string[];
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (no padding) of `bytes`. */
function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return bits > 0 ? out + BASE32[(value << (5 - bits)) & 31] : out;
}

/** `prefix` followed by 16 base32 characters of the SHA-256 of `text`: short enough for iptables' 28-character limit. */
export function chainName(prefix: string, text: string): string {
  return prefix + base32(createHash('sha256').update(text).digest()).slice(0, 16);
}

/** The identity of a service port: namespace/name:port-name:protocol. */
export function portId(p: ServicePort): string {
  return `${p.namespace}/${p.name}:${p.portName}:${p.protocol}`;
}

/** The chain that spreads a service port's traffic over its endpoints. */
export function serviceChain(p: ServicePort): string {
  return chainName(SVC_PREFIX, portId(p));
}

/** The chain that sends a service port's traffic to one endpoint. */
export function endpointChain(p: ServicePort, ep: { ip: string; port: number }): string {
  return chainName(SEP_PREFIX, `${portId(p)}:${ep.ip}:${ep.port}`);
}

/** The chain names of an iptables-save listing (its `:CHAIN POLICY [counters]` lines). */
export function chainsIn(save: string): string[] {
  return [...save.matchAll(/^:(\S+)/gm)].map((m) => m[1]!);
}

/** What `iptables-save` readers see for a service port. */
const commentOf = (p: ServicePort) => `${p.namespace}/${p.name}${p.portName ? `:${p.portName}` : ''}`;

/** Probability for the i-th of n endpoints so that each ends up with 1/n of new connections. */
const probability = (i: number, n: number) => (1 / (n - i)).toFixed(10);

/** The nat rules of one service port that has endpoints. */
function natRulesFor(p: ServicePort, clusterCIDR: string): { chains: string[]; rules: string[] } {
  const proto = p.protocol.toLowerCase();
  const c = commentOf(p);
  const svc = serviceChain(p);
  const seps = p.endpoints.map((ep) => ({ ep, chain: endpointChain(p, ep) }));
  const dport = (port: number) => `-m ${proto} --dport ${port}`;
  const rules = [`-A ${SERVICES_CHAIN} -d ${p.clusterIP}/32 -p ${proto} -m comment --comment "${c} cluster IP" ${dport(p.port)} -j ${svc}`];
  if (p.nodePort) {
    // Replies must come back through this node, whichever node the endpoint is on.
    rules.push(`-A ${NODEPORTS_CHAIN} -p ${proto} -m comment --comment "${c}" ${dport(p.nodePort)} -j ${MARK_MASQ_CHAIN}`);
    rules.push(`-A ${NODEPORTS_CHAIN} -p ${proto} -m comment --comment "${c}" ${dport(p.nodePort)} -j ${svc}`);
  }
  // Clients outside the pod network (the node itself, say) may not be routable from the endpoint.
  rules.push(`-A ${svc} ! -s ${clusterCIDR} -d ${p.clusterIP}/32 -p ${proto} -m comment --comment "${c} cluster IP" ${dport(p.port)} -j ${MARK_MASQ_CHAIN}`);
  if (p.affinitySeconds !== undefined) {
    for (const { chain } of seps) rules.push(`-A ${svc} -m comment --comment "${c}" -m recent --name ${chain} --rcheck --seconds ${p.affinitySeconds} --reap -j ${chain}`);
  }
  seps.forEach(({ ep, chain }, i) => {
    const pick = i < seps.length - 1 ? ` -m statistic --mode random --probability ${probability(i, seps.length)}` : '';
    rules.push(`-A ${svc} -m comment --comment "${c} -> ${ep.ip}:${ep.port}"${pick} -j ${chain}`);
  });
  for (const { ep, chain } of seps) {
    // Hairpin: a pod reaching itself must see the reply come from the service, not from itself.
    rules.push(`-A ${chain} -s ${ep.ip}/32 -m comment --comment "${c}" -j ${MARK_MASQ_CHAIN}`);
    const remember = p.affinitySeconds !== undefined ? ` -m recent --name ${chain} --set` : '';
    rules.push(`-A ${chain} -p ${proto} -m comment --comment "${c}"${remember} -m ${proto} -j DNAT --to-destination ${ep.ip}:${ep.port}`);
  }
  return { chains: [svc, ...seps.map((s) => s.chain)], rules };
}

/** Declarations and deletions for chains we own that exist but are no longer wanted. */
function stale(existing: string[], wanted: Set<string>): string[] {
  return [...new Set(existing)].filter((n) => (n.startsWith(SVC_PREFIX) || n.startsWith(SEP_PREFIX)) && !wanted.has(n)).sort();
}

/**
 * The proxy's nat and filter rules for `input`. Every chain the text declares is flushed by
 * `iptables-restore --noflush` and refilled, so applying it again is harmless; per-service
 * chains that exist but are no longer wanted are flushed and deleted. Output is deterministic.
 */
export function proxyRules(input: ProxyRulesInput): ProxyRules {
  const ports = servicePorts(input.services, input.slices);
  const natChains: string[] = [];
  const natRules: string[] = [];
  const filterRules: string[] = [];
  for (const p of ports) {
    if (p.endpoints.length > 0) {
      const r = natRulesFor(p, input.clusterCIDR);
      natChains.push(...r.chains);
      natRules.push(...r.rules);
      continue;
    }
    // Nothing to send it to: refuse at once rather than let the client wait.
    const proto = p.protocol.toLowerCase();
    const c = `${commentOf(p)} has no endpoints`;
    filterRules.push(`-A ${SERVICES_CHAIN} -d ${p.clusterIP}/32 -p ${proto} -m comment --comment "${c}" -m ${proto} --dport ${p.port} ${REJECT}`);
    if (p.nodePort) filterRules.push(`-A ${EXTERNAL_SERVICES_CHAIN} -p ${proto} -m comment --comment "${c}" -m addrtype --dst-type LOCAL -m ${proto} --dport ${p.nodePort} ${REJECT}`);
  }
  // Loopback is left out: DNAT from 127.0.0.1 to a pod would need route_localnet.
  natRules.push(`-A ${SERVICES_CHAIN} ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -m comment --comment "node ports on local addresses" -j ${NODEPORTS_CHAIN}`);

  const staleNat = stale(input.existingChains.nat, new Set(natChains));
  const staleFilter = stale(input.existingChains.filter, new Set());
  const declare = (names: string[]) => names.map((n) => `:${n} - [0:0]`);
  const nat = [
    '*nat',
    ...declare([SERVICES_CHAIN, NODEPORTS_CHAIN, MARK_MASQ_CHAIN, POSTROUTING_CHAIN, ...natChains, ...staleNat]),
    `-A ${MARK_MASQ_CHAIN} -j MARK --or-mark ${MASQ_MARK}`,
    `-A ${POSTROUTING_CHAIN} -m mark ! --mark ${MASQ_MARK}/${MASQ_MARK} -j RETURN`,
    // Clear the bit so a packet that is encapsulated or re-routed is not masqueraded twice.
    `-A ${POSTROUTING_CHAIN} -j MARK --xor-mark ${MASQ_MARK}`,
    `-A ${POSTROUTING_CHAIN} -m comment --comment "service traffic that must come back through this node" -j MASQUERADE`,
    ...natRules,
    ...staleNat.map((n) => `-X ${n}`),
    'COMMIT',
    '',
  ].join('\n');
  const filter = [
    '*filter',
    ...declare([SERVICES_CHAIN, EXTERNAL_SERVICES_CHAIN, ...staleFilter]),
    ...filterRules,
    ...staleFilter.map((n) => `-X ${n}`),
    'COMMIT',
    '',
  ].join('\n');
  return { nat, filter, ports, removedChains: [...staleNat.map((n) => `nat/${n}`), ...staleFilter.map((n) => `filter/${n}`)] };
}
