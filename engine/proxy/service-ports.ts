// The proxy's view of Services and EndpointSlices: each service port joined with the ready
// endpoints its slices resolve it to. Pure; the rule writer and the conntrack cleanup read this.

/** The parts of a core/v1 Service the proxy reads. */
export interface Service {
  metadata: { name: string; namespace?: string };
  spec?: {
    type?: string;
    clusterIP?: string;
    ports?: Array<{ name?: string; protocol?: string; port: number; targetPort?: number | string; nodePort?: number }>;
    sessionAffinity?: string;
    sessionAffinityConfig?: { clientIP?: { timeoutSeconds?: number } };
  };
}

/** The parts of a discovery.k8s.io/v1 EndpointSlice the proxy reads. */
export interface EndpointSlice {
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  addressType?: string;
  endpoints?: Array<{ addresses: string[]; conditions?: { ready?: boolean } }>;
  ports?: Array<{ name?: string; protocol?: string; port?: number }>;
}

/** The label that ties an EndpointSlice to its Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** Protocols iptables can match on. */
const PROTOCOLS = new Set(['TCP', 'UDP', 'SCTP']);

/** Default stickiness of ClientIP affinity when the service does not say (three hours, as Kubernetes). */
export const DEFAULT_AFFINITY_SECONDS = 10800;

/** One endpoint of a service port: where its traffic is sent. */
export interface Endpoint {
  ip: string;
  port: number;
}

/** One port of a proxied service, with its ready endpoints in a stable order. */
export interface ServicePort {
  namespace: string;
  name: string;
  /** The service port's name ('' when the service has a single unnamed port). */
  portName: string;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  clusterIP: string;
  port: number;
  nodePort?: number;
  /** Seconds a client IP sticks to its endpoint; absent without ClientIP affinity. */
  affinitySeconds?: number;
  endpoints: Endpoint[];
}

/** Whether a service gets rules: it needs a cluster IP (headless and ExternalName services are DNS only). */
function proxied(svc: Service): boolean {
  const ip = svc.spec?.clusterIP;
  return svc.spec?.type !== 'ExternalName' && !!ip && ip !== 'None';
}

/** Orders IPv4 addresses numerically, then ports. */
function compareEndpoints(a: Endpoint, b: Endpoint): number {
  const octets = (ip: string) => ip.split('.').map(Number);
  const x = octets(a.ip);
  const y = octets(b.ip);
  for (let i = 0; i < 4; i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  return a.port - b.port;
}

/**
 * Every proxied service port with its ready endpoints, sorted by namespace, name and port name.
 * A slice belongs to the service its service-name label names in its own namespace; its port of
 * the same name and protocol gives the target port number, so named target ports resolve per pod.
 * An endpoint without a ready condition counts as ready; only its first address is used (the API
 * says the others are interchangeable); an address in several slices counts once.
 */
export function servicePorts(services: Service[], slices: EndpointSlice[]): ServicePort[] {
  const byService = new Map<string, EndpointSlice[]>();
  for (const slice of slices) {
    const owner = slice.metadata.labels?.[SERVICE_NAME_LABEL];
    if (!owner || (slice.addressType ?? 'IPv4') !== 'IPv4') continue;
    const key = `${slice.metadata.namespace ?? ''}/${owner}`;
    byService.set(key, [...(byService.get(key) ?? []), slice]);
  }
  const out: ServicePort[] = [];
  for (const svc of services) {
    if (!proxied(svc)) continue;
    const namespace = svc.metadata.namespace ?? '';
    const spec = svc.spec!;
    const nodePorts = spec.type === 'NodePort' || spec.type === 'LoadBalancer';
    const affinitySeconds = spec.sessionAffinity === 'ClientIP' ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_SECONDS) : undefined;
    for (const p of spec.ports ?? []) {
      const protocol = p.protocol ?? 'TCP';
      if (!PROTOCOLS.has(protocol)) continue;
      const portName = p.name ?? '';
      const seen = new Map<string, Endpoint>();
      for (const slice of byService.get(`${namespace}/${svc.metadata.name}`) ?? []) {
        const target = slice.ports?.find((sp) => (sp.name ?? '') === portName && (sp.protocol ?? 'TCP') === protocol)?.port;
        if (target === undefined) continue;
        for (const ep of slice.endpoints ?? []) {
          if (ep.conditions?.ready === false) continue;
          for (const ip of ep.addresses.slice(0, 1)) seen.set(`${ip}:${target}`, { ip, port: target });
        }
      }
      out.push({
        namespace,
        name: svc.metadata.name,
        portName,
        protocol: protocol as ServicePort['protocol'],
        clusterIP: spec.clusterIP!,
        port: p.port,
        ...(nodePorts && p.nodePort ? { nodePort: p.nodePort } : {}),
        ...(affinitySeconds !== undefined ? { affinitySeconds } : {}),
        endpoints: [...seen.values()].sort(compareEndpoints),
      });
    }
  }
  const key = (s: ServicePort) => `${s.namespace}/${s.name}:${s.portName}:${s.protocol}`;
  return out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
