import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { errorMessage } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { boundingSetFromStatus, missingCapabilities } from './capabilities.js';
import { LABEL } from './labels.js';
import { demuxLogs } from './logs.js';

/** How node containers get the rights a nested dockerd needs on one engine. */
export interface NodePrivileges {
  mode: 'privileged' | 'capabilities';
  /** Merged into the node container's HostConfig. */
  hostConfig: Docker.HostConfig;
  /** Why privileged mode was not used, when it was not. */
  reason?: string;
}

const PRIVILEGED: NodePrivileges = { mode: 'privileged', hostConfig: { Privileged: true } };

/** Rights used where privileged containers are refused: every capability the host has, no seccomp/apparmor, a writable cgroup tree. */
export function fallbackPrivileges(missing: string[], reason: string): NodePrivileges {
  return {
    mode: 'capabilities',
    reason,
    hostConfig: {
      CapAdd: ['ALL'],
      CapDrop: missing,
      SecurityOpt: ['seccomp=unconfined', 'apparmor=unconfined', 'label=disable'],
      Binds: ['/sys/fs/cgroup:/sys/fs/cgroup:rw'],
    },
  };
}

/**
 * Finds out, once per engine, whether `--privileged` containers start there; where they do not
 * (e.g. the host lacks a capability in its bounding set), works out the fallback. Cached in
 * `<home>/engines/<engine id>.json`.
 */
export async function detectPrivileges(docker: Docker, image: string, home: string, log: Logger): Promise<NodePrivileges> {
  const info = (await docker.info()) as { ID?: string; KernelVersion?: string; ServerVersion?: string };
  const key = `${info.ID ?? 'engine'}-${info.KernelVersion ?? ''}-${info.ServerVersion ?? ''}`.replace(/[^A-Za-z0-9._-]/g, '_');
  const cacheFile = join(home, 'engines', `${key}.json`);
  const cached = await readFile(cacheFile, 'utf8').then((t) => JSON.parse(t) as NodePrivileges, () => undefined);
  const result = cached ?? (await probe(docker, image));
  if (!cached) {
    await mkdir(join(home, 'engines'), { recursive: true });
    await writeFile(cacheFile, JSON.stringify(result, null, 2));
  }
  if (result.mode === 'capabilities') {
    log.v(1).info(`privileged containers are refused here (${result.reason}); nodes run with all capabilities the host has` +
      `${result.hostConfig.CapDrop?.length ? ` (without ${result.hostConfig.CapDrop.join(', ')})` : ''}, seccomp and apparmor unconfined and a writable cgroup mount`);
  }
  return result;
}

async function probe(docker: Docker, image: string): Promise<NodePrivileges> {
  try {
    await runProbe(docker, image, { Privileged: true }, ['true']);
    return PRIVILEGED;
  } catch (err) {
    const reason = errorMessage(err).replace(/^.*?(unable to|operation not permitted)/, '$1');
    const status = await runProbe(docker, image, { PidMode: 'host' }, ['cat', '/proc/1/status']);
    return fallbackPrivileges(missingCapabilities(boundingSetFromStatus(status)), reason);
  }
}

/** Runs a short-lived labelled container and returns its output; throws if it cannot start or fails. */
async function runProbe(docker: Docker, image: string, hostConfig: Docker.HostConfig, cmd: string[]): Promise<string> {
  const container = await docker.createContainer({
    Image: image,
    Entrypoint: cmd,
    Labels: { [LABEL.probe]: 'privileges' },
    HostConfig: { ...hostConfig, NetworkMode: 'none' },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const logs = await container.logs({ stdout: true, stderr: true, follow: false });
    if (StatusCode !== 0) throw new Error(`probe ${cmd.join(' ')} exited ${StatusCode}`);
    return demuxLogs(logs as unknown as Buffer);
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

