// Which host ports the forwarder listens on, from the cluster's Services: every TCP NodePort on
// 127.0.0.1:<nodePort>, and every LoadBalancer port also on 127.0.0.1:<port>. Pure.

/** The parts of a core/v1 Service the forwarder reads. */
export interface Service {
  metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string; creationTimestamp?: string };
  spec?: {
    type?: string;
    ports?: Array<{ name?: string; protocol?: string; port: number; nodePort?: number }>;
    loadBalancerClass?: string;
  };
  status?: { loadBalancer?: { ingress?: Array<{ ip?: string; hostname?: string; ipMode?: string }> } };
}

/** One host port to listen on and the node port its connections go to. */
export interface HostListener {
  hostPort: number;
  nodePort: number;
  /** namespace/name of the Service. */
  service: string;
  portName: string;
  /** Why the port is open: the Service's node port, or its load-balancer port. */
  via: 'NodePort' | 'LoadBalancer';
}

/** A host port two Services want; the loser is not forwarded. */
export interface PortConflict {
  hostPort: number;
  service: string;
  reason: string;
}

/** namespace/name of a Service. */
export function serviceKey(svc: Service): string {
  return `${svc.metadata.namespace || 'default'}/${svc.metadata.name}`;
}

/** Node ports are unique in a cluster; load-balancer ports are not. Older Services win a shared one, then by name. */
function byAge(a: Service, b: Service): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return serviceKey(a) < serviceKey(b) ? -1 : serviceKey(a) > serviceKey(b) ? 1 : 0;
}

/**
 * The listeners the Services call for, keyed by host port, and the load-balancer ports that
 * could not get theirs because a node port or an older Service holds it. Only TCP ports with a
 * node port are forwarded (the tunnel reaches Services through their node port).
 */
export function desiredListeners(services: Service[]): { listeners: Map<number, HostListener>; conflicts: PortConflict[] } {
  const listeners = new Map<number, HostListener>();
  const conflicts: PortConflict[] = [];
  const exposed = services.filter((s) => s.spec?.type === 'NodePort' || s.spec?.type === 'LoadBalancer').sort(byAge);
  const tcpPorts = (s: Service) => (s.spec?.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP' && p.nodePort);
  for (const svc of exposed) {
    for (const p of tcpPorts(svc)) {
      listeners.set(p.nodePort!, { hostPort: p.nodePort!, nodePort: p.nodePort!, service: serviceKey(svc), portName: p.name ?? '', via: 'NodePort' });
    }
  }
  for (const svc of exposed.filter((s) => s.spec?.type === 'LoadBalancer')) {
    for (const p of tcpPorts(svc)) {
      const held = listeners.get(p.port);
      if (!held) {
        listeners.set(p.port, { hostPort: p.port, nodePort: p.nodePort!, service: serviceKey(svc), portName: p.name ?? '', via: 'LoadBalancer' });
      } else if (held.service !== serviceKey(svc) || held.nodePort !== p.nodePort) {
        conflicts.push({ hostPort: p.port, service: serviceKey(svc), reason: `host port ${p.port} is already forwarded to ${held.service} (${held.via === 'NodePort' ? 'its node port' : 'an older LoadBalancer'})` });
      }
    }
  }
  return { listeners, conflicts };
}

/** What to change to go from the listeners in place to the desired ones. */
export interface ListenerChanges {
  open: HostListener[];
  close: number[];
  /** Listeners whose node port or Service changed: kept open, retargeted. */
  retarget: HostListener[];
}

/** The changes from `current` to `desired` (both keyed by host port). */
export function listenerChanges(current: ReadonlyMap<number, HostListener>, desired: ReadonlyMap<number, HostListener>): ListenerChanges {
  const changes: ListenerChanges = { open: [], close: [], retarget: [] };
  for (const port of current.keys()) if (!desired.has(port)) changes.close.push(port);
  for (const [port, want] of desired) {
    const have = current.get(port);
    if (!have) changes.open.push(want);
    else if (have.nodePort !== want.nodePort || have.service !== want.service || have.portName !== want.portName || have.via !== want.via) changes.retarget.push(want);
  }
  return changes;
}

/**
 * The load-balancer ingress a LoadBalancer Service should show: the host's loopback while we
 * serve any of its load-balancer ports, else none. Undefined for Services that are not ours to
 * answer for (other types, or a loadBalancerClass naming another implementation).
 */
export function desiredIngress(svc: Service, bound: ReadonlySet<number>, listeners: ReadonlyMap<number, HostListener>): Array<{ ip: string; ipMode: string }> | undefined {
  if (svc.spec?.type !== 'LoadBalancer' || svc.spec.loadBalancerClass) return undefined;
  const key = serviceKey(svc);
  const serving = (svc.spec?.ports ?? []).some((p) => {
    const l = listeners.get(p.port);
    return l?.via === 'LoadBalancer' && l.service === key && bound.has(p.port);
  });
  return serving ? [{ ip: '127.0.0.1', ipMode: 'VIP' }] : [];
}

/** Whether the Service's ingress differs from `want`, so its status needs writing. */
export function ingressDiffers(svc: Service, want: Array<{ ip: string; ipMode: string }>): boolean {
  const have = (svc.status?.loadBalancer?.ingress ?? []).map((i) => `${i.ip ?? ''}|${i.hostname ?? ''}|${i.ipMode ?? ''}`);
  const next = want.map((i) => `${i.ip}||${i.ipMode}`);
  return have.length !== next.length || have.some((h, i) => h !== next[i]);
}
