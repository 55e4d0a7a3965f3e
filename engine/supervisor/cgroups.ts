import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';

/**
 * On a cgroup v2 host with a private cgroup namespace, a nested runtime can only create child
 * cgroups once no process sits in the root: move every process into `init` and delegate all
 * controllers. On cgroup v1 there is nothing to do.
 */
export async function prepareCgroups(say: (line: string) => void): Promise<void> {
  const root = '/sys/fs/cgroup';
  if (!existsSync(`${root}/cgroup.controllers`)) return;
  try {
    await mkdir(`${root}/init`, { recursive: true });
    const procs = (await readFile(`${root}/cgroup.procs`, 'utf8')).split('\n').filter(Boolean);
    for (const pid of procs) await writeFile(`${root}/init/cgroup.procs`, pid).catch(() => undefined);
    const controllers = (await readFile(`${root}/cgroup.controllers`, 'utf8')).trim().split(/\s+/).filter(Boolean);
    await writeFile(`${root}/cgroup.subtree_control`, controllers.map((c) => `+${c}`).join(' '));
  } catch (err) {
    say(`cgroup v2 delegation failed: ${(err as Error).message}`);
  }
}
