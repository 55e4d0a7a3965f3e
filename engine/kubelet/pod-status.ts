// A pod's status from what the node sees: its sandbox, the latest and previous attempt of each
// container, why a container is waiting, and probe results. Pure; the agent writes the result
// through pods/status when it differs from what the apiserver has.
import type { Container, ContainerState, ContainerStatus, Pod, PodCondition, PodStatus } from './pod-types.js';

/** One container attempt as Docker reports it. */
export interface ContainerRecord {
  id: string;
  attempt: number;
  running: boolean;
  exitCode: number;
  oomKilled: boolean;
  startedAt?: string;
  finishedAt?: string;
  image: string;
  imageId: string;
  /** The message the container left at terminationMessagePath, if any. */
  message?: string;
}

/** What the agent knows about one container of the pod. */
export interface ContainerView {
  latest?: ContainerRecord;
  previous?: ContainerRecord;
  /** Why it is not running now although it should (ErrImagePull, CrashLoopBackOff, CreateContainerConfigError, …). */
  waiting?: { reason: string; message?: string };
  /** Readiness (true without a readiness probe once started). */
  ready: boolean;
  /** The startup probe passed (true without one once running). */
  started: boolean;
}

/** The node's view of a pod. */
export interface PodView {
  sandboxReady: boolean;
  podIP?: string;
  hostIP: string;
  init: Map<string, ContainerView>;
  app: Map<string, ContainerView>;
  /** Set when the agent has given up on the pod (e.g. activeDeadlineSeconds): phase Failed with this reason. */
  failed?: { reason: string; message: string };
}

/** Guaranteed, Burstable or BestEffort, from the containers' requests and limits. */
export function qosClass(pod: Pod): string {
  const all = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of all) {
    const limits = c.resources?.limits ?? {};
    const requests = { ...limits, ...(c.resources?.requests ?? {}) };
    for (const r of ['cpu', 'memory']) {
      if (requests[r] !== undefined || limits[r] !== undefined) any = true;
      if (limits[r] === undefined || String(requests[r]) !== String(limits[r])) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function terminated(r: ContainerRecord): ContainerState {
  const reason = r.oomKilled ? 'OOMKilled' : r.exitCode === 0 ? 'Completed' : 'Error';
  return {
    terminated: { exitCode: r.exitCode, reason, ...(r.message ? { message: r.message } : {}), startedAt: r.startedAt, finishedAt: r.finishedAt, containerID: `docker://${r.id}` },
  };
}

/** True when a container that exited would be started again under the pod's restart policy. */
export function shouldRestart(policy: string | undefined, exitCode: number): boolean {
  if (policy === 'Never') return false;
  if (policy === 'OnFailure') return exitCode !== 0;
  return true;
}

function containerStatus(c: Container, v: ContainerView | undefined, defaultWaiting: string): ContainerStatus {
  const latest = v?.latest;
  const base = { name: c.name, image: c.image ?? '', imageID: latest?.imageId ?? '', ...(latest ? { containerID: `docker://${latest.id}` } : {}) };
  let state: ContainerState;
  let lastState: ContainerState = {};
  if (latest?.running) {
    state = { running: { startedAt: latest.startedAt } };
    if (v?.previous) lastState = terminated(v.previous);
  } else if (latest && v?.waiting) {
    state = { waiting: { reason: v.waiting.reason, ...(v.waiting.message ? { message: v.waiting.message } : {}) } };
    lastState = terminated(latest);
  } else if (latest) {
    state = terminated(latest);
    if (v?.previous) lastState = terminated(v.previous);
  } else {
    state = { waiting: { reason: v?.waiting?.reason ?? defaultWaiting, ...(v?.waiting?.message ? { message: v.waiting.message } : {}) } };
  }
  const running = Boolean(latest?.running);
  return { ...base, ready: running && Boolean(v?.ready), started: running && Boolean(v?.started), restartCount: latest?.attempt ?? 0, state, lastState };
}

function condition(type: string, ok: boolean, previous: PodCondition[] | undefined, now: string, reason?: string, message?: string): PodCondition {
  const status = ok ? 'True' : 'False';
  const before = previous?.find((c) => c.type === type);
  const lastTransitionTime = before && before.status === status ? before.lastTransitionTime : now;
  return { type, status, lastProbeTime: null, lastTransitionTime, ...(!ok && reason ? { reason } : {}), ...(!ok && message ? { message } : {}) };
}

/** The phase from the containers' states and the restart policy (terminal phases stick). */
export function podPhase(pod: Pod, view: PodView, initDone: boolean): string {
  const was = pod.status?.phase;
  if (was === 'Succeeded' || was === 'Failed') return was;
  if (view.failed) return 'Failed';
  const policy = pod.spec.restartPolicy ?? 'Always';
  if (!initDone) {
    const failedInit = [...view.init.values()].some((v) => v.latest && !v.latest.running && v.latest.exitCode !== 0);
    return failedInit && policy === 'Never' ? 'Failed' : 'Pending';
  }
  const views = pod.spec.containers.map((c) => view.app.get(c.name));
  if (views.some((v) => !v?.latest)) return 'Pending';
  if (views.some((v) => v!.latest!.running)) return 'Running';
  const allSucceeded = views.every((v) => v!.latest!.exitCode === 0);
  if (policy === 'Always') return 'Running';
  if (allSucceeded) return 'Succeeded';
  return policy === 'OnFailure' ? 'Running' : 'Failed';
}

/** The pod's status as the node agent reports it. */
export function podStatus(pod: Pod, view: PodView, now: string): PodStatus {
  const prev = pod.status ?? {};
  const initContainers = pod.spec.initContainers ?? [];
  const initDone = initContainers.every((c) => {
    const latest = view.init.get(c.name)?.latest;
    return latest && !latest.running && latest.exitCode === 0;
  });
  const initStatuses = initContainers.map((c) => containerStatus(c, view.init.get(c.name), 'PodInitializing'));
  const appStatuses = pod.spec.containers.map((c) => containerStatus(c, view.app.get(c.name), initDone && view.sandboxReady ? 'ContainerCreating' : 'PodInitializing'));
  const phase = podPhase(pod, view, initDone);
  const unready = appStatuses.filter((s) => !s.ready).map((s) => s.name);
  const incomplete = initContainers.filter((c, i) => !(initStatuses[i]!.state.terminated?.exitCode === 0)).map((c) => c.name);
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  const containersReady = unready.length === 0 && !terminal;
  const conds = prev.conditions;
  const conditions: PodCondition[] = [
    condition('PodReadyToStartContainers', view.sandboxReady, conds, now),
    condition('Initialized', initDone, conds, now, 'ContainersNotInitialized', `containers with incomplete status: [${incomplete.join(' ')}]`),
    condition('Ready', containersReady, conds, now, terminal ? 'PodCompleted' : 'ContainersNotReady', terminal ? undefined : `containers with unready status: [${unready.join(' ')}]`),
    condition('ContainersReady', containersReady, conds, now, terminal ? 'PodCompleted' : 'ContainersNotReady', terminal ? undefined : `containers with unready status: [${unready.join(' ')}]`),
    ...(conds ?? []).filter((c) => !['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady'].includes(c.type)),
  ];
  const podIP = view.podIP ?? prev.podIP;
  return {
    phase,
    conditions,
    ...(view.failed ? { reason: view.failed.reason, message: view.failed.message } : {}),
    hostIP: view.hostIP,
    hostIPs: [{ ip: view.hostIP }],
    ...(podIP ? { podIP, podIPs: [{ ip: podIP }] } : {}),
    startTime: prev.startTime ?? now,
    ...(initContainers.length ? { initContainerStatuses: initStatuses } : {}),
    containerStatuses: appStatuses,
    qosClass: qosClass(pod),
  };
}
