// The informer handlers the pod-owning workload controllers (ReplicaSet, StatefulSet, DaemonSet)
// share: a change to one of their objects enqueues it; a change to a pod (or another owned kind)
// enqueues its controller, or for an orphan every owner whose selector matches it (adoption), and
// feeds the controller's expectations with the creations and deletions its cache has now seen.
import type { ApiObject } from '../api/resource-type.js';
import type { InformerHandlers } from '../client/informer.js';
import type { Expectations } from './expectations.js';
import { BY_NAMESPACE, controllerKey, controllerRef, ensureIndex, namespaceIndex, selectorMatcher, type LabelSelector, type Pod } from './workload-util.js';

/** An owner as these handlers read it: a namespaced object with a label selector. */
export type SelectingOwner = ApiObject & { spec: { selector?: LabelSelector } };

/** An object an owner may control: anything with owner references. */
export type OwnedObject = ApiObject & { metadata: { ownerReferences?: unknown } };

/** How a controller maps an owned object to the keys of its owners. */
export interface OwnerQueue {
  /** The key of the cached owner that controls `obj` (same uid), if any. */
  ownerKey(obj: OwnedObject): string | undefined;
  /** Enqueues every owner in `obj`'s namespace whose selector matches `obj`'s labels. */
  enqueueMatching(obj: OwnedObject): void;
  /** Enqueues `obj`'s owner; for an orphan (no controller reference at all), every matching owner. */
  enqueueOwner(obj: OwnedObject): void;
}

/** Where keys go (a WorkQueue). */
export interface KeyQueue {
  add(key: string): void;
}

/** The part of an Informer the handlers use to receive changes. */
export interface Watchable<T> {
  addHandler(h: InformerHandlers<T>): unknown;
}

/** The part of an owners' Informer the handlers read. */
export interface OwnerCache<O> extends Watchable<O> {
  get(key: string): O | undefined;
  byIndex(name: string, value: string): O[];
  addIndex(name: string, fn: (obj: O) => string[]): void;
}

const keyOf = (o: ApiObject) => `${o.metadata.namespace}/${o.metadata.name}`;

/** An OwnerQueue for owners of `kind` cached in `owners` (indexed by namespace here if not yet). */
export function ownerQueue<O extends SelectingOwner>(queue: KeyQueue, owners: OwnerCache<O>, kind: string): OwnerQueue {
  ensureIndex(owners, BY_NAMESPACE, namespaceIndex);
  const ownerKey = (obj: OwnedObject) => controllerKey(obj, kind, owners);
  const enqueueMatching = (obj: OwnedObject) => {
    for (const owner of owners.byIndex(BY_NAMESPACE, obj.metadata.namespace ?? '')) {
      if (selectorMatcher(owner.spec.selector)(obj.metadata.labels)) queue.add(keyOf(owner));
    }
  };
  const enqueueOwner = (obj: OwnedObject) => {
    const key = ownerKey(obj);
    if (key) queue.add(key);
    else if (!controllerRef(obj)) enqueueMatching(obj);
  };
  return { ownerKey, enqueueMatching, enqueueOwner };
}

/** Enqueues an owner on every change to it; forgets its expectations when it is deleted. */
export function watchOwners<O extends ApiObject>(owners: Watchable<O>, queue: KeyQueue, expectations: Expectations): void {
  owners.addHandler({
    onAdd: (o) => queue.add(keyOf(o)),
    onUpdate: (_, o) => queue.add(keyOf(o)),
    onDelete: (o) => {
      expectations.delete(keyOf(o));
      queue.add(keyOf(o));
    },
  });
}

/** Enqueues the owner (for an orphan, the owners that may adopt it) of every object of `owned` that changes, as for ControllerRevisions. */
export function watchOwned<T extends OwnedObject>(owned: Watchable<T>, owners: OwnerQueue): void {
  owned.addHandler({ onAdd: owners.enqueueOwner, onUpdate: (_, o) => owners.enqueueOwner(o), onDelete: owners.enqueueOwner });
}

/** Variations between the controllers that use watchOwnedPods. */
export interface OwnedPodOptions {
  /** A controlled pod whose labels changed also enqueues every owner its new labels match (ReplicaSet). */
  matchOnLabelChange?: boolean;
  /** An orphan pod that goes away also enqueues the owners it matches (DaemonSet). */
  matchGoneOrphans?: boolean;
}

/**
 * Registers pod handlers for a controller whose pods `owners` resolves: a pod seen created
 * counts against its owner's expected creations, a pod seen terminating or deleted against its
 * expected deletions; the owner (before and after a change of controller) is enqueued, and an
 * orphan enqueues the owners that may adopt it.
 */
export function watchOwnedPods(pods: Watchable<Pod>, owners: OwnerQueue, queue: KeyQueue, expectations: Expectations, opts: OwnedPodOptions = {}): void {
  const podGone = (pod: Pod) => {
    const key = owners.ownerKey(pod);
    if (key) {
      expectations.deletionObserved(key, keyOf(pod));
      queue.add(key);
    } else if (opts.matchGoneOrphans && !controllerRef(pod)) owners.enqueueMatching(pod);
  };
  pods.addHandler({
    onAdd: (pod) => {
      if (pod.metadata.deletionTimestamp) return podGone(pod);
      const key = owners.ownerKey(pod);
      if (key) {
        expectations.creationObserved(key);
        queue.add(key);
      } else if (!controllerRef(pod)) owners.enqueueMatching(pod);
    },
    onUpdate: (old, pod) => {
      if (pod.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) podGone(pod);
      const before = owners.ownerKey(old);
      const key = owners.ownerKey(pod);
      if (before && before !== key) queue.add(before);
      if (key) queue.add(key);
      else if (!controllerRef(pod)) owners.enqueueMatching(pod);
      if (opts.matchOnLabelChange && controllerRef(pod) && JSON.stringify(old.metadata.labels) !== JSON.stringify(pod.metadata.labels)) owners.enqueueMatching(pod);
    },
    onDelete: podGone,
  });
}
