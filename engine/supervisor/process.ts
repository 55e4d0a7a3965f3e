import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

/** What to run and where its output goes. */
export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  /** File the process's stdout and stderr are appended to. */
  logFile: string;
  env?: NodeJS.ProcessEnv;
}

/** What a supervised process is doing, as a container status would say it. */
export interface ProcessState {
  name: string;
  command: string;
  args: string[];
  logFile: string;
  pid?: number;
  running: boolean;
  /** Restarts since the supervisor started (never reset, unlike the back-off). */
  restartCount: number;
  startedAt?: string;
  lastTermination?: { exitCode: number; signal?: string; startedAt: string; finishedAt: string };
}

/** Signal numbers for exit codes of killed processes (128 + n, as shells and kubelets report them). */
export const SIGNAL_NUMBERS: Record<string, number> = { SIGKILL: 9, SIGTERM: 15, SIGINT: 2, SIGABRT: 6, SIGSEGV: 11 };

/** Delay before restart number `restarts` (0-based): 1 s doubling to 30 s. */
export function restartDelay(restarts: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.min(restarts, 5));
}

/**
 * Keeps one process running: starts it, restarts it with back-off when it exits, and stops it
 * (SIGTERM, then SIGKILL after a grace period) on request. The back-off resets after a minute of uptime.
 */
export class SupervisedProcess {
  private child?: ChildProcess;
  private restarts = 0;
  private restartCount = 0;
  private startedAt?: string;
  private lastTermination?: ProcessState['lastTermination'];
  /** Called whenever the process starts or exits. */
  onChange?: () => void;
  private stopping = false;
  private timer?: NodeJS.Timeout;
  /** The log file, open for appending; children write to it directly, so no output passes through the supervisor. */
  private log?: number;

  constructor(
    private readonly spec: ProcessSpec,
    private readonly say: (line: string) => void,
  ) {}

  /** Starts the process (and keeps restarting it until stop()). */
  start(): void {
    if (this.stopping) return;
    const started = Date.now();
    try {
      this.log ??= openSync(this.spec.logFile, 'a');
    } catch (err) {
      this.say(`${this.spec.name}: cannot write ${this.spec.logFile}: ${(err as Error).message}`);
    }
    const child = spawn(this.spec.command, this.spec.args, {
      stdio: ['ignore', this.log ?? 'ignore', this.log ?? 'ignore'],
      env: { ...process.env, ...this.spec.env },
    });
    this.child = child;
    this.startedAt = new Date(started).toISOString().replace(/\.\d+Z$/, 'Z');
    child.on('error', (err) => this.say(`${this.spec.name}: ${err.message}`));
    child.on('exit', (code, signal) => {
      this.child = undefined;
      this.lastTermination = {
        exitCode: code ?? 128 + (SIGNAL_NUMBERS[signal ?? ''] ?? 0),
        ...(signal ? { signal } : {}),
        startedAt: this.startedAt!,
        finishedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      };
      if (this.stopping) return;
      this.restartCount++;
      this.onChange?.();
      if (Date.now() - started > 60_000) this.restarts = 0;
      const delay = restartDelay(this.restarts++);
      this.say(`${this.spec.name} exited (${signal ?? `code ${code}`}); restarting in ${delay / 1000}s`);
      this.timer = setTimeout(() => this.start(), delay);
    });
    this.say(`${this.spec.name} started (pid ${child.pid})`);
    this.onChange?.();
  }

  /** The process's state now. */
  state(): ProcessState {
    return {
      name: this.spec.name,
      command: this.spec.command,
      args: this.spec.args,
      logFile: this.spec.logFile,
      ...(this.child?.pid ? { pid: this.child.pid } : {}),
      running: this.child !== undefined,
      restartCount: this.restartCount,
      ...(this.startedAt ? { startedAt: this.startedAt } : {}),
      ...(this.lastTermination ? { lastTermination: this.lastTermination } : {}),
    };
  }

  /** Stops the process: SIGTERM, then SIGKILL after `graceMs`. Resolves when it has exited. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    const child = this.child;
    if (!child || child.exitCode !== null) return this.closeLog();
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
    this.closeLog();
  }

  private closeLog(): void {
    if (this.log !== undefined) closeSync(this.log);
    this.log = undefined;
  }
}
