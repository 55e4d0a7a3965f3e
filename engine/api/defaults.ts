import type { ApiObject, ResourceType } from './registry.js';

/** Fills the defaults users see in `kubectl get -o yaml` (the kind's own, from the registry); `old` on updates. */
export function applyDefaults(type: ResourceType, obj: ApiObject, old?: ApiObject): ApiObject {
  type.defaults?.(obj, old);
  return obj;
}
