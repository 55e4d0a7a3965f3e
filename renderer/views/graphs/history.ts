// The node agents' usage history as the graphs read it: what GET nodes/NAME/proxy/stats/history
// answers, merging of incremental fetches into a ten-minute window, and the series the charts draw
// (CPU in cores, memory in MiB) for a node and for pods.

/** One sample of a node's endpoint history (engine/kubelet/resource-stats.ts HistoryPoint on the wire). */
export interface HistoryPoint {
  /** ms since the epoch. */
  at: number;
  /** The node's usage: CPU in nanocores, memory working set in bytes (absent until two samples exist). */
  node?: { cpu: number; memory: number };
  /** Each measured pod's usage, by "namespace/name". */
  pods: Record<string, { cpu: number; memory: number }>;
}

/** The answer of GET /api/v1/nodes/NAME/proxy/stats/history?since=MS. */
export interface NodeHistoryAnswer {
  node: string;
  points: HistoryPoint[];
}

/** How much history the graphs keep and show: the node agents' ten minutes. */
export const WINDOW_MS = 10 * 60 * 1000;
/** How often the node agents sample, and so how often the graphs ask. */
export const SAMPLE_MS = 5000;
/** A line breaks where no sample came for this long (four periods: a busy node's sampling runs late, a stopped one does not report). */
export const GAP_MS = 4 * SAMPLE_MS;

/** One value of a series at a time. */
export interface Sample {
  t: number;
  v: number;
}

/** A line of a chart. */
export interface Series {
  key: string;
  label: string;
  samples: Sample[];
}

/** The URL (through the dashboard's /k8s proxy) of `node`'s history after `since`. */
export function historyUrl(cluster: string, node: string, since: number): string {
  return `/k8s/${encodeURIComponent(cluster)}/api/v1/nodes/${encodeURIComponent(node)}/proxy/stats/history?since=${Math.max(0, Math.floor(since))}`;
}

/** The `since` of the next incremental fetch: the newest point held, 0 when none is. */
export function nextSince(points: readonly HistoryPoint[]): number {
  return points.length ? points[points.length - 1]!.at : 0;
}

/**
 * `held` with `fetched` added: oldest first, one point per time (a refetched point replaces the
 * held one), none older than `now - windowMs`. Pure; returns `held` itself when nothing changed.
 */
export function mergeHistory(held: readonly HistoryPoint[], fetched: readonly HistoryPoint[], now: number, windowMs = WINDOW_MS): readonly HistoryPoint[] {
  const from = now - windowMs;
  const byTime = new Map<number, HistoryPoint>();
  for (const p of held) if (p.at >= from) byTime.set(p.at, p);
  for (const p of fetched) if (p.at >= from && Number.isFinite(p.at)) byTime.set(p.at, p);
  if (fetched.length === 0 && byTime.size === held.length) return held;
  return [...byTime.values()].sort((a, b) => a.at - b.at);
}

const CORE = 1e9;
const MIB = 2 ** 20;

/** Nanocores as cores. */
export const toCores = (nanocores: number): number => nanocores / CORE;
/** Bytes as MiB. */
export const toMiB = (bytes: number): number => bytes / MIB;

/** The node's CPU (cores) and memory (MiB) series from its points; points without node figures are gaps left out. */
export function nodeSeries(name: string, points: readonly HistoryPoint[]): { cpu: Series; memory: Series } {
  const cpu: Sample[] = [];
  const memory: Sample[] = [];
  for (const p of points) {
    if (!p.node) continue;
    cpu.push({ t: p.at, v: toCores(p.node.cpu) });
    memory.push({ t: p.at, v: toMiB(p.node.memory) });
  }
  return { cpu: { key: name, label: name, samples: cpu }, memory: { key: name, label: name, samples: memory } };
}

/** One pod's series, with its latest CPU (cores) for ranking. */
export interface PodSeries {
  /** "namespace/name". */
  key: string;
  namespace: string;
  name: string;
  cpu: Series;
  memory: Series;
  latestCpu: number;
}

/**
 * Every pod's CPU and memory series from the points of all nodes (a pod that moved between nodes
 * under one name gets one series, in time order), keeping only pods `keep` accepts.
 */
export function podSeries(pointsByNode: Iterable<readonly HistoryPoint[]>, keep: (namespace: string, name: string) => boolean): PodSeries[] {
  const samples = new Map<string, { cpu: Sample[]; memory: Sample[] }>();
  for (const points of pointsByNode) {
    for (const p of points) {
      for (const [key, u] of Object.entries(p.pods)) {
        const slash = key.indexOf('/');
        if (slash < 0 || !keep(key.slice(0, slash), key.slice(slash + 1))) continue;
        const s = samples.get(key) ?? { cpu: [], memory: [] };
        s.cpu.push({ t: p.at, v: toCores(u.cpu) });
        s.memory.push({ t: p.at, v: toMiB(u.memory) });
        samples.set(key, s);
      }
    }
  }
  const byTime = (a: Sample, b: Sample) => a.t - b.t;
  return [...samples].map(([key, s]) => {
    s.cpu.sort(byTime);
    s.memory.sort(byTime);
    const slash = key.indexOf('/');
    return {
      key,
      namespace: key.slice(0, slash),
      name: key.slice(slash + 1),
      cpu: { key, label: key, samples: s.cpu },
      memory: { key, label: key, samples: s.memory },
      latestCpu: s.cpu[s.cpu.length - 1]?.v ?? 0,
    };
  });
}

/** The `n` pods using the most CPU now (latest sample), busiest first; ties by key. */
export function topByCpu(pods: readonly PodSeries[], n: number): PodSeries[] {
  return [...pods].sort((a, b) => b.latestCpu - a.latestCpu || a.key.localeCompare(b.key)).slice(0, Math.max(0, n));
}

/** The sample of `samples` (sorted by time) nearest to `t`, undefined when there is none within `maxGap` ms. */
export function sampleAt(samples: readonly Sample[], t: number, maxGap = GAP_MS / 2): Sample | undefined {
  let lo = 0;
  let hi = samples.length - 1;
  if (hi < 0) return undefined;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (samples[mid]!.t < t) lo = mid + 1;
    else hi = mid;
  }
  const after = samples[lo]!;
  const before = samples[lo - 1];
  const best = before && Math.abs(before.t - t) <= Math.abs(after.t - t) ? before : after;
  return Math.abs(best.t - t) <= maxGap ? best : undefined;
}

/** The latest and highest values of a series (undefined when empty), for labels and summaries. */
export function summary(samples: readonly Sample[]): { latest: number; peak: number } | undefined {
  if (!samples.length) return undefined;
  return { latest: samples[samples.length - 1]!.v, peak: Math.max(...samples.map((s) => s.v)) };
}
