import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** Runs a command with input on stdin, resolving with its stdout (runCommand's contract). */
export type CommandRunner = (cmd: string, args: string[], input?: string) => Promise<string>;

/**
 * Runs a command inside the node (iptables, ip, conntrack…), resolving with stdout; rejects with
 * its stderr, keeping the spawn error's code (ENOENT: the command does not exist).
 */
export function runCommand(cmd: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
      err ? reject(Object.assign(new Error(`${cmd} ${args.join(' ')}: ${stderr.trim() || err.message}`), { code: (err as NodeJS.ErrnoException).code })) : resolve(stdout),
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** `arg` as one word of a POSIX shell line. */
export function shellWord(arg: string): string {
  return /^[A-Za-z0-9_./=:,@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

// The shell's loop: for each job number read on stdin, run the job's script in the background with
// its files as stdin, stdout and stderr, then print the number and the exit status (one short line,
// so lines of jobs that end together never interleave).
const LOOP = 'while read -r n; do { sh "$0/$n.sh" < "$0/$n.in" > "$0/$n.out" 2> "$0/$n.err"; echo "$n $?"; } & done';

/**
 * Runs commands through one long-lived shell rather than a child process of the caller each, with
 * runCommand's contract. Forking a large process such as the node agent copies its page tables and
 * stalls its event loop until the child has exec'd: about 10 ms here on an idle node, 80–100 ms
 * while pods start, per command. A fork of the small shell costs next to nothing. Each job's
 * command line, input and output are files in `dir`, removed when the job ends; jobs run
 * concurrently. Jobs outlive a shell that dies and still report; those it never read fail, and
 * the next job starts a new shell.
 */
export class CommandShell {
  /** The running shell and the jobs sent to it that it has not reported yet. */
  private shell?: { process: ChildProcess; jobs: Set<number> };
  private readonly waiting = new Map<number, (status: number | Error) => void>();
  private seq = 0;
  private made?: Promise<unknown>;

  constructor(private readonly dir: string) {}

  readonly run: CommandRunner = async (cmd, args, input) => {
    const n = ++this.seq;
    const file = (ext: string) => join(this.dir, `${n}.${ext}`);
    try {
      await (this.made ??= mkdir(this.dir, { recursive: true }).catch((err: unknown) => {
        this.made = undefined;
        throw err;
      }));
      await Promise.all([writeFile(file('sh'), `exec ${[cmd, ...args].map(shellWord).join(' ')}\n`), writeFile(file('in'), input ?? '')]);
      const status = await new Promise<number | Error>((resolve) => {
        this.waiting.set(n, resolve);
        const shell = this.started();
        shell.jobs.add(n);
        shell.process.stdin!.write(`${n}\n`);
      });
      if (status instanceof Error) throw status;
      const [stdout, stderr] = await Promise.all([readFile(file('out'), 'utf8'), readFile(file('err'), 'utf8')]);
      if (status === 0) return stdout;
      // 127 is the shell's "command not found", which runCommand reports as the spawn error ENOENT.
      throw Object.assign(new Error(`${cmd} ${args.join(' ')}: ${stderr.trim() || `exit status ${status}`}`), { code: status === 127 ? 'ENOENT' : status });
    } finally {
      this.waiting.delete(n);
      await Promise.all(['sh', 'in', 'out', 'err'].map((ext) => rm(file(ext), { force: true })));
    }
  };

  /** Ends the shell (jobs still running finish on their own). */
  close(): void {
    this.shell?.process.stdin?.end();
    this.shell = undefined;
  }

  private started(): { process: ChildProcess; jobs: Set<number> } {
    if (this.shell) return this.shell;
    const shell = { process: spawn('/bin/sh', ['-c', LOOP, this.dir], { stdio: ['pipe', 'pipe', 'inherit'] }), jobs: new Set<number>() };
    this.shell = shell;
    createInterface({ input: shell.process.stdout! }).on('line', (line) => {
      const [n, status] = line.split(' ').map(Number);
      shell.jobs.delete(n!);
      this.waiting.get(n!)?.(status!);
    });
    // Jobs a dead shell had started still report through its stdout, which they hold open; once it
    // closes, the jobs left are those the shell never read.
    const gone = () => {
      if (this.shell === shell) this.shell = undefined;
    };
    const fail = (why: string) => {
      gone();
      for (const n of shell.jobs) this.waiting.get(n)?.(new Error(`command shell ${why} before running the job`));
    };
    shell.process.on('exit', gone);
    // A shell that could not start ran nothing (and may never report 'close').
    shell.process.on('error', (err) => (shell.process.pid === undefined ? fail(`failed to start (${err.message})`) : gone()));
    shell.process.on('close', (code, signal) => fail(`exited (${signal ?? code})`));
    shell.process.stdin!.on('error', () => undefined); // a dead shell's pipe: its jobs are failed on 'close'
    return shell;
  }
}
