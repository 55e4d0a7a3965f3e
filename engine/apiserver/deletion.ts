// DELETE of one object and of a collection: preconditions, graceful deletion of pods,
// finalizers for foreground and orphan propagation, namespace finalization.
import { matchesFields, matchesLabels } from '../api/selectors.js';
import { RESOURCES, type ApiObject, type ResourceType } from '../api/registry.js';
import { StoreError } from '../store/errors.js';
import type { Storage, StoredObject } from '../store/storage.js';
import { isDryRun, present, refOf, selectors, sendJson, storageResource, subject, withKind, type RequestContext } from './context.js';
import { readJson } from './request.js';
import { badRequest, failure, toApiError } from './status.js';

/** What a client may say about a deletion (DeleteOptions, from the body or the query). */
export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

/** The finalizers Kubernetes uses for propagation. */
export const ORPHAN_FINALIZER = 'orphan';
export const FOREGROUND_FINALIZER = 'foregroundDeletion';

/** DeleteOptions of a request: body fields first, then query parameters. */
export async function deleteOptions(ctx: RequestContext): Promise<DeleteOptions> {
  const { req, query } = ctx;
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  const body = ((hasBody ? await readJson(req) : {}) ?? {}) as Record<string, unknown>;
  if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('the body of a delete must be DeleteOptions');
  const grace = body.gracePeriodSeconds ?? (query.has('gracePeriodSeconds') ? Number(query.get('gracePeriodSeconds')) : undefined);
  if (grace !== undefined && (typeof grace !== 'number' || !Number.isInteger(grace) || grace < 0)) throw badRequest('gracePeriodSeconds must be a whole number of seconds, 0 or more');
  let policy = (body.propagationPolicy ?? query.get('propagationPolicy') ?? undefined) as DeleteOptions['propagationPolicy'];
  const orphan = body.orphanDependents ?? (query.has('orphanDependents') ? query.get('orphanDependents') === 'true' : undefined);
  if (policy && orphan !== undefined) throw failure(422, 'Invalid', 'propagationPolicy and orphanDependents cannot both be set');
  if (orphan !== undefined) policy = orphan ? 'Orphan' : 'Background';
  if (policy && !['Orphan', 'Background', 'Foreground'].includes(policy)) {
    throw failure(422, 'Invalid', `DeleteOptions.propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`);
  }
  return {
    gracePeriodSeconds: grace as number | undefined,
    propagationPolicy: policy,
    preconditions: body.preconditions as DeleteOptions['preconditions'],
    dryRun: isDryRun(query, body as { dryRun?: unknown }),
  };
}

/** Seconds a pod is given to stop: none when it never ran on a node or has finished. */
function gracePeriod(type: ResourceType, obj: StoredObject, requested: number | undefined): number {
  if (type.kind !== 'Pod') return 0;
  const spec = (obj.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
  const phase = (obj.status as { phase?: string } | undefined)?.phase;
  if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
  return requested ?? spec.terminationGracePeriodSeconds ?? 30;
}

/**
 * Deletes one object. It goes at once unless something must happen first: finalizers (its own,
 * or the one its propagation policy adds), or a pod's grace period; then it is only marked
 * (deletionTimestamp) and answered as it now is.
 */
export async function deleteObject(storage: Storage, type: ResourceType, namespace: string | undefined, name: string, opts: DeleteOptions): Promise<{ obj: StoredObject; gone: boolean }> {
  const ref = refOf({ type, path: { group: type.group, version: type.version, resource: type.resource, namespace } });
  const current = await storage.get(ref, name);
  const pre = opts.preconditions ?? {};
  if (pre.uid && pre.uid !== current.metadata.uid) {
    throw failure(409, 'Conflict', `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${String(current.metadata.uid)}`);
  }
  if (pre.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
    throw failure(409, 'Conflict', `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${String(current.metadata.resourceVersion)}`);
  }
  const policy = opts.propagationPolicy ?? 'Background';
  const extra = policy === 'Orphan' ? ORPHAN_FINALIZER : policy === 'Foreground' ? FOREGROUND_FINALIZER : undefined;
  const finalizers = (current.metadata.finalizers as string[] | undefined) ?? [];
  const grace = gracePeriod(type, current, opts.gracePeriodSeconds);
  const alreadyMarked = Boolean(current.metadata.deletionTimestamp);
  const mustWait = type.kind === 'Namespace' || finalizers.length > 0 || extra !== undefined || grace > 0;
  if (!mustWait) {
    if (opts.dryRun) return { obj: current, gone: true };
    return { obj: await storage.delete(ref, name, pre.resourceVersion ?? current.metadata.resourceVersion), gone: true };
  }
  if (opts.dryRun) return { obj: current, gone: false };
  if (alreadyMarked && !extra && grace >= ((current.metadata.deletionGracePeriodSeconds as number | undefined) ?? 0)) return { obj: current, gone: false };
  const marked = await storage.guaranteedUpdate(ref, name, (o) => {
    const m = o.metadata;
    const list = (m.finalizers as string[] | undefined) ?? [];
    if (extra && !list.includes(extra)) {
      // Orphan and Foreground exclude each other: the newest request wins.
      m.finalizers = [...list.filter((f) => f !== ORPHAN_FINALIZER && f !== FOREGROUND_FINALIZER), extra];
    }
    const at = new Date(Date.now() + grace * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    if (!m.deletionTimestamp || grace < ((m.deletionGracePeriodSeconds as number | undefined) ?? 0)) m.deletionTimestamp = at;
    m.deletionGracePeriodSeconds = grace;
    if (type.kind === 'Namespace') o.status = { ...(o.status as object), phase: 'Terminating' };
    return o;
  });
  // The finalizers may have gone between the read above and this write: then nothing is left to wait for.
  const left = (marked.metadata.finalizers as string[] | undefined) ?? [];
  if (type.kind !== 'Namespace' && left.length === 0 && !((marked.metadata.deletionGracePeriodSeconds as number | undefined) ?? 0)) {
    try {
      return { obj: await storage.delete(ref, name, marked.metadata.resourceVersion), gone: true };
    } catch (err) {
      if (!(err instanceof StoreError && (err.reason === 'NotFound' || err.reason === 'Conflict'))) throw err;
    }
  }
  return { obj: marked, gone: false };
}

/** DELETE on a single object: answers with the object (deleted, or marked for deletion). */
export async function handleDelete(storage: Storage, ctx: RequestContext, onNamespaceMarked: (name: string) => void): Promise<void> {
  const opts = await deleteOptions(ctx);
  const { obj, gone } = await deleteObject(storage, ctx.type, ctx.path.namespace, ctx.path.name!, opts);
  if (!gone && ctx.type.kind === 'Namespace' && !opts.dryRun) onNamespaceMarked(ctx.path.name!);
  sendJson(ctx.res, 200, present(ctx, obj));
}

/** DELETE on a collection: deletes every object the selectors match; answers with the list of them. */
export async function handleDeleteCollection(storage: Storage, ctx: RequestContext): Promise<void> {
  const opts = await deleteOptions(ctx);
  const { labels, fields } = selectors(ctx.query, ctx.type.kind);
  const { items, resourceVersion } = await storage.list(refOf(ctx));
  const deleted: ApiObject[] = [];
  for (const item of items) {
    if (!matchesLabels(labels, item.metadata.labels as Record<string, string>) || !matchesFields(fields, item)) continue;
    try {
      const { obj } = await deleteObject(storage, ctx.type, item.metadata.namespace, item.metadata.name, { ...opts, preconditions: undefined });
      deleted.push(withKind(ctx.type, obj));
    } catch (err) {
      if (!(err instanceof StoreError && err.reason === 'NotFound')) throw toApiError(err, subject(ctx.type, item.metadata.name));
    }
  }
  sendJson(ctx.res, 200, { apiVersion: deleted[0]?.apiVersion ?? '', kind: `${ctx.type.kind}List`, metadata: { resourceVersion }, items: deleted });
}

/** Empties a terminating namespace, then removes it. Safe to run again after a restart. */
export async function finalizeNamespace(storage: Storage, name: string, types: ResourceType[] = RESOURCES, pollMs = 500): Promise<void> {
  // Pods first, gracefully: their nodes stop them (and delete them) as for any pod deletion.
  const podType = types.find((t) => t.group === '' && t.kind === 'Pod');
  let longestGrace = 0;
  if (podType) {
    const ref = { resource: storageResource(podType), namespace: name };
    for (const pod of (await storage.list(ref)).items) {
      try {
        const { obj, gone } = await deleteObject(storage, podType, name, pod.metadata.name, {});
        if (!gone) longestGrace = Math.max(longestGrace, Number(obj.metadata.deletionGracePeriodSeconds ?? 0));
      } catch (err) {
        ignoreNotFound(err);
      }
    }
    // Wait for the nodes, then force what is left (a node that is gone never confirms).
    const deadline = Date.now() + (longestGrace + 30) * 1000;
    while ((await storage.list(ref)).items.length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, pollMs));
  }
  for (const t of types.filter((r) => r.namespaced)) {
    const ref = { resource: storageResource(t), namespace: name };
    const { items } = await storage.list(ref);
    for (const item of items) await storage.delete(ref, item.metadata.name).catch(ignoreNotFound);
  }
  await storage.delete({ resource: 'namespaces' }, name).catch(ignoreNotFound);
}

function ignoreNotFound(err: unknown): void {
  if (!(err instanceof StoreError && err.reason === 'NotFound')) throw err;
}
