// What the EndpointSlice and Endpoints controllers want for one Service, worked out without I/O:
// which pods back it and how each becomes an endpoint (shared by both), and how endpoints group
// into Endpoints subsets. How they pack into slices is in endpointslice-plan.ts.
import { isIPv4 } from 'node:net';
import type { ApiObject, ObjectMeta } from '../api/resource-type.js';
import { stableJson } from '../api/stable-json.js';
import { isPodReady, isTerminating, selectorMatcher, type OwnerRef, type Pod } from './workload-util.js';

/** Label linking a slice to its Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
/** Label naming who manages a slice, and our value of it. */
export const SLICE_MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const SLICE_CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
/** Label naming who manages an Endpoints object, and our value of it. */
export const ENDPOINTS_MANAGED_BY_LABEL = 'endpoints.kubernetes.io/managed-by';
export const ENDPOINTS_CONTROLLER_NAME = 'endpoint-controller';
/** Tells a mirroring controller that slices for these Endpoints exist already. */
export const SKIP_MIRROR_LABEL = 'endpointslice.kubernetes.io/skip-mirror';
/** Marks slices and Endpoints of a headless Service. */
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
/** How many endpoints one slice holds at most (the controller's default, not the API's limit). */
export const MAX_ENDPOINTS_PER_SLICE = 100;

/** A port of a Service spec. */
export interface ServicePort {
  name?: string;
  protocol?: string;
  appProtocol?: string;
  port: number;
  targetPort?: number | string;
  nodePort?: number;
}

/** A Service as these controllers read it. */
export interface Service extends ApiObject {
  spec?: { selector?: Record<string, string>; type?: string; clusterIP?: string; ports?: ServicePort[]; publishNotReadyAddresses?: boolean; [k: string]: unknown };
}

/** A reference to the pod behind an address. */
export interface PodRef {
  kind: 'Pod';
  namespace: string;
  name: string;
  uid: string;
}

/** A port of an EndpointSlice or of an Endpoints subset. */
export interface EndpointPort {
  name?: string;
  port?: number;
  protocol?: string;
  appProtocol?: string;
}

/** One endpoint of an EndpointSlice. */
export interface SliceEndpoint {
  addresses: string[];
  conditions: { ready?: boolean; serving?: boolean; terminating?: boolean };
  hostname?: string;
  nodeName?: string;
  targetRef?: PodRef;
  [k: string]: unknown;
}

/** A discovery.k8s.io/v1 EndpointSlice. */
export interface EndpointSlice extends ApiObject {
  metadata: ObjectMeta & { ownerReferences?: OwnerRef[] };
  addressType?: string;
  endpoints?: SliceEndpoint[] | null;
  ports?: EndpointPort[] | null;
}

/** An address of an Endpoints subset. */
export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: PodRef;
}

/** A group of addresses of an Endpoints object sharing the same ports. */
export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

/** A core/v1 Endpoints object. */
export interface Endpoints extends ApiObject {
  subsets?: EndpointSubset[] | null;
}

interface ContainerPort {
  name?: string;
  containerPort?: number;
  protocol?: string;
}
interface Container {
  ports?: ContainerPort[];
  restartPolicy?: string;
}

/** Whether the controllers build endpoints for the Service: it selects pods and is not an ExternalName alias. */
export function selectsPods(svc: Service): boolean {
  return Object.keys(svc.spec?.selector ?? {}).length > 0 && svc.spec?.type !== 'ExternalName';
}

export const isHeadless = (svc: Service) => svc.spec?.clusterIP === 'None';

/** The pod's IPv4 address, if it has one. */
export function podIPv4(pod: Pod): string | undefined {
  const status = pod.status as { podIP?: string; podIPs?: { ip?: string }[] } | undefined;
  const ips = [status?.podIP, ...(status?.podIPs ?? []).map((p) => p.ip)];
  return ips.find((ip): ip is string => typeof ip === 'string' && isIPv4(ip));
}

/** The pods of the Service's namespace its selector matches that have an address and have not finished. */
export function selectedPods(svc: Service, pods: Pod[]): Pod[] {
  const matches = selectorMatcher({ matchLabels: svc.spec?.selector });
  return pods.filter(
    (p) => p.metadata.namespace === svc.metadata.namespace && matches(p.metadata.labels) && podIPv4(p) !== undefined && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed',
  );
}

/**
 * The port number a service port reaches on `pod`: a numeric targetPort as it is (the port itself
 * when unset), a named one looked up among the pod's container ports (sidecars included) of the
 * same protocol. Undefined when the pod has no port of that name.
 */
export function resolveTargetPort(pod: Pod, port: ServicePort): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  const protocol = port.protocol ?? 'TCP';
  const spec = (pod.spec ?? {}) as { containers?: Container[]; initContainers?: Container[] };
  const containers = [...(spec.containers ?? []), ...(spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')];
  for (const c of containers) {
    const found = c.ports?.find((p) => p.name === target && (p.protocol ?? 'TCP') === protocol);
    if (found?.containerPort !== undefined) return found.containerPort;
  }
  return undefined;
}

/** The service ports as resolved for one pod, in the Service's order; ports the pod lacks are left out. */
export function podPorts(svc: Service, pod: Pod): EndpointPort[] {
  const out: EndpointPort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const port = resolveTargetPort(pod, sp);
    if (port === undefined) continue;
    out.push({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
  }
  return out;
}

const podRef = (pod: Pod): PodRef => ({ kind: 'Pod', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name, uid: String(pod.metadata.uid ?? '') });

/** The pod's hostname when it asks for a DNS name under this Service (spec.subdomain names it). */
function podHostname(svc: Service, pod: Pod): string | undefined {
  const spec = (pod.spec ?? {}) as { hostname?: string; subdomain?: string };
  return spec.hostname && spec.subdomain === svc.metadata.name && pod.metadata.namespace === svc.metadata.namespace ? spec.hostname : undefined;
}

/**
 * The slice endpoint of a pod. serving follows the pod's readiness; ready is serving minus
 * terminating pods, or always true when the Service publishes not-ready addresses.
 */
export function podEndpoint(svc: Service, pod: Pod): SliceEndpoint {
  const serving = isPodReady(pod);
  const terminating = isTerminating(pod);
  const ready = svc.spec?.publishNotReadyAddresses === true || (serving && !terminating);
  const hostname = podHostname(svc, pod);
  return {
    addresses: [podIPv4(pod) ?? ''],
    conditions: { ready, serving, terminating },
    ...(hostname ? { hostname } : {}),
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    targetRef: podRef(pod),
  };
}

/** The pod behind an address, as slices and Endpoints name it (only the fields we write). */
export const refView = (r: PodRef | undefined) => r && { kind: r.kind, namespace: r.namespace, name: r.name, uid: r.uid };

/** The labels of our Endpoints for `svc`: the Service's own, plus who manages them. */
export function endpointsLabels(svc: Service): Record<string, string> {
  const labels: Record<string, string> = { ...svc.metadata.labels, [SKIP_MIRROR_LABEL]: 'true', [ENDPOINTS_MANAGED_BY_LABEL]: ENDPOINTS_CONTROLLER_NAME };
  if (isHeadless(svc)) labels[HEADLESS_LABEL] = '';
  else delete labels[HEADLESS_LABEL];
  return labels;
}

const addressView = (a: EndpointAddress) => ({ ip: a.ip, hostname: a.hostname, nodeName: a.nodeName, targetRef: refView(a.targetRef) });
const subsetPortView = (p: EndpointPort) => ({ name: p.name || undefined, port: p.port, protocol: p.protocol ?? 'TCP', appProtocol: p.appProtocol });
const subsetsView = (subsets: EndpointSubset[] | null | undefined) =>
  stableJson((subsets ?? []).map((s) => [(s.addresses ?? []).map(addressView), (s.notReadyAddresses ?? []).map(addressView), (s.ports ?? []).map(subsetPortView)]));
const byIp = (a: EndpointAddress, b: EndpointAddress) => (a.ip === b.ip ? (a.targetRef?.name ?? '').localeCompare(b.targetRef?.name ?? '') : a.ip < b.ip ? -1 : 1);

/**
 * The Endpoints subsets of a Service: ready pods in addresses (every pod when it publishes
 * not-ready addresses), the others in notReadyAddresses; pods being deleted only when it publishes
 * not-ready addresses. Ports offered by exactly the same addresses share a subset. A headless
 * Service without ports still lists its pods, in one subset without ports.
 */
export function endpointsSubsets(svc: Service, pods: Pod[]): EndpointSubset[] {
  const tolerate = svc.spec?.publishNotReadyAddresses === true;
  const servicePorts = svc.spec?.ports ?? [];
  const addresses = new Map<string, EndpointAddress>();
  // For each distinct port (or '' for none): which addresses offer it, and whether each is ready.
  const byPort = new Map<string, { port?: EndpointPort; members: Map<string, boolean> }>();
  for (const pod of selectedPods(svc, pods)) {
    if (isTerminating(pod) && !tolerate) continue;
    const hostname = podHostname(svc, pod);
    const address: EndpointAddress = { ip: podIPv4(pod)!, ...(hostname ? { hostname } : {}), ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}), targetRef: podRef(pod) };
    const id = `${address.ip}/${address.targetRef?.uid}`;
    addresses.set(id, address);
    const ports: Array<EndpointPort | undefined> = servicePorts.length
      ? podPorts(svc, pod).map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port, protocol: p.protocol, ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) }))
      : isHeadless(svc)
        ? [undefined]
        : [];
    for (const port of ports) {
      const key = port ? stableJson(subsetPortView(port)) : '';
      let entry = byPort.get(key);
      if (!entry) byPort.set(key, (entry = { port, members: new Map() }));
      entry.members.set(id, tolerate || isPodReady(pod));
    }
  }
  const bySet = new Map<string, { members: Map<string, boolean>; ports: EndpointPort[] }>();
  for (const { port, members } of byPort.values()) {
    const key = stableJson([...members].sort(([a], [b]) => (a < b ? -1 : 1)));
    let group = bySet.get(key);
    if (!group) bySet.set(key, (group = { members, ports: [] }));
    if (port) group.ports.push(port);
  }
  const subsets = [...bySet.values()].map(({ members, ports }): EndpointSubset => {
    const pick = (ready: boolean) => [...members].filter(([, r]) => r === ready).map(([id]) => addresses.get(id)!).sort(byIp);
    const [ready, notReady] = [pick(true), pick(false)];
    ports.sort((a, b) => (stableJson(subsetPortView(a)) < stableJson(subsetPortView(b)) ? -1 : 1));
    return { ...(ready.length ? { addresses: ready } : {}), ...(notReady.length ? { notReadyAddresses: notReady } : {}), ...(ports.length ? { ports } : {}) };
  });
  return subsets.sort((a, b) => (stableJson(a) < stableJson(b) ? -1 : 1));
}

/** A write of the Service's Endpoints, or undefined when `current` is right already. */
export function planEndpoints(svc: Service, pods: Pod[], current: Endpoints | undefined): { verb: 'create' | 'update'; endpoints: Endpoints } | undefined {
  const labels = endpointsLabels(svc);
  const subsets = endpointsSubsets(svc, pods);
  if (!current) {
    const endpoints: Endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: svc.metadata.name, namespace: svc.metadata.namespace, labels }, ...(subsets.length ? { subsets } : {}) };
    return { verb: 'create', endpoints };
  }
  if (stableJson(current.metadata.labels ?? {}) === stableJson(labels) && subsetsView(current.subsets) === subsetsView(subsets)) return undefined;
  const { subsets: _, ...rest } = current;
  return { verb: 'update', endpoints: { ...rest, metadata: { ...current.metadata, labels }, ...(subsets.length ? { subsets } : {}) } };
}
