import { statfs } from 'node:fs/promises';
import { createServer } from 'node:net';
import type Docker from 'dockerode';
import { KubelabError } from '../errors.js';

/** Free space, in MiB, that creating a cluster wants where the engine keeps its data. */
export function minFreeDiskMiB(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.KUBELAB_MIN_FREE_DISK_MB);
  return Number.isFinite(n) && n >= 0 && env.KUBELAB_MIN_FREE_DISK_MB !== undefined && env.KUBELAB_MIN_FREE_DISK_MB !== '' ? n : 2048;
}

/**
 * Throws when the engine's data folder has less than `minFreeDiskMiB()` free. Only checkable when
 * the engine runs on this host (its data folder is visible here); otherwise nothing is checked.
 */
export async function checkDisk(docker: Docker, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const info = (await docker.info()) as { DockerRootDir?: string };
  const dir = info.DockerRootDir;
  if (!dir) return;
  const fs = await statfs(dir).catch(() => undefined);
  if (!fs) return;
  const freeMiB = Math.floor((Number(fs.bavail) * Number(fs.bsize)) / 2 ** 20);
  const need = minFreeDiskMiB(env);
  if (freeMiB < need) {
    throw new KubelabError(`low disk: only ${freeMiB} MiB free at ${dir}, kubelab needs at least ${need} MiB to create a cluster`, {
      hint: 'free some space (e.g. `docker system prune`, `kubelab delete --all` for old clusters) and try again',
    });
  }
}

/** Throws when `port` on 127.0.0.1 is taken by another program. */
export async function checkHostPort(port: number): Promise<void> {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new KubelabError(`invalid port ${port}`, { hint: 'give a port between 1 and 65535', exitCode: 2 });
  }
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new KubelabError(`host port 127.0.0.1:${port} is in use${err.code === 'EADDRINUSE' ? '' : ` (${err.code})`}`, {
          hint: 'choose another --api-port, or leave it out for a random free port',
        }),
      ),
    );
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve()));
  });
}
