// Binding a pod to a node: POST pods/NAME/binding and POST bindings (create-only), as the
// scheduler does. Sets spec.nodeName once, marks the pod PodScheduled=True, answers Success.
import { required } from '../api/field-error.js';
import { validate } from '../api/validation.js';
import type { ResourceType } from '../api/registry.js';
import { StoreError } from '../store/errors.js';
import type { Storage, StoredObject } from '../store/storage.js';
import { isDryRun, now, sendJson, type RequestContext } from './context.js';
import { readJson } from './request.js';
import { badRequest, failure, invalid, toApiError } from './status.js';

const POD_SUBJECT = { resource: 'pods', kind: 'Pod', group: '' };

interface BindingBody {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> };
  target?: { kind?: string; name?: string };
}

/** The pod with spec.nodeName = node and PodScheduled=True; throws upstream's Conflict when it cannot be bound. */
export function bindPod(pod: StoredObject, node: string, annotations: Record<string, string> = {}): StoredObject {
  const name = pod.metadata.name;
  if (pod.metadata.deletionTimestamp) throw failure(409, 'Conflict', `Operation cannot be fulfilled on pods/binding "${name}": pod ${name} is being deleted, cannot be assigned to a host`, { name, kind: 'pods/binding' });
  const spec = (pod.spec ?? {}) as { nodeName?: string };
  if (spec.nodeName) throw failure(409, 'Conflict', `Operation cannot be fulfilled on pods/binding "${name}": pod ${name} is already assigned to node "${spec.nodeName}"`, { name, kind: 'pods/binding' });
  pod.spec = { ...spec, nodeName: node };
  if (Object.keys(annotations).length) pod.metadata.annotations = { ...(pod.metadata.annotations as Record<string, string> | undefined), ...annotations };
  const status = (pod.status ?? {}) as { conditions?: Array<Record<string, unknown>> };
  const others = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
  pod.status = { ...status, conditions: [...others, { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now() }] };
  return pod;
}

/**
 * Serves a Binding: for pods/NAME/binding (`podName` set) the body's name must match; for the
 * bindings collection the body's name names the pod. 201 with a Success Status.
 */
export async function serveBinding(storage: Storage, bindingType: ResourceType, ctx: RequestContext, podName?: string): Promise<void> {
  const { path, res, query } = ctx;
  const body = (await readJson(ctx.req)) as BindingBody;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('the request body must be a Binding');
  if (body.kind !== undefined && body.kind !== 'Binding') throw badRequest(`the body is a ${String(body.kind)}, but the request needs a Binding`);
  const meta = body.metadata ?? {};
  const name = meta.name ?? podName ?? '';
  if (podName && meta.name && meta.name !== podName) throw badRequest('name in URL does not match name in Binding object');
  if (meta.namespace && meta.namespace !== path.namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  const obj = { metadata: { ...meta, name, namespace: path.namespace! }, target: body.target ?? {} };
  const errors = validate(bindingType, obj as never);
  if (!name && !errors.some((e) => e.field === 'metadata.name')) errors.unshift(required('metadata.name', 'name or generateName is required'));
  if (errors.length) throw invalid({ resource: 'bindings', kind: 'Binding', group: '', name }, errors);
  const node = obj.target.name!;
  const ref = { resource: 'pods', namespace: path.namespace };
  try {
    if (isDryRun(query)) bindPod(await storage.get(ref, name), node, meta.annotations);
    else await storage.guaranteedUpdate(ref, name, (pod) => bindPod(pod, node, meta.annotations));
  } catch (err) {
    throw err instanceof StoreError ? toApiError(err, { ...POD_SUBJECT, name }) : err;
  }
  sendJson(res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}
