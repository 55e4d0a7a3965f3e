import type { ApiObject, ResourceType } from './registry.js';

/** Fills the defaults users see in `kubectl get -o yaml`, and folds write-only fields in (Secret stringData). */
export function applyDefaults(type: ResourceType, obj: ApiObject): ApiObject {
  switch (type.kind) {
    case 'Namespace': {
      const spec = (obj.spec as { finalizers?: string[] } | undefined) ?? {};
      obj.spec = { ...spec, finalizers: spec.finalizers ?? ['kubernetes'] };
      obj.status = { phase: obj.metadata.deletionTimestamp ? 'Terminating' : 'Active' };
      obj.metadata.labels = { ...obj.metadata.labels, 'kubernetes.io/metadata.name': obj.metadata.name };
      break;
    }
    case 'Secret': {
      if (!obj.type) obj.type = 'Opaque';
      const stringData = obj.stringData as Record<string, string> | undefined;
      if (stringData) {
        const data = { ...(obj.data as Record<string, string> | undefined) };
        for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(String(v)).toString('base64');
        obj.data = data;
        delete obj.stringData;
      }
      break;
    }
  }
  return obj;
}
