// Deployment vocabulary shared by the planner and the controller: the annotations, the pod
// template hash and template equality, revisions, maxSurge/maxUnavailable and conditions.
import type { ObjectMeta } from '../api/resource-type.js';
import { rfc3339, type LabelSelector, type OwnerRef, type PodTemplate, type ReplicaSet } from './workload-util.js';

export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
export const TEMPLATE_HASH = 'pod-template-hash';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const ROLLBACK_TO = 'deprecated.deployment.rollback.to';
/** Annotations a Deployment does not hand on to its new ReplicaSet. */
const NOT_COPIED = new Set([LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, ROLLBACK_TO]);

/** A deployment condition. */
export interface DeploymentCondition {
  type: string;
  status: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** A Deployment's status. */
export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  conditions?: DeploymentCondition[];
  collisionCount?: number;
}

/** A Deployment as the controller reads it. */
export interface Deployment {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta & { ownerReferences?: OwnerRef[] };
  spec: {
    replicas?: number;
    selector?: LabelSelector;
    template?: PodTemplate;
    strategy?: { type?: string; rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string } };
    minReadySeconds?: number;
    revisionHistoryLimit?: number;
    paused?: boolean;
    progressDeadlineSeconds?: number;
  };
  status?: DeploymentStatus;
  [field: string]: unknown;
}

/** JSON with object keys sorted: the same value always prints the same. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * The pod-template-hash of a template: FNV-1a (32 bit) over its canonical JSON and the collision
 * count, its decimal digits spelled in the vowel-free alphabet upstream uses for names.
 */
export function templateHash(template: PodTemplate | undefined, collisionCount?: number): string {
  let h = 0x811c9dc5;
  const feed = (bytes: Uint8Array) => {
    for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  };
  feed(new TextEncoder().encode(canonicalJson(template ?? {})));
  if (collisionCount !== undefined) {
    const n = new Uint8Array(4);
    new DataView(n.buffer).setUint32(0, collisionCount >>> 0, true);
    feed(n);
  }
  return [...String(h >>> 0)].map((d) => SAFE[d.charCodeAt(0) % SAFE.length]).join('');
}

/** The template without the pod-template-hash label (and without empty label maps). */
function withoutHash(t: PodTemplate | undefined): PodTemplate {
  const copy = JSON.parse(JSON.stringify(t ?? {})) as PodTemplate;
  if (copy.metadata?.labels) {
    delete copy.metadata.labels[TEMPLATE_HASH];
    if (!Object.keys(copy.metadata.labels).length) delete copy.metadata.labels;
  }
  if (copy.metadata && !Object.keys(copy.metadata).length) delete copy.metadata;
  return copy;
}

/** True when two templates are equal apart from their pod-template-hash labels. */
export function equalIgnoringHash(a: PodTemplate | undefined, b: PodTemplate | undefined): boolean {
  return canonicalJson(withoutHash(a)) === canonicalJson(withoutHash(b));
}

/** The revision a ReplicaSet carries (0 when none or unreadable). */
export function revisionOf(rs: { metadata: ObjectMeta }): number {
  const n = Number.parseInt(rs.metadata.annotations?.[REVISION] ?? '', 10);
  return Number.isFinite(n) ? n : 0;
}

/** The highest revision among the sets (0 for none). */
export const maxRevision = (sets: ReplicaSet[]): number => Math.max(0, ...sets.map(revisionOf));

/** An int-or-string of a rolling update resolved against `total`: percentages round up or down. */
export function scaledValue(v: number | string | undefined, total: number, roundUp: boolean): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) {
    if (/^\d+$/.test(v)) return Number(v);
    throw new Error(`invalid value for IntOrString: invalid value "${v}": must be an integer or percentage (e.g. '5%')`);
  }
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

export const isRollingUpdate = (d: Deployment): boolean => (d.spec.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
export const replicasOf = (d: Deployment): number => d.spec.replicas ?? 1;

/** maxSurge and maxUnavailable as pod counts; both 0 is read as unavailable 1 (upstream's fenceposts). */
function fenceposts(d: Deployment): { surge: number; unavailable: number } {
  const ru = d.spec.strategy?.rollingUpdate ?? {};
  const desired = replicasOf(d);
  const surge = scaledValue(ru.maxSurge ?? '25%', desired, true);
  const unavailable = scaledValue(ru.maxUnavailable ?? '25%', desired, false);
  return surge === 0 && unavailable === 0 ? { surge, unavailable: 1 } : { surge, unavailable };
}

/** How many pods may run above spec.replicas (0 for Recreate). */
export const maxSurge = (d: Deployment): number => (isRollingUpdate(d) ? fenceposts(d).surge : 0);

/** How many pods may be unavailable (0 for Recreate or 0 replicas; never above spec.replicas). */
export function maxUnavailable(d: Deployment): number {
  if (!isRollingUpdate(d) || replicasOf(d) === 0) return 0;
  return Math.min(fenceposts(d).unavailable, replicasOf(d));
}

/** True when a progress deadline applies (upstream reads MaxInt32 as none). */
export const hasProgressDeadline = (d: Deployment): boolean => d.spec.progressDeadlineSeconds !== undefined && d.spec.progressDeadlineSeconds !== 2147483647;

/** The condition of `type`. */
export const getCondition = (s: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined => s?.conditions?.find((c) => c.type === type);

/** A condition written at `now`. */
export function newCondition(type: string, status: string, reason: string, message: string, now: number): DeploymentCondition {
  const t = rfc3339(now);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

/** Sets a condition as upstream does: same status and reason leave it alone; same status keeps its transition time. */
export function setCondition(s: DeploymentStatus, c: DeploymentCondition): void {
  const current = getCondition(s, c.type);
  if (current && current.status === c.status && current.reason === c.reason) return;
  const next = current && current.status === c.status ? { ...c, lastTransitionTime: current.lastTransitionTime } : c;
  s.conditions = [...(s.conditions ?? []).filter((x) => x.type !== c.type), next];
}

/** Removes the condition of `type`. */
export function removeCondition(s: DeploymentStatus, type: string): void {
  s.conditions = (s.conditions ?? []).filter((x) => x.type !== type);
}

/** Copies the Deployment's own annotations onto the set; true when something changed. */
export function copyAnnotations(d: Deployment, meta: ObjectMeta): boolean {
  let changed = false;
  const to = (meta.annotations ??= {});
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (NOT_COPIED.has(k) || to[k] === v) continue;
    to[k] = v;
    changed = true;
  }
  return changed;
}

/** Sets the desired-replicas and max-replicas annotations; true when they changed. */
export function setReplicasAnnotations(meta: ObjectMeta, desired: number, max: number): boolean {
  const a = (meta.annotations ??= {});
  if (a[DESIRED_REPLICAS] === String(desired) && a[MAX_REPLICAS] === String(max)) return false;
  a[DESIRED_REPLICAS] = String(desired);
  a[MAX_REPLICAS] = String(max);
  return true;
}

/**
 * The annotations of the new ReplicaSet at `revision`: the Deployment's copied, the revision
 * raised (an older revision it had goes to revision-history: a rollback), and for a set being
 * created the replicas annotations. True when something changed.
 */
export function setNewReplicaSetAnnotations(d: Deployment, meta: ObjectMeta, revision: number, exists: boolean): boolean {
  let changed = copyAnnotations(d, meta);
  const a = (meta.annotations ??= {});
  const old = a[REVISION];
  const oldNum = old ? Number.parseInt(old, 10) : 0;
  if (old && !Number.isFinite(oldNum)) return changed;
  if (oldNum < revision) {
    a[REVISION] = String(revision);
    changed = true;
    if (old) a[REVISION_HISTORY] = a[REVISION_HISTORY] ? `${a[REVISION_HISTORY]},${old}` : old;
  }
  if (!exists && setReplicasAnnotations(meta, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true;
  return changed;
}
