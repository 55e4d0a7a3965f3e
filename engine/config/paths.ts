import { homedir } from 'node:os';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of the state kubelab keeps on the host: `$KUBELAB_HOME` or `~/.kubelab`. */
export function kubelabHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.KUBELAB_HOME || join(homedir(), '.kubelab');
}

/** Folder holding one cluster's host-side state (lock, creation marker). */
export function clusterDir(home: string, cluster: string): string {
  return join(home, 'clusters', cluster);
}

/** The kubelab package folder (holds images/ and dist/), found by walking up from this module. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && /"name":\s*"kubelab"/.test(readFileSync(pkg, 'utf8'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the kubelab package folder');
    dir = up;
  }
}
