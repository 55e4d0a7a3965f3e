import type { ApiObject, ResourceType } from '../api/registry.js';

/** True when the client asked for server-side printing (`kubectl get`). */
export function wantsTable(accept: string | undefined): boolean {
  return /as=Table/.test(accept ?? '') && /g=meta\.k8s\.io/.test(accept ?? '');
}

/** The Table version the client accepts first (v1 or v1beta1). */
export function tableVersion(accept: string | undefined): string {
  const m = /as=Table;v=(v1beta1|v1);g=meta\.k8s\.io/.exec(accept ?? '');
  return `meta.k8s.io/${m?.[1] ?? 'v1'}`;
}

/** A Table of `objects` with the type's printer columns; `withColumns` false leaves the definitions out (later watch events). */
export function toTable(
  type: ResourceType,
  objects: ApiObject[],
  opts: { apiVersion: string; resourceVersion?: string; continue?: string; remainingItemCount?: number; withColumns?: boolean },
): Record<string, unknown> {
  const metadataOf = (o: ApiObject) => ({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata });
  return {
    kind: 'Table',
    apiVersion: opts.apiVersion,
    metadata: {
      ...(opts.resourceVersion ? { resourceVersion: opts.resourceVersion } : {}),
      ...(opts.continue ? { continue: opts.continue } : {}),
      ...(opts.remainingItemCount !== undefined ? { remainingItemCount: opts.remainingItemCount } : {}),
    },
    columnDefinitions:
      opts.withColumns === false
        ? []
        : type.columns.map((c) => ({ name: c.name, type: c.type === 'date' ? 'string' : c.type, format: c.name === 'Name' ? 'name' : '', description: c.description, priority: c.wide ? 1 : 0 })),
    rows: objects.map((o) => ({ cells: type.columns.map((c) => c.cell(o)), object: metadataOf(o) })),
  };
}
