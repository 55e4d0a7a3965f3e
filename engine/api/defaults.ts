import type { ApiObject, ResourceType } from './registry.js';

/** Thrown when a kind's defaulting cannot make sense of an object (the apiserver answers 422). */
export class DefaultingError extends Error {}

/** Fills the defaults users see in `kubectl get -o yaml` (the kind's own, from the registry); `old` on updates. */
export function applyDefaults(type: ResourceType, obj: ApiObject, old?: ApiObject): ApiObject {
  try {
    type.defaults?.(obj, old);
  } catch (err) {
    // Defaulting code expects well-typed objects; anything it trips over is the object's fault.
    if (err instanceof TypeError) throw new DefaultingError(`the ${type.kind} could not be defaulted: ${err.message}`);
    throw err;
  }
  return obj;
}
