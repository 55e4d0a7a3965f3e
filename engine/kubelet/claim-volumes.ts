// persistentVolumeClaim volumes on the node: from the pod's claim and the volume it is bound to,
// where the data is and how to check it (hostPath, with its type, or local), or the reason the
// volume cannot be set up yet, worded as kubelet's FailedMount events word it (pure); and the
// claims and volumes read from the apiserver.
import type { RestClient } from '../client/rest-client.js';
import type { Claim, PersistentVolume } from '../scheduler/volume-types.js';
import { ANN_NODE, ANN_PROVISIONED_BY, LOCAL_PATH_PROVISIONER } from './local-volumes-plan.js';

/** Reads claims and volumes (from the apiserver); undefined when not found, throws on other errors. */
export interface ClaimSource {
  claim(namespace: string, name: string): Promise<Claim | undefined>;
  volume(name: string): Promise<PersistentVolume | undefined>;
  /** The node the agent runs on: a local-path volume whose directory is on another node is refused. */
  readonly node?: string;
}

/** Claims and volumes read from the apiserver as the node (404 → undefined). */
export function apiClaimSource(client: Pick<RestClient, 'get'>, node?: string): ClaimSource {
  const get = async <T>(path: string): Promise<T | undefined> => {
    try {
      return await client.get<T>(path);
    } catch (err) {
      if ((err as { code?: number }).code === 404) return undefined;
      throw err;
    }
  };
  return {
    node,
    claim: (ns, name) => get<Claim>(`/api/v1/namespaces/${encodeURIComponent(ns)}/persistentvolumeclaims/${encodeURIComponent(name)}`),
    volume: (name) => get<PersistentVolume>(`/api/v1/persistentvolumes/${encodeURIComponent(name)}`),
  };
}

/** Where a claim's data is on the node. */
export interface ClaimMount {
  /** The PersistentVolume's name (what mount errors name). */
  pv: string;
  path: string;
  /** hostPath: checked (and created) by its type; local: the path must exist. */
  source: 'hostPath' | 'local';
  /** The hostPath type ('' for none). */
  hostPathType: string;
  /** Mode for a directory the agent creates: world-writable for local-path volumes, as their provisioner makes them. */
  dirMode: number;
}

/** Kubelet's text when a volume of the pod could not even be processed (claim missing, unbound, …). */
export const unprocessable = (volume: string, reason: string): string =>
  `Unable to attach or mount volumes: unmounted volumes=[${volume}], unattached volumes=[], failed to process volumes=[${volume}]: ${reason}`;

/** Why the claim cannot be used yet, or undefined when it is bound and not going away. `error` is the fetch error, if any. */
export function claimProblem(namespace: string, name: string, claim: Claim | undefined, error?: Error): string | undefined {
  const what = `error processing PVC ${namespace}/${name}`;
  if (error) return `${what}: failed to fetch PVC from API server: ${error.message}`;
  if (!claim) return `${what}: failed to fetch PVC from API server: persistentvolumeclaims "${name}" not found`;
  if (claim.metadata?.deletionTimestamp) return `${what}: PVC is being deleted`;
  if (claim.status?.phase !== 'Bound' || !claim.spec?.volumeName) return `${what}: PVC is not bound`;
  return undefined;
}

/**
 * The mount for a bound claim's volume, or the reason it cannot be used: the volume must exist,
 * be bound to this very claim, be a filesystem, have a source this agent mounts, and (for a
 * local-path volume, when `node` is given) have its directory on this node.
 */
export function claimMount(namespace: string, claim: Claim, pv: PersistentVolume | undefined, error?: Error, node?: string): ClaimMount | { problem: string } {
  const name = claim.metadata?.name ?? '';
  const pvName = claim.spec?.volumeName ?? '';
  const what = `error processing PVC ${namespace}/${name}`;
  if (error) return { problem: `${what}: failed to fetch PV ${pvName} from API server: ${error.message}` };
  if (!pv) return { problem: `${what}: failed to fetch PV ${pvName} from API server: persistentvolumes "${pvName}" not found` };
  const ref = pv.spec?.claimRef;
  if (!ref) return { problem: `${what}: found PV object ${pvName} but it has a nil pv.Spec.ClaimRef indicating it is not yet bound to the claim` };
  if ((ref.uid ?? '') !== (claim.metadata?.uid ?? '')) {
    return { problem: `${what}: found PV object ${pvName} but its pv.Spec.ClaimRef.UID ${ref.uid ?? ''} does not point to claim.UID ${claim.metadata?.uid ?? ''}` };
  }
  if ((pv.spec?.volumeMode ?? 'Filesystem') === 'Block') return { problem: `${what}: volume ${pvName} has volumeMode Block, which this node agent cannot mount` };
  const localPath = pv.metadata?.annotations?.[ANN_PROVISIONED_BY] === LOCAL_PATH_PROVISIONER;
  const home = pv.metadata?.annotations?.[ANN_NODE];
  if (localPath && node && home && home !== node) return { problem: `${what}: volume ${pvName} keeps its data on node ${home}, not on this node (${node})` };
  const dirMode = localPath ? 0o777 : 0o755;
  if (pv.spec?.hostPath?.path) return { pv: pvName, path: pv.spec.hostPath.path, source: 'hostPath', hostPathType: pv.spec.hostPath.type ?? '', dirMode };
  if (pv.spec?.local?.path) return { pv: pvName, path: pv.spec.local.path, source: 'local', hostPathType: '', dirMode };
  return { problem: `${what}: volume ${pvName} has no source this node agent can mount (it mounts hostPath and local volumes)` };
}
