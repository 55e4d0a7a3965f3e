// `kubectl get pods -o wide` columns: READY, STATUS, RESTARTS as kubectl computes them from the
// container statuses, and a status colour for each pod.
import type { ContainerStatus, Pod } from '../../api/types';
import { age } from '../../format/age';
import { ageColumn, col, nameColumn, none, type Column, type Tone } from '../../format/column';

/** READY, STATUS and RESTARTS of a pod; lastRestart is the time of the latest restart. */
export interface PodSummary {
  ready: number;
  total: number;
  status: string;
  restarts: number;
  lastRestart?: string;
}

const laterOf = (a: string | undefined, b: string | undefined) => (b && (!a || Date.parse(b) > Date.parse(a)) ? b : a);

/** Why a container is not running normally, or undefined when it is running. */
function containerReason(c: ContainerStatus): string | undefined {
  const w = c.state?.waiting;
  const t = c.state?.terminated;
  if (w?.reason) return w.reason;
  if (t?.reason) return t.reason;
  if (t) return t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode ?? 0}`;
  return undefined;
}

const summaries = new WeakMap<Pod, PodSummary>();

/** The summary kubectl prints for a pod (sidecar init containers count as containers); cached per object. */
export function podSummary(pod: Pod): PodSummary {
  let s = summaries.get(pod);
  if (!s) summaries.set(pod, (s = computeSummary(pod)));
  return s;
}

function computeSummary(pod: Pod): PodSummary {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const inits = spec.initContainers ?? [];
  const sidecar = new Set(inits.filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  const total = (spec.containers ?? []).length + sidecar.size;
  let ready = 0;
  let restarts = 0;
  let lastRestart: string | undefined;
  let reason = status.reason || status.phase || 'Pending';
  let initializing = false;

  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i]!;
    restarts += c.restartCount ?? 0;
    lastRestart = laterOf(lastRestart, c.lastState?.terminated?.finishedAt);
    if (c.state?.terminated?.exitCode === 0) continue;
    if (sidecar.has(c.name) && c.started) {
      if (c.ready) ready++;
      continue;
    }
    const t = c.state?.terminated;
    const w = c.state?.waiting;
    if (t) reason = t.reason ? `Init:${t.reason}` : t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode ?? 0}`;
    else if (w?.reason && w.reason !== 'PodInitializing') reason = `Init:${w.reason}`;
    else reason = `Init:${i}/${inits.length}`;
    initializing = true;
    break;
  }

  if (!initializing) {
    let running = false;
    for (const c of [...(status.containerStatuses ?? [])].reverse()) {
      restarts += c.restartCount ?? 0;
      lastRestart = laterOf(lastRestart, c.lastState?.terminated?.finishedAt);
      const why = containerReason(c);
      if (why) reason = why;
      else if (c.ready && c.state?.running) {
        running = true;
        ready++;
      }
    }
    if (reason === 'Completed' && running) {
      reason = (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata.deletionTimestamp) {
    if (status.reason === 'NodeLost') reason = 'Unknown';
    else if (status.phase !== 'Succeeded' && status.phase !== 'Failed') reason = 'Terminating';
  }
  return { ready, total, status: reason, restarts, ...(lastRestart ? { lastRestart } : {}) };
}

const BAD = /BackOff|Err|Error|Failed|OOMKilled|Invalid|Unknown|Evicted|Signal:|ExitCode:|NotReady|ContainerStatusUnknown/;

/** The colour of a pod's STATUS (with its text beside it). */
export function statusTone(status: string, ready: number, total: number): Tone {
  if (BAD.test(status)) return 'bad';
  if (status === 'Running') return ready === total ? 'ok' : 'warn';
  if (status === 'Completed' || status === 'Succeeded') return 'muted';
  return 'progress';
}

/** The pod's colour. */
export function podTone(pod: Pod): Tone {
  const s = podSummary(pod);
  return statusTone(s.status, s.ready, s.total);
}

/** RESTARTS as kubectl prints it: "3 (2m ago)" once something restarted. */
export function restartsText(s: PodSummary, now: number): string {
  return s.restarts && s.lastRestart ? `${s.restarts} (${age(s.lastRestart, now)} ago)` : String(s.restarts);
}

/** The pod's first IP. */
export const podIP = (pod: Pod): string | undefined => pod.status?.podIPs?.[0]?.ip ?? pod.status?.podIP;

/** Columns of the pods table. */
export const POD_COLUMNS: Column[] = [
  nameColumn,
  col<Pod>({ header: 'Ready', text: (p) => { const s = podSummary(p); return `${s.ready}/${s.total}`; } }),
  col<Pod>({ header: 'Status', text: (p) => podSummary(p).status, tone: podTone }),
  col<Pod>({ header: 'Restarts', live: true, text: (p, now) => restartsText(podSummary(p), now) }),
  ageColumn,
  col<Pod>({ header: 'IP', text: (p) => none(podIP(p)) }),
  col<Pod>({ header: 'Node', text: (p) => none(p.spec?.nodeName) }),
];
