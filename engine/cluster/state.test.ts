import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClusterState, pidAlive } from './state.js';

describe('ClusterState', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'kubelab-state-'));
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('refuses a second lock while a live process holds it, and frees it on release', async () => {
    const state = new ClusterState(home);
    // A live process other than us holds the lock: our parent.
    await mkdir(join(home, 'clusters', 'dev'), { recursive: true });
    await writeFile(join(home, 'clusters', 'dev', 'lock'), JSON.stringify({ pid: process.ppid, operation: 'start', since: 'now' }));
    await expect(state.lock('dev', 'start')).rejects.toThrow(/busy: another kubelab \(pid \d+\) is running `start`/);
    await rm(join(home, 'clusters', 'dev', 'lock'));
    const release = await state.lock('dev', 'stop');
    await release();
    await (await state.lock('dev', 'start'))();
  });

  it('takes over a lock whose process is gone', async () => {
    const state = new ClusterState(home);
    await mkdir(join(home, 'clusters', 'dev'), { recursive: true });
    await writeFile(join(home, 'clusters', 'dev', 'lock'), JSON.stringify({ pid: 2 ** 22 + 12345, operation: 'start', since: 'then' }));
    const release = await state.lock('dev', 'start');
    await release();
  });

  it('reports creates whose process died, not those still running', async () => {
    const state = new ClusterState(home);
    await state.markCreating('mine');
    await mkdir(join(home, 'clusters', 'dead'), { recursive: true });
    await writeFile(join(home, 'clusters', 'dead', 'creating'), JSON.stringify({ pid: 2 ** 22 + 12345, operation: 'create', since: 'then' }));
    expect(await state.interruptedCreates()).toEqual(['dead']);
    await state.clearCreating('mine');
    await state.remove('dead');
    expect(await state.interruptedCreates()).toEqual([]);
  });

  it('knows live from dead PIDs', () => {
    expect(pidAlive(process.pid)).toBe(true);
    expect(pidAlive(0)).toBe(false);
    expect(pidAlive(2 ** 22 + 12345)).toBe(false);
  });
});
