// ControllerRevisions, the saved templates behind DaemonSet and StatefulSet updates and rollbacks
// (upstream's controller history): each revision holds a strategic-merge patch that puts back one
// template (`kubectl rollout undo` applies it), is named `<owner>-<hash>` and is numbered. The pure
// parts decide names, numbers, equality and which revisions to prune; createRevision and
// bumpCollisionCount are the two writes every owner does the same way.
import { stableJson } from '../api/stable-json.js';
import type { ApiObject, ObjectMeta } from '../api/resource-type.js';
import { ApiRequestError, type RestClient } from '../client/rest-client.js';
import { controllerRef, ownerRefTo, type OwnerRef, type PodTemplate } from './workload-util.js';

/** The label on revisions (and on their pods) that names the revision's hash. */
export const REVISION_HASH_LABEL = 'controller-revision-hash';

/** An apps/v1 ControllerRevision. */
export interface ControllerRevision extends ApiObject {
  metadata: ObjectMeta & { ownerReferences?: OwnerRef[] };
  data?: unknown;
  revision: number;
}

/** The owner of revisions (a DaemonSet or StatefulSet) as this module reads it. */
export interface RevisionOwner extends ApiObject {
  status?: { collisionCount?: number; [k: string]: unknown };
}

// Upstream spells hashes in this alphabet (no vowels, no easily confused characters) so they
// never form words and are valid in names and label values.
const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * A short, stable hash of a revision's data and the owner's collision count, safe in names and
 * label values: FNV-1a (32 bit) over the data's stable JSON and the count's decimal digits,
 * whose decimal digits are then spelled in upstream's safe alphabet. A different count gives a
 * different hash, which is how a name collision is escaped.
 */
export function revisionHash(data: unknown, collisionCount?: number): string {
  let h = 0x811c9dc5;
  const text = stableJson(data ?? null) + (collisionCount === undefined ? '' : String(collisionCount));
  for (const b of new TextEncoder().encode(text)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return [...String(h >>> 0)].map((d) => SAFE[d.charCodeAt(0) % SAFE.length]).join('');
}

/** The name of `owner`'s revision with `hash`: `<owner>-<hash>`, the owner part cut to 223 characters. */
export function revisionName(ownerName: string, hash: string): string {
  return `${ownerName.slice(0, 223)}-${hash}`;
}

/**
 * The data DaemonSets and StatefulSets store in a revision: a strategic-merge patch that
 * replaces spec.template wholesale with `template`.
 */
export function templateRevisionData(template: PodTemplate | undefined): { spec: { template: Record<string, unknown> } } {
  const copy = JSON.parse(JSON.stringify(template ?? {})) as Record<string, unknown>;
  return { spec: { template: { ...copy, $patch: 'replace' } } };
}

/** What newRevision needs to know about the owner. */
export interface NewRevisionInput {
  owner: RevisionOwner;
  /** The owner's apiVersion and kind, for the controller reference. */
  apiVersion: string;
  kind: string;
  /** The owner's template labels: the revision carries them, so the owner's selector finds it. */
  templateLabels: Record<string, string> | undefined;
  data: unknown;
  revision: number;
  collisionCount?: number;
}

/**
 * A ControllerRevision body for `owner`: named `<owner>-<hash>` in its namespace, labelled with
 * the template labels plus controller-revision-hash, annotated like the owner (so
 * kubernetes.io/change-cause shows in `kubectl rollout history`), controlled by the owner.
 */
export function newRevision(input: NewRevisionInput): ControllerRevision {
  const { owner, data } = input;
  const hash = revisionHash(data, input.collisionCount);
  const annotations = owner.metadata.annotations && Object.keys(owner.metadata.annotations).length ? { ...owner.metadata.annotations } : undefined;
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: revisionName(owner.metadata.name, hash),
      namespace: owner.metadata.namespace,
      labels: { ...input.templateLabels, [REVISION_HASH_LABEL]: hash },
      ...(annotations ? { annotations } : {}),
      ownerReferences: [ownerRefTo(owner, input.apiVersion, input.kind)],
    },
    data,
    revision: input.revision,
  };
}

/** Revisions oldest first: by revision number, then creation time, then name (as upstream sorts them). */
export function sortRevisions<T extends ControllerRevision>(revisions: readonly T[]): T[] {
  return [...revisions].sort(
    (a, b) =>
      (a.revision ?? 0) - (b.revision ?? 0) ||
      (Date.parse(a.metadata.creationTimestamp ?? '') || 0) - (Date.parse(b.metadata.creationTimestamp ?? '') || 0) ||
      (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0),
  );
}

/** The number for a new revision: one past the highest (1 when there is none). */
export function nextRevision(revisions: readonly ControllerRevision[]): number {
  return Math.max(0, ...revisions.map((r) => r.revision ?? 0)) + 1;
}

/** True when the revision holds exactly `data` (compared as stable JSON). */
export function revisionHolds(revision: ControllerRevision, data: unknown): boolean {
  return stableJson(revision.data ?? null) === stableJson(data ?? null);
}

/** The revisions that hold `data`, oldest first (more than one only after a race or a collision). */
export function equalRevisions<T extends ControllerRevision>(revisions: readonly T[], data: unknown): T[] {
  return sortRevisions(revisions.filter((r) => revisionHolds(r, data)));
}

/**
 * The revisions to delete so that at most `limit` revisions that nothing uses remain: the oldest
 * unused ones go first; revisions `inUse` says yes to (the current and update revisions, those
 * live pods run) are never deleted and do not count against the limit.
 */
export function revisionsToPrune<T extends ControllerRevision>(revisions: readonly T[], limit: number, inUse: (r: T) => boolean): T[] {
  const unused = sortRevisions(revisions).filter((r) => !inUse(r));
  return unused.slice(0, Math.max(0, unused.length - Math.max(0, limit)));
}

/** True when `revision`'s controller is the object with `uid`. */
export const revisionOwnedBy = (revision: ControllerRevision, uid: string | undefined): boolean => controllerRef(revision)?.uid === uid;

const revisionsPath = (ns: string) => `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/controllerrevisions`;

/** What came of createRevision: the revision to use, or a collision with a revision that is not ours. */
export type CreateRevisionResult = { revision: ControllerRevision; collision?: undefined } | { revision?: undefined; collision: ControllerRevision };

/**
 * Creates `revision`. When its name is taken by a revision of the same owner holding the same
 * data (our own earlier create), that one is returned; when it is taken by anything else, the
 * result is a collision: the caller bumps status.collisionCount (bumpCollisionCount) and tries
 * again with the new hash. Other errors are thrown with context.
 */
export async function createRevision(client: RestClient, revision: ControllerRevision): Promise<CreateRevisionResult> {
  const ns = revision.metadata.namespace ?? '';
  try {
    return { revision: await client.create<ControllerRevision>(revisionsPath(ns), revision) };
  } catch (err) {
    if (!(err instanceof ApiRequestError && err.code === 409)) throw new Error(`failed to create controller revision ${revision.metadata.name}: ${(err as Error).message}`, { cause: err });
  }
  const existing = await client.get<ControllerRevision>(`${revisionsPath(ns)}/${encodeURIComponent(revision.metadata.name)}`);
  const ownerUid = controllerRef(revision)?.uid;
  if (revisionHolds(existing, revision.data) && revisionOwnedBy(existing, ownerUid)) return { revision: existing };
  return { collision: existing };
}

/**
 * Adds one to the owner's status.collisionCount after a name collision, as upstream does: reads
 * the owner afresh and bumps the count only when it is still the `used` one that produced the
 * colliding name (otherwise another pass already moved it, and the caller just retries).
 * `ownerPath` is the owner's REST path (without /status). Returns the new count.
 */
export async function bumpCollisionCount(client: RestClient, ownerPath: string, used: number | undefined): Promise<number> {
  const fresh = await client.get<RevisionOwner>(ownerPath);
  const current = fresh.status?.collisionCount;
  if ((current ?? 0) !== (used ?? 0)) return current ?? 0;
  const next = (current ?? 0) + 1;
  await client.patch(`${ownerPath}/status`, { metadata: { uid: fresh.metadata.uid, resourceVersion: fresh.metadata.resourceVersion }, status: { collisionCount: next } });
  return next;
}
