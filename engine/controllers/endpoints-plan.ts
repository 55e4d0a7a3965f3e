// What the EndpointSlice and Endpoints controllers want for one Service, worked out without I/O:
// which pods back it, how each becomes an endpoint, how endpoints pack into slices (reusing the
// slices that exist so that a change rewrites as few of them as possible) and into Endpoints
// subsets.
import { isIPv4 } from 'node:net';
import type { ApiObject, ObjectMeta } from '../api/resource-type.js';
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

/** JSON with object keys sorted and undefined dropped: equal strings mean equal content. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** Whether the controllers build endpoints for the Service: it selects pods and is not an ExternalName alias. */
export function selectsPods(svc: Service): boolean {
  return Object.keys(svc.spec?.selector ?? {}).length > 0 && svc.spec?.type !== 'ExternalName';
}

const isHeadless = (svc: Service) => svc.spec?.clusterIP === 'None';

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

/** The labels our slices of `svc` carry: the Service's own, plus the ones linking them to it. */
export function sliceLabels(svc: Service): Record<string, string> {
  const labels = { ...svc.metadata.labels };
  for (const reserved of [SERVICE_NAME_LABEL, SLICE_MANAGED_BY_LABEL, HEADLESS_LABEL]) delete labels[reserved];
  if (isHeadless(svc)) labels[HEADLESS_LABEL] = '';
  return { ...labels, [SERVICE_NAME_LABEL]: svc.metadata.name, [SLICE_MANAGED_BY_LABEL]: SLICE_CONTROLLER_NAME };
}

// Projections onto the fields we write, so that fields the server adds never look like a change.
const portView = (p: EndpointPort) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP', appProtocol: p.appProtocol });
const refView = (r: PodRef | undefined) => r && { kind: r.kind, namespace: r.namespace, name: r.name, uid: r.uid };
const endpointView = (e: SliceEndpoint) => ({
  addresses: e.addresses,
  conditions: { ready: e.conditions?.ready, serving: e.conditions?.serving, terminating: e.conditions?.terminating },
  hostname: e.hostname,
  nodeName: e.nodeName,
  targetRef: refView(e.targetRef),
});

/** Identifies a set of ports regardless of order. */
const portsKey = (ports: EndpointPort[] | null | undefined) => canonical((ports ?? []).map(portView).sort((a, b) => (canonical(a) < canonical(b) ? -1 : 1)));
/** Identifies an endpoint across syncs: its pod and address. */
const endpointId = (e: SliceEndpoint) => `${e.targetRef?.namespace}/${e.targetRef?.name}/${e.addresses.join(',')}`;

const ownedBy = (slice: EndpointSlice, svc: Service) => slice.metadata.ownerReferences?.some((r) => r.controller && r.kind === 'Service' && r.uid === svc.metadata.uid) === true;

/** Whether two slices have the same content as far as this controller writes it. */
export function sameSlice(a: EndpointSlice, b: EndpointSlice): boolean {
  const view = (s: EndpointSlice) => canonical([s.addressType, s.metadata.labels ?? {}, (s.ports ?? []).map(portView), (s.endpoints ?? []).map(endpointView)]);
  return view(a) === view(b);
}

/** The writes that bring a Service's slices to what its pods say. */
export interface SlicePlan {
  create: EndpointSlice[];
  update: EndpointSlice[];
  remove: EndpointSlice[];
}

interface Group {
  ports: EndpointPort[];
  /** Desired endpoints not yet placed in a slice, by endpoint id. */
  left: Map<string, SliceEndpoint>;
}

/** The desired endpoints grouped by their resolved ports: pods whose ports resolve differently go in different slices. */
function desiredGroups(svc: Service, pods: Pod[]): Map<string, Group> {
  const groups = new Map<string, Group>();
  const sorted = selectedPods(svc, pods).sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  for (const pod of sorted) {
    const ports = podPorts(svc, pod);
    const key = portsKey(ports);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { ports, left: new Map() }));
    const ep = podEndpoint(svc, pod);
    group.left.set(endpointId(ep), ep);
  }
  return groups;
}

/**
 * Plans the Service's slices from its pods and the slices we manage for it now (`existing`, all
 * labelled with its name). Existing slices keep the endpoints still wanted in place; new
 * endpoints fill slices being rewritten anyway, then the unchanged slice with the most room, then
 * new slices of at most `maxPerSlice`. Slices left empty, of a port set no pod has, or owned by
 * an older Service of the same name go; a write that would create one while deleting another
 * reuses the old one instead. With no endpoints at all one empty slice stays.
 */
export function planSlices(svc: Service, pods: Pod[], existing: EndpointSlice[], maxPerSlice = MAX_ENDPOINTS_PER_SLICE): SlicePlan {
  const labels = sliceLabels(svc);
  const groups = desiredGroups(svc, pods);
  const remove: EndpointSlice[] = [];
  const update: Array<{ slice: EndpointSlice; group?: Group }> = [];
  const unchanged: Array<{ slice: EndpointSlice; group?: Group }> = [];
  const withContent = (slice: EndpointSlice, ports: EndpointPort[], endpoints: SliceEndpoint[]): EndpointSlice => ({
    ...slice,
    metadata: { ...slice.metadata, labels },
    addressType: 'IPv4',
    ports,
    endpoints,
  });

  for (const slice of existing) {
    const group = ownedBy(slice, svc) && slice.addressType === 'IPv4' ? groups.get(portsKey(slice.ports)) : undefined;
    const kept: SliceEndpoint[] = [];
    for (const e of (group && slice.endpoints) || []) {
      const want = group?.left.get(endpointId(e));
      if (!want) continue;
      kept.push(want);
      group?.left.delete(endpointId(e));
    }
    if (!group || kept.length === 0) {
      remove.push(slice);
      continue;
    }
    const next = withContent(slice, group.ports, kept);
    (sameSlice(slice, next) ? unchanged : update).push({ slice: next, group });
  }

  const create: EndpointSlice[] = [];
  for (const group of groups.values()) {
    const left = [...group.left.values()];
    const fill = (slice: EndpointSlice) => (slice.endpoints as SliceEndpoint[]).push(...left.splice(0, maxPerSlice - (slice.endpoints?.length ?? 0)));
    for (const u of update) if (u.group === group && left.length) fill(u.slice);
    const roomiest = unchanged.filter((u) => u.group === group && (u.slice.endpoints?.length ?? 0) < maxPerSlice).sort((a, b) => (a.slice.endpoints?.length ?? 0) - (b.slice.endpoints?.length ?? 0))[0];
    if (roomiest && left.length) {
      unchanged.splice(unchanged.indexOf(roomiest), 1);
      roomiest.slice = { ...roomiest.slice, endpoints: [...(roomiest.slice.endpoints ?? [])] };
      fill(roomiest.slice);
      update.push(roomiest);
    }
    while (left.length) create.push(newSlice(svc, labels, group.ports, left.splice(0, maxPerSlice)));
  }

  // Rather than delete one slice and create another, rewrite the old one.
  const reusable = () => remove.findIndex((s) => ownedBy(s, svc) && s.addressType === 'IPv4');
  for (let i = reusable(); create.length && i >= 0; i = reusable()) {
    const [old] = remove.splice(i, 1);
    const made = create.pop()!;
    update.push({ slice: withContent(old!, made.ports ?? [], made.endpoints ?? []) });
  }

  if (update.length + unchanged.length + create.length === 0) {
    const i = reusable();
    if (i < 0) create.push(newSlice(svc, labels, [], []));
    else {
      const [old] = remove.splice(i, 1);
      const placeholder = withContent(old!, [], []);
      if (!sameSlice(old!, placeholder)) update.push({ slice: placeholder });
    }
  }
  return { create, update: update.map((u) => u.slice), remove };
}

/** A new slice for `svc`, named by the server from the Service's name. */
function newSlice(svc: Service, labels: Record<string, string>, ports: EndpointPort[], endpoints: SliceEndpoint[]): EndpointSlice {
  const owner: OwnerRef = { apiVersion: 'v1', kind: 'Service', name: svc.metadata.name, uid: String(svc.metadata.uid), controller: true, blockOwnerDeletion: true };
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    // No name: the server makes one from generateName.
    metadata: { generateName: `${svc.metadata.name}-`, namespace: svc.metadata.namespace, labels, ownerReferences: [owner] } as EndpointSlice['metadata'],
    addressType: 'IPv4',
    ports,
    endpoints,
  };
}

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
  canonical((subsets ?? []).map((s) => [(s.addresses ?? []).map(addressView), (s.notReadyAddresses ?? []).map(addressView), (s.ports ?? []).map(subsetPortView)]));
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
      const key = port ? canonical(subsetPortView(port)) : '';
      let entry = byPort.get(key);
      if (!entry) byPort.set(key, (entry = { port, members: new Map() }));
      entry.members.set(id, tolerate || isPodReady(pod));
    }
  }
  const bySet = new Map<string, { members: Map<string, boolean>; ports: EndpointPort[] }>();
  for (const { port, members } of byPort.values()) {
    const key = canonical([...members].sort(([a], [b]) => (a < b ? -1 : 1)));
    let group = bySet.get(key);
    if (!group) bySet.set(key, (group = { members, ports: [] }));
    if (port) group.ports.push(port);
  }
  const subsets = [...bySet.values()].map(({ members, ports }): EndpointSubset => {
    const pick = (ready: boolean) => [...members].filter(([, r]) => r === ready).map(([id]) => addresses.get(id)!).sort(byIp);
    const [ready, notReady] = [pick(true), pick(false)];
    ports.sort((a, b) => (canonical(subsetPortView(a)) < canonical(subsetPortView(b)) ? -1 : 1));
    return { ...(ready.length ? { addresses: ready } : {}), ...(notReady.length ? { notReadyAddresses: notReady } : {}), ...(ports.length ? { ports } : {}) };
  });
  return subsets.sort((a, b) => (canonical(a) < canonical(b) ? -1 : 1));
}

/** A write of the Service's Endpoints, or undefined when `current` is right already. */
export function planEndpoints(svc: Service, pods: Pod[], current: Endpoints | undefined): { verb: 'create' | 'update'; endpoints: Endpoints } | undefined {
  const labels = endpointsLabels(svc);
  const subsets = endpointsSubsets(svc, pods);
  if (!current) {
    const endpoints: Endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: svc.metadata.name, namespace: svc.metadata.namespace, labels }, ...(subsets.length ? { subsets } : {}) };
    return { verb: 'create', endpoints };
  }
  if (canonical(current.metadata.labels ?? {}) === canonical(labels) && subsetsView(current.subsets) === subsetsView(subsets)) return undefined;
  const { subsets: _, ...rest } = current;
  return { verb: 'update', endpoints: { ...rest, metadata: { ...current.metadata, labels }, ...(subsets.length ? { subsets } : {}) } };
}
