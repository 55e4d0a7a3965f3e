import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';

/** The image's own /var, kept aside by the Dockerfile because nodes mount an empty volume there. */
const VAR_SEED = '/usr/lib/kubelab-var-seed';
/** Written once the whole seed has been copied into the volume. */
const VAR_SEEDED = '/var/lib/kubelab/seeded';

/**
 * Prepares the node's /var volume, empty on first boot: what the node's processes need at once
 * (run and lock links, state folders); the rest follows once the node is ready (seedRestOfVar).
 */
export async function seedVar(): Promise<void> {
  if (existsSync(VAR_SEEDED) || !existsSync(VAR_SEED)) return;
  for (const dir of ['/var/lib/kubelab', '/var/lib/docker', '/var/log/kubelab', '/var/tmp']) await mkdir(dir, { recursive: true });
  await chmod('/var/tmp', 0o1777);
  for (const [link, target] of [['/var/run', '/run'], ['/var/lock', '/run/lock']] as const) {
    if (!existsSync(link)) await symlink(target, link).catch(() => undefined);
  }
}

/** Copies the rest of the image's /var (package database, caches) into a fresh volume; runs after the node is ready. */
export function seedRestOfVar(say: (line: string) => void): void {
  if (existsSync(VAR_SEEDED) || !existsSync(VAR_SEED)) return;
  execFile('cp', ['-a', '-n', `${VAR_SEED}/.`, '/var/'], (err, _out, stderr) => {
    if (err) return say(`seeding /var failed: ${stderr.trim() || err.message}`);
    void writeFile(VAR_SEEDED, `${new Date().toISOString()}\n`).then(() => say('seeded /var'));
  });
}
