// Cluster IPs and node ports of Services, handed out by the apiserver as upstream's allocators do:
// a free address of the service CIDR (10.96.0.0/12) for each Service that needs one, a free port
// of 30000-32767 for each port of a NodePort or LoadBalancer Service, explicit choices honoured
// when they are free and in range, 422 otherwise. What is in use is read from the stored Services
// themselves, under one lock per apiserver, so a deleted Service releases its addresses at once
// and nothing can be handed out twice.
import { randomInt } from 'node:crypto';
import { invalidValue, type FieldError } from '../api/field-error.js';
import type { ApiObject } from '../api/resource-type.js';
import { cidrSize, intToIp, ipToInt, parseCidr } from '../network/cidr.js';
import type { Storage } from '../store/storage.js';

/** The range cluster IPs come from. */
export const SERVICE_CIDR = '10.96.0.0/12';
/** The range node ports come from. */
export const NODE_PORT_RANGE = { min: 30000, max: 32767 } as const;
/** The address of the `kubernetes` Service: the first of the range. */
export const KUBERNETES_SERVICE_IP = '10.96.0.1';
/** The cluster DNS Service's address. */
export const DNS_SERVICE_IP = '10.96.0.10';

type Port = Record<string, unknown> & { nodePort?: number };
type Spec = Record<string, unknown> & { type?: string; clusterIP?: string; clusterIPs?: string[]; ports?: Port[]; externalTrafficPolicy?: string; healthCheckNodePort?: number; allocateLoadBalancerNodePorts?: boolean };

/** What other Services hold. */
export interface InUse {
  ips: Set<string>;
  ports: Set<number>;
}

const range = parseCidr(SERVICE_CIDR);
/** Addresses at the bottom of the range are kept for explicit choices (upstream's static band), as long as others are free. */
const STATIC_BAND = Math.min(Math.max(16, cidrSize(range) / 16), 256);

const needsClusterIP = (s: Spec) => s.type !== 'ExternalName' && s.clusterIP !== 'None';
const needsNodePorts = (s: Spec) => s.type === 'NodePort' || (s.type === 'LoadBalancer' && s.allocateLoadBalancerNodePorts !== false);
const needsHealthCheckPort = (s: Spec) => s.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local';

function inRange(ip: string): boolean {
  try {
    const n = ipToInt(ip);
    return n > range.base && n < range.base + cidrSize(range) - 1;
  } catch {
    return false;
  }
}

/** A free address: a random one above the static band, then any; undefined when the range is full. */
function freeIP(used: Set<string>, random: (max: number) => number): string | undefined {
  const first = range.base + 1;
  const last = range.base + cidrSize(range) - 2;
  for (const lo of [first + STATIC_BAND, first]) {
    const span = last - lo + 1;
    const start = random(span);
    for (let i = 0; i < span; i++) {
      const ip = intToIp(lo + ((start + i) % span));
      if (!used.has(ip)) return ip;
    }
  }
  return undefined;
}

function freePort(used: Set<number>, random: (max: number) => number): number | undefined {
  const span = NODE_PORT_RANGE.max - NODE_PORT_RANGE.min + 1;
  const start = random(span);
  for (let i = 0; i < span; i++) {
    const port = NODE_PORT_RANGE.min + ((start + i) % span);
    if (!used.has(port)) return port;
  }
  return undefined;
}

/**
 * Fills the cluster IP and node ports `spec` needs (in place), honouring the ones it names.
 * `inUse` holds what every other Service has; `old` is the Service's stored spec on updates, whose
 * own addresses are its to keep. Returns the field errors of choices that cannot be had.
 */
export function allocate(spec: Spec, inUse: InUse, old?: Spec, random: (max: number) => number = randomInt): FieldError[] {
  const errs: FieldError[] = [];
  if (needsClusterIP(spec)) {
    const wanted = spec.clusterIPs?.[0] ?? spec.clusterIP;
    const kept = old && needsClusterIP(old) && old.clusterIP === wanted;
    if (wanted && !kept) {
      if (!inRange(wanted)) {
        errs.push(invalidValue('spec.clusterIPs', spec.clusterIPs ?? [wanted], `failed to allocate IP ${wanted}: the provided IP (${wanted}) is not in the valid range. The range of valid IPs is ${SERVICE_CIDR}`));
      } else if (inUse.ips.has(wanted)) {
        errs.push(invalidValue('spec.clusterIPs', spec.clusterIPs ?? [wanted], `failed to allocate IP ${wanted}: provided IP is already allocated`));
      }
    } else if (!wanted) {
      const ip = freeIP(inUse.ips, random);
      if (!ip) errs.push(invalidValue('spec.clusterIPs', [], `failed to allocate a serviceIP: range is full (${SERVICE_CIDR})`));
      else {
        spec.clusterIP = ip;
        spec.clusterIPs = [ip];
      }
    }
  }
  const mine = new Set<number>();
  const oldPorts = new Set<number>(old && needsNodePorts(old) ? (old.ports ?? []).map((p) => p.nodePort ?? 0).filter(Boolean) : []);
  if (old?.healthCheckNodePort && needsHealthCheckPort(old)) oldPorts.add(old.healthCheckNodePort);
  const claim = (field: string, port: number | undefined, set: (p: number) => void): void => {
    if (port) {
      if (port < NODE_PORT_RANGE.min || port > NODE_PORT_RANGE.max) {
        errs.push(invalidValue(field, port, `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}`));
      } else if ((inUse.ports.has(port) || mine.has(port)) && !oldPorts.has(port)) {
        errs.push(invalidValue(field, port, 'provided port is already allocated'));
      }
      mine.add(port);
      return;
    }
    const free = freePort(new Set([...inUse.ports, ...mine]), random);
    if (free === undefined) errs.push(invalidValue(field, 0, `failed to allocate a nodePort: range is full (${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max})`));
    else {
      mine.add(free);
      set(free);
    }
  };
  if (needsNodePorts(spec)) {
    // The same port number may serve TCP and UDP of one Service port number, as upstream allows.
    const byPort = new Map<unknown, number>();
    (spec.ports ?? []).forEach((p, i) => {
      if (!p.nodePort && byPort.has(p.port)) p.nodePort = byPort.get(p.port);
      if (p.nodePort && byPort.get(p.port) === p.nodePort) return;
      claim(`spec.ports[${i}].nodePort`, p.nodePort, (n) => (p.nodePort = n));
      if (p.nodePort) byPort.set(p.port, p.nodePort);
    });
  }
  if (needsHealthCheckPort(spec)) claim('spec.healthCheckNodePort', spec.healthCheckNodePort, (n) => (spec.healthCheckNodePort = n));
  return errs;
}

/** The addresses and ports held by every stored Service but the one named `except` ("ns/name"). */
export function inUseBy(services: ApiObject[], except?: string): InUse {
  const ips = new Set<string>();
  const ports = new Set<number>();
  for (const svc of services) {
    if (`${svc.metadata.namespace}/${svc.metadata.name}` === except) continue;
    const spec = (svc.spec ?? {}) as Spec;
    for (const ip of spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])) if (ip !== 'None') ips.add(ip);
    for (const p of spec.ports ?? []) if (p.nodePort) ports.add(p.nodePort);
    if (spec.healthCheckNodePort) ports.add(spec.healthCheckNodePort);
  }
  return { ips, ports };
}

/** Serialises allocations within one apiserver: the read of what is in use and the write that takes more. */
export class ServiceAllocator {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly storage: Storage) {}

  /** Runs `write` with the lock held; `write` gets what other Services hold, read fresh. */
  locked<T>(except: string, write: (inUse: InUse) => Promise<T>): Promise<T> {
    const run = this.tail.then(async () => write(inUseBy((await this.storage.list({ resource: 'services' })).items as ApiObject[], except)));
    this.tail = run.catch(() => undefined);
    return run;
  }
}
