import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { pack } from 'tar-fs';
import { errorMessage, isEngineUnreachable, KubelabError } from '../errors.js';
import { engineUnreachable } from '../docker/connect.js';
import { LABEL } from '../docker/labels.js';
import type { Logger } from '../log/logger.js';
import { step, type Progress } from '../log/progress.js';
import { followStream, imageExists } from './build.js';
import { contentHash, listFiles } from './hash.js';

/** The base the node image builds FROM where a registry answers. */
export const REGISTRY_BASE = 'debian:bookworm-slim';

/** Where a base image comes from, for progress and `--verbose`. */
export interface BaseImage {
  ref: string;
  source: 'configured' | 'local' | 'registry' | 'debootstrap';
}

/**
 * Finds the image the node image builds FROM: `$KUBELAB_BASE_IMAGE`, else debian:bookworm-slim if
 * the engine has it or can pull it, else kubelab's offline base (made once with debootstrap and
 * cached by a hash of its recipe).
 */
export async function resolveBaseImage(docker: Docker, root: string, progress: Progress, log: Logger, env = process.env): Promise<BaseImage> {
  if (env.KUBELAB_BASE_IMAGE) {
    if (!(await imageExists(docker, env.KUBELAB_BASE_IMAGE)) && !(await tryPull(docker, env.KUBELAB_BASE_IMAGE, log))) {
      throw new KubelabError(`base image ${env.KUBELAB_BASE_IMAGE} (from KUBELAB_BASE_IMAGE) is not on the engine and cannot be pulled`, {
        hint: 'load it with `docker load`, or unset KUBELAB_BASE_IMAGE to let kubelab build an offline base',
      });
    }
    return { ref: env.KUBELAB_BASE_IMAGE, source: 'configured' };
  }
  const offlineTag = await offlineBaseTag(root);
  if (await imageExists(docker, REGISTRY_BASE)) return { ref: REGISTRY_BASE, source: 'local' };
  if (await imageExists(docker, offlineTag)) return { ref: offlineTag, source: 'local' };
  if (env.KUBELAB_OFFLINE !== '1' && (await tryPull(docker, REGISTRY_BASE, log))) return { ref: REGISTRY_BASE, source: 'registry' };
  await step(progress, 'Building offline base image (debootstrap)', () => buildOfflineBase(docker, root, offlineTag, progress, env));
  return { ref: offlineTag, source: 'debootstrap' };
}

/** Tag of the offline base for the current recipe. */
export async function offlineBaseTag(root: string): Promise<string> {
  const files = [...(await listFiles(root, 'images/base')), 'images/node/packages.txt'];
  return `kubelab/base:bookworm-${await contentHash(root, files)}`;
}

async function tryPull(docker: Docker, ref: string, log: Logger): Promise<boolean> {
  try {
    const stream = await withTimeout(docker.pull(ref) as Promise<NodeJS.ReadableStream>, 20_000);
    await withTimeout(followStream(docker, stream, (m) => {
      if ((m as { error?: string }).error) throw new Error((m as { error?: string }).error);
    }), 300_000);
    return true;
  } catch (err) {
    if (isEngineUnreachable(err)) throw engineUnreachable(err);
    log.v(1).info(`cannot pull ${ref}: ${errorMessage(err)}`);
    return false;
  }
}

async function buildOfflineBase(docker: Docker, root: string, tag: string, progress: Progress, env: NodeJS.ProcessEnv): Promise<void> {
  const stepName = 'Building offline base image (debootstrap)';
  if (process.platform !== 'linux' || !existsSync('/usr/sbin/debootstrap')) {
    throw new KubelabError(`no registry answers for ${REGISTRY_BASE} and debootstrap is not available to build an offline base`, {
      hint: 'on Debian/Ubuntu: `sudo apt-get install debootstrap`; elsewhere, `docker load` a debian:bookworm-slim image',
    });
  }
  if (process.getuid?.() !== 0) {
    throw new KubelabError('building the offline base with debootstrap needs root', {
      hint: 'run this first `kubelab start` once with sudo, or `docker load` a debian:bookworm-slim image',
    });
  }
  const dir = await mkdtemp(join(tmpdir(), 'kubelab-rootfs-'));
  try {
    const script = join(root, 'images/base/build-rootfs.sh');
    const args = [script, dir, join(root, 'images/node/packages.txt'), env.KUBELAB_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian'];
    await run('sh', args, (line) => progress({ step: stepName, status: 'info', message: line }));
    const archive = pack(dir, { ignore: (name) => /^\/?(dev|proc|sys)\/./.test(name.slice(dir.length)) });
    try {
      const stream = await docker.importImage(archive as unknown as string, {
        repo: tag.split(':')[0],
        tag: tag.split(':')[1],
        changes: [`LABEL ${LABEL.image}=base`, 'CMD ["/bin/bash"]'],
      } as object);
      await followStream(docker, stream, (m) => {
        if ((m as { error?: string }).error) throw new Error((m as { error?: string }).error);
      });
    } catch (err) {
      if (isEngineUnreachable(err)) throw engineUnreachable(err);
      throw new KubelabError(`failed to import the offline base image: ${errorMessage(err)}`, { cause: err });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs a command, passing each output line to `onLine`; throws with the last lines when it fails. */
function run(cmd: string, args: string[], onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const take = (b: Buffer) => {
      for (const line of b.toString().split('\n').filter(Boolean)) {
        tail.push(line);
        if (tail.length > 40) tail.shift();
        onLine(line);
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new KubelabError(`offline base build failed: ${cmd} exited with ${code}`, {
            details: tail.join('\n'),
            hint: 'check that Debian\'s package mirror is reachable (or set KUBELAB_DEBIAN_MIRROR) and that there is free disk space',
          })),
    );
  });
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000}s`)), ms);
    }),
  ]);
}
