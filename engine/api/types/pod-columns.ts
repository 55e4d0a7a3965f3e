// `kubectl get pods` columns, computed as Kubernetes 1.34's table printer does: READY counts
// (sidecars included), STATUS from phase, reasons and container states, RESTARTS with the time of
// the last restart.
import { age, ageColumn, column, nameColumn, type ApiObject, type Column } from '../resource-type.js';
import type { ContainerJson, ContainerStatusJson, PodSpecJson, PodStatusJson } from './pod-json.js';

/** What the READY, STATUS and RESTARTS columns show for a pod. */
export interface PodSummary {
  ready: string;
  status: string;
  restarts: string;
}

const later = (a: string | undefined, b: string | undefined) => (b && (!a || Date.parse(b) > Date.parse(a)) ? b : a);

/** READY, STATUS and RESTARTS of a pod, as kubectl prints them (`now` for the "(5m ago)" suffix). */
export function podSummary(pod: ApiObject, now = Date.now()): PodSummary {
  const spec = (pod.spec ?? {}) as PodSpecJson;
  const status = (pod.status ?? {}) as PodStatusJson;
  const inits = new Map<string, ContainerJson>((spec.initContainers ?? []).map((c) => [c.name ?? '', c]));
  const restartable = (name: string | undefined) => inits.get(name ?? '')?.restartPolicy === 'Always';
  const total = (spec.containers ?? []).length + (spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').length;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: string | undefined;
  let lastSidecarRestart: string | undefined;
  let reason = status.reason || status.phase || '';
  if ((status.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  let initializing = false;
  const initStatuses: ContainerStatusJson[] = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i]!;
    const finished = c.lastState?.terminated?.finishedAt;
    restarts += c.restartCount ?? 0;
    lastRestart = later(lastRestart, finished);
    if (restartable(c.name)) {
      sidecarRestarts += c.restartCount ?? 0;
      lastSidecarRestart = later(lastSidecarRestart, finished);
    }
    const t = c.state?.terminated;
    const w = c.state?.waiting;
    if (t && t.exitCode === 0) continue;
    if (restartable(c.name) && c.started) {
      if (c.ready) ready++;
      continue;
    }
    if (t) reason = t.reason ? `Init:${t.reason}` : t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode ?? 0}`;
    else if (w?.reason && w.reason !== 'PodInitializing') reason = `Init:${w.reason}`;
    else reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    initializing = true;
    break;
  }

  const initialized = (status.conditions ?? []).some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i]!;
      restarts += c.restartCount ?? 0;
      lastRestart = later(lastRestart, c.lastState?.terminated?.finishedAt);
      const w = c.state?.waiting;
      const t = c.state?.terminated;
      if (w?.reason) reason = w.reason;
      else if (t?.reason) reason = t.reason;
      else if (t) reason = t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode ?? 0}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && status.phase !== 'Succeeded' && status.phase !== 'Failed') reason = 'Terminating';

  const restartText = restarts !== 0 && lastRestart ? `${restarts} (${age(lastRestart, now)} ago)` : String(restarts);
  return { ready: `${ready}/${total}`, status: reason, restarts: restartText };
}

const none = (v: string | undefined) => v || '<none>';

/** Readiness gates whose condition is True, out of all, or <none>. */
function readinessGates(pod: ApiObject): string {
  const gates = ((pod.spec ?? {}) as PodSpecJson).readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const conditions = ((pod.status ?? {}) as PodStatusJson).conditions ?? [];
  const ok = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return `${ok}/${gates.length}`;
}

/** The columns of `kubectl get pods` (IP, Node, Nominated Node and Readiness Gates with -o wide). */
export const POD_COLUMNS: Column[] = [
  nameColumn,
  column('Ready', 'Ready containers out of all (sidecar init containers included).', (o) => podSummary(o).ready),
  column('Status', 'Phase of the pod, or the reason it is not running normally.', (o) => podSummary(o).status),
  column('Restarts', 'Container restarts, and how long ago the last one was.', (o) => podSummary(o).restarts),
  ageColumn,
  column('IP', 'IP address of the pod.', (o) => none(((o.status ?? {}) as PodStatusJson).podIPs?.[0]?.ip), { wide: true }),
  column('Node', 'Node the pod runs on.', (o) => none(((o.spec ?? {}) as PodSpecJson).nodeName), { wide: true }),
  column('Nominated Node', 'Node the pod is expected to run on after preempting pods there.', (o) => none(((o.status ?? {}) as PodStatusJson).nominatedNodeName), { wide: true }),
  column('Readiness Gates', 'Readiness gates that are met, out of all.', readinessGates, { wide: true }),
];

/** Labels as key=value pairs, sorted, comma-separated; <none> when there are none. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const pairs = Object.keys(labels ?? {})
    .sort()
    .map((k) => `${k}=${labels![k]}`);
  return pairs.length ? pairs.join(',') : '<none>';
}

/** The columns of `kubectl get podtemplates`. */
export const POD_TEMPLATE_COLUMNS: Column[] = [
  nameColumn,
  column('Containers', 'Names of the containers.', (o) => templateContainers(o).map((c) => c.name).join(',')),
  column('Images', 'Images of the containers.', (o) => templateContainers(o).map((c) => c.image).join(',')),
  column('Pod Labels', 'Labels of the pods made from the template.', (o) => formatLabels((o.template as { metadata?: { labels?: Record<string, string> } } | undefined)?.metadata?.labels)),
];

function templateContainers(o: ApiObject): ContainerJson[] {
  return ((o.template as { spec?: PodSpecJson } | undefined)?.spec?.containers ?? []) as ContainerJson[];
}
