// Starting, finding and stopping a cluster's forwarder: a detached `kubelab _forwarder <cluster>`
// process with a pidfile. Before any signal, the pid's command line must show it is that very
// forwarder (a pidfile can outlive its process and the pid be reused), else nothing is signalled.
import { execFile, spawn } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { pidAlive } from '../cluster/state.js';
import { forwarderFiles } from './status-file.js';

/** The hidden CLI command that runs a forwarder. */
export const FORWARDER_COMMAND = '_forwarder';

/** Whether a command line (argv joined by NULs or spaces) is the forwarder of `cluster`. */
export function isForwarderCommandLine(commandLine: string, cluster: string): boolean {
  const args = commandLine.split(/[\0\s]+/).filter(Boolean);
  const at = args.indexOf(FORWARDER_COMMAND);
  return at >= 0 && args[at + 1] === cluster;
}

/** The command line of process `pid`, or undefined when it cannot be learnt on this platform. */
export async function commandLineOf(pid: number): Promise<string | undefined> {
  if (process.platform === 'linux') {
    return readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
  }
  const run = (file: string, args: string[]) =>
    new Promise<string | undefined>((resolve) => {
      execFile(file, args, { timeout: 5000, windowsHide: true }, (err, stdout) => resolve(err ? undefined : stdout.trim() || undefined));
    });
  if (process.platform === 'win32') {
    return run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', `(Get-CimInstance Win32_Process -Filter "ProcessId=${pid}").CommandLine`]);
  }
  return run('ps', ['-o', 'command=', '-p', String(pid)]);
}

/** The pid in the cluster's pidfile when that process is alive and really its forwarder. */
export async function runningForwarder(home: string, cluster: string): Promise<number | undefined> {
  const { pidFile } = forwarderFiles(home, cluster);
  const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
  if (!Number.isInteger(pid) || pid <= 0 || !pidAlive(pid)) return undefined;
  const cmd = await commandLineOf(pid);
  return cmd !== undefined && isForwarderCommandLine(cmd, cluster) ? pid : undefined;
}

/** How a forwarder process is launched: an executable and the arguments before `_forwarder <cluster>`. */
export interface ForwarderLaunch {
  execPath: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

/**
 * Starts the cluster's forwarder unless it runs already; returns its pid. The process is
 * detached from ours (own session, no inherited terminal), so it outlives the CLI or app.
 */
export async function spawnForwarder(home: string, cluster: string, launch: ForwarderLaunch): Promise<{ pid: number; started: boolean }> {
  const running = await runningForwarder(home, cluster);
  if (running) return { pid: running, started: false };
  const files = forwarderFiles(home, cluster);
  await mkdir(files.dir, { recursive: true });
  // A stale pidfile would make the new forwarder think another one owns the cluster.
  await rm(files.pidFile, { force: true });
  const log = openSync(files.logFile, 'a');
  try {
    const child = spawn(launch.execPath, [...launch.args, FORWARDER_COMMAND, cluster], {
      detached: true,
      stdio: ['ignore', log, log],
      windowsHide: true,
      env: { ...process.env, ...launch.env, KUBELAB_HOME: home },
    });
    const pid = child.pid;
    if (!pid) throw new Error(`could not start ${launch.execPath}`);
    child.unref();
    await writeFile(files.pidFile, `${pid}\n`);
    return { pid, started: true };
  } finally {
    closeSync(log);
  }
}

/** Stops the cluster's forwarder (SIGTERM, waiting up to `waitMs` for it to go); returns whether one was running. */
export async function stopForwarder(home: string, cluster: string, waitMs = 5000): Promise<boolean> {
  const pid = await runningForwarder(home, cluster);
  const { pidFile } = forwarderFiles(home, cluster);
  if (!pid) {
    if (existsSync(pidFile)) await rm(pidFile, { force: true }); // stale
    return false;
  }
  try {
    process.kill(pid, 'SIGTERM');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
  const deadline = Date.now() + waitMs;
  while (pidAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await rm(pidFile, { force: true });
  return true;
}
