// VolumeRestrictions, the part that matters off the cloud: a ReadWriteOncePod claim may be used by
// one pod in the whole cluster, so while any placed pod uses it, no node takes another. Evicting
// that pod would help, so the rejection is resolvable (preemption may pick it as a victim).
import { memo, newCycle } from './cycle.js';
import type { Filter } from './filters.js';
import { namespaceOf, reject, type Pod } from './types.js';
import { podClaimRefs } from './volume-binding.js';
import { READ_WRITE_ONCE_POD, type VolumeLister } from './volume-types.js';

/** The reason when another placed pod already uses one of the pod's ReadWriteOncePod claims. */
export const REASON_RWOP_CONFLICT = 'node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode';

/** The pod's claims (as namespace/name) whose access modes include ReadWriteOncePod. */
export function readWriteOncePodClaims(pod: Pod, volumes: VolumeLister): Set<string> {
  const ns = namespaceOf(pod);
  const out = new Set<string>();
  for (const ref of podClaimRefs(pod)) {
    const c = volumes.claim(ns, ref.claim);
    if (c?.spec?.accessModes?.includes(READ_WRITE_ONCE_POD)) out.add(`${ns}/${ref.claim}`);
  }
  return out;
}

/** True when `other` (another pod than `pod`) uses one of `claims`. */
const uses = (other: Pod, pod: Pod, claims: Set<string>): boolean =>
  other.metadata?.uid !== pod.metadata?.uid && podClaimRefs(other).some((r) => claims.has(`${namespaceOf(other)}/${r.claim}`));

/** VolumeRestrictions' filter: no placed pod (on any node) may use the pod's ReadWriteOncePod claims. */
export const volumeRestrictions: Filter = (pod, info, cycle = newCycle(pod, [info])) => {
  const claims = memo(cycle, 'VolumeRestrictions', () => readWriteOncePodClaims(pod, cycle.volumes));
  if (!claims.size) return undefined;
  const inUse = memo(cycle, 'VolumeRestrictions/inUse', () => cycle.nodes.some((n) => n.pods.some((p) => uses(p, pod, claims))));
  return inUse ? reject(false, REASON_RWOP_CONFLICT) : undefined;
};
