import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pidAlive } from '../cluster/state.js';
import { isForwarderCommandLine, runningForwarder, spawnForwarder, stopForwarder } from './process-control.js';
import { forwarderFiles } from './status-file.js';

describe('isForwarderCommandLine', () => {
  it('matches the forwarder of that cluster only', () => {
    expect(isForwarderCommandLine('/usr/bin/node\0/opt/kubelab/dist/kubelab.mjs\0_forwarder\0dev\0', 'dev')).toBe(true);
    expect(isForwarderCommandLine('node /opt/kubelab/dist/kubelab.mjs _forwarder dev', 'dev')).toBe(true);
    expect(isForwarderCommandLine('node kubelab.mjs _forwarder dev2', 'dev')).toBe(false);
    expect(isForwarderCommandLine('node kubelab.mjs _forwarder', 'dev')).toBe(false);
    expect(isForwarderCommandLine('vim dev', 'dev')).toBe(false);
  });
});

// Real processes: a stand-in that only sleeps, with `_forwarder <cluster>` in its command line.
describe.skipIf(process.platform === 'win32')('forwarder process control', () => {
  let home: string | undefined;
  afterEach(async () => {
    if (home) await rm(home, { recursive: true, force: true });
    home = undefined;
  });
  const sleeper = { execPath: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)', '--'] };

  it('starts once, finds it by its pidfile and command line, stops it', async () => {
    home = await mkdtemp(join(tmpdir(), 'kubelab-home-'));
    const first = await spawnForwarder(home, 'dev', sleeper);
    try {
      expect(first.started).toBe(true);
      expect(Number(await readFile(forwarderFiles(home, 'dev').pidFile, 'utf8'))).toBe(first.pid);
      await new Promise((r) => setTimeout(r, 200)); // let the child exec so its command line is final
      expect(await runningForwarder(home, 'dev')).toBe(first.pid);
      expect(await spawnForwarder(home, 'dev', sleeper)).toEqual({ pid: first.pid, started: false });
      expect(await runningForwarder(home, 'other')).toBeUndefined();
      expect(await stopForwarder(home, 'dev')).toBe(true);
      expect(pidAlive(first.pid)).toBe(false);
      expect(existsSync(forwarderFiles(home, 'dev').pidFile)).toBe(false);
    } finally {
      if (pidAlive(first.pid)) process.kill(first.pid, 'SIGKILL');
    }
  });

  it('never signals a live process that is not the forwarder', async () => {
    home = await mkdtemp(join(tmpdir(), 'kubelab-home-'));
    const files = forwarderFiles(home, 'dev');
    await mkdir(files.dir, { recursive: true });
    await writeFile(files.pidFile, `${process.pid}\n`); // this test runner: alive, but not a forwarder
    expect(await runningForwarder(home, 'dev')).toBeUndefined();
    expect(await stopForwarder(home, 'dev')).toBe(false);
    expect(existsSync(files.pidFile)).toBe(false); // the stale pidfile is gone, the runner lives on
  });
});
