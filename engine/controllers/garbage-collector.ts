// The garbage collector: removes objects whose owners are gone (background propagation),
// deletes dependents before their owner (foreground), or releases them (orphan), then lifts the
// owner's finalizer. Level-triggered: it keeps an index of every object's owners and re-checks
// the objects a change touches.
import type { ObjectMeta } from '../api/resource-type.js';

/** An owner reference as stored in metadata.ownerReferences. */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** An object as the collector needs to see it. */
export interface GcObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta & { ownerReferences?: OwnerReference[] };
}

/** What the collector does to objects; the apiserver's storage or a REST client implement it. */
export interface GcBackend {
  /** Every object now and every change after, delivered in order; `onReset` before a fresh full delivery. */
  watchAll(onObject: (obj: GcObject, deleted: boolean) => void, onReset: () => void): { cancel(): void };
  /** The live object, or undefined when it does not exist. */
  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<GcObject | undefined>;
  /** Deletes an object with a propagation policy, if it still has `uid`. */
  delete(obj: GcObject, policy: 'Background' | 'Foreground'): Promise<void>;
  /** Changes an object with a retry on conflict; `change` returns false to leave it as it is. */
  update(obj: GcObject, change: (o: GcObject) => boolean): Promise<void>;
  /** Whether the kind is namespaced (owners of namespaced objects live in the same namespace). */
  isNamespaced(apiVersion: string, kind: string): boolean | undefined;
}

const ORPHAN = 'orphan';
const FOREGROUND = 'foregroundDeletion';

const keyOf = (o: GcObject) => o.metadata.uid as string;
/** The owner references of an object (none when the field is malformed). */
const ownersOf = (o: GcObject | undefined): OwnerReference[] => {
  const refs = o?.metadata.ownerReferences;
  return Array.isArray(refs) ? refs.filter((r) => r && typeof r.uid === 'string') : [];
};

/** Runs the collector until stop(). */
export class GarbageCollector {
  private readonly objects = new Map<string, GcObject>();
  /** owner uid → uids of objects that name it. */
  private readonly dependents = new Map<string, Set<string>>();
  private readonly queue = new Set<string>();
  private running = false;
  private watch?: { cancel(): void };
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly backend: GcBackend,
    private readonly log: (msg: string) => void = () => {},
  ) {}

  start(): void {
    this.watch = this.backend.watchAll(
      (obj, deleted) => this.observe(obj, deleted),
      () => {
        this.objects.clear();
        this.dependents.clear();
      },
    );
    // A periodic sweep catches what a failed attempt left behind.
    this.timer = setInterval(() => {
      for (const uid of this.objects.keys()) this.queue.add(uid);
      this.kick();
    }, 30_000);
    this.timer.unref();
  }

  stop(): void {
    this.watch?.cancel();
    clearInterval(this.timer);
  }

  private observe(obj: GcObject, deleted: boolean): void {
    const uid = keyOf(obj);
    if (!uid) return;
    const before = this.objects.get(uid);
    for (const ref of ownersOf(before)) this.dependents.get(ref.uid)?.delete(uid);
    if (deleted) this.objects.delete(uid);
    else {
      this.objects.set(uid, obj);
      for (const ref of ownersOf(obj)) {
        if (!this.dependents.has(ref.uid)) this.dependents.set(ref.uid, new Set());
        this.dependents.get(ref.uid)!.add(uid);
      }
      this.queue.add(uid);
    }
    // The owners of a changed object, and the dependents of a deleted or deleting one, need a look.
    for (const ref of [...ownersOf(before), ...ownersOf(obj)]) if (this.objects.has(ref.uid)) this.queue.add(ref.uid);
    for (const dep of this.dependents.get(uid) ?? []) this.queue.add(dep);
    this.kick();
  }

  private kick(): void {
    if (this.running) return;
    this.running = true;
    setImmediate(() => void this.drain());
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.size > 0) {
        const [uid] = this.queue;
        this.queue.delete(uid!);
        const obj = this.objects.get(uid!);
        if (!obj) continue;
        try {
          await this.reconcile(obj);
        } catch (err) {
          this.log(`garbage collector: ${obj.kind} ${obj.metadata.namespace ?? ''}/${obj.metadata.name}: ${(err as Error).message}`);
        }
      }
    } finally {
      this.running = false;
      if (this.queue.size > 0) this.kick();
    }
  }

  /** One object: finish its own orphan/foreground deletion, and collect it if all its owners are gone. */
  private async reconcile(obj: GcObject): Promise<void> {
    const meta = obj.metadata;
    const finalizers = Array.isArray(meta.finalizers) ? meta.finalizers : [];
    if (meta.deletionTimestamp && finalizers.includes(ORPHAN)) await this.orphanDependents(obj);
    else if (meta.deletionTimestamp && finalizers.includes(FOREGROUND)) await this.deleteDependentsFirst(obj);
    const owners = ownersOf(obj);
    if (owners.length === 0 || meta.deletionTimestamp) return;
    const gone: OwnerReference[] = [];
    let waitingForeground = false;
    for (const ref of owners) {
      const owner = await this.liveOwner(obj, ref);
      if (!owner) gone.push(ref);
      else if (owner.metadata.deletionTimestamp && (owner.metadata.finalizers ?? []).includes(FOREGROUND)) waitingForeground = true;
    }
    if (gone.length === owners.length) {
      this.log(`garbage collector: deleting ${obj.kind} ${meta.namespace ?? ''}/${meta.name}: its owners are gone`);
      await this.backend.delete(obj, 'Background');
    } else if (gone.length > 0 && !waitingForeground) {
      // Some owners remain: drop the references to the ones that are gone.
      const goneUids = new Set(gone.map((g) => g.uid));
      await this.backend.update(obj, (o) => {
        o.metadata.ownerReferences = (o.metadata.ownerReferences ?? []).filter((r) => !goneUids.has(r.uid));
        return true;
      });
    }
  }

  /** The owner an ownerReference names, if it exists with that uid. */
  private async liveOwner(dependent: GcObject, ref: OwnerReference): Promise<GcObject | undefined> {
    const cached = this.objects.get(ref.uid);
    if (cached) return cached;
    const namespaced = this.backend.isNamespaced(ref.apiVersion, ref.kind);
    if (namespaced === undefined) return { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, uid: ref.uid } }; // unknown kind: never collect on its account
    const live = await this.backend.get(ref.apiVersion, ref.kind, namespaced ? dependent.metadata.namespace : undefined, ref.name);
    return live && live.metadata.uid === ref.uid ? live : undefined;
  }

  private async orphanDependents(owner: GcObject): Promise<void> {
    const uid = keyOf(owner);
    for (const dep of [...(this.dependents.get(uid) ?? [])]) {
      const obj = this.objects.get(dep);
      if (!obj) continue;
      await this.backend.update(obj, (o) => {
        const before = o.metadata.ownerReferences ?? [];
        o.metadata.ownerReferences = before.filter((r) => r.uid !== uid);
        if (o.metadata.ownerReferences.length === 0) delete o.metadata.ownerReferences;
        return before.length !== (o.metadata.ownerReferences?.length ?? 0);
      });
    }
    await this.removeFinalizer(owner, ORPHAN);
  }

  private async deleteDependentsFirst(owner: GcObject): Promise<void> {
    const uid = keyOf(owner);
    const deps = [...(this.dependents.get(uid) ?? [])].map((d) => this.objects.get(d)).filter((d): d is GcObject => d !== undefined);
    let blocking = 0;
    for (const dep of deps) {
      const ref = dep.metadata.ownerReferences?.find((r) => r.uid === uid);
      if (ref?.blockOwnerDeletion) blocking++;
      if (!dep.metadata.deletionTimestamp) await this.backend.delete(dep, 'Foreground');
    }
    if (blocking === 0) await this.removeFinalizer(owner, FOREGROUND);
  }

  private async removeFinalizer(obj: GcObject, finalizer: string): Promise<void> {
    await this.backend.update(obj, (o) => {
      const list = o.metadata.finalizers ?? [];
      if (!list.includes(finalizer)) return false;
      o.metadata.finalizers = list.filter((f) => f !== finalizer);
      return true;
    });
  }
}
