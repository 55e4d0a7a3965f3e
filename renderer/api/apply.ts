// "Apply YAML": each document of a manifest is server-side applied (fieldManager
// kubelab-dashboard, force) at the REST path found through API discovery, so any served kind
// works, CRDs included.
import { parseAllDocuments } from 'yaml';
import { FIELD_MANAGER } from './k8s';
import { k8sUrl, objectPath } from './kinds';
import { errorText, requestJson, send, errorFromResponse } from './http';
import type { KubeObject } from './types';

/** A resource of a discovery document (APIResourceList). */
export interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

/** One manifest document, parsed. */
export type ManifestDoc = { ok: true; object: KubeObject } | { ok: false; error: string; index: number };

/** Parses a YAML (or JSON) manifest into its non-empty documents; Lists are flattened. */
export function parseManifest(text: string): ManifestDoc[] {
  const out: ManifestDoc[] = [];
  parseAllDocuments(text).forEach((doc, index) => {
    if (doc.errors.length) {
      out.push({ ok: false, index, error: doc.errors[0]!.message });
      return;
    }
    const value: unknown = doc.toJS();
    if (value == null) return;
    if (typeof value !== 'object' || Array.isArray(value)) {
      out.push({ ok: false, index, error: 'not an object' });
      return;
    }
    const o = value as Record<string, unknown>;
    const items = typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items) ? (o.items as unknown[]) : [o];
    for (const item of items) {
      const it = item as KubeObject;
      if (!it || typeof it !== 'object' || typeof it.kind !== 'string' || typeof it.apiVersion !== 'string') {
        out.push({ ok: false, index, error: 'apiVersion and kind are required' });
      } else if (!it.metadata || typeof it.metadata.name !== 'string' || !it.metadata.name) {
        out.push({ ok: false, index, error: 'metadata.name is required (generateName cannot be applied)' });
      } else out.push({ ok: true, object: it });
    }
  });
  return out;
}

/** The resource serving `kind` in a discovery list (subresources like "pods/log" excluded). */
export function findResource(resources: ApiResource[], kind: string): ApiResource | undefined {
  return resources.find((r) => r.kind === kind && !r.name.includes('/'));
}

/** Caches discovery documents per cluster and group/version. */
export class Discovery {
  private readonly cache = new Map<string, Promise<ApiResource[]>>();

  /** The resources of `apiVersion` on `cluster`. */
  resources(cluster: string, apiVersion: string): Promise<ApiResource[]> {
    const key = `${cluster} ${apiVersion}`;
    let p = this.cache.get(key);
    if (!p) {
      const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      p = requestJson<{ resources: ApiResource[] }>(k8sUrl(cluster, path)).then((l) => l.resources ?? []);
      p.catch(() => this.cache.delete(key));
      this.cache.set(key, p);
    }
    return p;
  }

  /** Forgets a cached document (a CRD may have added a kind to its group since). */
  forget(cluster: string, apiVersion: string): void {
    this.cache.delete(`${cluster} ${apiVersion}`);
  }

  /** The resource serving `kind` in `apiVersion`, asking the server again once when the cached document lacks it. */
  async find(cluster: string, apiVersion: string, kind: string): Promise<ApiResource | undefined> {
    const cached = findResource(await this.resources(cluster, apiVersion), kind);
    if (cached) return cached;
    this.forget(cluster, apiVersion);
    return findResource(await this.resources(cluster, apiVersion), kind);
  }
}

/** What applying one document did. */
export interface ApplyResult {
  /** "deployment.apps/web" as kubectl names it. */
  name: string;
  ok: boolean;
  /** "created", "configured", or the server's error. */
  message: string;
}

const displayName = (o: KubeObject) => {
  const group = o.apiVersion!.includes('/') ? `.${o.apiVersion!.split('/')[0]}` : '';
  return `${o.kind!.toLowerCase()}${group}/${o.metadata.name}`;
};

/** Server-side applies every document in order, in `namespace` when a namespaced one names none. */
export async function applyManifest(cluster: string, docs: ManifestDoc[], namespace: string, discovery: Discovery): Promise<ApplyResult[]> {
  const results: ApplyResult[] = [];
  for (const doc of docs) {
    if (!doc.ok) {
      results.push({ name: `document ${doc.index + 1}`, ok: false, message: doc.error });
      continue;
    }
    const obj = doc.object;
    const name = displayName(obj);
    try {
      const resource = await discovery.find(cluster, obj.apiVersion!, obj.kind!);
      if (!resource) throw new Error(`the server does not serve kind ${obj.kind} in ${obj.apiVersion}`);
      const ns = resource.namespaced ? obj.metadata.namespace || namespace : undefined;
      const body = resource.namespaced ? { ...obj, metadata: { ...obj.metadata, namespace: ns } } : obj;
      const path = objectPath({ apiVersion: obj.apiVersion!, plural: resource.name, namespaced: resource.namespaced }, ns, obj.metadata.name);
      const query = `?fieldManager=${FIELD_MANAGER}&force=true`;
      const res = await send(k8sUrl(cluster, path) + query, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/apply-patch+yaml', Accept: 'application/json' },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw await errorFromResponse(res);
      results.push({ name, ok: true, message: res.status === 201 ? 'created' : 'configured' });
    } catch (err) {
      results.push({ name, ok: false, message: errorText(err) });
    }
  }
  return results;
}
