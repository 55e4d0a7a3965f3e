// Applying a PATCH body to the current object: JSON patch, merge patch, strategic merge patch.
import { jsonPatch, mergePatch, PatchError } from '../api/patch.js';
import { kindSchema, type ApiObject, type ResourceType } from '../api/registry.js';
import { strategicMerge } from '../api/strategic-merge.js';
import { failure } from './status.js';

/** The patch media types served. */
export const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];

/** The object after `patch` of `contentType`; 415 for unknown types, 422 for patches that cannot apply. */
export function applyPatch(type: ResourceType, current: unknown, contentType: string, patch: unknown, schemaOverride?: import('../api/schema.js').FieldSchema): ApiObject {
  let next: unknown;
  try {
    if (contentType === 'application/json-patch+json') next = jsonPatch(current, patch);
    else if (contentType === 'application/merge-patch+json') next = mergePatch(current, patch);
    else if (contentType === 'application/strategic-merge-patch+json') {
      if (type.custom) throw failure(415, 'UnsupportedMediaType', `strategic merge patch is not supported for custom resources (${type.resource}.${type.group}); use a JSON merge patch or a JSON patch`);
      next = strategicMerge(current, patch, schemaOverride ?? kindSchema(type));
    } else throw failure(415, 'UnsupportedMediaType', `the patch type "${contentType}" is not supported; use one of ${PATCH_TYPES.join(', ')}`);
  } catch (err) {
    if (err instanceof PatchError) throw failure(422, 'Invalid', `the patch could not be applied: ${err.message}`);
    throw err;
  }
  if (typeof next !== 'object' || next === null || Array.isArray(next)) throw failure(422, 'Invalid', 'the patched object is not an object');
  const obj = next as ApiObject;
  if (typeof obj.metadata !== 'object' || obj.metadata === null || Array.isArray(obj.metadata)) throw failure(422, 'Invalid', 'the patched object has no metadata');
  return obj;
}
