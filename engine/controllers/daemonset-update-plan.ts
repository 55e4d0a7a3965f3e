// The DaemonSet rolling update, pure (upstream's rollingUpdate): without surge, old pods are
// deleted while at most maxUnavailable nodes lack an available pod (the manage pass then creates
// their replacements); with maxSurge, new pods are started beside old ones on up to maxSurge
// nodes and an old pod goes once its node's new pod is available.
import { scaledValue } from './deployment-util.js';
import { allowsSurge, nodeShouldRunDaemonPod, templateGeneration, isPodUpdated, type DaemonSet, type DsNode } from './daemonset-plan.js';
import { isPodAvailable, type Pod } from './workload-util.js';

/** maxSurge and maxUnavailable as node counts for `desired` nodes; both 0 is read as unavailable 1. */
export function updateBudget(ds: DaemonSet, desired: number): { maxSurge: number; maxUnavailable: number } {
  const s = ds.spec.updateStrategy;
  if ((s?.type ?? 'RollingUpdate') !== 'RollingUpdate') return { maxSurge: 0, maxUnavailable: 0 };
  const ru = s?.rollingUpdate ?? {};
  const maxUnavailable = scaledValue(ru.maxUnavailable ?? 1, desired, true);
  const maxSurge = allowsSurge(ds) ? scaledValue(ru.maxSurge, desired, true) : 0;
  if (desired > 0 && maxUnavailable === 0 && maxSurge === 0) return { maxSurge: 0, maxUnavailable: 1 };
  return { maxSurge, maxUnavailable };
}

/**
 * The new and the old pod (not being deleted) on a node; `ok` is false when the node has more
 * than one of either (the manage pass prunes those first).
 */
export function updatedPodsOnNode(pods: Pod[], hash: string, generation: number | undefined): { newPod?: Pod; oldPod?: Pod; ok: boolean } {
  let newPod: Pod | undefined;
  let oldPod: Pod | undefined;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    if (isPodUpdated(pod, hash, generation)) {
      if (newPod) return { ok: false };
      newPod = pod;
    } else {
      if (oldPod) return { ok: false };
      oldPod = pod;
    }
  }
  return { newPod, oldPod, ok: true };
}

/** What one rolling-update step does: old pods to delete and nodes that get a new pod beside the old one. */
export interface RollingUpdatePlan {
  remove: Pod[];
  create: string[];
}

/**
 * One step of a rolling update. `byNode` holds the set's pods by node (finished pods being deleted
 * left out); nodes are visited in name order, so the choice among equal candidates is stable.
 */
export function planRollingUpdate(ds: DaemonSet, nodes: DsNode[], byNode: Map<string, Pod[]>, hash: string, now: number): RollingUpdatePlan {
  const generation = templateGeneration(ds);
  const minReady = ds.spec.minReadySeconds ?? 0;
  const available = (p: Pod) => isPodAvailable(p, minReady, now);
  const nodeByName = new Map(nodes.map((n) => [n.metadata.name, n]));
  const shouldRun = (name: string) => {
    const node = nodeByName.get(name);
    return node !== undefined && nodeShouldRunDaemonPod(node, ds).shouldRun;
  };
  const all = new Map(byNode);
  let desired = 0;
  for (const node of nodes) {
    if (!nodeShouldRunDaemonPod(node, ds).shouldRun) continue;
    desired++;
    if (!all.has(node.metadata.name)) all.set(node.metadata.name, []);
  }
  const names = [...all.keys()].sort();
  const { maxSurge, maxUnavailable } = updateBudget(ds, desired);

  if (maxSurge === 0) {
    let unavailable = 0;
    const replacements: Pod[] = [];
    const candidates: Pod[] = [];
    for (const name of names) {
      const { newPod, oldPod, ok } = updatedPodsOnNode(all.get(name)!, hash, generation);
      if (!ok || (!oldPod && !newPod) || (oldPod && newPod)) unavailable++;
      else if (newPod) {
        if (!available(newPod)) unavailable++;
      } else if (!available(oldPod!)) {
        replacements.push(oldPod!);
        unavailable++;
      } else if (unavailable < maxUnavailable) candidates.push(oldPod!);
    }
    const room = Math.min(Math.max(maxUnavailable - unavailable, 0), candidates.length);
    return { remove: [...replacements, ...candidates.slice(0, room)], create: [] };
  }

  const remove: Pod[] = [];
  const notWanted: Pod[] = [];
  const candidates: string[] = [];
  const allowed: string[] = [];
  let surging = 0;
  let availableCount = 0;
  for (const name of names) {
    const { newPod, oldPod, ok } = updatedPodsOnNode(all.get(name)!, hash, generation);
    if (!ok) {
      surging++;
      continue;
    }
    if (oldPod ? available(oldPod) : newPod ? available(newPod) : false) availableCount++;
    if (!oldPod) continue;
    if (!newPod) {
      if (!available(oldPod)) {
        if (!shouldRun(name)) remove.push(oldPod);
        else allowed.push(name);
      } else if (!shouldRun(name)) notWanted.push(oldPod);
      else if (surging < maxSurge) candidates.push(name);
      continue;
    }
    if (!available(newPod)) surging++;
    else remove.push(oldPod);
  }
  // With surge the owner expects full availability: pods on nodes that no longer qualify go only
  // while more nodes than desired have an available pod.
  const deletable = Math.min(Math.max(availableCount - desired, 0), notWanted.length);
  remove.push(...notWanted.slice(0, deletable));
  const room = Math.min(Math.max(maxSurge - surging, 0), candidates.length);
  return { remove, create: [...allowed, ...candidates.slice(0, room)] };
}
