// PATCH with application/apply-patch+yaml: server-side apply of an applied configuration, which
// creates the object when it does not exist yet.
import { ApplyConflictError, serverSideApply } from '../api/apply.js';
import { apiVersionOf, kindSchema, type ApiObject } from '../api/registry.js';
import { StoreError } from '../store/errors.js';
import { present, refOf, sendJson, type RequestContext } from './context.js';
import { createObject, updateObject, writeManager, type WriteHost } from './object-write.js';
import { checkUnknownFields } from './field-validation.js';
import { admitPodUpdate } from './pod-admission.js';
import { badRequest, failure } from './status.js';

/** What apply needs from the resource handlers. */
export interface ApplyHost extends WriteHost {
  requireActiveNamespace(namespace: string): Promise<void>;
}

/** Serves a server-side apply (fieldValidation applies to the applied configuration). */
export async function handleApply(h: ApplyHost, ctx: RequestContext, body: unknown): Promise<void> {
  const { type, path, query, res } = ctx;
  if (!query.get('fieldManager')) throw failure(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('an applied configuration must be an object');
  const applied = body as ApiObject;
  if (applied.apiVersion !== apiVersionOf(type) || applied.kind !== type.kind) {
    throw badRequest(`an applied configuration needs apiVersion "${apiVersionOf(type)}" and kind "${type.kind}" (got "${String(applied.apiVersion ?? '')}" and "${String(applied.kind ?? '')}")`);
  }
  if (typeof applied.metadata !== 'object' || applied.metadata === null) applied.metadata = { name: path.name! };
  if (applied.metadata.name && applied.metadata.name !== path.name) throw badRequest(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${path.name})`);
  applied.metadata.name = path.name!;
  checkUnknownFields(ctx, applied);
  const force = ['true', '1'].includes(query.get('force') ?? '');
  const schema = kindSchema(type);
  try {
    const existing = await h.storage.get(refOf(ctx), path.name!).catch((err: unknown) => {
      if (err instanceof StoreError && err.reason === 'NotFound') return undefined;
      throw err;
    });
    if (!existing) {
      const obj = serverSideApply(undefined, structuredClone(applied), schema, writeManager(ctx), force);
      if (type.namespaced) {
        obj.metadata.namespace = path.namespace;
        await h.requireActiveNamespace(path.namespace!);
      }
      return sendJson(res, 201, present(ctx, await createObject(h, ctx, obj, true)));
    }
    const { obj } = await updateObject(
      ctx,
      h,
      (current) => {
        const next = serverSideApply(current, structuredClone(applied), schema, writeManager(ctx), force);
        next.metadata.resourceVersion = (applied.metadata.resourceVersion as string | undefined) || undefined;
        return admitPodUpdate(type, next, h.podAdmission);
      },
      { applied: true },
    );
    sendJson(res, 200, present(ctx, obj));
  } catch (err) {
    if (err instanceof ApplyConflictError) {
      throw failure(409, 'Conflict', err.message, {
        name: path.name,
        group: type.group,
        kind: type.resource,
        causes: err.conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with "${c.manager}" using ${c.apiVersion}`, field: c.path })),
      });
    }
    throw err;
  }
}
