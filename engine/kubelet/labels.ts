// How the node agent marks the containers it makes on a node's nested dockerd. The node agent
// finds its pods' containers by these labels after any restart, and the node endpoint (logs,
// exec, attach, port-forward) finds a pod's container by them too.

/** Every container the node agent owns carries this label ("true"). */
export const MANAGED = 'io.kubelab.managed';
/** Namespace, name and uid of the pod a container belongs to. */
export const POD_NAMESPACE = 'io.kubernetes.pod.namespace';
export const POD_NAME = 'io.kubernetes.pod.name';
export const POD_UID = 'io.kubernetes.pod.uid';
/** The container's name in the pod spec; the sandbox's is SANDBOX_NAME. */
export const CONTAINER_NAME = 'io.kubernetes.container.name';
/** How many times this container of this pod had been started before this one (0 for the first). */
export const RESTART_COUNT = 'io.kubelab.restart-count';
/** "init" for init containers, "app" for the others, "sandbox" for the sandbox. */
export const CONTAINER_KIND = 'io.kubelab.container-kind';
/** Hash of the container's spec, so a changed spec (e.g. a new image) is noticed. */
export const SPEC_HASH = 'io.kubelab.spec-hash';

/** On a sandbox the agent wired itself (see pod-network.ts): the pod's IP. */
export const POD_IP = 'io.kubelab.pod-ip';

/** The value of CONTAINER_NAME on a pod's sandbox container. */
export const SANDBOX_NAME = 'POD';

/** Docker's name for a pod container: unique per pod uid, container and attempt. */
export function containerName(pod: { namespace: string; name: string; uid: string }, container: string, attempt: number): string {
  return `k8s_${container}_${pod.name}_${pod.namespace}_${pod.uid.slice(0, 8)}_${attempt}`;
}

/** Label filters selecting the containers of one pod (by uid). */
export function podFilter(uid: string): string[] {
  return [`${MANAGED}=true`, `${POD_UID}=${uid}`];
}

/**
 * Picks the container the node endpoint should use for `container` of pod namespace/name among
 * `candidates` (docker list results): the newest attempt, running before stopped.
 */
export function newestAttempt<T extends { Labels: Record<string, string>; Created: number; State: string }>(candidates: T[], namespace: string, pod: string, container: string): T | undefined {
  const mine = candidates.filter((c) => c.Labels[POD_NAMESPACE] === namespace && c.Labels[POD_NAME] === pod && c.Labels[CONTAINER_NAME] === container);
  return mine.sort((a, b) => Number(b.Labels[RESTART_COUNT] ?? 0) - Number(a.Labels[RESTART_COUNT] ?? 0) || b.Created - a.Created)[0];
}
