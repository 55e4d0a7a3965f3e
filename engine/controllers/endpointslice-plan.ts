// How a Service's endpoints pack into EndpointSlices, worked out without I/O: slices that exist
// are reused so that a change rewrites as few of them as possible, pods whose ports resolve
// differently go into different slices, and no slice holds more than the controller's maximum.
import { stableJson } from '../api/stable-json.js';
import {
  HEADLESS_LABEL,
  isHeadless,
  MAX_ENDPOINTS_PER_SLICE,
  podEndpoint,
  podPorts,
  refView,
  selectedPods,
  SERVICE_NAME_LABEL,
  SLICE_CONTROLLER_NAME,
  SLICE_MANAGED_BY_LABEL,
  type EndpointPort,
  type EndpointSlice,
  type Service,
  type SliceEndpoint,
} from './endpoints-plan.js';
import type { OwnerRef, Pod } from './workload-util.js';

/** The labels our slices of `svc` carry: the Service's own, plus the ones linking them to it. */
export function sliceLabels(svc: Service): Record<string, string> {
  const labels = { ...svc.metadata.labels };
  for (const reserved of [SERVICE_NAME_LABEL, SLICE_MANAGED_BY_LABEL, HEADLESS_LABEL]) delete labels[reserved];
  if (isHeadless(svc)) labels[HEADLESS_LABEL] = '';
  return { ...labels, [SERVICE_NAME_LABEL]: svc.metadata.name, [SLICE_MANAGED_BY_LABEL]: SLICE_CONTROLLER_NAME };
}

// Projections onto the fields we write, so that fields the server adds never look like a change.
const portView = (p: EndpointPort) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP', appProtocol: p.appProtocol });
const endpointView = (e: SliceEndpoint) => ({
  addresses: e.addresses,
  conditions: { ready: e.conditions?.ready, serving: e.conditions?.serving, terminating: e.conditions?.terminating },
  hostname: e.hostname,
  nodeName: e.nodeName,
  targetRef: refView(e.targetRef),
});

/** Identifies a set of ports regardless of order. */
const portsKey = (ports: EndpointPort[] | null | undefined) => stableJson((ports ?? []).map(portView).sort((a, b) => (stableJson(a) < stableJson(b) ? -1 : 1)));
/** Identifies an endpoint across syncs: its pod and address. */
const endpointId = (e: SliceEndpoint) => `${e.targetRef?.namespace}/${e.targetRef?.name}/${e.addresses.join(',')}`;

const ownedBy = (slice: EndpointSlice, svc: Service) => slice.metadata.ownerReferences?.some((r) => r.controller && r.kind === 'Service' && r.uid === svc.metadata.uid) === true;

/** Whether two slices have the same content as far as this controller writes it. */
export function sameSlice(a: EndpointSlice, b: EndpointSlice): boolean {
  const view = (s: EndpointSlice) => stableJson([s.addressType, s.metadata.labels ?? {}, (s.ports ?? []).map(portView), (s.endpoints ?? []).map(endpointView)]);
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
