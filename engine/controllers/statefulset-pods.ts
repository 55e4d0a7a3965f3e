// The identity of a StatefulSet's pods and of their claims, pure: names and ordinals, the pod a
// set makes for an ordinal from a revision's template, the claims made from volumeClaimTemplates,
// and the owner references a claim must carry under persistentVolumeClaimRetentionPolicy
// (a controller reference to the set while it should go with the set, to the pod once the pod
// is scaled away and the claim should go with it).
import type { ApiObject, ObjectMeta } from '../api/resource-type.js';
import { REVISION_HASH_LABEL } from './controller-history.js';
import { ownerRefTo, type LabelSelector, type OwnerRef, type Pod, type PodCondition, type PodTemplate } from './workload-util.js';

/** The label naming each pod of a set (for per-pod Services). */
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
/** The label holding each pod's ordinal. */
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

/** A PersistentVolumeClaim as this controller reads and writes it. */
export interface Claim extends ApiObject {
  metadata: ObjectMeta & { ownerReferences?: OwnerRef[] };
  spec?: Record<string, unknown>;
  status?: { phase?: string; [k: string]: unknown };
}

/** The status of a StatefulSet. */
export interface StatefulSetStatus {
  observedGeneration?: number;
  replicas?: number;
  readyReplicas?: number;
  currentReplicas?: number;
  updatedReplicas?: number;
  availableReplicas?: number;
  currentRevision?: string;
  updateRevision?: string;
  collisionCount?: number;
  conditions?: PodCondition[];
  [k: string]: unknown;
}

/** An apps/v1 StatefulSet as the controller reads it. */
export interface StatefulSet extends ApiObject {
  metadata: ObjectMeta & { ownerReferences?: OwnerRef[] };
  spec: {
    replicas?: number;
    selector?: LabelSelector;
    template?: PodTemplate;
    volumeClaimTemplates?: { metadata?: { name?: string; labels?: Record<string, string>; [k: string]: unknown }; spec?: Record<string, unknown>; [k: string]: unknown }[];
    serviceName?: string;
    podManagementPolicy?: string;
    updateStrategy?: { type?: string; rollingUpdate?: { partition?: number; maxUnavailable?: number | string } };
    revisionHistoryLimit?: number;
    minReadySeconds?: number;
    persistentVolumeClaimRetentionPolicy?: { whenDeleted?: string; whenScaled?: string };
    ordinals?: { start?: number };
  };
  status?: StatefulSetStatus;
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const ORDINAL = /^(.*)-([0-9]+)$/;

/** The set name and ordinal a pod name encodes (`web-2` → web, 2); ordinal -1 when it encodes none. */
export function parentAndOrdinal(name: string): { parent: string; ordinal: number } {
  const m = ORDINAL.exec(name);
  if (!m) return { parent: '', ordinal: -1 };
  const n = Number(m[2]);
  return { parent: m[1]!, ordinal: n <= 2147483647 ? n : -1 };
}

/** The pod's ordinal, -1 when its name has none. */
export const ordinalOf = (pod: { metadata: { name: string } }): number => parentAndOrdinal(pod.metadata.name).ordinal;
/** True when the pod's name says it belongs to the set. */
export const isMemberOf = (set: StatefulSet, pod: Pod): boolean => parentAndOrdinal(pod.metadata.name).parent === set.metadata.name;
/** The first ordinal (spec.ordinals.start, 0 by default). */
export const startOrdinal = (set: StatefulSet): number => set.spec.ordinals?.start ?? 0;
/** spec.replicas (1 when unset). */
export const replicasOf = (set: StatefulSet): number => set.spec.replicas ?? 1;
/** True when the pod's ordinal is one the set currently wants. */
export function inOrdinalRange(set: StatefulSet, pod: { metadata: { name: string } }): boolean {
  const o = ordinalOf(pod);
  return o >= startOrdinal(set) && o < startOrdinal(set) + replicasOf(set);
}
/** The name of the set's pod with `ordinal`. */
export const podName = (set: StatefulSet, ordinal: number): string => `${set.metadata.name}-${ordinal}`;
/** The name of the claim from template `template` for the pod with `ordinal`: `<template>-<set>-<ordinal>`. */
export const claimName = (template: string, set: StatefulSet, ordinal: number): string => `${template}-${set.metadata.name}-${ordinal}`;
/** The revision a pod was made from (its controller-revision-hash label), '' when none. */
export const podRevision = (pod: Pod): string => pod.metadata.labels?.[REVISION_HASH_LABEL] ?? '';

/**
 * The claims of the pod with `ordinal`, in template order: each template's metadata and spec, the
 * per-pod name, the set's namespace, and the template's labels plus the selector's matchLabels.
 */
export function claimsFor(set: StatefulSet, ordinal: number): Claim[] {
  return (set.spec.volumeClaimTemplates ?? []).map((t) => {
    const meta = clone(t.metadata ?? {});
    const labels = meta.labels || set.spec.selector?.matchLabels ? { ...meta.labels, ...set.spec.selector?.matchLabels } : undefined;
    return {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { ...meta, name: claimName(t.metadata?.name ?? '', set, ordinal), namespace: set.metadata.namespace, ...(labels ? { labels } : {}) },
      spec: clone(t.spec ?? {}),
    };
  });
}

type Volume = { name?: string; persistentVolumeClaim?: { claimName?: string; readOnly?: boolean }; [k: string]: unknown };

/** The pod's volumes with one per claim template (replacing a template volume of the same name) in front. */
function withClaimVolumes(set: StatefulSet, ordinal: number, volumes: Volume[] | undefined): Volume[] {
  const names = new Set((set.spec.volumeClaimTemplates ?? []).map((t) => t.metadata?.name ?? ''));
  const claims = (set.spec.volumeClaimTemplates ?? []).map((t) => ({ name: t.metadata?.name ?? '', persistentVolumeClaim: { claimName: claimName(t.metadata?.name ?? '', set, ordinal) } }));
  return [...claims, ...(volumes ?? []).filter((v) => !names.has(v.name ?? ''))];
}

/**
 * The pod the set runs at `ordinal`, made from `template` (its revision's) and labelled with
 * `revision`: named `<set>-<ordinal>`, hostname its name, subdomain the serviceName, the
 * template's labels plus pod-name, pod-index and controller-revision-hash, a controller
 * reference to the set, and a volume per claim template.
 */
export function newPod(set: StatefulSet, template: PodTemplate, ordinal: number, revision: string): Pod {
  const name = podName(set, ordinal);
  const spec = clone(template.spec ?? {}) as Record<string, unknown>;
  spec.hostname = name;
  if (set.spec.serviceName) spec.subdomain = set.spec.serviceName;
  const volumes = withClaimVolumes(set, ordinal, spec.volumes as Volume[] | undefined);
  if (volumes.length) spec.volumes = volumes;
  const meta = template.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: set.metadata.namespace,
      labels: { ...meta.labels, [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [REVISION_HASH_LABEL]: revision },
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(Array.isArray(meta.finalizers) && meta.finalizers.length ? { finalizers: [...(meta.finalizers as string[])] } : {}),
      ownerReferences: [ownerRefTo(set, 'apps/v1', 'StatefulSet')],
    },
    spec,
  };
}

/** True when the pod has the identity its name gives it in the set (name, namespace, pod-name label). */
export function identityMatches(set: StatefulSet, pod: Pod): boolean {
  const { parent, ordinal } = parentAndOrdinal(pod.metadata.name);
  return ordinal >= 0 && parent === set.metadata.name && pod.metadata.name === podName(set, ordinal) && pod.metadata.namespace === set.metadata.namespace && pod.metadata.labels?.[POD_NAME_LABEL] === pod.metadata.name;
}

/** The identity labels a pod of the set must carry (pod-name and pod-index). */
export const identityLabels = (pod: Pod): Record<string, string> => ({ [POD_NAME_LABEL]: pod.metadata.name, [POD_INDEX_LABEL]: String(ordinalOf(pod)) });

// ---- claim retention ----

type Kind = { apiVersion: string; kind: string };
const SET_KIND: Kind = { apiVersion: 'apps/v1', kind: 'StatefulSet' };
const POD_KIND: Kind = { apiVersion: 'v1', kind: 'Pod' };
type Owner = { metadata: { name: string; uid?: string } };

/** The retention policy; anything but Delete counts as Retain. */
export function retentionOf(set: StatefulSet): { deleteWithSet: boolean; deleteOnScaleDown: boolean } {
  const p = set.spec.persistentVolumeClaimRetentionPolicy ?? {};
  return { deleteWithSet: p.whenDeleted === 'Delete', deleteOnScaleDown: p.whenScaled === 'Delete' };
}

const refsOf = (c: Claim): OwnerRef[] => (Array.isArray(c.metadata.ownerReferences) ? c.metadata.ownerReferences : []);
const names = (r: OwnerRef, o: Owner, k: Kind) => r.apiVersion === k.apiVersion && r.kind === k.kind && r.name === o.metadata.name;
const hasRef = (c: Claim, o: Owner) => o.metadata.uid !== undefined && refsOf(c).some((r) => r.uid === o.metadata.uid);

/** True when the claim's first reference naming `owner` has another uid: it is left from an earlier namesake. */
function staleRef(c: Claim, o: Owner, k: Kind): boolean {
  const ref = refsOf(c).find((r) => names(r, o, k));
  return ref !== undefined && ref.uid !== o.metadata.uid;
}

/** True when something other than this set and pod controls the claim (only matters when a policy deletes). */
export function hasUnexpectedController(c: Claim, set: StatefulSet, pod: Owner): boolean {
  const p = retentionOf(set);
  if (!p.deleteWithSet && !p.deleteOnScaleDown) return false;
  for (const r of refsOf(c)) {
    if (names(r, set, SET_KIND)) {
      if (r.uid !== set.metadata.uid) return true;
    } else if (names(r, pod, POD_KIND)) {
      if (r.uid !== pod.metadata.uid) return true;
    } else if (r.controller === true) return true;
  }
  return false;
}

/**
 * True when the claim's owner references agree with the policy for `pod`: no reference under
 * Retain/Retain; the set's under whenDeleted Delete while the pod is in range; the pod's once it
 * is scaled away under whenScaled Delete. Claims left from earlier namesakes or controlled by
 * something else are not touched (true).
 */
export function claimOwnersUpToDate(c: Claim, set: StatefulSet, pod: Owner): boolean {
  if (staleRef(c, set, SET_KIND) || staleRef(c, pod, POD_KIND)) return true;
  if (hasUnexpectedController(c, set, pod)) return !(hasRef(c, set) || hasRef(c, pod));
  const ours = (r: OwnerRef) => r.uid === set.metadata.uid || (pod.metadata.uid !== undefined && r.uid === pod.metadata.uid);
  if (refsOf(c).some((r) => ours(r) && r.controller !== true)) return false;
  const { setRef, podRef } = wantedRefs(set, pod);
  return hasRef(c, set) === setRef && hasRef(c, pod) === podRef;
}

/** Which of the set and the pod should own the pod's claims. */
function wantedRefs(set: StatefulSet, pod: Owner): { setRef: boolean; podRef: boolean } {
  const p = retentionOf(set);
  const scaledDown = !inOrdinalRange(set, pod);
  return { setRef: p.deleteWithSet && !(p.deleteOnScaleDown && scaledDown), podRef: p.deleteOnScaleDown && scaledDown };
}

/**
 * The owner references the claim should have for `pod`: its references to this set and pod
 * replaced by controller references as the policy wants (none when another controller has it).
 */
export function desiredClaimOwners(c: Claim, set: StatefulSet, pod: Pod): OwnerRef[] {
  const unexpected = hasUnexpectedController(c, set, pod);
  const refs = refsOf(c).filter((r) => !names(r, set, SET_KIND) && !names(r, pod, POD_KIND));
  if (unexpected) return refs;
  const { setRef, podRef } = wantedRefs(set, pod);
  if (podRef && pod.metadata.uid) refs.push(ownerRefTo(pod, 'v1', 'Pod'));
  if (setRef) refs.push(ownerRefTo(set, 'apps/v1', 'StatefulSet'));
  return refs;
}

/**
 * True when a pod about to be created must wait: under whenScaled Delete, one of its claims
 * still belongs to an earlier pod of that name (the garbage collector is about to delete it).
 */
export function claimIsStale(c: Claim, set: StatefulSet, pod: Owner): boolean {
  return retentionOf(set).deleteOnScaleDown && staleRef(c, pod, POD_KIND);
}
