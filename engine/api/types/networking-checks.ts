// Checks shared by the networking.k8s.io kinds: DNS-1035 labels, IP addresses and CIDRs, ingress
// hosts and backends. Pure functions returning FieldErrors with Kubernetes' wording.
import { pathSegmentProblems } from '../checks.js';
import { isIPv4, isIPv6 } from 'node:net';
import { nameErrors, portErrors, portNameErrors } from '../checks.js';
import { forbiddenValue, invalidValue, required, type FieldError } from '../field-error.js';

const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Errors for a DNS-1035 label (service names, CRD plural names, version names). */
export function dns1035Errors(field: string, value: string): FieldError[] {
  if (value.length > 63) return [invalidValue(field, value, 'must be no more than 63 characters')];
  if (!DNS1035.test(value)) {
    return [invalidValue(field, value, "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")];
  }
  return [];
}


/** The bits of an IPv4 or IPv6 address as a bigint, with its length in bits; undefined when not an IP. */
export function ipBits(ip: string): { bits: bigint; width: 32 | 128 } | undefined {
  if (isIPv4(ip)) {
    if (ip.split('.').some((p) => p.length > 1 && p.startsWith('0'))) return undefined;
    return { bits: ip.split('.').reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n), width: 32 };
  }
  if (!isIPv6(ip) || ip.includes('.')) return undefined;
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return { bits: groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n), width: 128 };
}

/** A parsed CIDR, or undefined when `s` is not one. */
export function parseCidr(s: string): { bits: bigint; width: 32 | 128; prefix: number } | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const ip = ipBits(m[1]!);
  const prefix = Number(m[2]);
  if (!ip || prefix > ip.width || (m[2]!.length > 1 && m[2]!.startsWith('0'))) return undefined;
  return { ...ip, prefix };
}

/** Whether CIDR `inner` lies strictly inside CIDR `outer`. */
export function strictSubnet(inner: NonNullable<ReturnType<typeof parseCidr>>, outer: NonNullable<ReturnType<typeof parseCidr>>): boolean {
  if (inner.width !== outer.width || inner.prefix <= outer.prefix) return false;
  const shift = BigInt(outer.width - outer.prefix);
  return inner.bits >> shift === outer.bits >> shift;
}

/** Errors for a CIDR value ("10.0.0.0/8", "fd00::/64"). */
export function cidrErrors(field: string, value: unknown): FieldError[] {
  if (typeof value !== 'string' || value === '') return [required(field)];
  return parseCidr(value) ? [] : [invalidValue(field, value, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')];
}

/** Errors for an ingress or TLS host: a DNS subdomain or a "*." wildcard one, never an IP address. */
export function hostErrors(field: string, host: string): FieldError[] {
  if (ipBits(host)) return [invalidValue(field, host, 'must be a DNS name, not an IP address')];
  if (host.includes('*')) {
    const rest = host.slice(2);
    if (!host.startsWith('*.') || rest.includes('*') || nameErrors(field, rest, 'subdomain').length) {
      return [invalidValue(field, host, "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")];
    }
    return [];
  }
  return nameErrors(field, host, 'subdomain');
}

type Backend = { service?: { name?: string; port?: { name?: string; number?: number } }; resource?: { apiGroup?: string; kind?: string; name?: string } };

/** Errors for a typed local object reference used as a backend or parameters (kind and name required). */
export function typedRefErrors(field: string, ref: { apiGroup?: string; kind?: string; name?: string }): FieldError[] {
  const errs: FieldError[] = [];
  if (ref.apiGroup) errs.push(...nameErrors(`${field}.apiGroup`, ref.apiGroup, 'subdomain'));
  for (const k of ['kind', 'name'] as const) {
    const v = ref[k];
    if (!v) errs.push(required(`${field}.${k}`));
    else errs.push(...pathSegmentProblems(v).map((p) => invalidValue(`${field}.${k}`, v, p)));
  }
  return errs;
}

/** Errors for an IngressBackend: exactly one of service (with a port name or number) or resource. */
export function backendErrors(field: string, backend: Backend | undefined): FieldError[] {
  const b = backend ?? {};
  if (b.service && b.resource) return [invalidValue(field, '', 'cannot set both resource and service backends')];
  if (b.resource) return typedRefErrors(`${field}.resource`, b.resource);
  if (!b.service) return [invalidValue(field, '', 'resource or service backend is required')];
  const errs: FieldError[] = [];
  const name = b.service.name ?? '';
  errs.push(...(name ? dns1035Errors(`${field}.service.name`, name) : [required(`${field}.service.name`)]));
  const port = b.service.port ?? {};
  if (port.name && port.number) errs.push(invalidValue(field, '', 'cannot set both port name & port number'));
  else if (port.name) errs.push(...portNameErrors(`${field}.service.port.name`, port.name));
  else if (port.number) errs.push(...portErrors(`${field}.service.port.number`, port.number));
  else errs.push(required(field, 'port name or number is required'));
  return errs;
}

/** Errors for a NetworkPolicyPort: protocol, a numeric or named port, and a range end only after a number. */
export function policyPortErrors(field: string, p: { protocol?: string; port?: number | string; endPort?: number }): FieldError[] {
  const errs: FieldError[] = [];
  if (typeof p.port === 'number') {
    errs.push(...portErrors(`${field}.port`, p.port));
    if (p.endPort !== undefined) {
      if (p.endPort < p.port) errs.push(invalidValue(`${field}.endPort`, p.port, 'must be greater than or equal to `port`'));
      errs.push(...portErrors(`${field}.endPort`, p.endPort));
    }
  } else if (typeof p.port === 'string') {
    if (p.endPort !== undefined) errs.push(invalidValue(`${field}.endPort`, p.endPort, 'may not be specified when `port` is non-numeric'));
    errs.push(...portNameErrors(`${field}.port`, p.port));
  } else if (p.endPort !== undefined) {
    errs.push(invalidValue(`${field}.endPort`, p.endPort, 'may not be specified when `port` is not specified'));
  }
  return errs;
}

/** Errors for an IPBlock: a valid cidr, and exceptions strictly inside it. */
export function ipBlockErrors(field: string, block: { cidr?: string; except?: string[] }): FieldError[] {
  const errs = cidrErrors(`${field}.cidr`, block.cidr);
  const outer = parseCidr(block.cidr ?? '');
  (block.except ?? []).forEach((e, i) => {
    const inner = parseCidr(e);
    if (!inner) errs.push(...cidrErrors(`${field}.except[${i}]`, e));
    else if (outer && !strictSubnet(inner, outer)) errs.push(invalidValue(`${field}.except[${i}]`, e, 'must be a strict subset of `cidr`'));
  });
  return errs;
}

/** Forbidden when more than one kind of peer is set together with an ipBlock; Required when none is. */
export function peerCountErrors(field: string, peer: { podSelector?: unknown; namespaceSelector?: unknown; ipBlock?: unknown }): FieldError[] {
  const n = [peer.podSelector, peer.namespaceSelector, peer.ipBlock].filter((x) => x !== undefined && x !== null).length;
  if (n === 0) return [required(field, 'must specify a peer')];
  if (n > 1 && peer.ipBlock) return [forbiddenValue(field, 'may not specify both ipBlock and another peer')];
  return [];
}

export { pathSegmentProblems };
