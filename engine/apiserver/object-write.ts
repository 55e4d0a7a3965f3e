// The write path shared by create, update, patch and the status subresource: keep what clients
// cannot change, separate spec from status, bump generation, default, validate, store.
import { randomBytes, randomUUID } from 'node:crypto';
import { managerOf, trackUpdate, type WriteManager } from '../api/apply.js';
import { applyDefaults } from '../api/defaults.js';
import { canonicalizeQuantities } from '../api/quantities.js';
import { apiVersionOf, kindSchema, tracksGeneration, type ApiObject, type ResourceType } from '../api/registry.js';
import { shapeErrors, validate } from '../api/validation.js';
import { StoreError } from '../store/errors.js';
import type { Storage, StoredObject } from '../store/storage.js';
import { isDryRun, now, refOf, subject, toStorage, withKind, type RequestContext } from './context.js';
import { admitPod, type PodAdmissionOptions } from './pod-admission.js';
import { allocate, type InUse, type ServiceAllocator } from './service-alloc.js';
import { admitPersistentVolume, admitPersistentVolumeClaim } from './storage-admission.js';
import { badRequest, conflict, invalid, toApiError } from './status.js';

/** What the write path works on. */
export interface WriteHost {
  storage: Storage;
  podAdmission?: PodAdmissionOptions;
  /** The watch cache, for lookups a moment's lag cannot hurt (a miss is read from etcd). */
  cache?: { peek(ref: { resource: string; namespace?: string }, name: string): object | undefined };
  /** Hands out cluster IPs and node ports; Services are written under its lock. */
  services?: ServiceAllocator;
}

const isService = (type: ResourceType) => type.group === '' && type.kind === 'Service';

/** Metadata only the server writes. */
const SERVER_META = ['uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink', 'generation'] as const;

import { stableJson } from '../api/stable-json.js';

export { stableJson };

/** Everything but metadata and status: what a generation counts changes of. */
function desired(obj: ApiObject): string {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return stableJson(rest);
}

function randomSuffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return [...randomBytes(5)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** The manager of a write, for managedFields. */
export function writeManager(ctx: RequestContext, subresource?: string): WriteManager {
  return { manager: managerOf(ctx.query.get('fieldManager'), ctx.req.headers['user-agent']), apiVersion: apiVersionOf(ctx.type), time: now(), ...(subresource ? { subresource } : {}) };
}

/** 422 for an object whose fields have the wrong JSON types (before any defaulting touches it); quantities made canonical. */
function checkShape(type: ResourceType, obj: ApiObject): void {
  const errors = shapeErrors(type, obj);
  if (errors.length) throw invalid(subject(type, typeof obj.metadata.name === 'string' ? obj.metadata.name : undefined), errors);
  canonicalizeQuantities(kindSchema(type), obj);
}

/** Fills server-side fields of a new object, defaults and validates it; throws 422 when invalid. `applied`: managedFields were set by an apply. */
export function prepareCreate(ctx: RequestContext, obj: ApiObject, applied = false): ApiObject {
  const { type } = ctx;
  const meta = obj.metadata;
  if (!meta.name && typeof meta.generateName === 'string' && meta.generateName) meta.name = `${meta.generateName}${randomSuffix()}`;
  for (const k of SERVER_META) delete meta[k];
  meta.uid = randomUUID();
  meta.creationTimestamp = now();
  if (tracksGeneration(type)) meta.generation = 1;
  if (type.subresources?.status && !type.createWithStatus) delete obj.status;
  if (!applied) delete meta.managedFields;
  checkShape(type, obj);
  applyDefaults(type, obj);
  const errors = validate(type, obj);
  if (errors.length) throw invalid(subject(type, meta.name), errors);
  if (!applied) trackUpdate(undefined, obj, kindSchema(type), writeManager(ctx));
  return obj;
}

/**
 * Creates a new object: admission (pods, claims, volumes), server fields, defaults, validation, the Service
 * allocations, then the store (unless dry-run). Returns the object as stored, or as it would be.
 */
export async function createObject(h: WriteHost, ctx: RequestContext, obj: ApiObject, applied = false): Promise<StoredObject> {
  const { type } = ctx;
  if (type.group === '' && type.kind === 'Pod') await admitPod(h.storage, ctx.path.namespace!, obj, h.podAdmission, h.cache && ((ns, name) => h.cache!.peek({ resource: 'serviceaccounts', namespace: ns }, name)));
  if (type.group === '' && type.kind === 'PersistentVolumeClaim') await admitPersistentVolumeClaim(h.storage, obj);
  if (type.group === '' && type.kind === 'PersistentVolume') admitPersistentVolume(obj);
  prepareCreate(ctx, obj, applied);
  const store = async (inUse?: InUse): Promise<StoredObject> => {
    if (inUse) {
      const errors = allocate(obj.spec as never, inUse);
      if (errors.length) throw invalid(subject(type, obj.metadata.name), errors);
    }
    if (isDryRun(ctx.query)) return toStorage(type, obj);
    return h.storage.create(refOf(ctx), toStorage(type, obj)).catch((err: unknown) => {
      throw toApiError(err, subject(type, obj.metadata.name));
    });
  };
  if (isService(type) && h.services) return h.services.locked(`${obj.metadata.namespace}/${obj.metadata.name}`, store);
  return store();
}

/**
 * Carries what a client may not change from `old` into `next`: server metadata always; the status
 * on writes to the main resource of a type with a status subresource; everything but the status
 * on writes to the status subresource.
 */
export function carryOver(type: ResourceType, next: ApiObject, old: ApiObject, sub?: 'status', applied = false): ApiObject {
  const meta = next.metadata;
  // managedFields are the server's record; a client may only clear them (with an empty list).
  if (!applied && !(Array.isArray(meta.managedFields) && meta.managedFields.length === 0)) {
    if (old.metadata.managedFields) meta.managedFields = structuredClone(old.metadata.managedFields);
    else delete meta.managedFields;
  }
  for (const k of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation'] as const) {
    if (old.metadata[k] !== undefined) meta[k] = old.metadata[k] as never;
    else delete meta[k];
  }
  if (sub === 'status') {
    // Only the status (and nothing of metadata but what the server tracks) changes through /status.
    const { status } = next;
    const out = { ...structuredClone(old), status } as ApiObject;
    out.metadata.resourceVersion = meta.resourceVersion;
    out.metadata.managedFields = meta.managedFields;
    return out;
  }
  if (type.subresources?.status) next.status = structuredClone(old.status);
  return next;
}

/** Bumps generation when the desired state changed; call after defaulting, so defaults alone change nothing. */
export function bumpGeneration(type: ResourceType, next: ApiObject, old: ApiObject): void {
  if (tracksGeneration(type) && desired(next) !== desired(old)) next.metadata.generation = ((old.metadata.generation as number | undefined) ?? 0) + 1;
}

/**
 * Writes a new version of an existing object built from the current one by `build`. Without a
 * resourceVersion from the client the write is retried on conflicts (patches, and updates that
 * did not say which version they change); with one, a stale version answers 409.
 */
export async function updateObject(
  ctx: RequestContext,
  h: WriteHost,
  build: (current: ApiObject) => ApiObject | Promise<ApiObject>,
  opts: { sub?: 'status'; applied?: boolean } = {},
): Promise<{ obj: StoredObject | ApiObject; changed: boolean }> {
  if (isService(ctx.type) && h.services && opts.sub !== 'status') {
    return h.services.locked(`${ctx.path.namespace}/${ctx.path.name}`, (inUse) => writeUpdate(ctx, h, build, opts, inUse));
  }
  return writeUpdate(ctx, h, build, opts);
}

async function writeUpdate(
  ctx: RequestContext,
  h: WriteHost,
  build: (current: ApiObject) => ApiObject | Promise<ApiObject>,
  opts: { sub?: 'status'; applied?: boolean },
  inUse?: InUse,
): Promise<{ obj: StoredObject | ApiObject; changed: boolean }> {
  const { type, path, query } = ctx;
  const ref = refOf(ctx);
  for (let attempt = 0; ; attempt++) {
    const stored = await getCurrent(h, ref, path.name!, type);
    // Everything below works on the object as this request's version shows it.
    const current = withKind(type, stored);
    const next = await build(structuredClone(current));
    const clientRv = next.metadata.resourceVersion || undefined;
    if (next.metadata.name !== path.name) throw badRequest(`the name of the object (${next.metadata.name}) does not match the name on the URL (${path.name})`);
    if (type.namespaced) {
      if (next.metadata.namespace && next.metadata.namespace !== path.namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      next.metadata.namespace = path.namespace;
    }
    const obj = carryOver(type, next, current as ApiObject, opts.sub, opts.applied);
    checkShape(type, obj);
    applyDefaults(type, obj, current as ApiObject);
    bumpGeneration(type, obj, current as ApiObject);
    const errors = validate(type, obj, current as ApiObject);
    if (inUse && !errors.length) errors.push(...allocate(obj.spec as never, inUse, current.spec as never));
    if (errors.length) throw invalid(subject(type, path.name), errors);
    if (!opts.applied) trackUpdate(current as ApiObject, obj, kindSchema(type), writeManager(ctx, opts.sub));
    if (stableJson({ ...obj, metadata: { ...obj.metadata, resourceVersion: undefined } }) === stableJson({ ...current, metadata: { ...current.metadata, resourceVersion: undefined } })) {
      // Nothing changed: no write, no new resourceVersion (as Kubernetes does).
      if (clientRv && clientRv !== current.metadata.resourceVersion) throw conflict(subject(type, path.name));
      return { obj: stored, changed: false };
    }
    if (isDryRun(query)) return { obj: toStorage(type, obj), changed: true };
    obj.metadata.resourceVersion = clientRv ?? current.metadata.resourceVersion;
    try {
      const written = await h.storage.update(ref, toStorage(type, obj));
      return { obj: await finishIfReleased(h, ctx, written), changed: true };
    } catch (err) {
      if (err instanceof StoreError && err.reason === 'Conflict' && !clientRv && attempt < 16) continue;
      throw toApiError(err, subject(type, path.name));
    }
  }
}

async function getCurrent(h: { storage: Storage }, ref: ReturnType<typeof refOf>, name: string, type: ResourceType): Promise<StoredObject> {
  try {
    return await h.storage.get(ref, name);
  } catch (err) {
    throw toApiError(err, subject(type, name));
  }
}

/** An object marked for deletion goes once its last finalizer is removed. */
async function finishIfReleased(h: { storage: Storage }, ctx: RequestContext, stored: StoredObject): Promise<StoredObject> {
  const meta = stored.metadata;
  if (!meta.deletionTimestamp || ((meta.finalizers as string[] | undefined) ?? []).length > 0) return stored;
  if (ctx.type.kind === 'Namespace') return stored; // namespaces are removed by their own finalization
  if ((meta.deletionGracePeriodSeconds as number | undefined) ?? 0) return stored; // graceful deletion still running
  return h.storage.delete(refOf(ctx), meta.name, meta.resourceVersion).catch((err: unknown) => {
    if (err instanceof StoreError && (err.reason === 'NotFound' || err.reason === 'Conflict')) return stored;
    throw err;
  });
}
