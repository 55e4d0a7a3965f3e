// The cluster facts DNS answers from: Services and EndpointSlices as the informers deliver them,
// filed so that each lookup by name or by IP is a map read. Slices are tied to their Service by
// the kubernetes.io/service-name label, as the EndpointSlice controller writes it.
import { isIP } from 'node:net';
import type { ApiObject } from '../api/resource-type.js';

/** The label linking an EndpointSlice to its Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export interface ServicePort {
  name?: string;
  port: number;
  protocol?: string;
}

/** The fields of a core/v1 Service that DNS reads. */
export interface Service extends ApiObject {
  spec?: { type?: string; clusterIP?: string; clusterIPs?: string[]; externalName?: string; ports?: ServicePort[] };
}

/** The fields of a discovery.k8s.io/v1 EndpointSlice that DNS reads. */
export interface EndpointSlice extends ApiObject {
  addressType?: string;
  endpoints?: Array<{ addresses?: string[]; hostname?: string; conditions?: { ready?: boolean } }>;
  ports?: Array<{ name?: string; port?: number; protocol?: string }>;
}

/** A ready endpoint of a Service: its (first) address, DNS name label, and the slice's ports. */
export interface ReadyEndpoint {
  address: string;
  /** The endpoint's hostname, or its address with dashes (10-244-1-5) when it has none. */
  label: string;
  ports: Array<{ name: string; port: number; protocol: string }>;
}

/** A Service's headless marker and empty IP fields mean "no cluster IP". */
export function serviceIps(svc: Service): string[] {
  const spec = svc.spec ?? {};
  const ips = spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
  return ips.filter((ip) => isIP(ip) !== 0);
}

/** Whether `svc` is headless: it asks for no cluster IP (and is not an ExternalName). */
export function isHeadless(svc: Service): boolean {
  return svc.spec?.type !== 'ExternalName' && svc.spec?.clusterIP === 'None';
}

/** An address as one DNS label: dots and colons become dashes. */
export function dashed(ip: string): string {
  return ip.replace(/[.:]/g, '-');
}

const lower = (s: string) => s.toLowerCase();

/** Services and EndpointSlices by name, kept current by informer callbacks. */
export class ClusterIndex {
  private readonly services = new Map<string, Service>();
  /** ns/service → slice name → slice. */
  private readonly slicesByService = new Map<string, Map<string, EndpointSlice>>();
  /** ns/slice → the ns/service it was filed under (its label may change). */
  private readonly sliceOwner = new Map<string, string>();
  /** Number of Services per namespace, so `<ns>.svc` can tell whether the namespace has any. */
  private readonly perNamespace = new Map<string, number>();
  private reverse?: { names: Map<string, string[]>; prefixes: Set<string> };
  /** Counts changes; it serves as the zone's SOA serial. */
  serial = 1;

  /** Adds or replaces a Service. */
  upsertService(svc: Service): void {
    const key = this.key(svc.metadata.namespace, svc.metadata.name);
    if (!this.services.has(key)) this.count(svc.metadata.namespace, 1);
    this.services.set(key, svc);
    this.changed();
  }

  /** Forgets a Service. */
  removeService(svc: Service): void {
    const key = this.key(svc.metadata.namespace, svc.metadata.name);
    if (this.services.delete(key)) this.count(svc.metadata.namespace, -1);
    this.changed();
  }

  /** Adds or replaces an EndpointSlice, filing it under the Service its label names. */
  upsertSlice(slice: EndpointSlice): void {
    this.removeSlice(slice);
    const svcName = slice.metadata.labels?.[SERVICE_NAME_LABEL];
    if (!svcName) return;
    const owner = this.key(slice.metadata.namespace, svcName);
    let slices = this.slicesByService.get(owner);
    if (!slices) this.slicesByService.set(owner, (slices = new Map()));
    slices.set(slice.metadata.name, slice);
    this.sliceOwner.set(this.key(slice.metadata.namespace, slice.metadata.name), owner);
    this.changed();
  }

  /** Forgets an EndpointSlice. */
  removeSlice(slice: EndpointSlice): void {
    const key = this.key(slice.metadata.namespace, slice.metadata.name);
    const owner = this.sliceOwner.get(key);
    if (owner === undefined) return;
    this.sliceOwner.delete(key);
    const slices = this.slicesByService.get(owner);
    slices?.delete(slice.metadata.name);
    if (slices?.size === 0) this.slicesByService.delete(owner);
    this.changed();
  }

  /** The Service `ns/name` (DNS names are matched in lower case). */
  service(ns: string, name: string): Service | undefined {
    return this.services.get(this.key(ns, name));
  }

  /** Whether any Service lives in `ns`. */
  hasNamespace(ns: string): boolean {
    return (this.perNamespace.get(lower(ns)) ?? 0) > 0;
  }

  /** The ready endpoints of Service `ns/name` across all its slices, in a stable order. */
  readyEndpoints(ns: string, name: string): ReadyEndpoint[] {
    const slices = [...(this.slicesByService.get(this.key(ns, name))?.values() ?? [])];
    slices.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    const out: ReadyEndpoint[] = [];
    const seen = new Set<string>();
    for (const slice of slices) {
      if (slice.addressType === 'FQDN') continue;
      const ports = (slice.ports ?? []).flatMap((p) => (p.port === undefined ? [] : [{ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' }]));
      for (const ep of slice.endpoints ?? []) {
        // A missing ready condition means ready; only the first address counts (v1 semantics).
        const address = ep.addresses?.[0];
        if (ep.conditions?.ready === false || !address || isIP(address) === 0) continue;
        const label = lower(ep.hostname || dashed(address));
        if (seen.has(`${label}/${address}`)) continue;
        seen.add(`${label}/${address}`);
        out.push({ address, label, ports });
      }
    }
    return out;
  }

  /** The names (relative to the zone, e.g. `web.default.svc`) an IP is known by, sorted. */
  reverseNames(ip: string): string[] {
    return this.reverseIndex().names.get(ip) ?? [];
  }

  /** Whether some known IP starts with these dotted octets (an empty non-terminal in in-addr.arpa). */
  hasReversePrefix(octets: string): boolean {
    return this.reverseIndex().prefixes.has(octets);
  }

  private reverseIndex(): { names: Map<string, string[]>; prefixes: Set<string> } {
    if (this.reverse) return this.reverse;
    const names = new Map<string, Set<string>>();
    const add = (ip: string, name: string) => {
      let set = names.get(ip);
      if (!set) names.set(ip, (set = new Set()));
      set.add(name);
    };
    for (const svc of this.services.values()) {
      const { name, namespace = '' } = svc.metadata;
      const base = `${lower(name)}.${lower(namespace)}.svc`;
      for (const ip of serviceIps(svc)) add(ip, base);
      for (const ep of this.readyEndpoints(namespace, name)) add(ep.address, `${ep.label}.${base}`);
    }
    const prefixes = new Set<string>();
    for (const ip of names.keys()) {
      const parts = ip.split('.');
      for (let i = 1; i < parts.length; i++) prefixes.add(parts.slice(0, i).join('.'));
    }
    this.reverse = { names: new Map([...names].map(([ip, set]) => [ip, [...set].sort()])), prefixes };
    return this.reverse;
  }

  private key(ns: string | undefined, name: string): string {
    return `${lower(ns ?? '')}/${lower(name)}`;
  }

  private count(ns: string | undefined, delta: number): void {
    const n = (this.perNamespace.get(lower(ns ?? '')) ?? 0) + delta;
    if (n > 0) this.perNamespace.set(lower(ns ?? ''), n);
    else this.perNamespace.delete(lower(ns ?? ''));
  }

  private changed(): void {
    this.serial = (this.serial + 1) >>> 0 || 1;
    this.reverse = undefined;
  }
}
