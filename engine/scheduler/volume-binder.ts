// The I/O half of volume binding (upstream's volume binder): informer caches of claims, volumes and
// storage classes with the scheduler's own assumptions on top, so pods placed back to back see the
// volumes and nodes already promised; and the PreBind step — reserve matched volumes for their
// claims, mark claims to provision with the chosen node, then wait (without holding up other
// pods) until the PV controller and the provisioner have bound them all.
import type { ApiObject } from '../api/resource-type.js';
import type { Informer } from '../client/informer.js';
import type { RestClient } from '../client/rest-client.js';
import { nameOf, type Node, type Pod } from './types.js';
import { volumePlan, type VolumePlan } from './volume-binding.js';
import { BOUND_BY_CONTROLLER, SELECTED_NODE, isBoundToClaim, isFullyBound, versionOf, volumeClass, volumeFitsNode, type Claim, type PersistentVolume, type StorageClass, type VolumeLister } from './volume-types.js';

/** The part of an informer the binder reads. */
export type Cache<T> = Pick<Informer<ApiObject & T>, 'get' | 'list'>;
type Watched<T> = Cache<T> & Pick<Informer<ApiObject & T>, 'addHandler'>;

/** An Event as the binder reads it (ProvisioningFailed about a claim). */
export interface ClaimEvent {
  involvedObject?: { uid?: string };
  reason?: string;
  message?: string;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
}

/**
 * One kind of object as the informer has it, with assumed copies on top. An assumption gives way
 * to the informer's copy as soon as that copy is newer than the assumed (or written) version.
 */
export class AssumeCache<T extends { metadata?: { name?: string; namespace?: string; resourceVersion?: string } }> {
  private readonly assumed = new Map<string, { obj: T; version: number }>();

  constructor(private readonly informer: Cache<T>) {}

  /** The object under `key` (namespace/name or name), assumed copy first. */
  get(key: string): T | undefined {
    const real = this.informer.get(key) as T | undefined;
    const a = this.assumed.get(key);
    if (!a) return real;
    if (!real || versionOf(real) > a.version) {
      this.assumed.delete(key);
      return real;
    }
    return a.obj;
  }

  /** Every object, assumed copies in place of the informer's. */
  list(): T[] {
    const out = (this.informer.list() as T[]).map((o) => this.get(keyOf(o)) ?? o);
    for (const key of this.assumed.keys()) if (!this.informer.get(key)) this.assumed.delete(key);
    return out;
  }

  /** Assumes `obj` (a changed copy of the cached object) until the informer moves past its version. */
  assume(obj: T): void {
    this.assumed.set(keyOf(obj), { obj, version: versionOf(obj) });
  }

  /** The assumed change was written as `version`: keep it until the informer has caught up. */
  written(key: string, version: number): void {
    const a = this.assumed.get(key);
    if (a) a.version = Math.max(a.version, version);
  }

  /** Drops the assumption (the binding failed). */
  restore(key: string): void {
    this.assumed.delete(key);
  }
}

const keyOf = (o: { metadata?: { name?: string; namespace?: string } }) => (o.metadata?.namespace ? `${o.metadata.namespace}/${o.metadata.name ?? ''}` : String(o.metadata?.name ?? ''));
const claimPath = (c: Claim) => `/api/v1/namespaces/${encodeURIComponent(c.metadata?.namespace ?? '')}/persistentvolumeclaims/${encodeURIComponent(c.metadata?.name ?? '')}`;
const pvPath = (pv: PersistentVolume) => `/api/v1/persistentvolumes/${encodeURIComponent(nameOf(pv))}`;
const eventMs = (e: ClaimEvent) => Math.max(...[e.lastTimestamp, e.eventTime, e.firstTimestamp].map((t) => Date.parse(t ?? '') || 0));

/** The binder's inputs: the storage informers, how to read nodes and pods, and tuning. */
export interface VolumeBinderOptions {
  claims: Watched<Claim>;
  volumes: Watched<PersistentVolume>;
  classes: Watched<StorageClass>;
  /** Events with reason ProvisioningFailed (a provisioner gave up on a claim). */
  provisioningFailures?: Watched<ClaimEvent>;
  node(name: string): Node | undefined;
  /** True while the pod (same uid) still exists. */
  podExists(pod: Pod): boolean;
  /** Called after any change to claims, volumes or classes (pods waiting on them may fit now). */
  onChange?(): void;
  /** How long PreBind waits for the claims to be bound (60 s). */
  timeoutMs?: number;
}

/** A step of the wait: true once all is bound, false to keep waiting; throws to give up. */
type Check = () => boolean;

/** Volume binding for the scheduler loop. */
export class VolumeBinder {
  /** Claims, volumes and classes with the assumptions of pods whose binding is in flight. */
  readonly lister: VolumeLister;
  private readonly claims: AssumeCache<Claim>;
  private readonly volumes: AssumeCache<PersistentVolume>;
  private readonly waiters = new Set<() => void>();
  private readonly timeoutMs: number;
  private stopped = false;

  constructor(
    private readonly client: Pick<RestClient, 'update' | 'patch'>,
    private readonly o: VolumeBinderOptions,
  ) {
    this.timeoutMs = o.timeoutMs ?? 60_000;
    this.claims = new AssumeCache(o.claims);
    this.volumes = new AssumeCache(o.volumes);
    this.lister = {
      claim: (ns, name) => this.claims.get(`${ns}/${name}`),
      volume: (name) => this.volumes.get(name),
      volumesOfClass: (cls) => this.volumes.list().filter((pv) => volumeClass(pv) === cls),
      storageClass: (name) => o.classes.get(name) as StorageClass | undefined,
    };
    const changed = { onAdd: () => this.changed(true), onUpdate: () => this.changed(true), onDelete: () => this.changed(false) };
    for (const inf of [o.claims, o.volumes, o.classes] as Watched<unknown>[]) inf.addHandler(changed);
    o.provisioningFailures?.addHandler({ onAdd: () => this.changed(false), onUpdate: () => this.changed(false) });
  }

  /** What binding the pod's volumes on `node` takes (undefined: nothing); throws when the node no longer fits them. */
  plan(pod: Pod, node: Node): VolumePlan | undefined {
    return volumePlan(pod, node, this.lister);
  }

  /**
   * Reserve: assumes the plan's outcome on `node` in the caches (volumes reserved for their claims,
   * claims marked with the node) and returns the plan with those assumed copies.
   */
  assume(plan: VolumePlan, node: string): VolumePlan {
    const bindings = plan.bindings.map(({ claim, pv }) => {
      if (isBoundToClaim(pv, claim) && pv.spec?.claimRef?.uid) return { claim, pv };
      const m = claim.metadata ?? {};
      const reserved: PersistentVolume = {
        ...pv,
        metadata: { ...pv.metadata, annotations: { ...pv.metadata?.annotations, [BOUND_BY_CONTROLLER]: 'yes' } },
        spec: { ...pv.spec, claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: m.namespace, name: m.name, uid: m.uid, resourceVersion: m.resourceVersion } },
      };
      this.volumes.assume(reserved);
      return { claim, pv: reserved };
    });
    const provisions = plan.provisions.map((c) => {
      const marked: Claim = { ...c, metadata: { ...c.metadata, annotations: { ...c.metadata?.annotations, [SELECTED_NODE]: node } } };
      this.claims.assume(marked);
      return marked;
    });
    return { bindings, provisions };
  }

  /** Unreserve: drops the plan's assumptions. */
  revert(plan: VolumePlan): void {
    for (const { pv } of plan.bindings) this.volumes.restore(nameOf(pv));
    for (const c of plan.provisions) this.claims.restore(keyOf(c));
  }

  /**
   * PreBind for an assumed plan: writes the reservations and node choices, then waits until every
   * claim is bound. Rejects (after reverting the assumptions) with upstream's wording when a write
   * fails, a provisioner gives up, something is undone, the pod goes away, or time runs out.
   */
  async bind(pod: Pod, node: string, plan: VolumePlan): Promise<void> {
    const since = Math.floor(Date.now() / 1000) * 1000;
    try {
      await this.write(plan, node);
    } catch (err) {
      this.revert(plan);
      throw new Error(`running PreBind plugin "VolumeBinding": ${(err as Error).message}`, { cause: err });
    }
    try {
      await this.waitFor(() => this.check(pod, node, plan, since));
    } catch (err) {
      this.revert(plan);
      throw new Error(`running PreBind plugin "VolumeBinding": binding volumes: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Re-checks every waiting binding (and tells the scheduler when objects changed). */
  changed(notify = false): void {
    if (notify) this.o.onChange?.();
    for (const w of [...this.waiters]) w();
  }

  /** Fails every waiting binding (the scheduler stops). */
  stop(): void {
    this.stopped = true;
    this.changed();
  }

  private async write(plan: VolumePlan, node: string): Promise<void> {
    for (const b of plan.bindings) {
      const current = this.o.volumes.get(nameOf(b.pv)) as PersistentVolume | undefined;
      if (current?.spec?.claimRef?.uid && isBoundToClaim(current, b.claim)) continue;
      const written = await this.client.update<PersistentVolume>(pvPath(b.pv), { apiVersion: 'v1', kind: 'PersistentVolume', ...b.pv });
      this.volumes.written(nameOf(b.pv), versionOf(written));
      b.pv = written;
    }
    for (const [i, c] of plan.provisions.entries()) {
      const current = this.o.claims.get(keyOf(c)) as Claim | undefined;
      if (current?.metadata?.annotations?.[SELECTED_NODE] === node) continue;
      const written = await this.client.patch<Claim>(claimPath(c), { metadata: { annotations: { [SELECTED_NODE]: node } } }, 'merge');
      this.claims.written(keyOf(c), versionOf(written));
      plan.provisions[i] = written;
    }
  }

  /** Upstream's checkBindings, on the informers' copies (never the assumptions). */
  private check(pod: Pod, node: string, plan: VolumePlan, since: number): boolean {
    if (this.stopped) throw new Error('the scheduler is stopping');
    if (!this.o.podExists(pod)) throw new Error('pod does not exist any more');
    const n = this.o.node(node);
    if (!n) throw new Error(`failed to get node "${node}": node "${node}" not found`);
    let done = true;
    for (const b of plan.bindings) {
      const pv = this.o.volumes.get(nameOf(b.pv)) as PersistentVolume | undefined;
      const claim = this.o.claims.get(keyOf(b.claim)) as Claim | undefined;
      if (!pv) throw new Error(`failed to check binding: persistentvolume "${nameOf(b.pv)}" not found`);
      if (!claim) throw new Error(`failed to check binding: persistentvolumeclaim "${keyOf(b.claim)}" not found`);
      if (versionOf(pv) < versionOf(b.pv)) return false;
      if (!volumeFitsNode(pv, n)) throw new Error(`pv "${nameOf(pv)}" node affinity doesn't match node "${node}": no matching NodeSelectorTerms`);
      if (!pv.spec?.claimRef?.uid) throw new Error(`ClaimRef got reset for pv "${nameOf(pv)}"`);
      if (!isFullyBound(claim)) done = false;
    }
    for (const c of plan.provisions) {
      const claim = this.o.claims.get(keyOf(c)) as Claim | undefined;
      if (!claim) throw new Error(`failed to check provisioning pvc: persistentvolumeclaim "${keyOf(c)}" not found`);
      if (versionOf(claim) < versionOf(c)) return false;
      // A claim already bound counts whatever its annotation says now (a controller may tidy it away).
      const failure = isFullyBound(claim) ? undefined : this.provisioningFailure(claim, since);
      if ((!isFullyBound(claim) && claim.metadata?.annotations?.[SELECTED_NODE] !== node) || failure !== undefined) {
        throw new Error(`provisioning failed for PVC "${claim.metadata?.name}"${failure ? `: ${failure}` : ''}`);
      }
      const volumeName = claim.spec?.volumeName;
      if (volumeName) {
        const pv = this.o.volumes.get(volumeName) as PersistentVolume | undefined;
        if (!pv) return false;
        if (!volumeFitsNode(pv, n)) throw new Error(`pv "${volumeName}" node affinity doesn't match node "${node}": no matching NodeSelectorTerms`);
      }
      if (!isFullyBound(claim)) done = false;
    }
    return done;
  }

  /** The message of a ProvisioningFailed event about the claim recorded since `since`, if any. */
  private provisioningFailure(claim: Claim, since: number): string | undefined {
    const uid = claim.metadata?.uid;
    if (!uid || !this.o.provisioningFailures) return undefined;
    const e = (this.o.provisioningFailures.list() as ClaimEvent[]).find((x) => x.involvedObject?.uid === uid && x.reason === 'ProvisioningFailed' && eventMs(x) >= since);
    return e ? e.message ?? '' : undefined;
  }

  /** Resolves once `check` says done, re-checking on every storage change; rejects on its error or the timeout. */
  private waitFor(check: Check): Promise<void> {
    return new Promise((resolve, reject) => {
      const finish = (err?: Error) => {
        this.waiters.delete(run);
        clearTimeout(timer);
        if (err) reject(err);
        else resolve();
      };
      const run = () => {
        try {
          if (check()) finish();
        } catch (err) {
          finish(err as Error);
        }
      };
      const timer = setTimeout(() => finish(new Error('context deadline exceeded')), this.timeoutMs);
      this.waiters.add(run);
      run();
    });
  }
}
