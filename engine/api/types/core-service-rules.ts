// Defaulting, validation and printing of Services and Endpoints, as upstream does them: the
// defaults users see in `kubectl get -o yaml`, the checks behind 422 answers, the cells of
// `kubectl get svc` and `kubectl get ep`.
import { labelMapErrors, nameErrors, portErrors, portNameErrors, qualifiedNameErrors, sameValue } from '../checks.js';
import { forbiddenValue, invalidValue, notSupported, required, type FieldError } from '../field-error.js';
import type { ApiObject } from '../resource-type.js';
import { endpointIPErrors, ipErrors, ipFamilyOf, isIP, protocolErrors, rec, recs } from './core-checks.js';

type Spec = Record<string, unknown> & {
  type?: string;
  ports?: Record<string, unknown>[];
  clusterIP?: string;
  clusterIPs?: string[];
  selector?: Record<string, string>;
  ipFamilies?: string[];
  ipFamilyPolicy?: string;
  externalIPs?: string[];
};

const specOf = (o: ApiObject | undefined): Spec => rec(o?.spec) as Spec;
const needsClusterIP = (s: Spec) => s.type !== 'ExternalName';
const needsNodePort = (s: Spec) => s.type === 'NodePort' || s.type === 'LoadBalancer';
const externallyAccessible = (s: Spec) => needsNodePort(s) || (s.type === 'ClusterIP' && (s.externalIPs?.length ?? 0) > 0);
const isHeadless = (s: Spec) => s.clusterIP === 'None';
const same = (a: unknown, b: unknown) => sameValue(a ?? null, b ?? null);
const MAX_AFFINITY_SECONDS = 86400;
const TRAFFIC_DISTRIBUTIONS = ['PreferClose', 'PreferSameNode', 'PreferSameZone'];
/** The kubelet's port, which a load balancer may not expose. */
const KUBELET_PORT = 10250;

/** Fills a Service's defaults in place; on updates (`old`) also keeps what the cluster assigned and wipes what the new type does not use. */
export function defaultService(obj: ApiObject, old?: ApiObject): void {
  const spec = specOf(obj);
  obj.spec = spec;
  spec.type ||= 'ClusterIP';
  spec.sessionAffinity ||= 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && rec(rec(spec.sessionAffinityConfig).clientIP).timeoutSeconds === undefined) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  for (const p of spec.ports ?? []) {
    p.protocol ||= 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (externallyAccessible(spec) && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (spec.internalTrafficPolicy === undefined && spec.type !== 'ExternalName') spec.internalTrafficPolicy = 'Cluster';
  if (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === undefined) spec.allocateLoadBalancerNodePorts = true;
  if (spec.type === 'LoadBalancer') {
    for (const ing of recs(rec(rec(obj.status).loadBalancer).ingress)) if (ing.ip && !ing.ipMode) ing.ipMode = 'VIP';
  }
  const before = old ? specOf(old) : undefined;
  if (before) {
    dropTypeDependentFields(spec, before);
    keepAllocated(spec, before);
  }
  normalizeClusterIPs(spec, before);
  defaultIPFamilies(spec, before);
}

/** On a change of type, clears the fields the new type does not use, unless the client changed them. */
function dropTypeDependentFields(spec: Spec, old: Spec): void {
  if (needsClusterIP(old) && !needsClusterIP(spec)) {
    if (same(spec.clusterIP, old.clusterIP) && same(spec.clusterIPs, old.clusterIPs)) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (same(spec.ipFamilies, old.ipFamilies)) delete spec.ipFamilies;
    if (same(spec.ipFamilyPolicy, old.ipFamilyPolicy)) delete spec.ipFamilyPolicy;
  }
  if (needsNodePort(old) && !needsNodePort(spec)) {
    if (same((spec.ports ?? []).map((p) => p.nodePort), (old.ports ?? []).map((p) => p.nodePort))) for (const p of spec.ports ?? []) delete p.nodePort;
    if (same(spec.healthCheckNodePort, old.healthCheckNodePort)) delete spec.healthCheckNodePort;
  }
  if (old.type === 'LoadBalancer' && spec.type !== 'LoadBalancer') {
    if (spec.allocateLoadBalancerNodePorts !== undefined && spec.allocateLoadBalancerNodePorts === old.allocateLoadBalancerNodePorts) delete spec.allocateLoadBalancerNodePorts;
    if (same(spec.loadBalancerClass, old.loadBalancerClass)) delete spec.loadBalancerClass;
  }
  if (externallyAccessible(old) && !externallyAccessible(spec) && spec.externalTrafficPolicy === old.externalTrafficPolicy) delete spec.externalTrafficPolicy;
}

/** Keeps the cluster IPs and node ports the cluster assigned when an update leaves them out. */
function keepAllocated(spec: Spec, old: Spec): void {
  if (needsClusterIP(old) && needsClusterIP(spec)) {
    if (!spec.clusterIP && old.clusterIP) spec.clusterIP = old.clusterIP;
    if (!spec.clusterIPs?.length && old.clusterIPs?.length) spec.clusterIPs = [...old.clusterIPs];
  }
  if (needsNodePort(old) && needsNodePort(spec)) {
    const usedNow = new Set((spec.ports ?? []).map((p) => p.nodePort).filter(Boolean));
    const byName = new Map((old.ports ?? []).map((p) => [String(p.name ?? ''), p.nodePort]));
    for (const p of spec.ports ?? []) {
      const was = byName.get(String(p.name ?? ''));
      if (!p.nodePort && was && !usedNow.has(was)) p.nodePort = was;
    }
    if (!spec.healthCheckNodePort && old.healthCheckNodePort && spec.externalTrafficPolicy === 'Local') spec.healthCheckNodePort = old.healthCheckNodePort;
  }
}

/** Keeps clusterIP and clusterIPs consistent for clients that set only the older, singular field. */
function normalizeClusterIPs(spec: Spec, old: Spec | undefined): void {
  if (!old) {
    if (spec.clusterIP && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP];
    return;
  }
  if (old.clusterIPs?.length && !spec.clusterIPs?.length && old.clusterIP === spec.clusterIP) spec.clusterIPs = [...old.clusterIPs];
  if ((old.clusterIP ?? '') !== (spec.clusterIP ?? '')) {
    const sameIPs = same(old.clusterIPs, spec.clusterIPs);
    if (old.clusterIP && !spec.clusterIP && sameIPs) delete spec.clusterIPs;
    else if (sameIPs && spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP ?? '', ...spec.clusterIPs.slice(1)];
  }
}

/** IP family fields on a single-stack IPv4 cluster; selectorless headless services ask for both families. */
function defaultIPFamilies(spec: Spec, old: Spec | undefined): void {
  if (!needsClusterIP(spec)) return;
  if (old && needsClusterIP(old)) {
    spec.ipFamilyPolicy ??= old.ipFamilyPolicy;
    if (!spec.ipFamilies?.length && old.ipFamilies?.length) spec.ipFamilies = [...old.ipFamilies];
  }
  if (isHeadless(spec) && Object.keys(spec.selector ?? {}).length === 0) {
    spec.ipFamilyPolicy ??= 'RequireDualStack';
    if (!spec.ipFamilies?.length) spec.ipFamilies = ['IPv4'];
    if (spec.ipFamilies.length < 2 && spec.ipFamilyPolicy !== 'SingleStack') spec.ipFamilies = [spec.ipFamilies[0]!, spec.ipFamilies[0] === 'IPv6' ? 'IPv4' : 'IPv6'];
    return;
  }
  spec.ipFamilyPolicy ??= 'SingleStack';
  if (!spec.ipFamilies?.length) {
    const families = (spec.clusterIPs ?? []).map(ipFamilyOf).filter((f): f is 'IPv4' | 'IPv6' => f !== undefined);
    spec.ipFamilies = families.length ? families : ['IPv4'];
  }
}

/** Everything wrong with a Service; `old` is the stored one on updates. */
export function serviceErrors(obj: ApiObject, old?: ApiObject): FieldError[] {
  const spec = specOf(obj);
  const errs: FieldError[] = [];
  const ports = spec.ports ?? [];
  const headless = isHeadless(spec);
  if (ports.length === 0 && !headless && spec.type !== 'ExternalName') errs.push(required('spec.ports'));
  errs.push(...clusterIPErrors(spec));
  switch (spec.type) {
    case 'LoadBalancer':
      if (headless) errs.push(invalidValue('spec.clusterIPs[0]', 'None', "may not be set to 'None' for LoadBalancer services"));
      ports.forEach((p, i) => p.port === KUBELET_PORT && errs.push(invalidValue(`spec.ports[${i}]`, p.port, `may not expose port ${KUBELET_PORT} externally since it is used by kubelet`)));
      break;
    case 'NodePort':
      if (headless) errs.push(invalidValue('spec.clusterIPs[0]', 'None', "may not be set to 'None' for NodePort services"));
      break;
    case 'ExternalName': {
      if (spec.clusterIPs?.length) errs.push(forbiddenValue('spec.clusterIPs', 'may not be set for ExternalName services'));
      if (spec.ipFamilies?.length) errs.push(forbiddenValue('spec.ipFamilies', 'may not be set for ExternalName services'));
      if (spec.ipFamilyPolicy !== undefined) errs.push(forbiddenValue('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
      const cname = String(spec.externalName ?? '').replace(/\.$/, '');
      errs.push(...(cname ? nameErrors('spec.externalName', cname, 'subdomain') : [required('spec.externalName')]));
      break;
    }
  }
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const at = `spec.ports[${i}]`;
    const name = String(p.name ?? '');
    if (ports.length > 1 && !name) errs.push(required(`${at}.name`));
    else if (name) {
      errs.push(...nameErrors(`${at}.name`, name, 'label'));
      if (names.has(name)) errs.push({ reason: 'FieldValueDuplicate', field: `${at}.name`, message: `Duplicate value: ${JSON.stringify(name)}` });
      names.add(name);
    }
    errs.push(...portErrors(`${at}.port`, p.port ?? 0), ...protocolErrors(`${at}.protocol`, p.protocol));
    if (typeof p.targetPort === 'number') errs.push(...portErrors(`${at}.targetPort`, p.targetPort));
    else if (typeof p.targetPort === 'string') errs.push(...portNameErrors(`${at}.targetPort`, p.targetPort));
    if (typeof p.appProtocol === 'string') errs.push(...qualifiedNameErrors(`${at}.appProtocol`, p.appProtocol));
    if (spec.type === 'ClusterIP' && p.nodePort) errs.push(forbiddenValue(`${at}.nodePort`, "may not be used when `type` is 'ClusterIP'"));
  });
  errs.push(...duplicatePortErrors(ports));
  errs.push(...labelMapErrors('spec.selector', spec.selector));
  (spec.externalIPs ?? []).forEach((ip, i) => errs.push(...ipErrors(`spec.externalIPs[${i}]`, ip)));
  errs.push(...policyErrors(spec));
  if (old) errs.push(...updateErrors(spec, specOf(old)));
  return errs;
}

/** The virtual IPs: valid addresses or "None", at most one per family, the first matching clusterIP. */
function clusterIPErrors(spec: Spec): FieldError[] {
  const errs: FieldError[] = [];
  const ips = spec.clusterIPs ?? [];
  if (ips.length > 0 && spec.clusterIP !== ips[0]) errs.push(invalidValue('spec.clusterIPs', ips, 'first value must match `clusterIP`'));
  if (ips.length > 2) errs.push(invalidValue('spec.clusterIPs', ips, 'may only hold up to 2 values'));
  ips.forEach((ip, i) => {
    if (ip === 'None') {
      if (ips.length > 1) errs.push(invalidValue(`spec.clusterIPs[${i}]`, ip, "'None' must be the first and only value"));
    } else errs.push(...ipErrors(`spec.clusterIPs[${i}]`, ip));
  });
  if (ips.length === 2 && ips.every(isIP) && ipFamilyOf(ips[0]!) === ipFamilyOf(ips[1]!)) {
    errs.push(invalidValue('spec.clusterIPs[1]', ips, 'may specify no more than one IP for each IP family'));
  }
  return errs;
}

/** (protocol, port) pairs and (protocol, nodePort) pairs may not repeat. */
function duplicatePortErrors(ports: Record<string, unknown>[]): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    const key = `${p.protocol}/${p.port}`;
    if (seen.has(key)) errs.push({ reason: 'FieldValueDuplicate', field: `spec.ports[${i}]`, message: `Duplicate value: ${JSON.stringify({ port: p.port, protocol: p.protocol })}` });
    seen.add(key);
    if (!p.nodePort) return;
    const nodeKey = `${p.protocol}/${p.nodePort}`;
    if (nodePorts.has(nodeKey)) errs.push({ reason: 'FieldValueDuplicate', field: `spec.ports[${i}].nodePort`, message: `Duplicate value: ${p.nodePort}` });
    nodePorts.add(nodeKey);
  });
  return errs;
}

/** Affinity, traffic policies, families and the LoadBalancer-only fields. */
function policyErrors(spec: Spec): FieldError[] {
  const errs: FieldError[] = [];
  const timeout = rec(rec(spec.sessionAffinityConfig).clientIP).timeoutSeconds;
  if (spec.sessionAffinity === 'ClientIP' && typeof timeout === 'number' && (timeout <= 0 || timeout > MAX_AFFINITY_SECONDS)) {
    errs.push(invalidValue('spec.sessionAffinityConfig.clientIP.timeoutSeconds', timeout, `must be greater than 0 and less than ${MAX_AFFINITY_SECONDS}`));
  }
  if (!externallyAccessible(spec)) {
    if (spec.externalTrafficPolicy) errs.push(invalidValue('spec.externalTrafficPolicy', spec.externalTrafficPolicy, 'may only be set for externally-accessible services'));
  } else if (!spec.externalTrafficPolicy) errs.push(required('spec.externalTrafficPolicy'));
  const needsHealthCheck = spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
  if (!needsHealthCheck && spec.healthCheckNodePort) {
    errs.push(invalidValue('spec.healthCheckNodePort', spec.healthCheckNodePort, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  }
  if (spec.type !== 'LoadBalancer') {
    if (spec.allocateLoadBalancerNodePorts !== undefined) errs.push(forbiddenValue('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"));
    if (spec.loadBalancerClass !== undefined) errs.push(forbiddenValue('spec.loadBalancerClass', "may only be used when `type` is 'LoadBalancer'"));
  } else if (typeof spec.loadBalancerClass === 'string') errs.push(...qualifiedNameErrors('spec.loadBalancerClass', spec.loadBalancerClass));
  if (spec.internalTrafficPolicy === undefined && needsClusterIP(spec)) errs.push(required('spec.internalTrafficPolicy'));
  if (spec.trafficDistribution !== undefined && !TRAFFIC_DISTRIBUTIONS.includes(String(spec.trafficDistribution))) {
    errs.push(notSupported('spec.trafficDistribution', spec.trafficDistribution, TRAFFIC_DISTRIBUTIONS));
  }
  const families = spec.ipFamilies ?? [];
  if (families.length > 2) errs.push(invalidValue('spec.ipFamilies', families, 'may only hold up to 2 values'));
  if (families.length === 2 && families[0] === families[1]) errs.push({ reason: 'FieldValueDuplicate', field: 'spec.ipFamilies[1]', message: `Duplicate value: ${JSON.stringify(families[1])}` });
  const dualStackHeadless = isHeadless(spec) && Object.keys(spec.selector ?? {}).length === 0;
  if (spec.ipFamilyPolicy === 'RequireDualStack' && !dualStackHeadless) {
    errs.push(invalidValue('spec.ipFamilyPolicy', spec.ipFamilyPolicy, 'this cluster is not configured for dual-stack services'));
  }
  if (spec.ipFamilyPolicy === 'SingleStack' && (families.length > 1 || (spec.clusterIPs?.length ?? 0) > 1)) {
    errs.push(invalidValue('spec.ipFamilyPolicy', spec.ipFamilyPolicy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
  }
  return errs;
}

/** The primary cluster IP and the load balancer class cannot change once set (except to or from ExternalName). */
function updateErrors(spec: Spec, old: Spec): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.type !== 'ExternalName' && old.type !== 'ExternalName' && !(isHeadless(spec) && isHeadless(old))) {
    const before = old.clusterIPs ?? [];
    const now = spec.clusterIPs ?? [];
    if (before.length === now.length) {
      before.forEach((ip, i) => ip !== now[i] && errs.push(invalidValue(`spec.clusterIPs[${i}]`, now, 'may not change once set')));
    } else if (before.length > now.length) {
      if (now.length === 0) errs.push(invalidValue('spec.clusterIPs[0]', now, 'primary clusterIP can not be unset'));
      else if (now[0] !== before[0]) errs.push(invalidValue('spec.clusterIPs[0]', now, 'may not change once set'));
      if (now.length === 1 && spec.ipFamilyPolicy !== 'SingleStack') {
        errs.push(invalidValue('spec.clusterIPs[0]', now, "`ipFamilyPolicy` must be set to 'SingleStack' when releasing the secondary clusterIP"));
      }
    } else if (before.length > 0 && now[0] !== before[0]) errs.push(invalidValue('spec.clusterIPs[0]', now, 'may not change once set'));
  }
  if (old.type === 'LoadBalancer' && spec.type === 'LoadBalancer' && old.loadBalancerClass !== undefined && !same(spec.loadBalancerClass, old.loadBalancerClass)) {
    errs.push(invalidValue('spec.loadBalancerClass', spec.loadBalancerClass ?? null, 'may not change once set'));
  }
  return errs;
}

/** The External-IP cell of `kubectl get svc`: external IPs, load balancer addresses, or a placeholder. */
export function serviceExternalIP(obj: ApiObject, wide: boolean): string {
  const spec = specOf(obj);
  const external = spec.externalIPs ?? [];
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return external.length ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress = recs(rec(rec(obj.status).loadBalancer).ingress).map((i) => String(i.ip || i.hostname || '')).filter(Boolean);
      let lb = ingress.join(',');
      if (!wide && lb.length > 16) lb = `${lb.slice(0, 13)}...`;
      const all = [...(lb ? lb.split(',') : []), ...external];
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return String(spec.externalName ?? '');
    default:
      return '<unknown>';
  }
}

/** The Port(s) cell: port/protocol, or port:nodePort/protocol, comma-separated; <none> without ports. */
export function servicePorts(obj: ApiObject): string {
  const ports = specOf(obj).ports ?? [];
  if (ports.length === 0) return '<none>';
  return ports.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`)).join(',');
}

/** Endpoints' port protocols default to TCP. */
export function defaultEndpoints(obj: ApiObject): void {
  for (const ss of recs(obj.subsets)) for (const p of recs(ss.ports)) p.protocol ||= 'TCP';
}

/** Everything wrong with Endpoints: each subset needs addresses; addresses and ports must be valid. */
export function endpointsErrors(obj: ApiObject): FieldError[] {
  const errs: FieldError[] = [];
  recs(obj.subsets).forEach((ss, i) => {
    const at = `subsets[${i}]`;
    const ready = recs(ss.addresses);
    const notReady = recs(ss.notReadyAddresses);
    if (ready.length === 0 && notReady.length === 0) errs.push(required(at, 'must specify `addresses` or `notReadyAddresses`'));
    const address = (a: Record<string, unknown>, path: string) => {
      errs.push(...endpointIPErrors(`${path}.ip`, a.ip));
      if (typeof a.hostname === 'string' && a.hostname) errs.push(...nameErrors(`${path}.hostname`, a.hostname, 'label'));
      if (typeof a.nodeName === 'string') errs.push(...nameErrors(`${path}.nodeName`, a.nodeName, 'subdomain'));
    };
    ready.forEach((a, j) => address(a, `${at}.addresses[${j}]`));
    notReady.forEach((a, j) => address(a, `${at}.notReadyAddresses[${j}]`));
    const ports = recs(ss.ports);
    ports.forEach((p, j) => {
      const path = `${at}.ports[${j}]`;
      const name = String(p.name ?? '');
      if (ports.length > 1 && !name) errs.push(required(`${path}.name`));
      else if (name) errs.push(...nameErrors(`${path}.name`, name, 'label'));
      errs.push(...portErrors(`${path}.port`, p.port ?? 0), ...protocolErrors(`${path}.protocol`, p.protocol));
      if (typeof p.appProtocol === 'string') errs.push(...qualifiedNameErrors(`${path}.appProtocol`, p.appProtocol));
    });
  });
  return errs;
}

/** The Endpoints cell: up to three address:port pairs, then "+ N more...". */
export function formatEndpoints(obj: ApiObject): string {
  const subsets = recs(obj.subsets);
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  let count = 0;
  let more = false;
  const add = (s: string) => (list.length < 3 ? list.push(s) : (more = true));
  for (const ss of subsets) {
    const addresses = recs(ss.addresses).map((a) => String(a.ip ?? ''));
    const ports = recs(ss.ports);
    if (ports.length === 0) {
      count += addresses.length;
      addresses.forEach(add);
      continue;
    }
    for (const p of ports) {
      count += addresses.length;
      for (const ip of addresses) add(ip.includes(':') ? `[${ip}]:${p.port}` : `${ip}:${p.port}`);
    }
  }
  return more ? `${list.join(',')} + ${count - 3} more...` : list.join(',');
}
