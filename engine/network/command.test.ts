import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CommandShell, runCommand, shellWord } from './command.js';

describe('shellWord', () => {
  it('keeps a plain word and quotes anything a shell would read differently', async () => {
    expect(shellWord('--ipc=/run/kubelab/pods/u1/ipc')).toBe('--ipc=/run/kubelab/pods/u1/ipc');
    const odd = ["it's", 'a b', '$HOME', '`id`', 'x;y', '', '*', 'tab\there', 'line\nbreak'];
    // The real shell hands every word back unchanged.
    const out = await runCommand('sh', ['-c', `printf '%s\\0' ${odd.map(shellWord).join(' ')}`]);
    expect(out.split('\0').slice(0, -1)).toEqual(odd);
  });
});

describe('CommandShell', () => {
  let dir: string;
  let shell: CommandShell;
  const start = () => {
    dir = mkdtempSync(join(tmpdir(), 'kubelab-shell-'));
    shell = new CommandShell(join(dir, 'jobs'));
  };
  afterEach(() => {
    shell.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a command with its input and resolves with its stdout, as runCommand does', async () => {
    start();
    expect(await shell.run('cat', [], 'line 1\nline 2\n')).toBe('line 1\nline 2\n');
    expect(await shell.run('sh', ['-c', 'printf "%s|" "$@"', 'sh', "it's", 'a b'])).toBe("it's|a b|");
    expect(await shell.run('cat', [])).toBe('');
  });

  it('rejects with stderr and the exit status, and with ENOENT for a command that does not exist', async () => {
    start();
    const failed = await shell.run('sh', ['-c', 'echo bad thing >&2; exit 3']).catch((e: Error & { code?: unknown }) => e);
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toBe('sh -c echo bad thing >&2; exit 3: bad thing');
    expect((failed as { code?: unknown }).code).toBe(3);
    const missing = await shell.run('kubelab-no-such-command', ['x']).catch((e: Error & { code?: unknown }) => e);
    expect((missing as { code?: unknown }).code).toBe('ENOENT');
    expect(await runCommand('kubelab-no-such-command', ['x']).catch((e: { code?: unknown }) => e.code)).toBe('ENOENT');
  });

  it('runs jobs at the same time through one shell and leaves no files behind', async () => {
    start();
    const t0 = Date.now();
    const outs = await Promise.all(Array.from({ length: 8 }, (_, i) => shell.run('sh', ['-c', `sleep 0.4; echo job ${i}; echo $PPID`])));
    expect(Date.now() - t0).toBeLessThan(8 * 400);
    expect(outs.map((o) => o.split('\n')[0])).toEqual(Array.from({ length: 8 }, (_, i) => `job ${i}`));
    expect(readdirSync(join(dir, 'jobs'))).toEqual([]);
  });

  it('keeps the jobs of a shell that dies, fails those it never read, and starts a new shell for the next job', async () => {
    start();
    const shellPid = async () => Number((await shell.run('sh', ['-c', 'ps -o ppid= -p $PPID'])).trim());
    // A job the shell had started finishes and reports after the shell is killed.
    const first = await shellPid();
    const running = shell.run('sh', ['-c', 'sleep 0.5; echo done']);
    await new Promise((r) => setTimeout(r, 200));
    process.kill(first, 'SIGKILL');
    expect(await running).toBe('done\n');
    // A job sent to a shell that cannot read it any more fails.
    const second = await shellPid();
    expect(second).not.toBe(first);
    process.kill(second, 'SIGSTOP');
    const unread = shell.run('echo', ['never']);
    await new Promise((r) => setTimeout(r, 200));
    process.kill(second, 'SIGKILL');
    await expect(unread).rejects.toThrow(/command shell exited \(SIGKILL\) before running the job/);
    expect(await shell.run('echo', ['again'])).toBe('again\n');
    expect(await shellPid()).not.toBe(second);
    expect(readdirSync(join(dir, 'jobs'))).toEqual([]);
  });

  it('fails a job whose files cannot be written, starting no shell', async () => {
    start();
    // The jobs folder's parent is a file: nothing can be made under it.
    const blocked = new CommandShell(join(dir, 'file', 'jobs'));
    writeFileSync(join(dir, 'file'), '');
    await expect(blocked.run('echo', ['x'])).rejects.toThrow(/ENOTDIR/);
    blocked.close();
  });
});
