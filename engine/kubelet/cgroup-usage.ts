// CPU and memory counters of a cgroup, read from the cgroup file system (v1 or v2), and of a
// container from the Docker stats answer. Counters are cumulative CPU time and the working set
// (usage minus inactive file cache), the two figures the resource metrics API reports.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One reading of a cgroup's counters. */
export interface Counters {
  /** When it was read (ms since the epoch). */
  at: number;
  /** CPU time used since the cgroup was made (ns). */
  cpuNs: number;
  /** Memory working set (bytes). */
  memoryBytes: number;
}

/** Where a process's cgroup lives per controller ("" for the v2 unified tree), from /proc/PID/cgroup text. */
export function cgroupPaths(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    for (const ctrl of m[1]!.split(',')) out.set(ctrl.replace(/^name=/, ''), m[2]!);
  }
  return out;
}

/** The value of `key` in a flat "key value" file such as memory.stat or cpu.stat. */
export function statValue(text: string, key: string): number | undefined {
  const m = new RegExp(`^${key} (\\d+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}

/** usage minus inactive file pages, never below zero (what kubelet calls the working set). */
export function workingSet(usage: number, inactiveFile: number | undefined): number {
  return Math.max(0, usage - Math.min(usage, inactiveFile ?? 0));
}

/** The parts of a Docker stats answer (one-shot) this file reads. */
export interface DockerStats {
  read?: string;
  cpu_stats?: { cpu_usage?: { total_usage?: number } };
  memory_stats?: { usage?: number; stats?: Record<string, number> };
}

/** Counters from a Docker stats answer (cgroup v1 and v2 field names), or undefined for a stopped container. */
export function dockerCounters(s: DockerStats, now = Date.now()): Counters | undefined {
  const cpu = s.cpu_stats?.cpu_usage?.total_usage;
  const usage = s.memory_stats?.usage;
  if (cpu === undefined || usage === undefined) return undefined;
  const stats = s.memory_stats?.stats ?? {};
  const inactive = stats.total_inactive_file ?? stats.inactive_file;
  const at = Date.parse(s.read ?? '');
  return { at: Number.isFinite(at) && at > 0 ? at : now, cpuNs: cpu, memoryBytes: workingSet(usage, inactive) };
}

/** CPU in nanocores between two readings; undefined when they cannot be compared (no time passed, counter reset). */
export function cpuRate(prev: Counters | undefined, cur: Counters): number | undefined {
  if (!prev) return undefined;
  const dt = cur.at - prev.at;
  const used = cur.cpuNs - prev.cpuNs;
  if (dt <= 0 || used < 0) return undefined;
  return Math.round((used / dt) * 1000);
}

const exists = (p: string) => readFile(p, 'utf8').then(() => true, () => false);

/**
 * Reads the counters of this process's own cgroup (on a node: the node container's own
 * processes). Returns undefined when the cgroup files are not reachable, or when this process
 * sits at the root of a cgroup tree it cannot tell apart from the host's.
 */
export async function ownCgroupCounters(root = '/sys/fs/cgroup', procSelf = '/proc/self/cgroup'): Promise<Counters | undefined> {
  const paths = cgroupPaths(await readFile(procSelf, 'utf8').catch(() => ''));
  const at = Date.now();
  const v1cpu = paths.get('cpuacct');
  if (v1cpu !== undefined) {
    const dir = async (mounts: string[], p: string) => {
      for (const m of mounts) if (p !== '/' && (await exists(join(root, m, p, 'cgroup.procs')))) return join(root, m, p);
      return undefined;
    };
    const cpuDir = await dir(['cpuacct', 'cpu,cpuacct', 'cpuacct,cpu'], v1cpu);
    const memDir = await dir(['memory'], paths.get('memory') ?? '/');
    if (!cpuDir || !memDir) return undefined;
    const [usage, memUsage, memStat] = await Promise.all([readFile(join(cpuDir, 'cpuacct.usage'), 'utf8'), readFile(join(memDir, 'memory.usage_in_bytes'), 'utf8'), readFile(join(memDir, 'memory.stat'), 'utf8')]);
    return { at, cpuNs: Number(usage.trim()), memoryBytes: workingSet(Number(memUsage.trim()), statValue(memStat, 'total_inactive_file')) };
  }
  const v2 = paths.get('');
  if (v2 === undefined || v2 === '/') return undefined;
  const dir = join(root, v2);
  try {
    const [cpuStat, current, memStat] = await Promise.all([readFile(join(dir, 'cpu.stat'), 'utf8'), readFile(join(dir, 'memory.current'), 'utf8'), readFile(join(dir, 'memory.stat'), 'utf8')]);
    return { at, cpuNs: (statValue(cpuStat, 'usage_usec') ?? 0) * 1000, memoryBytes: workingSet(Number(current.trim()), statValue(memStat, 'inactive_file')) };
  } catch {
    return undefined;
  }
}

/** Counters of the cgroup process `pid` belongs to (a container's main process: its container's cgroup). */
export function pidCgroupCounters(pid: number, root = '/sys/fs/cgroup', proc = '/proc'): Promise<Counters | undefined> {
  return ownCgroupCounters(root, join(proc, String(pid), 'cgroup'));
}

/** Clock ticks per second of /proc/PID/stat times (USER_HZ, 100 on Linux). */
const USER_HZ = 100;
const PAGE = 4096;

/** Counters of one process from /proc/PID/stat and statm (CPU of it and its reaped children, resident memory). */
export function processCountersFrom(stat: string, statm: string, at: number): Counters | undefined {
  // The command name may hold spaces and parentheses: fields start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = [11, 12, 13, 14].map((i) => Number(fields[i]));
  const resident = Number(statm.split(' ')[1]);
  if (ticks.some((t) => !Number.isFinite(t)) || !Number.isFinite(resident)) return undefined;
  return { at, cpuNs: (ticks.reduce((a, b) => a + b, 0) * 1e9) / USER_HZ, memoryBytes: resident * PAGE };
}

/** Counters of process `pid`, or undefined when it is gone. */
export async function processCounters(pid: number, proc = '/proc'): Promise<Counters | undefined> {
  try {
    const [stat, statm] = await Promise.all([readFile(join(proc, String(pid), 'stat'), 'utf8'), readFile(join(proc, String(pid), 'statm'), 'utf8')]);
    return processCountersFrom(stat, statm, Date.now());
  } catch {
    return undefined;
  }
}
