import { execFile } from 'node:child_process';

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
