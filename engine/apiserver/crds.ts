// Serving CustomResourceDefinitions: each established CRD's versions become served types; its
// status says so (names accepted, established); deleting it removes its objects first.
import { customTypes, type CrdSpec } from '../api/custom-types.js';
import { registerCustom, unregisterCustom } from '../api/registry.js';
import { StoreError } from '../store/errors.js';
import type { Storage, StoredObject } from '../store/storage.js';
import { now } from './context.js';

const CRDS = { resource: 'apiextensions.k8s.io/customresourcedefinitions' };
/** The finalizer that holds a CRD until its custom objects are gone. */
export const CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

type Crd = StoredObject & { spec: CrdSpec; status?: Record<string, unknown> };

const ignoreGone = (err: unknown) => {
  if (!(err instanceof StoreError && (err.reason === 'NotFound' || err.reason === 'Conflict'))) throw err;
};

/** The status a served CRD should have. */
function desiredStatus(crd: Crd, previous: Record<string, unknown> | undefined, error?: string): Record<string, unknown> {
  const n = crd.spec.names;
  const at = now();
  const old = (previous?.conditions as Array<{ type: string; status: string; lastTransitionTime: string }> | undefined) ?? [];
  const cond = (type: string, status: string, reason: string, message: string) => ({ type, status, lastTransitionTime: old.find((c) => c.type === type && c.status === status)?.lastTransitionTime ?? at, reason, message });
  const stored = new Set([...((previous?.storedVersions as string[] | undefined) ?? []), ...crd.spec.versions.filter((v) => v.storage).map((v) => v.name)]);
  return {
    acceptedNames: { plural: n.plural, singular: n.singular || n.kind.toLowerCase(), kind: n.kind, listKind: n.listKind || `${n.kind}List`, ...(n.shortNames?.length ? { shortNames: n.shortNames } : {}), ...(n.categories?.length ? { categories: n.categories } : {}) },
    conditions: error
      ? [cond('NamesAccepted', 'False', 'NameConflict', error), cond('Established', 'False', 'NotAccepted', 'not all names are accepted')]
      : [cond('NamesAccepted', 'True', 'NoConflicts', 'no conflicts found'), cond('Established', 'True', 'InitialNamesAccepted', 'the initial names have been accepted')],
    storedVersions: [...stored],
  };
}

/** Follows CRDs in storage and keeps the served custom types in step with them. */
export class CrdController {
  private watch?: { cancel(): void };
  private stopped = false;
  private readonly synced: Promise<void>;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly storage: Storage,
    private readonly log: (m: string) => void = () => {},
  ) {
    this.synced = new Promise((resolve) => this.begin(resolve));
  }

  /** Lists the CRDs, serves them, then follows changes; starts over when the watch ends (etcd restarted). */
  private begin(listed: () => void): void {
    if (this.stopped) return;
    const retry = (why: string) => {
      this.log(`crd watch: ${why}; starting over`);
      setTimeout(() => this.begin(listed), 1000).unref();
    };
    this.storage.list(CRDS).then(async (page) => {
      for (const crd of page.items) await this.sync(crd as Crd).catch((err: unknown) => this.log(`crd ${crd.metadata.name}: ${(err as Error).message}`));
      listed();
      this.watch = this.storage.watch(CRDS, page.resourceVersion, (e) => this.enqueue(e.object as Crd, e.type === 'DELETED'), (err) => {
        this.watch?.cancel();
        retry(err.message);
      });
    }, (err: Error) => retry(err.message));
  }

  /** Resolves once the CRDs stored at start are served. */
  ready(): Promise<void> {
    return this.synced;
  }

  stop(): void {
    this.stopped = true;
    this.watch?.cancel();
  }

  private enqueue(crd: Crd, deleted: boolean): void {
    this.chain = this.chain.then(() => (deleted ? unregisterCustom(crd.metadata.name) : this.sync(crd))).catch((err: unknown) => this.log(`crd ${crd.metadata.name}: ${(err as Error).message}`));
  }

  private async sync(crd: Crd): Promise<void> {
    const name = crd.metadata.name;
    if (crd.metadata.deletionTimestamp) return this.cleanUp(crd);
    let error: string | undefined;
    try {
      const { types, definitions } = customTypes(crd.spec);
      registerCustom(name, types, definitions);
    } catch (err) {
      error = (err as Error).message;
    }
    const status = desiredStatus(crd, crd.status, error);
    const finalizers = (crd.metadata.finalizers as string[] | undefined) ?? [];
    if (JSON.stringify(status) === JSON.stringify(crd.status) && finalizers.includes(CLEANUP_FINALIZER)) return;
    await this.storage
      .guaranteedUpdate(CRDS, name, (o) => {
        if (o.metadata.uid !== crd.metadata.uid) throw new StoreError('NotFound', 'replaced');
        o.status = desiredStatus(o as Crd, o.status as Record<string, unknown> | undefined, error);
        const f = (o.metadata.finalizers as string[] | undefined) ?? [];
        if (!f.includes(CLEANUP_FINALIZER) && !o.metadata.deletionTimestamp) o.metadata.finalizers = [...f, CLEANUP_FINALIZER];
        return o;
      })
      .catch(ignoreGone);
  }

  /** Deletes every object of a CRD being deleted, stops serving it, then lets it go. */
  private async cleanUp(crd: Crd): Promise<void> {
    const resource = `${crd.spec.group}/${crd.spec.names.plural}`;
    unregisterCustom(crd.metadata.name);
    const { items } = await this.storage.list({ resource });
    for (const item of items) await this.storage.delete({ resource, namespace: item.metadata.namespace as string | undefined }, item.metadata.name).catch(ignoreGone);
    const updated = await this.storage
      .guaranteedUpdate(CRDS, crd.metadata.name, (o) => {
        o.metadata.finalizers = ((o.metadata.finalizers as string[] | undefined) ?? []).filter((f) => f !== CLEANUP_FINALIZER);
        return o;
      })
      .catch((err: unknown) => {
        ignoreGone(err);
        return undefined;
      });
    if (updated && ((updated.metadata.finalizers as string[] | undefined) ?? []).length === 0) await this.storage.delete(CRDS, updated.metadata.name, updated.metadata.resourceVersion).catch(ignoreGone);
  }
}
