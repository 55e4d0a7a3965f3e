// Admission of new pods, as upstream's ServiceAccount and DefaultTolerationSeconds plugins do:
// every pod runs as a service account that exists ("default" unless it names one), gets the
// projected API-access volume mounted in each container (unless automounting is off), and
// tolerates not-ready / unreachable nodes for a while before it is evicted.
import { randomBytes } from 'node:crypto';
import type { ApiObject } from '../api/registry.js';
import type { ContainerJson, PodSpecJson, TolerationJson } from '../api/types/pod-json.js';
import { StoreError } from '../store/errors.js';
import type { Storage } from '../store/storage.js';
import { forbidden } from './status.js';

/** Where the API access volume is mounted in every container. */
export const TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
/** The annotation marking a mirror pod (the node's own static pod); those skip service-account admission. */
export const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';
/** Seconds pods tolerate a not-ready or unreachable node by default (upstream's --default-not-ready-toleration-seconds). */
export const DEFAULT_TOLERATION_SECONDS = 300;
const TOLERATED_TAINTS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];

/** Tuning of pod admission. */
export interface PodAdmissionOptions {
  /** tolerationSeconds of the default not-ready/unreachable tolerations (300 when unset). */
  defaultTolerationSeconds?: number;
  /** How long to wait for a namespace's `default` ServiceAccount to appear (2000 ms when unset). */
  defaultAccountWaitMs?: number;
}

/** A ServiceAccount as the apiserver's watch cache has it (a miss is read from etcd). */
export type AccountCache = (namespace: string, name: string) => object | undefined;

interface ServiceAccount {
  automountServiceAccountToken?: boolean;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const containersOf = (spec: PodSpecJson, list: 'containers' | 'initContainers'): ContainerJson[] => (Array.isArray(spec[list]) ? (spec[list] as unknown[]).filter(isObj) : []) as ContainerJson[];

function suffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return [...randomBytes(5)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** Adds the default NoExecute tolerations for not-ready and unreachable nodes the pod does not already tolerate. */
export function addDefaultTolerations(spec: PodSpecJson, seconds = DEFAULT_TOLERATION_SECONDS): void {
  const tolerations = (Array.isArray(spec.tolerations) ? spec.tolerations : []) as TolerationJson[];
  const tolerated = (key: string) => tolerations.some((t) => isObj(t) && (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect));
  const extra = TOLERATED_TAINTS.filter((k) => !tolerated(k)).map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds }));
  if (extra.length) spec.tolerations = [...tolerations, ...extra] as TolerationJson[];
}

/** Whether the pod gets the API token volume: the pod's setting wins, then the account's, default yes. */
export const shouldAutomount = (spec: PodSpecJson, account: ServiceAccount): boolean =>
  typeof spec.automountServiceAccountToken === 'boolean' ? spec.automountServiceAccountToken : account.automountServiceAccountToken !== false;

/** Adds the projected kube-api-access volume and mounts it read-only in each container and init container that has nothing mounted there yet. */
export function addTokenVolume(spec: PodSpecJson, volumeName = `kube-api-access-${suffix()}`): void {
  const needing = [...containersOf(spec, 'initContainers'), ...containersOf(spec, 'containers')].filter(
    (c) => !(Array.isArray(c.volumeMounts) ? c.volumeMounts : []).some((m) => isObj(m) && m.mountPath === TOKEN_MOUNT_PATH),
  );
  if (!needing.length) return;
  const volumes = Array.isArray(spec.volumes) ? spec.volumes : [];
  spec.volumes = [
    ...volumes,
    {
      name: volumeName,
      projected: {
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    },
  ] as never;
  for (const c of needing) c.volumeMounts = [...(Array.isArray(c.volumeMounts) ? c.volumeMounts : []), { name: volumeName, readOnly: true, mountPath: TOKEN_MOUNT_PATH }] as never;
}

/** The service account, waiting up to `waitMs` for it to appear; undefined when it does not exist. */
async function findAccount(storage: Storage, namespace: string, name: string, waitMs: number, cached?: AccountCache): Promise<ServiceAccount | undefined> {
  const hit = cached?.(namespace, name);
  if (hit) return hit as ServiceAccount;
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return (await storage.get({ resource: 'serviceaccounts', namespace }, name)) as ServiceAccount;
    } catch (err) {
      if (!(err instanceof StoreError && err.reason === 'NotFound')) throw err;
    }
    if (Date.now() >= deadline) return undefined;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Admits a pod being created in `namespace` (mutating it in place): default tolerations, then the
 * service account — defaulted to "default", 403 when it does not exist — and its token volume.
 * Mirror pods keep their spec apart from the tolerations.
 */
export async function admitPod(storage: Storage, namespace: string, pod: ApiObject, opts: PodAdmissionOptions = {}, cached?: AccountCache): Promise<void> {
  if (!isObj(pod.spec)) return; // validation reports the missing spec
  const spec = pod.spec as PodSpecJson & { serviceAccount?: string };
  addDefaultTolerations(spec, opts.defaultTolerationSeconds ?? DEFAULT_TOLERATION_SECONDS);
  if (isObj(pod.metadata.annotations) && pod.metadata.annotations[MIRROR_ANNOTATION] !== undefined) return;
  const name = spec.serviceAccountName || spec.serviceAccount || 'default';
  spec.serviceAccountName = name;
  spec.serviceAccount = name;
  const account = await findAccount(storage, namespace, name, name === 'default' ? (opts.defaultAccountWaitMs ?? 2000) : 0, cached);
  if (!account) {
    const podName = pod.metadata.name || String(pod.metadata.generateName ?? '');
    throw forbidden(`pods "${podName}" is forbidden: error looking up service account ${namespace}/${name}: serviceaccount "${name}" not found`);
  }
  if (shouldAutomount(spec, account)) addTokenVolume(spec);
}

/** Admission of a pod update (the main resource): the default tolerations are kept, as upstream's plugin also runs on updates. */
export function admitPodUpdate(type: { group: string; kind: string }, pod: ApiObject, opts: PodAdmissionOptions = {}): ApiObject {
  if (type.group === '' && type.kind === 'Pod' && isObj(pod.spec)) addDefaultTolerations(pod.spec as PodSpecJson, opts.defaultTolerationSeconds ?? DEFAULT_TOLERATION_SECONDS);
  return pod;
}
