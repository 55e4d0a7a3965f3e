// The node agent's resource usage figures: every few seconds it reads the CPU and memory
// counters of each running pod container (from the nested dockerd) and of the node's own
// processes (from its cgroup), turns CPU time into a rate, and keeps the latest figures for the
// resource metrics API plus a short history for the desktop app's graphs.
import type { Counters } from './cgroup-usage.js';
import { cpuRate, dockerCounters, pidCgroupCounters, processCounters, type DockerStats } from './cgroup-usage.js';
import type { DockerApi } from './docker-api.js';
import { CONTAINER_KIND, CONTAINER_NAME, MANAGED, POD_NAME, POD_NAMESPACE, POD_UID } from './labels.js';

/** CPU (nanocores) and memory working set (bytes) over a window that ends at `at`. */
export interface Usage {
  at: number;
  windowMs: number;
  cpu: number;
  memory: number;
}

/** One pod's containers' usage. */
export interface PodUsage {
  namespace: string;
  name: string;
  uid: string;
  containers: Array<{ name: string; usage: Usage }>;
}

/** What the node endpoint serves at /stats/resource. */
export interface ResourceReport {
  node: string;
  usage?: Usage;
  pods: PodUsage[];
}

/** A point of the history: the node's and each pod's summed usage at one sample. */
export interface HistoryPoint {
  at: number;
  node?: { cpu: number; memory: number };
  /** By "namespace/name". */
  pods: Record<string, { cpu: number; memory: number }>;
}

/** Tuning of the collector. */
export interface ResourceStatsOptions {
  node: string;
  docker: DockerApi;
  /** Counters of the node's own processes (its cgroup), when readable. */
  own: () => Promise<Counters | undefined>;
  /** Time between samples (ms; default 5 s). */
  intervalMs?: number;
  /** Points kept (default 120: ten minutes at 5 s). */
  historySize?: number;
  /** Static pods' processes on this node (the control plane's), measured from /proc; they are already part of the node's own cgroup. */
  processes?: () => Array<{ pod: PodRef; container: string; pid: number }>;
  log?: (line: string) => void;
}

interface PodRef {
  namespace: string;
  name: string;
  uid: string;
}

interface Running {
  id: string;
  pod: PodRef;
  container: string;
  pid?: number;
}

/** Sums CPU and memory over usages. */
function total(usages: Usage[]): { cpu: number; memory: number } {
  return usages.reduce((a, u) => ({ cpu: a.cpu + u.cpu, memory: a.memory + u.memory }), { cpu: 0, memory: 0 });
}

/** Runs `fn` over `items`, at most `limit` at a time. */
async function pooled<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

/** Samples the node's usage on a timer; report() and history() read the result. */
export class ResourceStats {
  private readonly prev = new Map<string, Counters>();
  /** Main process of each running container measured, 0 when Docker did not say. */
  private readonly pids = new Map<string, number>();
  private prevOwn: Counters | undefined;
  private latest: ResourceReport;
  private readonly points: HistoryPoint[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly intervalMs: number;

  constructor(private readonly opts: ResourceStatsOptions) {
    this.intervalMs = opts.intervalMs ?? 5000;
    this.latest = { node: opts.node, pods: [] };
  }

  /** Starts sampling (the first figures exist after the second sample). */
  start(): void {
    const tick = () => {
      this.sample()
        .catch((err: Error) => this.opts.log?.(`resource stats: ${err.message}`))
        .finally(() => {
          this.timer = setTimeout(tick, this.intervalMs);
          this.timer.unref();
        });
    };
    tick();
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  /** The latest figures: node usage once two samples exist, and every pod container measured twice. */
  report(): ResourceReport {
    return this.latest;
  }

  /** The history, oldest first, optionally only points after `since` (ms since the epoch). */
  history(since = 0): HistoryPoint[] {
    return this.points.filter((p) => p.at > since);
  }

  /**
   * A container's counters: read from its cgroup through its main process (the container's PID,
   * asked of Docker once), which costs the nested dockerd nothing; Docker's one-shot stats only when
   * the cgroup cannot be read (another cgroup layout, or the process is gone).
   */
  private async containerCounters(id: string): Promise<Counters | undefined> {
    let pid = this.pids.get(id);
    if (pid === undefined) {
      pid = await this.opts.docker.inspectContainer(id).then((info) => (info.State.Running ? info.State.Pid : 0), () => 0);
      this.pids.set(id, pid);
    }
    const read = pid > 0 ? await pidCgroupCounters(pid) : undefined;
    if (read) return read;
    const stats = await this.opts.docker.json<DockerStats>({ path: `/containers/${id}/stats`, query: { stream: false, 'one-shot': true }, timeoutMs: 5000 }).catch(() => undefined);
    return stats && dockerCounters(stats);
  }

  /** Takes one sample now. */
  async sample(): Promise<void> {
    const listed = await this.opts.docker.listContainers([`${MANAGED}=true`], false);
    const running: Running[] = listed
      .filter((c) => c.Labels[CONTAINER_KIND] !== 'sandbox' && c.Labels[POD_UID])
      .map((c) => ({ id: c.Id, container: c.Labels[CONTAINER_NAME] ?? '', pod: { namespace: c.Labels[POD_NAMESPACE] ?? '', name: c.Labels[POD_NAME] ?? '', uid: c.Labels[POD_UID]! } }));
    const processes: Running[] = (this.opts.processes?.() ?? []).map((p) => ({ id: `pid:${p.pid}`, pod: p.pod, container: p.container, pid: p.pid }));
    const measured: Array<{ r: Running; usage: Usage }> = [];
    const seen = new Set<string>();
    await pooled([...running, ...processes], 4, async (r) => {
      const cur = r.pid ? await processCounters(r.pid) : await this.containerCounters(r.id);
      if (!cur) return;
      seen.add(r.id);
      const prev = this.prev.get(r.id);
      this.prev.set(r.id, cur);
      const cpu = cpuRate(prev, cur);
      if (cpu !== undefined) measured.push({ r, usage: { at: cur.at, windowMs: cur.at - prev!.at, cpu, memory: cur.memoryBytes } });
    });
    for (const id of this.prev.keys()) if (!seen.has(id)) this.prev.delete(id);
    const listedIds = new Set(running.map((r) => r.id));
    for (const id of this.pids.keys()) if (!listedIds.has(id)) this.pids.delete(id);

    const pods = new Map<string, PodUsage>();
    for (const { r, usage } of measured) {
      const pod = pods.get(r.pod.uid) ?? { ...r.pod, containers: [] };
      pod.containers.push({ name: r.container, usage });
      pods.set(r.pod.uid, pod);
    }
    const podList = [...pods.values()];
    const own = await this.opts.own().catch(() => undefined);
    const ownCpu = own && cpuRate(this.prevOwn, own);
    const sums = total(measured.filter((m) => !m.r.pid).map((m) => m.usage));
    let usage: Usage | undefined;
    if (own && ownCpu !== undefined) usage = { at: own.at, windowMs: own.at - this.prevOwn!.at, cpu: ownCpu + sums.cpu, memory: own.memoryBytes + sums.memory };
    // Without a readable cgroup of its own the node reports what its pods use, which is most of it.
    else if (!own && sums.cpu + sums.memory > 0) usage = { at: Date.now(), windowMs: measured[0]!.usage.windowMs, ...sums };
    if (own) this.prevOwn = own;
    this.latest = { node: this.opts.node, usage, pods: podList };
    const point: HistoryPoint = { at: Date.now(), node: usage && { cpu: usage.cpu, memory: usage.memory }, pods: {} };
    for (const p of podList) point.pods[`${p.namespace}/${p.name}`] = total(p.containers.map((c) => c.usage));
    this.points.push(point);
    if (this.points.length > (this.opts.historySize ?? 120)) this.points.shift();
  }
}
