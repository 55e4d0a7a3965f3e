import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cgroupPaths, cpuRate, dockerCounters, ownCgroupCounters, pidCgroupCounters, processCountersFrom, statValue, workingSet } from './cgroup-usage.js';

const V1 = ['12:memory:/docker/abc', '4:cpu,cpuacct:/docker/abc', '1:name=systemd:/docker/abc', '0::/docker/abc'].join('\n');

describe('cgroup counters', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const tree = (files: Record<string, string>) => {
    const root = mkdtempSync(join(tmpdir(), 'cg-'));
    dirs.push(root);
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return root;
  };

  it('splits /proc/PID/cgroup per controller, v2 under ""', () => {
    const p = cgroupPaths(V1);
    expect(p.get('cpuacct')).toBe('/docker/abc');
    expect(p.get('cpu')).toBe('/docker/abc');
    expect(p.get('memory')).toBe('/docker/abc');
    expect(p.get('systemd')).toBe('/docker/abc');
    expect(p.get('')).toBe('/docker/abc');
  });

  it('reads flat stat files and the working set', () => {
    expect(statValue('cache 5\ntotal_inactive_file 300\ninactive_file 7\n', 'total_inactive_file')).toBe(300);
    expect(statValue('inactive_file 7', 'total_inactive_file')).toBeUndefined();
    expect(workingSet(1000, 300)).toBe(700);
    expect(workingSet(1000, 5000)).toBe(0);
    expect(workingSet(1000, undefined)).toBe(1000);
  });

  it('turns Docker stats of v1 and v2 engines into counters', () => {
    const read = '2026-01-01T00:00:00.5Z';
    expect(dockerCounters({ read, cpu_stats: { cpu_usage: { total_usage: 9 } }, memory_stats: { usage: 100, stats: { total_inactive_file: 40 } } })).toEqual({ at: Date.parse(read), cpuNs: 9, memoryBytes: 60 });
    expect(dockerCounters({ read, cpu_stats: { cpu_usage: { total_usage: 9 } }, memory_stats: { usage: 100, stats: { inactive_file: 10 } } })?.memoryBytes).toBe(90);
    expect(dockerCounters({ read: '0001-01-01T00:00:00Z', cpu_stats: {}, memory_stats: {} })).toBeUndefined();
  });

  it('gives CPU in nanocores between readings, nothing across a reset', () => {
    expect(cpuRate(undefined, { at: 1000, cpuNs: 5, memoryBytes: 0 })).toBeUndefined();
    // Half a second of CPU in one second: half a core.
    expect(cpuRate({ at: 0, cpuNs: 0, memoryBytes: 0 }, { at: 1000, cpuNs: 5e8, memoryBytes: 0 })).toBe(5e8);
    // Two cores busy for 2 s.
    expect(cpuRate({ at: 0, cpuNs: 1e9, memoryBytes: 0 }, { at: 2000, cpuNs: 5e9, memoryBytes: 0 })).toBe(2e9);
    expect(cpuRate({ at: 0, cpuNs: 9e9, memoryBytes: 0 }, { at: 1000, cpuNs: 1e9, memoryBytes: 0 })).toBeUndefined();
  });

  it('reads its own v1 cgroup where the host tree is mounted', async () => {
    const root = tree({
      'cpu,cpuacct/docker/abc/cgroup.procs': '1\n',
      'cpu,cpuacct/docker/abc/cpuacct.usage': '123456789\n',
      'memory/docker/abc/cgroup.procs': '1\n',
      'memory/docker/abc/memory.usage_in_bytes': '4096000\n',
      'memory/docker/abc/memory.stat': 'cache 1\ntotal_inactive_file 96000\n',
      'self': V1,
    });
    expect(await ownCgroupCounters(root, join(root, 'self'))).toMatchObject({ cpuNs: 123456789, memoryBytes: 4000000 });
  });

  it('reads its own v2 cgroup, and gives up at the root of a tree it cannot tell from the host', async () => {
    const root = tree({
      'kubelab/node/cpu.stat': 'usage_usec 2500\nuser_usec 2000\n',
      'kubelab/node/memory.current': '8192\n',
      'kubelab/node/memory.stat': 'anon 1\ninactive_file 192\n',
      'self': '0::/kubelab/node\n',
      'rooted': '0::/\n',
    });
    expect(await ownCgroupCounters(root, join(root, 'self'))).toMatchObject({ cpuNs: 2_500_000, memoryBytes: 8000 });
    expect(await ownCgroupCounters(root, join(root, 'rooted'))).toBeUndefined();
  });

  it("reads a container's cgroup through its main process, and nothing for a process that is gone", async () => {
    const root = tree({
      'cpu,cpuacct/docker/ctr/cgroup.procs': '77\n',
      'cpu,cpuacct/docker/ctr/cpuacct.usage': '5000\n',
      'memory/docker/ctr/cgroup.procs': '77\n',
      'memory/docker/ctr/memory.usage_in_bytes': '2048\n',
      'memory/docker/ctr/memory.stat': 'total_inactive_file 48\n',
      'proc/77/cgroup': '4:memory:/docker/ctr\n2:cpu,cpuacct:/docker/ctr\n',
    });
    expect(await pidCgroupCounters(77, root, join(root, 'proc'))).toMatchObject({ cpuNs: 5000, memoryBytes: 2000 });
    expect(await pidCgroupCounters(78, root, join(root, 'proc'))).toBeUndefined();
  });

  it('reads a process from /proc stat and statm, even with spaces and parentheses in its name', () => {
    const stat = '4242 (node (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 150 50 7 3 20 0 11 0 58756 300000 500';
    expect(processCountersFrom(stat, '75000 2500 900 1 0 3000 0', 9)).toEqual({ at: 9, cpuNs: 2.1e9, memoryBytes: 2500 * 4096 });
    expect(processCountersFrom('1 (x) S', '1 2', 0)).toBeUndefined();
  });
});
