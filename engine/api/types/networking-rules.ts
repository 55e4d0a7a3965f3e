// Defaulting and validation of networking.k8s.io/v1 objects, and their printer cells.
import { immutable, labelSelectorErrors, nameErrors } from '../checks.js';
import { forbiddenValue, invalidValue, required, type FieldError } from '../field-error.js';
import type { ApiObject } from '../resource-type.js';
import { selectorString } from '../selectors.js';
import { backendErrors, cidrErrors, hostErrors, ipBits, ipBlockErrors, parseCidr, peerCountErrors, policyPortErrors, typedRefErrors } from './networking-checks.js';

type Rec = Record<string, unknown>;
type Path = { path?: string; pathType?: string; backend?: Rec };
type Rule = { host?: string; http?: { paths?: Path[] } };
type IngressSpec = { ingressClassName?: string; defaultBackend?: Rec; tls?: { hosts?: string[]; secretName?: string }[]; rules?: Rule[] };
type Peer = { podSelector?: unknown; namespaceSelector?: unknown; ipBlock?: { cidr?: string; except?: string[] } };
type PolicyRule = { ports?: { protocol?: string; port?: number | string; endPort?: number }[]; from?: Peer[]; to?: Peer[] };
type PolicySpec = { podSelector?: unknown; ingress?: PolicyRule[]; egress?: PolicyRule[]; policyTypes?: string[] };

const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
const BAD_PATH_PARTS = ['//', '/./', '/../', '%2f', '%2F'];
/** Width kubectl cuts load-balancer addresses to. */
const LB_WIDTH = 16;

function pathErrors(field: string, p: Path): FieldError[] {
  const errs: FieldError[] = [];
  const path = p.path ?? '';
  if (!p.pathType) errs.push(required(`${field}.pathType`, 'pathType must be specified'));
  else if (p.pathType === 'Exact' || p.pathType === 'Prefix') {
    if (!path.startsWith('/')) errs.push(invalidValue(`${field}.path`, path, 'must be an absolute path'));
    for (const bad of BAD_PATH_PARTS) if (path.includes(bad)) errs.push(invalidValue(`${field}.path`, path, `must not contain '${bad}'`));
    for (const end of ['/..', '/.']) if (path.endsWith(end)) errs.push(invalidValue(`${field}.path`, path, `cannot end with '${end}'`));
  } else if (path && !path.startsWith('/')) errs.push(invalidValue(`${field}.path`, path, 'must be an absolute path'));
  return [...errs, ...backendErrors(`${field}.backend`, p.backend)];
}

/** Errors of an Ingress: a backend or rules, hosts, paths, backends, TLS; the class annotation only without the field. */
export function ingressErrors(obj: ApiObject, old?: ApiObject): FieldError[] {
  const spec = (obj.spec ?? {}) as IngressSpec;
  const errs: FieldError[] = [];
  if (!spec.rules?.length && !spec.defaultBackend) {
    const shown = spec.rules ? '[]networking.IngressRule{}' : '[]networking.IngressRule(nil)';
    errs.push({ reason: 'FieldValueInvalid', field: 'spec', message: `Invalid value: ${shown}: either \`defaultBackend\` or \`rules\` must be specified` });
  }
  if (spec.defaultBackend) errs.push(...backendErrors('spec.defaultBackend', spec.defaultBackend));
  (spec.rules ?? []).forEach((rule, i) => {
    const at = `spec.rules[${i}]`;
    if (rule.host) errs.push(...hostErrors(`${at}.host`, rule.host));
    if (rule.http) {
      if (!rule.http.paths?.length) errs.push(required(`${at}.http.paths`));
      (rule.http.paths ?? []).forEach((p, j) => errs.push(...pathErrors(`${at}.http.paths[${j}]`, p)));
    }
  });
  (spec.tls ?? []).forEach((tls, i) => {
    (tls.hosts ?? []).forEach((h, j) => errs.push(...hostErrors(`spec.tls[${i}].hosts[${j}]`, h)));
    if (tls.secretName) errs.push(...nameErrors(`spec.tls[${i}].secretName`, tls.secretName, 'subdomain'));
  });
  if (spec.ingressClassName) {
    errs.push(...nameErrors('spec.ingressClassName', spec.ingressClassName, 'subdomain'));
    const annotation = obj.metadata.annotations?.[INGRESS_CLASS_ANNOTATION];
    if (!old && annotation !== undefined) errs.push(invalidValue(`annotations.${INGRESS_CLASS_ANNOTATION}`, annotation, 'can not be set when the class field is also set'));
  }
  return errs;
}

/** Errors of an IngressClass: a domain-prefixed controller that never changes, and well-formed parameters. */
export function ingressClassErrors(obj: ApiObject, old?: ApiObject): FieldError[] {
  const spec = (obj.spec ?? {}) as { controller?: string; parameters?: { apiGroup?: string; kind?: string; name?: string; scope?: string; namespace?: string } };
  const errs: FieldError[] = [];
  const controller = spec.controller ?? '';
  const [host, path] = [controller.split('/')[0] ?? '', controller.slice(controller.indexOf('/') + 1)];
  if (controller.length > 250) errs.push({ reason: 'FieldValueTooLong', field: 'spec.controller', message: 'Too long: may not be more than 250 bytes' });
  if (!controller) errs.push(required('spec.controller'));
  else if (!controller.includes('/') || !host || !path) errs.push(invalidValue('spec.controller', controller, 'must be a domain-prefixed path (such as "acme.io/foo")'));
  else {
    errs.push(...nameErrors('spec.controller', host, 'subdomain'));
    if (!/^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/.test(path)) errs.push(invalidValue('spec.controller', path, "Invalid path: must match the regex [A-Za-z0-9/\\-._~%!$&'()*+,;=:]+"));
  }
  const p = spec.parameters;
  if (p) {
    errs.push(...typedRefErrors('spec.parameters', p));
    if (!p.scope) errs.push(required('spec.parameters.scope'));
    else if (p.scope === 'Namespace' && !p.namespace) errs.push(required('spec.parameters.namespace', "`parameters.scope` is set to 'Namespace'"));
    else if (p.scope === 'Namespace') errs.push(...nameErrors('spec.parameters.namespace', p.namespace!, 'label'));
    else if (p.scope === 'Cluster' && p.namespace !== undefined) errs.push(forbiddenValue('spec.parameters.namespace', "`parameters.scope` is set to 'Cluster'"));
  }
  if (old) errs.push(...immutable('spec.controller', spec.controller, (old.spec as { controller?: string } | undefined)?.controller));
  return errs;
}

/** Fills a NetworkPolicy's defaults: an empty pod selector, TCP ports, and the policy types its rules imply. */
export function defaultNetworkPolicy(obj: ApiObject): void {
  const spec = ((obj.spec ??= {}) as PolicySpec);
  spec.podSelector ??= {};
  for (const rule of [...(spec.ingress ?? []), ...(spec.egress ?? [])]) for (const p of rule.ports ?? []) p.protocol ??= 'TCP';
  if (!spec.policyTypes?.length) spec.policyTypes = spec.egress?.length ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** Errors of a NetworkPolicy: selectors, ports, peers and policy types. */
export function networkPolicyErrors(obj: ApiObject): FieldError[] {
  const spec = (obj.spec ?? {}) as PolicySpec;
  const errs = labelSelectorErrors('spec.podSelector', spec.podSelector);
  for (const [dir, peers] of [['ingress', 'from'], ['egress', 'to']] as const) {
    (spec[dir] ?? []).forEach((rule, i) => {
      (rule.ports ?? []).forEach((p, j) => errs.push(...policyPortErrors(`spec.${dir}[${i}].ports[${j}]`, p)));
      (rule[peers] ?? []).forEach((peer, j) => {
        const at = `spec.${dir}[${i}].${peers}[${j}]`;
        errs.push(...labelSelectorErrors(`${at}.podSelector`, peer.podSelector), ...labelSelectorErrors(`${at}.namespaceSelector`, peer.namespaceSelector));
        if (peer.ipBlock) errs.push(...ipBlockErrors(`${at}.ipBlock`, peer.ipBlock));
        errs.push(...peerCountErrors(at, peer));
      });
    });
  }
  if ((spec.policyTypes?.length ?? 0) > 2) errs.push(forbiddenValue('spec.policyTypes', 'may not specify more than two policyTypes'));
  return errs;
}

/** Errors of a ServiceCIDR: one or two valid CIDRs of different families; only growing from one to two on update. */
export function serviceCidrErrors(obj: ApiObject, old?: ApiObject): FieldError[] {
  const cidrs = ((obj.spec as { cidrs?: string[] } | undefined)?.cidrs ?? []) as string[];
  const errs: FieldError[] = [];
  if (cidrs.length === 0) errs.push(required('spec.cidrs', 'at least one CIDR required'));
  if (cidrs.length > 2) errs.push(invalidValue('spec.cidrs', cidrs, 'may only hold up to 2 values'));
  cidrs.forEach((c, i) => errs.push(...cidrErrors(`spec.cidrs[${i}]`, c)));
  const [a, b] = cidrs.map(parseCidr);
  if (a && b && a.width === b.width) errs.push(invalidValue('spec.cidrs', cidrs, 'may specify no more than one IP for each IP family, i.e 192.168.0.0/24 and 2001:db8::/64'));
  if (old) {
    const before = ((old.spec as { cidrs?: string[] } | undefined)?.cidrs ?? []) as string[];
    const grows = before.length === 1 && cidrs.length === 2 && cidrs[0] === before[0];
    if (!grows) errs.push(...immutable('spec.cidrs', cidrs, before));
  }
  return errs;
}

/** Errors of an IPAddress: its name is the canonical address; its parent reference is required and fixed. */
export function ipAddressErrors(obj: ApiObject, old?: ApiObject): FieldError[] {
  const errs: FieldError[] = [];
  const name = obj.metadata.name;
  const ip = ipBits(name);
  if (!ip) errs.push(invalidValue('metadata.name', name, 'must be a valid ip address'));
  else if (canonicalIp(name) !== name) errs.push(invalidValue('metadata.name', name, `must be in canonical form ("${canonicalIp(name)}")`));
  const ref = (obj.spec as { parentRef?: { group?: string; resource?: string; name?: string; namespace?: string } } | undefined)?.parentRef;
  if (!ref) errs.push(required('spec.parentRef'));
  else {
    if (!ref.resource) errs.push(required('spec.parentRef.resource'));
    if (!ref.name) errs.push(required('spec.parentRef.name'));
    if (ref.namespace) errs.push(...nameErrors('spec.parentRef.namespace', ref.namespace, 'label'));
    if (ref.group) errs.push(...nameErrors('spec.parentRef.group', ref.group, 'subdomain'));
  }
  if (old) errs.push(...immutable('spec.parentRef', ref, (old.spec as { parentRef?: unknown } | undefined)?.parentRef));
  return errs;
}

/** The canonical text of an IP address: IPv4 without leading zeros, IPv6 as RFC 5952 (lowercase, longest zero run as ::). */
export function canonicalIp(ip: string): string {
  const parsed = ipBits(ip);
  if (!parsed) return ip;
  if (parsed.width === 32) return [24n, 16n, 8n, 0n].map((s) => String((parsed.bits >> s) & 255n)).join('.');
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((s) => Number((parsed.bits >> s) & 0xffffn));
  let best = { at: -1, len: 0 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.len && j - i > 1) best = { at: i, len: j - i };
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.at < 0) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.len).join(':')}`;
}

/** Hosts of an Ingress as kubectl prints them: up to three, then "+ N more...", or "*" for none. */
export function ingressHosts(obj: ApiObject): string {
  const rules = ((obj.spec as IngressSpec | undefined)?.rules ?? []) as Rule[];
  const hosts = rules.slice(0, 3).map((r) => r.host).filter((h): h is string => !!h);
  if (hosts.length === 0) return '*';
  return rules.length > 3 ? `${hosts.join(',')} + ${rules.length - 3} more...` : hosts.join(',');
}

/** Load-balancer addresses of a status (IPs, else hostnames), sorted, cut to kubectl's width. */
export function loadBalancerAddresses(obj: ApiObject): string {
  const ingress = ((obj.status as { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } } | undefined)?.loadBalancer?.ingress ?? []);
  const all = [...new Set(ingress.map((i) => i.ip || i.hostname).filter((a): a is string => !!a))].sort().join(',');
  return all.length > LB_WIDTH ? `${all.slice(0, LB_WIDTH - 3)}...` : all;
}

/** The Pod-Selector cell of a NetworkPolicy. */
export const podSelectorCell = (obj: ApiObject): string => selectorString((obj.spec as { podSelector?: never } | undefined)?.podSelector) || '<none>';
