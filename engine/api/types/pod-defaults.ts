// Defaulting of pod specs, templates and pods as Kubernetes 1.34 does it (pkg/apis/core/v1
// defaults, the Pod strategy's PrepareForCreate and the Priority admission plugin): what users see
// in `kubectl get pod -o yaml`.
import type { ApiObject } from '../resource-type.js';
import { allContainers, type ContainerJson, type HandlerJson, type PodSpecJson, type PodStatusJson, type ProbeJson, type VolumeJson } from './pod-json.js';
import { formatQuantity, isBinary, quantityValue } from './pod-quantity.js';
import { VOLUME_SOURCES } from './pod-volume-defs.js';

type Json = Record<string, unknown>;
const isObj = <T,>(v: T): v is T & Json => !!v && typeof v === 'object' && !Array.isArray(v);

/** The tag of an image reference: "latest" when it has neither tag nor digest, "" with only a digest. */
export function imageTag(image: string | undefined): string {
  if (!image) return '';
  const [name, digest] = image.split('@');
  const last = name!.lastIndexOf('/');
  const colon = name!.lastIndexOf(':');
  if (colon > last) return name!.slice(colon + 1);
  return digest ? '' : 'latest';
}

/** Always for :latest (or untagged) images, IfNotPresent otherwise. */
export const defaultPullPolicy = (image: string | undefined): string => (imageTag(image) === 'latest' ? 'Always' : 'IfNotPresent');

function defaultHandler(h: HandlerJson | undefined): void {
  if (!isObj(h)) return;
  if (isObj(h.httpGet)) {
    h.httpGet.path ||= '/';
    h.httpGet.scheme ||= 'HTTP';
  }
  if (isObj(h.grpc) && h.grpc.service === undefined) h.grpc.service = '';
}

function defaultProbe(p: ProbeJson | undefined): void {
  if (!isObj(p)) return;
  defaultHandler(p);
  p.timeoutSeconds ||= 1;
  p.periodSeconds ||= 10;
  p.successThreshold ||= 1;
  p.failureThreshold ||= 3;
}

function defaultFieldRef(ref: unknown): void {
  if (isObj(ref) && !ref.apiVersion) ref.apiVersion = 'v1';
}

/** Container defaults: pull policy, termination message, port protocols, probes and downward API versions. */
function defaultContainer(c: ContainerJson): void {
  delete c.restartPolicyRules; // the ContainerRestartRules feature is off in 1.34: the field is dropped
  c.imagePullPolicy ||= defaultPullPolicy(c.image);
  c.terminationMessagePath ||= '/dev/termination-log';
  c.terminationMessagePolicy ||= 'File';
  for (const p of Array.isArray(c.ports) ? c.ports : []) if (isObj(p)) p.protocol ||= 'TCP';
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  if (isObj(c.lifecycle)) {
    defaultHandler(c.lifecycle.postStart);
    defaultHandler(c.lifecycle.preStop);
  }
  for (const e of Array.isArray(c.env) ? c.env : []) {
    if (!isObj(e) || !isObj(e.valueFrom)) continue;
    defaultFieldRef(e.valueFrom.fieldRef);
    if (isObj(e.valueFrom.fileKeyRef) && e.valueFrom.fileKeyRef.optional === undefined) e.valueFrom.fileKeyRef.optional = false;
  }
}

function defaultDownwardItems(items: unknown): void {
  for (const item of Array.isArray(items) ? items : []) if (isObj(item)) defaultFieldRef(item.fieldRef);
}

/** Volume defaults: emptyDir when no source is given, file modes, and each source's own defaults. */
function defaultVolume(v: VolumeJson): void {
  if (!Object.keys(VOLUME_SOURCES).some((s) => v[s] !== undefined && v[s] !== null)) v.emptyDir = {};
  const src = (name: string) => (isObj(v[name]) ? (v[name] as Json) : undefined);
  for (const name of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    const s = src(name);
    if (s && s.defaultMode === undefined) s.defaultMode = 420;
  }
  defaultDownwardItems(src('downwardAPI')?.items);
  for (const p of Array.isArray(src('projected')?.sources) ? (src('projected')!.sources as unknown[]) : []) {
    if (!isObj(p)) continue;
    if (isObj(p.serviceAccountToken) && p.serviceAccountToken.expirationSeconds === undefined) p.serviceAccountToken.expirationSeconds = 3600;
    if (isObj(p.downwardAPI)) defaultDownwardItems(p.downwardAPI.items);
  }
  const hostPath = src('hostPath');
  if (hostPath && hostPath.type === undefined) hostPath.type = '';
  const iscsi = src('iscsi');
  if (iscsi) iscsi.iscsiInterface ||= 'default';
  const azureDisk = src('azureDisk');
  if (azureDisk) Object.assign(azureDisk, { cachingMode: 'ReadWrite', fsType: 'ext4', readOnly: false, kind: 'Shared', ...azureDisk });
  const rbd = src('rbd');
  if (rbd) Object.assign(rbd, { pool: rbd.pool || 'rbd', user: rbd.user || 'admin', keyring: rbd.keyring || '/etc/ceph/keyring' });
  const scaleIO = src('scaleIO');
  if (scaleIO) Object.assign(scaleIO, { storageMode: scaleIO.storageMode || 'ThinProvisioned', fsType: scaleIO.fsType || 'xfs' });
  const image = src('image');
  if (image) image.pullPolicy ||= defaultPullPolicy(image.reference as string | undefined);
  const claim = src('ephemeral')?.volumeClaimTemplate;
  if (isObj(claim) && isObj(claim.spec)) claim.spec.volumeMode ??= 'Filesystem';
}

/** Fills a PodSpec's defaults in place, as Kubernetes does (restartPolicy, dnsPolicy, container defaults…). */
export function defaultPodSpec(spec: Record<string, unknown>): void {
  const s = spec as PodSpecJson;
  s.dnsPolicy ||= 'ClusterFirst';
  s.restartPolicy ||= 'Always';
  s.securityContext ??= {};
  s.terminationGracePeriodSeconds ??= 30;
  s.schedulerName ||= 'default-scheduler';
  for (const v of Array.isArray(s.volumes) ? s.volumes : []) if (isObj(v)) defaultVolume(v);
  for (const { c } of allContainers(s)) defaultContainer(c);
}

/** Fills a PodTemplateSpec's defaults in place (its spec's). */
export function defaultPodTemplate(template: Record<string, unknown> | undefined): void {
  if (isObj(template) && isObj(template.spec)) defaultPodSpec(template.spec);
}

const QOS_RESOURCES = ['cpu', 'memory'];
const isRestartable = (c: ContainerJson) => c.restartPolicy === 'Always';

/** Requests default to limits for each resource with a limit but no request (pods only, not templates). */
function requestsFromLimits(c: ContainerJson): void {
  const r = c.resources;
  if (!isObj(r) || !isObj(r.limits)) return;
  r.requests = { ...r.limits, ...(isObj(r.requests) ? r.requests : {}) };
}

/** In-place resize policy NotRequired for CPU and memory when the container asks for them. */
function defaultResizePolicy(c: ContainerJson): void {
  const r = c.resources;
  if (!isObj(r) || !isObj(r.requests)) return;
  const have = new Set((Array.isArray(c.resizePolicy) ? c.resizePolicy : []).map((p) => p?.resourceName));
  const add = QOS_RESOURCES.filter((name) => !have.has(name) && (r.requests?.[name] !== undefined || r.limits?.[name] !== undefined));
  if (add.length) c.resizePolicy = [...(c.resizePolicy ?? []), ...add.map((resourceName) => ({ resourceName, restartPolicy: 'NotRequired' }))];
}

/** Sum of a resource over the regular and sidecar containers, or the largest init container's if larger. */
function aggregateRequest(spec: PodSpecJson, name: string): { value: number; binary: boolean } | undefined {
  let sum = 0;
  let initMax = 0;
  let seen = false;
  let binary = false;
  const read = (c: ContainerJson) => {
    const q = c.resources?.requests?.[name];
    if (q === undefined) return 0;
    seen = true;
    binary ||= isBinary(q);
    return quantityValue(q);
  };
  for (const c of spec.containers ?? []) sum += read(c);
  for (const c of spec.initContainers ?? []) {
    const v = read(c);
    if (isRestartable(c)) sum += v;
    else initMax = Math.max(initMax, sum + v);
  }
  return seen ? { value: Math.max(sum, initMax), binary } : undefined;
}

/** Pod-level requests default from container requests, then from pod-level limits (pod-level resources). */
function defaultPodRequests(spec: PodSpecJson): void {
  const res = spec.resources;
  if (!isObj(res) || !isObj(res.limits) || Object.keys(res.limits).length === 0) return;
  const reqs = { ...(isObj(res.requests) ? res.requests : {}) };
  const supported = (k: string) => k === 'cpu' || k === 'memory' || k.startsWith('hugepages-');
  for (const key of QOS_RESOURCES) {
    if (reqs[key] !== undefined) continue;
    const agg = aggregateRequest(spec, key);
    if (agg) reqs[key] = formatQuantity(agg.value, agg.binary);
  }
  for (const [key, lim] of Object.entries(res.limits)) if (reqs[key] === undefined && supported(key)) reqs[key] = lim;
  if (Object.keys(reqs).length) res.requests = reqs;
}

/** Quality of service class of a pod from its (defaulted) requests and limits. */
export function podQOS(spec: PodSpecJson): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const requests = new Map<string, number>();
  const limits = new Map<string, number>();
  let guaranteed = true;
  const add = (m: Map<string, number>, q: Record<string, unknown> | undefined) => {
    for (const name of QOS_RESOURCES) {
      const v = quantityValue(q?.[name]);
      if (v > 0) m.set(name, (m.get(name) ?? 0) + v);
    }
  };
  if (isObj(spec.resources) && (isObj(spec.resources.requests) || isObj(spec.resources.limits))) {
    add(requests, spec.resources.requests);
    add(limits, spec.resources.limits);
    guaranteed = QOS_RESOURCES.every((r) => limits.has(r));
  } else {
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      add(requests, c.resources?.requests);
      add(limits, c.resources?.limits);
      if (!QOS_RESOURCES.every((r) => quantityValue(c.resources?.limits?.[r]) > 0)) guaranteed = false;
    }
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed && [...requests].every(([k, v]) => limits.get(k) === v) && requests.size === limits.size) return 'Guaranteed';
  return 'Burstable';
}

/** Priorities of the built-in PriorityClasses. */
const SYSTEM_PRIORITIES: Record<string, number> = { 'system-node-critical': 2000001000, 'system-cluster-critical': 2000000000 };

/** The Priority admission plugin's part: priority from the class (0 without one) and the default preemption policy. */
function admitPriority(spec: PodSpecJson): void {
  const cls = spec.priorityClassName;
  const value = !cls ? 0 : SYSTEM_PRIORITIES[cls];
  if (value === undefined) return; // a user-defined class: resolved where PriorityClasses can be read
  spec.priority ??= value;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
}

/** Adds the incoming pod's label values for matchLabelKeys (In) and mismatchLabelKeys (NotIn) to a term's selector. */
function mergeLabelKeys(labels: Record<string, string>, term: { labelSelector?: { matchExpressions?: unknown[] }; matchLabelKeys?: string[]; mismatchLabelKeys?: string[] }): void {
  if (!isObj(term) || !isObj(term.labelSelector)) return;
  const sel = term.labelSelector;
  for (const [keys, operator] of [[term.matchLabelKeys, 'In'], [term.mismatchLabelKeys, 'NotIn']] as const) {
    for (const key of Array.isArray(keys) ? keys : []) {
      if (Object.hasOwn(labels, key)) sel.matchExpressions = [...(sel.matchExpressions ?? []), { key, operator, values: [labels[key]] }];
    }
  }
}

function mutateSelectors(spec: PodSpecJson, labels: Record<string, string>): void {
  for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
    const a = spec.affinity?.[kind];
    if (!isObj(a)) continue;
    for (const t of a.preferredDuringSchedulingIgnoredDuringExecution ?? []) if (isObj(t) && t.podAffinityTerm) mergeLabelKeys(labels, t.podAffinityTerm);
    for (const t of a.requiredDuringSchedulingIgnoredDuringExecution ?? []) mergeLabelKeys(labels, t);
  }
  for (const c of spec.topologySpreadConstraints ?? []) if (isObj(c)) mergeLabelKeys(labels, { labelSelector: c.labelSelector, matchLabelKeys: c.matchLabelKeys });
}

const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

/** Keeps the deprecated per-container AppArmor annotations and the appArmorProfile fields in step. */
function syncAppArmor(pod: ApiObject, spec: PodSpecJson): void {
  if (spec.os?.name === 'windows') return;
  const podProfile = spec.securityContext?.appArmorProfile;
  const toAnnotation = (p: { type?: string; localhostProfile?: string } | undefined) =>
    p?.type === 'RuntimeDefault' ? 'runtime/default' : p?.type === 'Unconfined' ? 'unconfined' : p?.type === 'Localhost' && p.localhostProfile ? `localhost/${p.localhostProfile}` : '';
  for (const { list, c } of allContainers(spec)) {
    if (list === 'ephemeralContainers' || !c.name) continue;
    const key = `${APPARMOR_PREFIX}${c.name}`;
    const annotation = pod.metadata.annotations?.[key];
    const own = c.securityContext?.appArmorProfile;
    if (annotation === undefined) {
      const value = toAnnotation(own ?? podProfile);
      if (value) pod.metadata.annotations = { ...pod.metadata.annotations, [key]: value };
    } else if (!own) {
      const field = annotation === 'runtime/default' ? { type: 'RuntimeDefault' } : annotation === 'unconfined' ? { type: 'Unconfined' } : annotation.startsWith('localhost/') && annotation.length > 10 ? { type: 'Localhost', localhostProfile: annotation.slice(10) } : undefined;
      if (field && JSON.stringify(field) !== JSON.stringify(podProfile ?? null)) c.securityContext = { ...c.securityContext, appArmorProfile: field };
    }
  }
}

/** A Pod's defaults: the spec's, the pod-only ones, and on creation the admission and status defaults. */
export function defaultPod(pod: ApiObject, old?: ApiObject): void {
  if (!isObj(pod.spec)) pod.spec = {};
  const spec = pod.spec as PodSpecJson;
  defaultPodSpec(spec);
  for (const c of spec.containers ?? []) {
    requestsFromLimits(c);
    defaultResizePolicy(c);
  }
  for (const c of spec.initContainers ?? []) {
    requestsFromLimits(c);
    if (isRestartable(c)) defaultResizePolicy(c);
  }
  defaultPodRequests(spec);
  spec.enableServiceLinks ??= true;
  if (spec.hostNetwork) {
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) for (const p of c.ports ?? []) if (isObj(p) && !p.hostPort) p.hostPort = p.containerPort;
  }
  if (old) return;
  admitPriority(spec);
  const status: PodStatusJson = { phase: 'Pending', qosClass: podQOS(spec) };
  if (Array.isArray(spec.schedulingGates) && spec.schedulingGates.length) {
    status.conditions = [{ type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: null, reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' }];
  }
  pod.status = status;
  mutateSelectors(spec, pod.metadata.labels ?? {});
  syncAppArmor(pod, spec);
}
