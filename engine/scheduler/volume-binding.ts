// VolumeBinding (upstream's plugin of that name, without CSI capacity): the pod's claims must
// exist and not be going away (pre-filter), unbound claims of Immediate classes keep the pod out
// altogether, bound claims' volumes must admit the node, and WaitForFirstConsumer claims must be
// satisfiable on the node — by an Available volume that matches, or by provisioning there.
import { memo, newCycle, type Cycle } from './cycle.js';
import type { Filter } from './filters.js';
import { selects } from './matching.js';
import type { NodeInfo } from './node-info.js';
import { controllerOf, list, namespaceOf, nameOf, reject, type Node, type Pod } from './types.js';
import { SELECTED_NODE, capacityBytes, claimClass, isBoundToClaim, isFullyBound, NO_PROVISIONER, requestedBytes, volumeClass, volumeFitsNode, type Claim, type PersistentVolume, type StorageClass, type VolumeLister } from './volume-types.js';

/** A bound claim's volume does not admit the node. */
export const REASON_NODE_CONFLICT = 'node(s) had volume node affinity conflict';
/** An unbound WaitForFirstConsumer claim can be neither matched nor provisioned on the node. */
export const REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
/** A bound claim names a volume that does not exist. */
export const REASON_PV_NOT_EXIST = 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)';
/** The pre-filter message while an Immediate claim waits for the PV controller. */
export const UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';

/** One claim-backed volume of a pod. */
export interface PodClaimRef {
  volume: string;
  claim: string;
  /** A generic ephemeral volume (the claim is named <pod>-<volume> and owned by the pod). */
  ephemeral: boolean;
}

/** The pod's claims by how binding stands, as the pre-filter sorts them. */
export interface PodVolumeClaims {
  bound: Claim[];
  /** Unbound claims of WaitForFirstConsumer classes: the scheduler's to place. */
  delayed: Claim[];
  /** Unbound claims of Immediate classes (or pre-bound to a volume): the PV controller's to bind first. */
  immediate: Claim[];
}

/** What binding the pod's volumes on the chosen node takes: volumes to reserve for claims, claims to provision. */
export interface VolumePlan {
  bindings: Array<{ claim: Claim; pv: PersistentVolume }>;
  provisions: Claim[];
}

/** Why a node cannot serve the pod's volumes (empty when it can), and what binding there would take. */
export interface NodeVolumes extends VolumePlan {
  reasons: string[];
}

/** The claim-backed volumes of a pod (persistentVolumeClaim and ephemeral). */
export function podClaimRefs(pod: Pod): PodClaimRef[] {
  const out: PodClaimRef[] = [];
  for (const v of list<{ name?: string; persistentVolumeClaim?: { claimName?: string }; ephemeral?: unknown }>(pod.spec?.volumes)) {
    if (v.persistentVolumeClaim) out.push({ volume: String(v.name ?? ''), claim: String(v.persistentVolumeClaim.claimName ?? ''), ephemeral: false });
    else if (v.ephemeral) out.push({ volume: String(v.name ?? ''), claim: `${nameOf(pod)}-${v.name ?? ''}`, ephemeral: true });
  }
  return out;
}

/** True when the claim's class binds on first consumer; a missing class counts as Immediate, as upstream. */
export function delaysBinding(c: Claim, volumes: VolumeLister): boolean {
  const cls = claimClass(c);
  return cls !== '' && volumes.storageClass(cls)?.volumeBindingMode === 'WaitForFirstConsumer';
}

/**
 * The pre-filter: the pod's claims sorted by binding state, or the message that keeps the pod off
 * every node (a missing, lost or terminating claim; an unbound Immediate claim). Undefined claims
 * when the pod uses none.
 */
export function podVolumeClaims(pod: Pod, volumes: VolumeLister): { claims?: PodVolumeClaims; message?: string } {
  const refs = podClaimRefs(pod);
  if (!refs.length) return {};
  const ns = namespaceOf(pod);
  const claims: PodVolumeClaims = { bound: [], delayed: [], immediate: [] };
  for (const ref of refs) {
    const c = volumes.claim(ns, ref.claim);
    if (!c) {
      return { message: ref.ephemeral ? `waiting for ephemeral volume controller to create the persistentvolumeclaim "${ref.claim}"` : `persistentvolumeclaim "${ref.claim}" not found` };
    }
    if (c.status?.phase === 'Lost') return { message: `persistentvolumeclaim "${ref.claim}" bound to non-existent persistentvolume "${c.spec?.volumeName ?? ''}"` };
    if (c.metadata?.deletionTimestamp) return { message: `persistentvolumeclaim "${ref.claim}" is being deleted` };
    if (ref.ephemeral && (!pod.metadata?.uid || controllerOf(c as Pod)?.uid !== pod.metadata.uid)) {
      return { message: `PVC ${ns}/${ref.claim} was not created for pod ${ns}/${nameOf(pod)} (pod is not owner)` };
    }
    if (isFullyBound(c)) claims.bound.push(c);
    else if (delaysBinding(c, volumes) && !c.spec?.volumeName) claims.delayed.push(c);
    else claims.immediate.push(c);
  }
  if (claims.immediate.length) return { claims, message: UNBOUND_IMMEDIATE };
  return { claims };
}

/** The pre-filter's verdict for the cycle's pod (computed once per cycle). */
export const volumeClaimsOf = (cycle: Cycle): { claims?: PodVolumeClaims; message?: string } =>
  memo(cycle, 'VolumeBinding', () => podVolumeClaims(cycle.pod, cycle.volumes));

const accessModesFit = (c: Claim, pv: PersistentVolume): boolean => {
  const have = new Set(pv.spec?.accessModes ?? []);
  return (c.spec?.accessModes ?? []).every((m) => have.has(m));
};

/**
 * The volume to bind `c` to on `node` among `candidates`: one already reserved for the claim (if
 * it admits the node), else the smallest Available volume of the claim's class that is big
 * enough, admits the node, and matches the claim's access modes, volume mode and selector.
 */
export function matchingVolume(c: Claim, candidates: PersistentVolume[], node: Node, excluded: Set<string>): PersistentVolume | undefined {
  let best: PersistentVolume | undefined;
  const wanted = requestedBytes(c);
  for (const pv of candidates) {
    const name = nameOf(pv);
    if (excluded.has(name)) continue;
    if (pv.spec?.claimRef && !isBoundToClaim(pv, c)) continue;
    if (capacityBytes(pv) < wanted) continue;
    if ((c.spec?.volumeMode ?? 'Filesystem') !== (pv.spec?.volumeMode ?? 'Filesystem')) continue;
    if (pv.metadata?.deletionTimestamp) continue;
    const fits = volumeFitsNode(pv, node);
    if (isBoundToClaim(pv, c)) return fits ? pv : undefined;
    if (pv.status?.phase !== 'Available') continue;
    if (c.spec?.selector && !selects(c.spec.selector, pv.metadata?.labels ?? {})) continue;
    if (volumeClass(pv) !== claimClass(c) || !fits || !accessModesFit(c, pv)) continue;
    if (!best || capacityBytes(best) > capacityBytes(pv)) best = pv;
  }
  return best;
}

/** True when the class's allowedTopologies (if any) admit the node. */
function topologyAllows(terms: NonNullable<StorageClass['allowedTopologies']>, node: Node): boolean {
  if (!terms.length) return true;
  const labels = node.metadata?.labels ?? {};
  return terms.some((t) => (t.matchLabelExpressions ?? []).every((e) => e.key !== undefined && Object.hasOwn(labels, e.key) && (e.values ?? []).includes(labels[e.key]!)));
}

/** Whether every claim can be provisioned on the node (its class names a provisioner and admits the node). */
function provisionable(claims: Claim[], node: Node, volumes: VolumeLister): boolean {
  return claims.every((c) => {
    const cls = volumes.storageClass(claimClass(c));
    if (!cls || !cls.provisioner || cls.provisioner === NO_PROVISIONER) return false;
    return topologyAllows(cls.allowedTopologies ?? [], node);
  });
}

/**
 * Whether `node` can serve the pod's claims (upstream's FindPodVolumes): bound claims' volumes must
 * exist and admit it; each delayed claim must already be headed there (selected-node), or match an
 * Available volume there, or be provisionable there.
 */
export function nodeVolumes(claims: PodVolumeClaims, node: Node, volumes: VolumeLister): NodeVolumes {
  const out: NodeVolumes = { reasons: [], bindings: [], provisions: [] };
  let boundOk = true;
  let pvsExist = true;
  let unboundOk = true;
  for (const c of claims.bound) {
    const pv = volumes.volume(c.spec?.volumeName ?? '');
    if (!pv) {
      pvsExist = false;
      break;
    }
    if (!volumeFitsNode(pv, node)) {
      boundOk = false;
      break;
    }
  }
  if (claims.delayed.length) {
    const toMatch: Claim[] = [];
    const toProvision: Claim[] = [];
    for (const c of claims.delayed) {
      const selected = c.metadata?.annotations?.[SELECTED_NODE];
      if (selected === undefined) toMatch.push(c);
      else if (selected === nameOf(node)) toProvision.push(c);
      else unboundOk = false;
    }
    if (unboundOk) {
      const chosen = new Set<string>();
      for (const c of [...toMatch].sort((a, b) => requestedBytes(a) - requestedBytes(b))) {
        const pv = matchingVolume(c, volumes.volumesOfClass(claimClass(c)), node, chosen);
        if (pv) {
          chosen.add(nameOf(pv));
          out.bindings.push({ claim: c, pv });
        } else toProvision.push(c);
      }
      if (toProvision.length) {
        unboundOk = provisionable(toProvision, node, volumes);
        if (unboundOk) out.provisions.push(...toProvision);
      }
    }
  }
  if (!boundOk) out.reasons.push(REASON_NODE_CONFLICT);
  if (!unboundOk) out.reasons.push(REASON_BIND_CONFLICT);
  if (!pvsExist) out.reasons.push(REASON_PV_NOT_EXIST);
  if (out.reasons.length) {
    out.bindings = [];
    out.provisions = [];
  }
  return out;
}

/** VolumeBinding's filter: the node must be able to serve the pod's claims (all rejections are unresolvable). */
export const volumeBinding: Filter = (pod: Pod, info: NodeInfo, cycle: Cycle = newCycle(pod, [info])) => {
  const { claims } = volumeClaimsOf(cycle);
  if (!claims) return undefined;
  const { reasons } = nodeVolumes(claims, info.node, cycle.volumes);
  return reasons.length ? reject(true, ...reasons) : undefined;
};

/**
 * What binding the pod's volumes on `node` takes, or undefined when nothing does (no claims, or
 * all bound). Throws when the node cannot serve them (the caller's view changed since filtering).
 */
export function volumePlan(pod: Pod, node: Node, volumes: VolumeLister): VolumePlan | undefined {
  const { claims, message } = podVolumeClaims(pod, volumes);
  if (message) throw new Error(message);
  if (!claims || !claims.delayed.length) return undefined;
  const found = nodeVolumes(claims, node, volumes);
  if (found.reasons.length) throw new Error(found.reasons.join(', '));
  return { bindings: found.bindings, provisions: found.provisions };
}
