import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { restartDelay, SupervisedProcess } from './process.js';

describe('restartDelay', () => {
  it('backs off from 1 s, doubling, up to 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map(restartDelay)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });
});

describe('SupervisedProcess', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubelab-proc-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('restarts a process that dies, logs its output, and stops it on request', async () => {
    const said: string[] = [];
    const log = join(dir, 'p.log');
    const p = new SupervisedProcess({ name: 'flaky', command: 'sh', args: ['-c', 'echo run; sleep 0.2; exit 3'], logFile: log }, (l) => said.push(l));
    p.start();
    await expect.poll(() => said.filter((l) => l.startsWith('flaky started')).length, { timeout: 5000 }).toBe(2);
    expect(said.some((l) => l === 'flaky exited (code 3); restarting in 1s')).toBe(true);
    await p.stop(1000);
    const runs = readFileSync(log, 'utf8').match(/run/g)?.length ?? 0;
    expect(runs).toBeGreaterThanOrEqual(2);
    const count = said.length;
    await new Promise((r) => setTimeout(r, 1500));
    expect(said.length).toBe(count); // no restart after stop
  });

  it('kills a process that ignores SIGTERM after the grace period', async () => {
    const p = new SupervisedProcess({ name: 'stubborn', command: 'sh', args: ['-c', 'trap "" TERM; while :; do sleep 0.1; done'], logFile: join(dir, 's.log') }, () => undefined);
    p.start();
    await new Promise((r) => setTimeout(r, 300));
    const t = Date.now();
    await p.stop(500);
    expect(Date.now() - t).toBeGreaterThanOrEqual(450);
  });
});
