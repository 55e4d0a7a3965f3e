// The control plane's processes as pods in kube-system, as kubeadm clusters show their static
// pods: the supervisor reports each process's real state (running, restarts, last exit) in a
// mirror pod, so `kubectl get pods -n kube-system` and `kubectl logs` tell the truth about them.
import { createHash } from 'node:crypto';
import { ApiRequestError, type RestClient } from '../client/rest-client.js';
import { SIGNAL_NUMBERS, type ProcessState } from './process.js';

/** Component names of supervised processes, as kubeadm names its static pods. */
export const COMPONENTS: Record<string, string> = {
  etcd: 'etcd',
  apiserver: 'kube-apiserver',
  'controller-manager': 'kube-controller-manager',
  scheduler: 'kube-scheduler',
};

/** Name of the mirror pod of a process on a node. */
export function mirrorPodName(process: string, node: string): string {
  return `${COMPONENTS[process] ?? process}-${node}`;
}

/** What the reporter knows about the node. */
export interface StaticPodNode {
  name: string;
  ip: string;
  /** Image shown for the containers (the node image). */
  image: string;
}

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** The mirror pod's spec and metadata for a process (its config hash changes when the command does). */
export function mirrorPod(node: StaticPodNode, p: ProcessState): Record<string, unknown> {
  const component = COMPONENTS[p.name] ?? p.name;
  const hash = createHash('sha256').update(JSON.stringify([p.command, p.args])).digest('hex').slice(0, 32);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: mirrorPodName(p.name, node.name),
      namespace: 'kube-system',
      labels: { component, tier: 'control-plane' },
      annotations: { 'kubernetes.io/config.hash': hash, 'kubernetes.io/config.mirror': hash, 'kubernetes.io/config.source': 'file' },
    },
    spec: {
      nodeName: node.name,
      hostNetwork: true,
      priorityClassName: 'system-node-critical',
      containers: [{ name: component, image: node.image, command: [p.command, ...p.args] }],
      tolerations: [{ operator: 'Exists', effect: 'NoExecute' }],
    },
  };
}

/** The pod status that says what the process is doing. */
export function mirrorStatus(node: StaticPodNode, p: ProcessState, ready: boolean, since: string, previous?: Record<string, unknown>): Record<string, unknown> {
  const component = COMPONENTS[p.name] ?? p.name;
  const isReady = p.running && ready;
  const oldConditions = (previous?.conditions as Array<{ type: string; status: string; lastTransitionTime: string }> | undefined) ?? [];
  const condition = (type: string, ok: boolean) => {
    const status = ok ? 'True' : 'False';
    const was = oldConditions.find((c) => c.type === type);
    return { type, status, lastProbeTime: null, lastTransitionTime: was && was.status === status ? was.lastTransitionTime : now() };
  };
  const last = p.lastTermination;
  return {
    phase: 'Running',
    conditions: [condition('PodReadyToStartContainers', true), condition('Initialized', true), condition('Ready', isReady), condition('ContainersReady', isReady), condition('PodScheduled', true)],
    hostIP: node.ip,
    hostIPs: [{ ip: node.ip }],
    podIP: node.ip,
    podIPs: [{ ip: node.ip }],
    startTime: since,
    qosClass: 'BestEffort',
    containerStatuses: [
      {
        name: component,
        image: node.image,
        imageID: '',
        containerID: p.pid ? `kubelab://${p.name}-${p.pid}` : undefined,
        ready: isReady,
        started: p.running,
        restartCount: p.restartCount,
        state: p.running ? { running: { startedAt: p.startedAt } } : { waiting: { reason: 'CrashLoopBackOff', message: `back-off restarting failed container ${component}` } },
        lastState: last ? { terminated: { exitCode: last.exitCode, reason: last.exitCode === 0 ? 'Completed' : 'Error', ...(last.signal ? { signal: SIGNAL_NUMBERS[last.signal] ?? 0 } : {}), startedAt: last.startedAt, finishedAt: last.finishedAt } } : {},
      },
    ],
  };
}


/**
 * Keeps a mirror pod per process in step with it: creates it, recreates it when its command
 * changed (or someone deleted it), and writes its status when the process changes or its
 * readiness does. Level-triggered: every sync compares with what the apiserver has.
 */
export class StaticPodReporter {
  private readonly since = now();
  private busy = false;
  private again = false;

  constructor(
    private readonly client: RestClient,
    private readonly node: StaticPodNode,
    private readonly processes: Array<{ state(): ProcessState }>,
    private readonly readiness: (process: string) => Promise<boolean>,
    private readonly say: (line: string) => void,
  ) {}

  /** Syncs now (or right after the sync in progress). */
  sync(): void {
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    void this.syncAll()
      .catch((err: Error) => this.say(`static pods: ${err.message}`))
      .finally(() => {
        this.busy = false;
        if (this.again) {
          this.again = false;
          this.sync();
        }
      });
  }

  private async syncAll(): Promise<void> {
    for (const proc of this.processes) {
      const state = proc.state();
      if (!COMPONENTS[state.name]) continue;
      await this.syncOne(state, await this.readiness(state.name).catch(() => false));
    }
  }

  private async syncOne(state: ProcessState, ready: boolean): Promise<void> {
    const want = mirrorPod(this.node, state);
    const path = `/api/v1/namespaces/kube-system/pods/${mirrorPodName(state.name, this.node.name)}`;
    let live: { metadata: { annotations?: Record<string, string>; deletionTimestamp?: string }; status?: Record<string, unknown> } | undefined;
    try {
      live = await this.client.get(path);
    } catch (err) {
      if (!(err instanceof ApiRequestError && err.code === 404)) throw err;
    }
    const hash = (want.metadata as { annotations: Record<string, string> }).annotations['kubernetes.io/config.hash'];
    if (live && live.metadata.annotations?.['kubernetes.io/config.hash'] !== hash) {
      await this.client.delete(`${path}?gracePeriodSeconds=0`).catch(() => undefined);
      live = undefined;
    }
    const current = live ?? (await this.client.create<{ status?: Record<string, unknown> }>('/api/v1/namespaces/kube-system/pods', want));
    const status = mirrorStatus(this.node, state, ready, this.since, current.status);
    if (JSON.stringify(stripTimes(status)) === JSON.stringify(stripTimes(current.status ?? {}))) return;
    await this.client.patch(`${path}/status`, { status });
  }
}

/** A status without its probe-independent timestamps, to tell whether anything changed. */
function stripTimes(status: Record<string, unknown>): unknown {
  return JSON.parse(JSON.stringify(status), (k, v) => (k === 'lastTransitionTime' || k === 'lastProbeTime' ? undefined : v));
}
