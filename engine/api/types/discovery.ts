// discovery.k8s.io/v1 EndpointSlice: the addresses and ports behind a service, in slices.
import { isIPv4, isIPv6 } from 'node:net';
import { immutable, labelMapErrors, nameErrors, portErrors, qualifiedNameErrors } from '../checks.js';
import { invalidValue, notSupported, required, type FieldError } from '../field-error.js';
import { ageColumn, column, nameColumn, type ApiObject, type TypeGroup } from '../resource-type.js';
import { def, f, metadataField } from '../schema.js';
import { endpointIPErrors, PROTOCOLS, rec, recs } from './core-checks.js';

const DISC = 'io.k8s.api.discovery.v1.';
const CORE = 'io.k8s.api.core.v1.';
const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const MAX_ENDPOINTS = 1000;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 100;
const MAX_HINTS = 8;

/** Up to three items joined by commas, then "+ N more..."; <unset> when there are none. */
function listWithMore(items: string[]): string {
  if (items.length > 3) return `${items.slice(0, 3).join(',')} + ${items.length - 3} more...`;
  return items.length ? items.join(',') : '<unset>';
}

/** The Ports cell: port numbers (names for unnumbered ports, * for all ports). */
export const slicePorts = (o: ApiObject): string => listWithMore(recs(o.ports).map((p) => (p.port !== undefined ? String(p.port) : p.name !== undefined ? String(p.name) : '*')));
/** The Endpoints cell: the addresses of all endpoints. */
export const sliceEndpoints = (o: ApiObject): string => listWithMore(recs(o.endpoints).flatMap((e) => (Array.isArray(e.addresses) ? e.addresses.map(String) : [])));

/** Fills an EndpointSlice's defaults: ports get an empty name and TCP. Topology written through v1 is ignored. */
export function defaultEndpointSlice(obj: ApiObject, old?: ApiObject): void {
  for (const p of recs(obj.ports)) {
    p.name ??= '';
    p.protocol ??= 'TCP';
  }
  const endpoints = recs(obj.endpoints);
  const before = recs(old?.endpoints);
  endpoints.forEach((e, i) => {
    const kept = before.length === endpoints.length ? before[i]?.deprecatedTopology : undefined;
    if (kept === undefined) delete e.deprecatedTopology;
    else e.deprecatedTopology = kept;
  });
}

/** Errors for an address of the slice's address type. */
function addressErrors(field: string, address: unknown, type: string): FieldError[] {
  const s = String(address);
  if (type === 'IPv4') return isIPv4(s) ? endpointIPErrors(field, s) : [invalidValue(field, address, 'must be a valid IPv4 address')];
  if (type === 'IPv6') return isIPv6(s) ? endpointIPErrors(field, s) : [invalidValue(field, address, 'must be a valid IPv6 address')];
  if (type === 'FQDN') {
    const name = s.replace(/\.$/, '');
    if (name.split('.').length < 2) return [invalidValue(field, address, 'should be a domain with at least two segments separated by dots')];
    return nameErrors(field, name, 'subdomain');
  }
  return [];
}

/** Zone or node hints: at most eight, no name twice. */
function hintErrors(field: string, hints: unknown): FieldError[] {
  const list = recs(hints);
  if (list.length > MAX_HINTS) return [{ reason: 'FieldValueTooLong', field, message: `Too many: ${list.length}: must have at most ${MAX_HINTS} items` }];
  const seen = new Set<string>();
  const errs: FieldError[] = [];
  list.forEach((h, i) => {
    const name = String(h.name ?? '');
    if (seen.has(name)) errs.push({ reason: 'FieldValueDuplicate', field: `${field}[${i}].name`, message: `Duplicate value: ${JSON.stringify(name)}` });
    seen.add(name);
  });
  return errs;
}

/** Everything wrong with an EndpointSlice: addresses of its type, ports with unique names, its address type fixed once set. */
export function endpointSliceErrors(obj: ApiObject, old?: ApiObject): FieldError[] {
  const errs: FieldError[] = [];
  const type = String(obj.addressType ?? '');
  if (old) errs.push(...immutable('addressType', obj.addressType, old.addressType));
  else if (!type) errs.push(required('addressType'));
  else if (!ADDRESS_TYPES.includes(type)) errs.push(notSupported('addressType', type, ADDRESS_TYPES));
  const endpoints = recs(obj.endpoints);
  if (endpoints.length > MAX_ENDPOINTS) return [...errs, { reason: 'FieldValueTooLong', field: 'endpoints', message: `Too many: ${endpoints.length}: must have at most ${MAX_ENDPOINTS} items` }];
  endpoints.forEach((e, i) => {
    const at = `endpoints[${i}]`;
    const addresses = Array.isArray(e.addresses) ? e.addresses : [];
    if (addresses.length === 0) errs.push(required(`${at}.addresses`, 'must contain at least 1 address'));
    else if (addresses.length > MAX_ADDRESSES) errs.push({ reason: 'FieldValueTooLong', field: `${at}.addresses`, message: `Too many: ${addresses.length}: must have at most ${MAX_ADDRESSES} items` });
    addresses.forEach((a, j) => errs.push(...addressErrors(`${at}.addresses[${j}]`, a, type)));
    if (typeof e.nodeName === 'string') errs.push(...nameErrors(`${at}.nodeName`, e.nodeName, 'subdomain'));
    if (typeof e.hostname === 'string') errs.push(...nameErrors(`${at}.hostname`, e.hostname, 'label'));
    errs.push(...labelMapErrors(`${at}.deprecatedTopology`, e.deprecatedTopology));
    const hints = rec(e.hints);
    errs.push(...hintErrors(`${at}.hints.forZones`, hints.forZones), ...hintErrors(`${at}.hints.forNodes`, hints.forNodes));
  });
  const ports = recs(obj.ports);
  if (ports.length > MAX_PORTS) return [...errs, { reason: 'FieldValueTooLong', field: 'ports', message: `Too many: ${ports.length}: must have at most ${MAX_PORTS} items` }];
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const at = `ports[${i}]`;
    const name = String(p.name ?? '');
    if (name) errs.push(...nameErrors(`${at}.name`, name, 'label'));
    if (names.has(name)) errs.push({ reason: 'FieldValueDuplicate', field: `${at}.name`, message: `Duplicate value: ${JSON.stringify(name)}` });
    names.add(name);
    if (p.protocol === undefined) errs.push(required(`${at}.protocol`));
    else if (!PROTOCOLS.includes(String(p.protocol))) errs.push(notSupported(`${at}.protocol`, p.protocol, PROTOCOLS));
    if (p.port !== undefined) errs.push(...portErrors(`${at}.port`, p.port));
    if (typeof p.appProtocol === 'string') errs.push(...qualifiedNameErrors(`${at}.appProtocol`, p.appProtocol));
  });
  return errs;
}

/** EndpointSlice. */
export const DISCOVERY: TypeGroup = {
  resources: [
    {
      group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', resource: 'endpointslices', singular: 'endpointslice', namespaced: true,
      shortNames: [], categories: [], schemaName: `${DISC}EndpointSlice`,
      description: 'A slice of the addresses and ports behind a service.',
      columns: [
        nameColumn,
        column('AddressType', 'IPv4, IPv6 or FQDN.', (o) => String(o.addressType ?? '')),
        column('Ports', 'The first few ports.', slicePorts),
        column('Endpoints', 'The first few addresses.', sliceEndpoints),
        ageColumn,
      ],
      defaults: defaultEndpointSlice,
      validate: endpointSliceErrors,
    },
  ],
  definitions: {
    [`${DISC}EndpointSlice`]: def(
      'A slice of the addresses and ports behind a service.',
      {
        metadata: metadataField(),
        addressType: f.str(4, 'Type of every address in the slice: IPv4, IPv6 or FQDN; cannot change.', { enum: ADDRESS_TYPES }),
        endpoints: f.list(2, 'The endpoints, at most 1000.', `${DISC}Endpoint`, { listType: 'atomic' }),
        ports: f.list(3, 'Ports open on every endpoint, at most 100; an empty list means none are defined.', `${DISC}EndpointPort`, { listType: 'atomic' }),
      },
      { required: ['addressType'] },
    ),
    [`${DISC}Endpoint`]: def(
      'One backend of a service.',
      {
        addresses: f.list(1, 'Addresses of the backend (1 to 100), of the slice address type; all equivalent.', 'string', { listType: 'set' }),
        conditions: f.ref(2, `${DISC}EndpointConditions`, 'Whether the endpoint is ready, serving or terminating.'),
        hostname: f.str(3, 'Host name of the endpoint, e.g. for DNS records.'),
        targetRef: f.ref(4, `${CORE}ObjectReference`, 'The object behind the endpoint, usually a pod.'),
        deprecatedTopology: f.map(5, 'Topology labels of the older v1beta1 API; ignored when written through v1.', 'string'),
        nodeName: f.str(6, 'Node the endpoint runs on.'),
        zone: f.str(7, 'Zone the endpoint runs in.'),
        hints: f.ref(8, `${DISC}EndpointHints`, 'Which zones or nodes should use the endpoint.'),
      },
      { required: ['addresses'] },
    ),
    [`${DISC}EndpointConditions`]: def('State of an endpoint; unset means unknown.', {
      ready: f.bool(1, 'Whether the endpoint takes traffic; treat unknown as ready.', { keepZero: true }),
      serving: f.bool(2, 'Like ready, but also true while the endpoint is terminating.', { keepZero: true }),
      terminating: f.bool(3, 'Whether the endpoint is shutting down.', { keepZero: true }),
    }),
    [`${DISC}EndpointHints`]: def('Which zones or nodes should use an endpoint, for topology-aware routing.', {
      forZones: f.list(1, 'Zones that should use the endpoint.', `${DISC}ForZone`, { listType: 'atomic' }),
      forNodes: f.list(2, 'Nodes that should use the endpoint.', `${DISC}ForNode`, { listType: 'atomic' }),
    }),
    [`${DISC}ForZone`]: def('A zone that should use an endpoint.', { name: f.str(1, 'Name of the zone.') }, { required: ['name'] }),
    [`${DISC}ForNode`]: def('A node that should use an endpoint.', { name: f.str(1, 'Name of the node.') }, { required: ['name'] }),
    [`${DISC}EndpointPort`]: def(
      'A port open on the endpoints of a slice.',
      {
        name: f.str(1, 'Name of the port, unique in the slice; empty by default.', { keepZero: true }),
        protocol: f.str(2, 'TCP (default), UDP or SCTP.', { enum: ['SCTP', 'TCP', 'UDP'] }),
        port: f.int32(3, 'The port number; unset means all ports.', { keepZero: true }),
        appProtocol: f.str(4, 'Application protocol, as a hint to implementations.'),
      },
      { mapType: 'atomic' },
    ),
  },
};
