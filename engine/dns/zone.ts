// The answers DNS gives for the cluster's own names (the Kubernetes DNS spec for Services and
// Pods): `<svc>.<ns>.svc.<zone>`, endpoint names under headless Services, SRV for named ports,
// `<a-b-c-d>.<ns>.pod.<zone>`, and PTR in the reverse zones of the service and pod CIDRs.
// Names outside those zones are for the upstream resolvers.
import { isIP } from 'node:net';
import { parseCidr } from '../network/cidr.js';
import { canonicalName, CLASS_IN, RCODE, TYPE, type Question, type ResourceRecord } from './message.js';
import { isHeadless, serviceIps, type ClusterIndex, type Service } from './cluster-index.js';

/** Where the cluster's names live and how long answers may be cached. */
export interface ZoneConfig {
  /** The cluster domain, e.g. cluster.local. */
  zone: string;
  serviceCidr: string;
  podCidr: string;
  /** TTL of every record we serve, and the SOA's negative-caching TTL. */
  ttl: number;
}

export const DEFAULT_ZONE_CONFIG: ZoneConfig = { zone: 'cluster.local', serviceCidr: '10.96.0.0/12', podCidr: '10.244.0.0/16', ttl: 5 };

/** What to do with a question: forward it, or answer it ourselves with these sections. */
export type ZoneAnswer =
  | { kind: 'forward' }
  | { kind: 'local'; rcode: number; answers: ResourceRecord[]; authorities: ResourceRecord[]; additionals: ResourceRecord[] };

/** What one name holds. `none`: the name does not exist; `empty`: it exists with no records. */
type Node =
  | { kind: 'none' }
  | { kind: 'empty' }
  | { kind: 'apex' }
  | { kind: 'addresses'; ips: string[] }
  | { kind: 'cname'; target: string }
  | { kind: 'srv'; records: Array<{ port: number; target: string; ips: string[] }> }
  | { kind: 'ptr'; targets: string[] };

const NONE: Node = { kind: 'none' };
const EMPTY: Node = { kind: 'empty' };

/** in-addr.arpa zones, octet aligned, that together cover `cidr` (a /12 gives sixteen /16 zones). */
export function reverseZones(cidr: string): string[] {
  const c = parseCidr(cidr);
  const bits = Math.max(8, Math.ceil(c.bits / 8) * 8);
  const count = 2 ** (bits - c.bits);
  const step = 2 ** (32 - bits);
  return Array.from({ length: count }, (_, i) => {
    const base = c.base + i * step;
    const octets = [24, 16, 8, 0].slice(0, bits / 8).map((s) => Math.floor(base / 2 ** s) % 256);
    return `${octets.reverse().join('.')}.in-addr.arpa`;
  });
}

const under = (name: string, zone: string) => name === zone || name.endsWith(`.${zone}`);
const relative = (name: string, zone: string) => (name === zone ? [] : name.slice(0, -zone.length - 1).split('.'));

/** Answers `q` from `data`, or says to forward it. */
export function answer(q: Question, data: ClusterIndex, cfg: ZoneConfig = DEFAULT_ZONE_CONFIG): ZoneAnswer {
  const name = canonicalName(q.name);
  const zone = canonicalName(cfg.zone);
  const apex = under(name, zone) ? zone : [...reverseZones(cfg.serviceCidr), ...reverseZones(cfg.podCidr)].find((z) => under(name, z));
  if (apex === undefined) return { kind: 'forward' };
  const soa = soaRecord(apex, zone, data.serial, cfg.ttl);
  if (q.class !== CLASS_IN && q.class !== 255) return { kind: 'local', rcode: RCODE.REFUSED, answers: [], authorities: [], additionals: [] };

  const answers: ResourceRecord[] = [];
  const additionals: ResourceRecord[] = [];
  const seen = new Set<string>();
  let owner = q.name;
  let node = lookup(name, apex, zone, data);
  // Follow CNAMEs that stay inside our zone, so the client gets the whole chain at once.
  while (node.kind === 'cname' && q.type !== TYPE.CNAME) {
    answers.push(rr(owner, TYPE.CNAME, cfg.ttl, { kind: 'CNAME', target: node.target }));
    seen.add(canonicalName(owner));
    const target = canonicalName(node.target);
    if (!under(target, zone) || seen.has(target) || seen.size > 8) return { kind: 'local', rcode: RCODE.NOERROR, answers, authorities: [], additionals };
    owner = node.target;
    node = lookup(target, zone, zone, data);
  }
  if (node.kind === 'none') return { kind: 'local', rcode: RCODE.NXDOMAIN, answers, authorities: [soa], additionals };
  answers.push(...records(node, owner, q.type, soa, zone, cfg.ttl, additionals));
  const nodata = answers.length === 0 || (answers.every((a) => a.type === TYPE.CNAME) && q.type !== TYPE.CNAME);
  return { kind: 'local', rcode: RCODE.NOERROR, answers, authorities: nodata ? [soa] : [], additionals };
}

/** The records of `node` that answer `type`; SRV targets' addresses go to `additionals`. */
function records(node: Node, owner: string, type: number, soa: ResourceRecord, zone: string, ttl: number, additionals: ResourceRecord[]): ResourceRecord[] {
  const any = type === TYPE.ANY;
  switch (node.kind) {
    case 'apex':
      return [
        ...(type === TYPE.SOA || any ? [{ ...soa, name: owner }] : []),
        ...(type === TYPE.NS || any ? [rr(owner, TYPE.NS, ttl, { kind: 'NS', target: `ns.dns.${zone}` })] : []),
      ];
    case 'addresses':
      return addressRecords(owner, node.ips, type, ttl);
    case 'cname':
      return type === TYPE.CNAME || any ? [rr(owner, TYPE.CNAME, ttl, { kind: 'CNAME', target: node.target })] : [];
    case 'ptr':
      return type === TYPE.PTR || any ? node.targets.map((target) => rr(owner, TYPE.PTR, ttl, { kind: 'PTR', target })) : [];
    case 'srv': {
      if (type !== TYPE.SRV && !any) return [];
      const weight = Math.max(1, Math.floor(100 / node.records.length));
      const done = new Set<string>();
      for (const r of node.records) {
        if (done.has(r.target)) continue;
        done.add(r.target);
        additionals.push(...addressRecords(r.target, r.ips, TYPE.ANY, ttl));
      }
      return node.records.map((r) => rr(owner, TYPE.SRV, ttl, { kind: 'SRV', priority: 0, weight, port: r.port, target: r.target }));
    }
    default:
      return [];
  }
}

function addressRecords(owner: string, ips: string[], type: number, ttl: number): ResourceRecord[] {
  const out: ResourceRecord[] = [];
  for (const ip of ips) {
    const family = isIP(ip);
    if (family === 4 && (type === TYPE.A || type === TYPE.ANY)) out.push(rr(owner, TYPE.A, ttl, { kind: 'A', address: ip }));
    if (family === 6 && (type === TYPE.AAAA || type === TYPE.ANY)) out.push(rr(owner, TYPE.AAAA, ttl, { kind: 'AAAA', address: ip }));
  }
  return out;
}

function rr(name: string, type: number, ttl: number, data: ResourceRecord['data']): ResourceRecord {
  return { name, type, class: CLASS_IN, ttl, data };
}

function soaRecord(apex: string, zone: string, serial: number, ttl: number): ResourceRecord {
  return rr(apex, TYPE.SOA, ttl, { kind: 'SOA', mname: `ns.dns.${zone}`, rname: `hostmaster.${zone}`, serial, refresh: 7200, retry: 1800, expire: 86400, minimum: ttl });
}

/** What `name` (canonical, inside `apex`) holds. */
function lookup(name: string, apex: string, zone: string, data: ClusterIndex): Node {
  const labels = relative(name, apex).reverse();
  if (labels.length === 0) return { kind: 'apex' };
  if (apex !== zone) return reverseLookup(labels, apex, zone, data);
  const [top, ns, svcName, ...rest] = labels;
  if (top === 'svc') {
    if (ns === undefined) return EMPTY;
    if (svcName === undefined) return data.hasNamespace(ns) ? EMPTY : NONE;
    const svc = data.service(ns, svcName);
    return svc ? serviceLookup(svc, ns, svcName, rest, zone, data) : NONE;
  }
  if (top === 'pod') {
    if (svcName === undefined) return EMPTY;
    if (rest.length > 0) return NONE;
    const ip = svcName.split('-').join('.');
    return /^(\d{1,3}-){3}\d{1,3}$/.test(svcName) && isIP(ip) === 4 ? { kind: 'addresses', ips: [ip] } : NONE;
  }
  // ns.dns.<zone>: the name our SOA and NS records give for this server.
  if (top === 'dns' && ns === undefined) return EMPTY;
  if (top === 'dns' && ns === 'ns' && svcName === undefined) {
    const self = data.service('kube-system', 'kube-dns');
    return { kind: 'addresses', ips: self ? serviceIps(self) : [] };
  }
  return NONE;
}

/** Names at and below `<svc>.<ns>.svc`: `rest` holds the labels below the Service, outermost first. */
function serviceLookup(svc: Service, ns: string, name: string, rest: string[], zone: string, data: ClusterIndex): Node {
  const base = `${name}.${ns}.svc.${zone}`;
  if (svc.spec?.type === 'ExternalName') {
    const target = svc.spec.externalName?.replace(/\.$/, '');
    return rest.length === 0 && target ? { kind: 'cname', target } : NONE;
  }
  const headless = isHeadless(svc);
  if (rest.length === 0) return { kind: 'addresses', ips: headless ? data.readyEndpoints(ns, name).map((e) => e.address) : serviceIps(svc) };
  const [first, second, ...deeper] = rest;
  if (deeper.length > 0 || first === undefined) return NONE;
  if (!first.startsWith('_')) {
    if (second !== undefined) return NONE;
    const ips = data.readyEndpoints(ns, name).filter((e) => e.label === first).map((e) => e.address);
    return ips.length ? { kind: 'addresses', ips } : NONE;
  }
  // _<proto> alone is an empty non-terminal when some named port uses that protocol.
  const proto = first.slice(1);
  const port = second?.startsWith('_') ? second.slice(1) : undefined;
  if (second !== undefined && port === undefined) return NONE;
  const matches = (p: { name?: string; protocol?: string }) => !!p.name && (p.protocol ?? 'TCP').toLowerCase() === proto && (port === undefined || p.name.toLowerCase() === port);
  let records: Array<{ port: number; target: string; ips: string[] }>;
  if (headless) {
    records = data.readyEndpoints(ns, name).flatMap((e) => e.ports.filter(matches).map((p) => ({ port: p.port, target: `${e.label}.${base}`, ips: [e.address] })));
  } else {
    records = (svc.spec?.ports ?? []).filter(matches).map((p) => ({ port: p.port, target: base, ips: serviceIps(svc) }));
  }
  if (records.length === 0) return NONE;
  return port === undefined ? EMPTY : { kind: 'srv', records };
}

/** Names inside a reverse zone: `labels` continue the zone's octets, outermost first. */
function reverseLookup(labels: string[], apex: string, zone: string, data: ClusterIndex): Node {
  const octets = [...apex.replace(/\.in-addr\.arpa$/, '').split('.').reverse(), ...labels];
  if (octets.length > 4 || octets.some((o) => !/^\d{1,3}$/.test(o) || Number(o) > 255 || String(Number(o)) !== o)) return NONE;
  if (octets.length < 4) return data.hasReversePrefix(octets.join('.')) ? EMPTY : NONE;
  const targets = data.reverseNames(octets.join('.'));
  return targets.length ? { kind: 'ptr', targets: targets.map((t) => `${t}.${zone}`) } : NONE;
}

