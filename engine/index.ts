// Public surface of the kubelab engine: createEngine and the types its users see.
import type Docker from 'dockerode';
import { Clusters } from './cluster/cluster.js';
import { checkDisk, checkHostPort } from './cluster/preflight.js';
import { ClusterState } from './cluster/state.js';
import { kubeconfigPath } from './kubeconfig/kubeconfig.js';
import { kubelabHome, packageRoot } from './config/paths.js';
import { connectDocker } from './docker/connect.js';
import { DockerProvider } from './docker/docker-provider.js';
import { detectPrivileges, type NodePrivileges } from './docker/privileges.js';
import type { NodeProvider } from './docker/provider.js';
import { ensureBusyboxImage, ensureNodeImage } from './images/node-image.js';
import { nullLogger, type Logger } from './log/logger.js';
import type { Progress } from './log/progress.js';

export type { ClusterStatus, NodeStatus, StartOptions } from './cluster/cluster.js';
export type { NodeInfo, NodeProvider, ExecResult } from './docker/provider.js';
export type { Logger } from './log/logger.js';
export type { Progress, ProgressEvent } from './log/progress.js';
export { KubelabError } from './errors.js';
export { createLogger } from './log/logger.js';

/** A kubelab engine bound to one Docker engine and one state folder. */
export interface Engine {
  clusters: Clusters;
  /** The folder of kubelab's host-side state. */
  home: string;
  provider: NodeProvider;
  docker: Docker;
  /** Finds or builds the node image; returns its tag. */
  nodeImage(progress: Progress): Promise<string>;
  /** Finds or builds the small busybox image used by examples and tests; returns its tag. */
  busyboxImage(progress: Progress): Promise<string>;
}

/** Wires the engine: dockerode from the environment (DOCKER_HOST…), state in `home` (default `$KUBELAB_HOME` or ~/.kubelab). */
export function createEngine(opts: { log?: Logger; home?: string } = {}): Engine {
  const log = opts.log ?? nullLogger;
  const home = opts.home ?? kubelabHome();
  const root = packageRoot();
  const docker = connectDocker();
  let privileges: Promise<NodePrivileges> | undefined;
  const resolvePrivileges = (image: string) => {
    privileges ??= detectPrivileges(docker, image, home, log).catch((err: unknown) => {
      privileges = undefined;
      throw err;
    });
    return privileges;
  };
  const provider = new DockerProvider(docker, log, resolvePrivileges);
  const nodeImage = (progress: Progress) => ensureNodeImage(docker, root, progress, log);
  const clusters = new Clusters({
    provider,
    state: new ClusterState(home),
    log,
    nodeImage,
    preflight: async (o) => {
      await checkDisk(docker);
      if (o.apiPort !== undefined) await checkHostPort(o.apiPort);
    },
    kubeconfigFile: kubeconfigPath(),
  });
  return {
    clusters,
    home,
    provider,
    docker,
    nodeImage,
    busyboxImage: async (progress) => ensureBusyboxImage(docker, root, await nodeImage(progress), progress),
  };
}
