// Defaulting and validation of pod specs and pod templates, shared by Pod and every workload kind
// that embeds a template (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob). The rules
// are Kubernetes 1.34's ValidatePodSpec, with upstream's field paths and messages.
import { isIP } from 'node:net';
import { labelMapErrors, labelSelectorErrors, nameErrors, qualifiedNameErrors, labelValueErrors } from '../checks.js';
import { forbiddenValue, invalidValue, notSupported, required, type FieldError } from '../field-error.js';
import { allContainerErrors, duplicate, profileErrors, resourcesErrors } from './pod-container-rules.js';
import type { AffinityTermJson, NodeSelectorTermJson, PodSpecJson, VolumeJson } from './pod-json.js';
import { volumesErrors } from './pod-volume-rules.js';

export { defaultPodSpec, defaultPodTemplate } from './pod-defaults.js';

/** What the caller of podSpecErrors constrains beyond the pod rules. */
export interface PodSpecOptions {
  /** Restart policies the owning kind accepts (e.g. only Always for Deployments); all when unset. */
  restartPolicies?: string[];
  /** Rules that apply to Pods but not to templates (e.g. an image volume needs its reference). */
  pod?: boolean;
}

type Json = Record<string, unknown>;
const isObj = <T,>(v: T): v is T & Json => !!v && typeof v === 'object' && !Array.isArray(v);
const RANGE_1_100 = 'must be in the range 1-100';
const POSITIVE = 'must be greater than zero';

function nodeSelectorTermErrors(path: string, term: NodeSelectorTermJson | undefined): FieldError[] {
  const errs: FieldError[] = [];
  (term?.matchExpressions ?? []).forEach((r, i) => {
    const p = `${path}.matchExpressions[${i}]`;
    const n = r.values?.length ?? 0;
    if (r.operator === 'In' || r.operator === 'NotIn') {
      if (n === 0) errs.push(required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (r.operator === 'Exists' || r.operator === 'DoesNotExist') {
      if (n > 0) errs.push(forbiddenValue(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else if (r.operator === 'Gt' || r.operator === 'Lt') {
      if (n !== 1) errs.push(required(`${p}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
    }
    errs.push(...qualifiedNameErrors(`${p}.key`, r.key ?? ''));
  });
  (term?.matchFields ?? []).forEach((r, i) => {
    const p = `${path}.matchFields[${i}]`;
    if (r.key !== 'metadata.name') errs.push(notSupported(`${p}.key`, r.key, ['metadata.name']));
    if (r.operator !== 'In' && r.operator !== 'NotIn') errs.push(invalidValue(`${p}.operator`, r.operator, 'not a valid selector operator'));
    else if ((r.values?.length ?? 0) !== 1) errs.push(required(`${p}.values`, "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
  });
  return errs;
}

function affinityTermErrors(path: string, t: AffinityTermJson | undefined): FieldError[] {
  if (!t) return [];
  const errs = [...labelSelectorErrors(`${path}.labelSelector`, t.labelSelector), ...labelSelectorErrors(`${path}.namespaceSelector`, t.namespaceSelector)];
  (t.namespaces ?? []).forEach((ns, i) => errs.push(...nameErrors(`${path}.namespaces[${i}]`, ns, 'label')));
  if (!t.topologyKey) errs.push(required(`${path}.topologyKey`, 'can not be empty'));
  else errs.push(...qualifiedNameErrors(`${path}.topologyKey`, t.topologyKey));
  return errs;
}

function affinityErrors(path: string, spec: PodSpecJson): FieldError[] {
  const a = spec.affinity;
  if (!isObj(a)) return [];
  const errs: FieldError[] = [];
  const na = a.nodeAffinity;
  if (na?.requiredDuringSchedulingIgnoredDuringExecution) {
    const p = `${path}.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution`;
    const terms = na.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms ?? [];
    if (terms.length === 0) errs.push(required(`${p}.nodeSelectorTerms`, 'must have at least one node selector term'));
    terms.forEach((t, i) => errs.push(...nodeSelectorTermErrors(`${p}.nodeSelectorTerms[${i}]`, t)));
  }
  (na?.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) => {
    const p = `${path}.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
    if (!t.weight || t.weight < 1 || t.weight > 100) errs.push(invalidValue(`${p}.weight`, t.weight ?? 0, RANGE_1_100));
    errs.push(...nodeSelectorTermErrors(`${p}.preference`, t.preference));
  });
  for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
    const pa = a[kind];
    (pa?.requiredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) => errs.push(...affinityTermErrors(`${path}.${kind}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`, t)));
    (pa?.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) => {
      const p = `${path}.${kind}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
      if (!t.weight || t.weight < 1 || t.weight > 100) errs.push(invalidValue(`${p}.weight`, t.weight ?? 0, RANGE_1_100));
      errs.push(...affinityTermErrors(`${p}.podAffinityTerm`, t.podAffinityTerm));
    });
  }
  return errs;
}

/** Errors of tolerations at `path`. */
export function tolerationsErrors(path: string, tolerations: PodSpecJson['tolerations']): FieldError[] {
  const errs: FieldError[] = [];
  (tolerations ?? []).forEach((t, i) => {
    const p = `${path}[${i}]`;
    if (t.key) errs.push(...qualifiedNameErrors(`${p}.key`, t.key));
    if (!t.key && t.operator !== 'Exists') errs.push(invalidValue(`${p}.operator`, t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') errs.push(invalidValue(`${p}.effect`, t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    if (t.operator === 'Exists' && t.value) errs.push(invalidValue(`${p}.operator`, t.value, "value must be empty when `operator` is 'Exists'"));
    if ((t.operator ?? 'Equal') === 'Equal' && t.value) errs.push(...labelValueErrors(`${p}.operator`, t.value));
  });
  return errs;
}

function spreadErrors(path: string, spec: PodSpecJson): FieldError[] {
  const errs: FieldError[] = [];
  const list = spec.topologySpreadConstraints ?? [];
  list.forEach((c, i) => {
    const p = `${path}[${i}]`;
    if (!c.maxSkew || c.maxSkew <= 0) errs.push(invalidValue(`${p}.maxSkew`, c.maxSkew ?? 0, POSITIVE));
    if (!c.topologyKey) errs.push(required(`${p}.topologyKey`, 'can not be empty'));
    else errs.push(...qualifiedNameErrors(`${p}.topologyKey`, c.topologyKey));
    if (list.slice(i + 1).some((o) => o.topologyKey === c.topologyKey && o.whenUnsatisfiable === c.whenUnsatisfiable)) {
      errs.push(duplicate(`${p}.{topologyKey, whenUnsatisfiable}`, `{${c.topologyKey}, ${c.whenUnsatisfiable}}`));
    }
    if (c.minDomains !== undefined) {
      if (c.minDomains <= 0) errs.push(invalidValue(`${p}.minDomains`, c.minDomains, POSITIVE));
      if (c.whenUnsatisfiable !== 'DoNotSchedule') errs.push(invalidValue(`${p}.minDomains`, c.minDomains, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${c.whenUnsatisfiable}`));
    }
    errs.push(...labelSelectorErrors(`${p}.labelSelector`, c.labelSelector));
    for (const key of c.matchLabelKeys ?? []) {
      if (!c.labelSelector) errs.push(forbiddenValue(`${p}.matchLabelKeys`, 'must not be specified when labelSelector is not set'));
      else errs.push(...qualifiedNameErrors(`${p}.matchLabelKeys`, key));
    }
  });
  return errs;
}

function dnsErrors(path: string, spec: PodSpecJson): FieldError[] {
  const errs: FieldError[] = [];
  const cfg = spec.dnsConfig;
  if (spec.dnsPolicy === 'None' && !cfg) return [required(`${path}.dnsConfig`, 'must provide `dnsConfig` when `dnsPolicy` is None')];
  if (!cfg) return [];
  const ns = cfg.nameservers ?? [];
  if (spec.dnsPolicy === 'None' && ns.length === 0) errs.push(required(`${path}.dnsConfig.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None'));
  if (ns.length > 3) errs.push(invalidValue(`${path}.dnsConfig.nameservers`, ns, 'must not have more than 3 nameservers'));
  ns.forEach((ip, i) => isIP(ip) || errs.push(invalidValue(`${path}.dnsConfig.nameservers[${i}]`, ip, 'must be valid IP address')));
  const searches = cfg.searches ?? [];
  if (searches.length > 32) errs.push(invalidValue(`${path}.dnsConfig.searches`, searches, 'must not have more than 32 search paths'));
  searches.forEach((s, i) => s !== '.' && errs.push(...nameErrors(`${path}.dnsConfig.searches[${i}]`, s.replace(/\.$/, ''), 'subdomain')));
  (cfg.options ?? []).forEach((o, i) => o.name || errs.push(required(`${path}.dnsConfig.options[${i}].name`)));
  return errs;
}

function podSecurityErrors(path: string, spec: PodSpecJson): FieldError[] {
  const sc = spec.securityContext;
  const errs: FieldError[] = [];
  if (!isObj(sc)) return errs;
  const id = (field: string, v: unknown) => (typeof v === 'number' && (v < 0 || v > 2147483647) ? [invalidValue(field, v, 'must be between 0 and 2147483647, inclusive')] : []);
  errs.push(...id(`${path}.runAsUser`, sc.runAsUser), ...id(`${path}.runAsGroup`, sc.runAsGroup), ...id(`${path}.fsGroup`, sc.fsGroup));
  (sc.supplementalGroups ?? []).forEach((g, i) => errs.push(...id(`${path}.supplementalGroups[${i}]`, g)));
  const sysctls = new Set<string>();
  (sc.sysctls ?? []).forEach((s, i) => {
    const p = `${path}.sysctls[${i}]`;
    if (!s.name) errs.push(required(`${p}.name`));
    else if (!/^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/.test(s.name) || s.name.length > 253) {
      errs.push(invalidValue(`${p}.name`, s.name, "must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$"));
    } else if (sysctls.has(s.name)) errs.push(duplicate(`${p}.name`, s.name));
    if (s.name) sysctls.add(s.name);
  });
  if (spec.shareProcessNamespace && spec.hostPID) errs.push(invalidValue(`${path}.shareProcessNamespace`, true, 'ShareProcessNamespace and HostPID cannot both be enabled'));
  errs.push(...profileErrors(`${path}.seccompProfile`, sc.seccompProfile, 'seccomp'), ...profileErrors(`${path}.appArmorProfile`, sc.appArmorProfile, 'AppArmor'));
  return errs;
}

/** Errors of a PodSpec at `path` (e.g. "spec" or "spec.template.spec"). */
export function podSpecErrors(path: string, spec: unknown, opts: PodSpecOptions = {}): FieldError[] {
  if (!isObj(spec)) return [required(`${path}.containers`)];
  const s = spec as PodSpecJson;
  const volumes = new Map<string, VolumeJson>((Array.isArray(s.volumes) ? s.volumes : []).filter((v) => v?.name).map((v) => [v.name!, v]));
  const errs = [...volumesErrors(`${path}.volumes`, s.volumes, opts.pod === true), ...allContainerErrors(path, s, volumes)];
  if (!s.restartPolicy) errs.push(required(`${path}.restartPolicy`));
  else if (opts.restartPolicies && !opts.restartPolicies.includes(s.restartPolicy)) errs.push(notSupported(`${path}.restartPolicy`, s.restartPolicy, opts.restartPolicies));
  if (!s.dnsPolicy) errs.push(required(`${path}.dnsPolicy`));
  errs.push(...dnsErrors(path, s));
  errs.push(...labelMapErrors(`${path}.nodeSelector`, s.nodeSelector));
  if (s.serviceAccountName) errs.push(...nameErrors(`${path}.serviceAccountName`, s.serviceAccountName, 'subdomain'));
  if (s.nodeName) errs.push(...nameErrors(`${path}.nodeName`, s.nodeName, 'subdomain'));
  errs.push(...podSecurityErrors(`${path}.securityContext`, s));
  errs.push(...affinityErrors(`${path}.affinity`, s));
  errs.push(...tolerationsErrors(`${path}.tolerations`, s.tolerations));
  errs.push(...spreadErrors(`${path}.topologySpreadConstraints`, s));
  const ads = s.activeDeadlineSeconds;
  if (ads !== undefined && (ads < 1 || ads > 2147483647)) errs.push(invalidValue(`${path}.activeDeadlineSeconds`, ads, 'must be between 1 and 2147483647, inclusive'));
  if (s.hostname) errs.push(...nameErrors(`${path}.hostname`, s.hostname, 'label'));
  if (s.subdomain) errs.push(...nameErrors(`${path}.subdomain`, s.subdomain, 'label'));
  if (s.priorityClassName) errs.push(...nameErrors(`${path}.priorityClassName`, s.priorityClassName, 'subdomain'));
  (s.readinessGates ?? []).forEach((g, i) => errs.push(...qualifiedNameErrors(`${path}.readinessGates[${i}].conditionType`, g.conditionType ?? '')));
  (s.hostAliases ?? []).forEach((h, i) => {
    if (!isIP(h.ip ?? '')) errs.push(invalidValue(`${path}.hostAliases[${i}].ip`, h.ip ?? '', 'must be valid IP address'));
    (h.hostnames ?? []).forEach((n, j) => errs.push(...nameErrors(`${path}.hostAliases[${i}].hostnames[${j}]`, n, 'subdomain')));
  });
  const gates = new Set<string>();
  (s.schedulingGates ?? []).forEach((g, i) => {
    errs.push(...qualifiedNameErrors(`${path}.schedulingGates[${i}].name`, g.name ?? ''));
    if (g.name && gates.has(g.name)) errs.push(duplicate(`${path}.schedulingGates[${i}]`, g.name));
    if (g.name) gates.add(g.name);
  });
  const claims = new Set<string>();
  (s.resourceClaims ?? []).forEach((c, i) => {
    const p = `${path}.resourceClaims[${i}]`;
    if (c.name) errs.push(...nameErrors(`${p}.name`, c.name, 'label'));
    if (c.name && claims.has(c.name)) errs.push(duplicate(`${p}.name`, c.name));
    if (c.name) claims.add(c.name);
    if (!c.resourceClaimName === !c.resourceClaimTemplateName) {
      errs.push(invalidValue(p, c, c.resourceClaimName ? 'at most one of `resourceClaimName` or `resourceClaimTemplateName` may be specified' : 'must specify one of: `resourceClaimName`, `resourceClaimTemplateName`'));
    }
  });
  if (s.os && s.os.name !== 'linux' && s.os.name !== 'windows') errs.push(notSupported(`${path}.os.name`, s.os.name, ['linux', 'windows']));
  if (s.resources) errs.push(...resourcesErrors(`${path}.resources`, s.resources, true));
  return errs;
}

/** Errors of a PodTemplateSpec at `path` (e.g. "spec.template"); `restartPolicies` limits the template's restart policy. */
export function podTemplateErrors(path: string, template: unknown, restartPolicies?: string[]): FieldError[] {
  if (!isObj(template)) return podTemplateErrors(path, {}, restartPolicies);
  const meta = isObj(template.metadata) ? template.metadata : {};
  const errs = [...labelMapErrors(`${path}.metadata.labels`, meta.labels)];
  const spec = isObj(template.spec) ? (template.spec as PodSpecJson) : undefined;
  errs.push(...podSpecErrors(`${path}.spec`, spec, restartPolicies ? { restartPolicies } : {}));
  if (spec?.ephemeralContainers?.length) errs.push(forbiddenValue(`${path}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  return errs;
}
