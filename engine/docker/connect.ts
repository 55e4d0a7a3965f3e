import Docker from 'dockerode';
import { restoreUserDockerEnv } from '../cluster/docker-env.js';
import { KubelabError, errorMessage } from '../errors.js';

/**
 * A dockerode client for the engine the environment points at (DOCKER_HOST etc., else the local
 * socket). A shell pointed at a node by `kubelab docker-env` still means the user's own engine.
 */
export function connectDocker(): Docker {
  restoreUserDockerEnv(process.env);
  return new Docker();
}

/** Where the client will connect, for messages. */
export function engineAddress(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_HOST || 'unix:///var/run/docker.sock';
}

/** Resolves when the engine answers a ping within `timeoutMs`; otherwise throws a KubelabError saying what to do. */
export async function ensureEngine(docker: Docker, timeoutMs = 5000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      docker.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000}s`)), timeoutMs);
      }),
    ]);
  } catch (err) {
    throw engineUnreachable(err);
  } finally {
    clearTimeout(timer);
  }
}

/** The error kubelab gives whenever the Docker engine cannot be reached. */
export function engineUnreachable(err: unknown): KubelabError {
  return new KubelabError(`cannot reach a Docker engine at ${engineAddress()}: ${errorMessage(err)}`, {
    hint: 'start Docker (on Debian: `sudo bash scripts/install-docker.sh` in the kubelab folder) or point DOCKER_HOST at a running engine',
    cause: err,
  });
}
