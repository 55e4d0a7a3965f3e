// The local-path provisioner's decisions, pure: which claims it provisions, on which node, and the
// PersistentVolume it makes for one (a host directory on that node, reachable only from there);
// and the `standard` StorageClass every cluster starts with.
import type { NodeObj } from './node-lifecycle-plan.js';
import { BETA_STORAGE_PROVISIONER, HOSTNAME_LABEL, LOCAL_PATH_PROVISIONER, NODE_ANNOTATION, PROVISIONED_BY, SELECTED_NODE, STORAGE_PROVISIONER, classOfClaim, type PersistentVolume, type PersistentVolumeClaim, type StorageClass } from './storage-util.js';

/** Where on a node local-path volumes live (the node agent creates and removes the directories). */
export const LOCAL_PATH_ROOT = '/var/lib/kubelab/storage';
/** The name of the default StorageClass. */
export const STANDARD_CLASS = 'standard';
const SUPPORTED_MODES = ['ReadWriteOnce', 'ReadWriteOncePod'];

/** The `standard` StorageClass: the cluster default, local-path volumes made when a pod first uses the claim. */
export function standardStorageClass(): Record<string, unknown> {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: STANDARD_CLASS, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' }, labels: { 'app.kubernetes.io/managed-by': 'kubelab' } },
    provisioner: LOCAL_PATH_PROVISIONER,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
    allowVolumeExpansion: false,
  };
}

/** The name of the volume provisioned for a claim. */
export const volumeNameFor = (claim: PersistentVolumeClaim): string => `pvc-${claim.metadata.uid}`;

/** The host directory of the volume provisioned for a claim. */
export const volumeDirFor = (claim: PersistentVolumeClaim): string => `${LOCAL_PATH_ROOT}/pvc-${claim.metadata.uid}_${claim.metadata.namespace}_${claim.metadata.name}`;

/** What the provisioner does with a claim. */
export type ProvisionPlan =
  /** Not ours, not asked for yet, or already done. */
  | { action: 'skip' }
  /** Make the volume on `node`. */
  | { action: 'provision'; node: string }
  /** Pick a node (Immediate binding: nobody chose one). */
  | { action: 'pickNode' }
  /** Cannot: the message goes into a ProvisioningFailed event. */
  | { action: 'fail'; message: string };

/**
 * Whether and where to provision `claim`: only unbound, live claims its PV controller sent to
 * kubelab.io/local-path (the storage-provisioner annotation) whose class uses it; on the node the
 * scheduler selected, or, for Immediate binding, one the provisioner picks. Filesystem volumes
 * without a selector, mounted by one node (ReadWriteOnce, ReadWriteOncePod), are all it makes.
 */
export function planProvision(claim: PersistentVolumeClaim, klass: StorageClass | undefined, volumeExists: boolean): ProvisionPlan {
  const ann = claim.metadata.annotations ?? {};
  if (claim.spec.volumeName || claim.metadata.deletionTimestamp || volumeExists) return { action: 'skip' };
  if (ann[STORAGE_PROVISIONER] !== LOCAL_PATH_PROVISIONER && ann[BETA_STORAGE_PROVISIONER] !== LOCAL_PATH_PROVISIONER) return { action: 'skip' };
  if (!klass || klass.provisioner !== LOCAL_PATH_PROVISIONER) return { action: 'skip' };
  const node = ann[SELECTED_NODE];
  if (klass.volumeBindingMode === 'WaitForFirstConsumer' && !node) return { action: 'skip' };
  const fail = (why: string): ProvisionPlan => ({ action: 'fail', message: `failed to provision volume with StorageClass "${classOfClaim(claim)}": ${why}` });
  if (claim.spec.selector) return fail('claim Selector is not supported');
  if ((claim.spec.volumeMode ?? 'Filesystem') !== 'Filesystem') return fail('only volumeMode Filesystem is supported by kubelab.io/local-path');
  const modes = claim.spec.accessModes ?? [];
  if (!modes.every((m) => SUPPORTED_MODES.includes(m))) return fail('kubelab.io/local-path only supports ReadWriteOnce and ReadWriteOncePod access modes');
  return node ? { action: 'provision', node } : { action: 'pickNode' };
}

const isReady = (n: NodeObj) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
const keepsPodsOff = (n: NodeObj) => (n.spec?.taints ?? []).some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');

/**
 * The node for a volume nobody chose a node for: a Ready, schedulable node, untainted ones first
 * (so a plain pod can reach it), then the one with the fewest local-path volumes, then by name.
 */
export function pickNode(nodes: NodeObj[], volumes: PersistentVolume[]): string | undefined {
  const perNode = new Map<string, number>();
  for (const v of volumes) {
    const node = v.metadata.annotations?.[NODE_ANNOTATION];
    if (node && v.metadata.annotations?.[PROVISIONED_BY] === LOCAL_PATH_PROVISIONER) perNode.set(node, (perNode.get(node) ?? 0) + 1);
  }
  const candidates = nodes.filter((n) => isReady(n) && !n.spec?.unschedulable && !n.metadata.deletionTimestamp);
  const rank = (n: NodeObj): [number, number, string] => [keepsPodsOff(n) ? 1 : 0, perNode.get(n.metadata.name) ?? 0, n.metadata.name];
  candidates.sort((a, b) => {
    const [ta, ca, na] = rank(a);
    const [tb, cb, nb] = rank(b);
    return ta - tb || ca - cb || na.localeCompare(nb);
  });
  return candidates[0]?.metadata.name;
}

/** The PersistentVolume for `claim` of `klass` on `node`: a DirectoryOrCreate hostPath pinned to the node, claimRef to the claim. */
export function localPathVolume(claim: PersistentVolumeClaim, klass: StorageClass, node: string): PersistentVolume {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name: volumeNameFor(claim),
      annotations: { [PROVISIONED_BY]: LOCAL_PATH_PROVISIONER, [NODE_ANNOTATION]: node },
    },
    spec: {
      capacity: { storage: String(claim.spec.resources?.requests?.storage ?? '0') },
      accessModes: [...(claim.spec.accessModes ?? [])],
      storageClassName: klass.metadata.name,
      persistentVolumeReclaimPolicy: klass.reclaimPolicy ?? 'Delete',
      volumeMode: claim.spec.volumeMode ?? 'Filesystem',
      ...(klass.mountOptions?.length ? { mountOptions: [...klass.mountOptions] } : {}),
      hostPath: { path: volumeDirFor(claim), type: 'DirectoryOrCreate' },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: HOSTNAME_LABEL, operator: 'In', values: [node] }] }] } },
      claimRef: {
        kind: 'PersistentVolumeClaim',
        apiVersion: 'v1',
        namespace: claim.metadata.namespace,
        name: claim.metadata.name,
        uid: claim.metadata.uid,
        resourceVersion: claim.metadata.resourceVersion,
      },
    },
  };
}
