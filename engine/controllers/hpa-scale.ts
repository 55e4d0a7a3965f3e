// The scale subresource of whatever an HPA targets: the kind and API group of scaleTargetRef
// are looked up in the apiserver's discovery (so Deployments, ReplicaSets, StatefulSets,
// ReplicationControllers and custom resources that declare a scale subresource all work), then
// the autoscaling/v1 Scale is read and written through <resource>/scale. Errors read as upstream's.
import type { RestClient } from '../client/rest-client.js';
import type { ObjectRef } from './hpa-types.js';

/** A resource that holds objects of the target's kind. */
export interface ScaleMapping {
  group: string;
  version: string;
  resource: string;
  /** Whether discovery lists <resource>/scale. */
  scalable: boolean;
}

/** An autoscaling/v1 Scale. */
export interface Scale {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; resourceVersion?: string; uid?: string };
  spec?: { replicas?: number };
  status?: { replicas?: number; selector?: string };
}

interface ResourceList {
  resources?: { name: string; kind: string }[];
}
interface GroupList {
  groups?: { name: string; versions?: { version: string }[]; preferredVersion?: { version: string } }[];
}

/** Group and version of an apiVersion string ("apps/v1", "v1"); throws as Go's ParseGroupVersion does. */
export function parseGroupVersion(apiVersion: string | undefined): { group: string; version: string } {
  const s = apiVersion ?? '';
  if (s === '' || s === '/') return { group: '', version: '' };
  const parts = s.split('/');
  if (parts.length === 1) return { group: '', version: s };
  if (parts.length === 2) return { group: parts[0]!, version: parts[1]! };
  throw new Error(`unexpected GroupVersion string: ${s}`);
}

/** A mapping with the kind it holds. */
export type KindMapping = ScaleMapping & { kind: string };

/** The resources of one discovery document, with whether each has a scale subresource. */
export function mappingsIn(group: string, version: string, list: ResourceList): KindMapping[] {
  const names = new Set((list.resources ?? []).map((r) => r.name));
  return (list.resources ?? []).filter((r) => !r.name.includes('/')).map((r) => ({ kind: r.kind, group, version, resource: r.name, scalable: names.has(`${r.name}/scale`) }));
}

/** Reads and writes targets' scale, caching discovery for `ttlMs`. */
export class ScaleClient {
  private cache = new Map<string, { at: number; mappings: KindMapping[] }>();

  constructor(
    private readonly client: Pick<RestClient, 'get' | 'update'>,
    private readonly ttlMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The served versions of `group`, preferred first. */
  private async versions(group: string): Promise<string[]> {
    if (group === '') return ['v1'];
    const list = await this.client.get<GroupList>('/apis');
    const g = list.groups?.find((x) => x.name === group);
    if (!g) return [];
    const preferred = g.preferredVersion?.version;
    const all = (g.versions ?? []).map((v) => v.version);
    return preferred ? [preferred, ...all.filter((v) => v !== preferred)] : all;
  }

  /** Every resource of the group (all versions), from discovery. */
  private async discover(group: string): Promise<KindMapping[]> {
    const out: KindMapping[] = [];
    for (const version of await this.versions(group)) {
      const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
      const list = await this.client.get<ResourceList>(path).catch(() => ({}) as ResourceList);
      out.push(...mappingsIn(group, version, list));
    }
    return out;
  }

  /** The resources holding `ref`'s kind in its API group, preferred version first; throws "no matches for kind …". */
  async mappings(ref: ObjectRef): Promise<ScaleMapping[]> {
    const { group } = parseGroupVersion(ref.apiVersion);
    const find = (all: KindMapping[]) => all.filter((m) => m.kind === ref.kind);
    let entry = this.cache.get(group);
    // A kind not seen may belong to a CRD made since: look again, but not more than once a second.
    if (!entry || this.now() - entry.at > this.ttlMs || (find(entry.mappings).length === 0 && this.now() - entry.at > 1000)) {
      entry = { at: this.now(), mappings: await this.discover(group) };
      this.cache.set(group, entry);
    }
    const found = find(entry.mappings);
    if (found.length === 0) throw new Error(`no matches for kind "${ref.kind}" in group "${group}"`);
    return found.map(({ kind: _kind, ...m }) => m);
  }

  /** The Scale of `name` in `namespace` through the first mapping that answers; throws the first error. */
  async get(namespace: string, ref: ObjectRef): Promise<{ scale: Scale; mapping: ScaleMapping }> {
    let first: Error | undefined;
    for (const mapping of await this.mappings(ref)) {
      try {
        if (!mapping.scalable) throw new Error(`could not find scale subresource for ${mapping.group}/${mapping.version}, Resource=${mapping.resource} in discovery information`);
        return { scale: await this.client.get<Scale>(scalePath(mapping, namespace, ref.name)), mapping };
      } catch (err) {
        first ??= err as Error;
      }
    }
    throw first ?? new Error('unrecognized resource');
  }

  /** Writes `scale` back (its resourceVersion guards against concurrent changes). */
  async update(mapping: ScaleMapping, namespace: string, scale: Scale): Promise<Scale> {
    return this.client.update<Scale>(scalePath(mapping, namespace, scale.metadata.name), { apiVersion: 'autoscaling/v1', kind: 'Scale', ...scale });
  }
}

/** The URL of an object's scale subresource. */
export function scalePath(m: Pick<ScaleMapping, 'group' | 'version' | 'resource'>, namespace: string, name: string): string {
  const base = m.group ? `/apis/${m.group}/${m.version}` : `/api/${m.version}`;
  return `${base}/namespaces/${encodeURIComponent(namespace)}/${m.resource}/${encodeURIComponent(name)}/scale`;
}
