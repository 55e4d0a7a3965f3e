// Public surface of the kubelab engine: createEngine and the types its users see.
import type Docker from 'dockerode';
import { Clusters } from './cluster/cluster.js';
import { checkDisk, checkHostPort } from './cluster/preflight.js';
import { ClusterState } from './cluster/state.js';
import { ClusterImages, targetNodes, type ImageRow, type LoadResult, type RemoveResult } from './cluster/images.js';
import { kubeconfigPath } from './kubeconfig/kubeconfig.js';
import { kubelabHome, packageRoot } from './config/paths.js';
import { connectDocker } from './docker/connect.js';
import { HostAccess } from './forwarder/host-access.js';
import { DockerProvider } from './docker/docker-provider.js';
import { detectPrivileges, type NodePrivileges } from './docker/privileges.js';
import type { NodeProvider } from './docker/provider.js';
import { ensureBusyboxImage, ensureNodeImage } from './images/node-image.js';
import { nullLogger, type Logger } from './log/logger.js';
import type { Progress } from './log/progress.js';
import { join } from 'node:path';

export type { ClusterStatus, NodeStatus, StartOptions } from './cluster/cluster.js';
export type { NodeInfo, NodeProvider, ExecResult } from './docker/provider.js';
export type { ImageRow, LoadResult, RemoveResult } from './cluster/images.js';
export type { Logger } from './log/logger.js';
export type { Progress, ProgressEvent } from './log/progress.js';
export type { ForwarderReport, HostAccess } from './forwarder/host-access.js';
export type { ForwarderStatus, ForwardedPort, FailedPort, ForwarderFiles } from './forwarder/status-file.js';
export type { ServiceUrl } from './forwarder/service-urls.js';
export { KubelabError } from './errors.js';
export { createLogger } from './log/logger.js';

/** A kubelab engine bound to one Docker engine and one state folder. */
export interface Engine {
  clusters: Clusters;
  /** Host access to NodePort/LoadBalancer Services: the per-cluster forwarder and Service URLs. */
  hostAccess: HostAccess;
  /** The folder of kubelab's host-side state. */
  home: string;
  provider: NodeProvider;
  docker: Docker;
  /** Finds or builds the node image; returns its tag. */
  nodeImage(progress: Progress): Promise<string>;
  /** Images in the nodes' engines: load from the host's engine, list, remove (`node`: one node, else every running one). */
  images: {
    load(cluster: string, images: string[], progress: Progress, node?: string): Promise<LoadResult[]>;
    list(cluster: string, node?: string): Promise<ImageRow[]>;
    remove(cluster: string, images: string[], node?: string): Promise<RemoveResult[]>;
  };
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
  const state = new ClusterState(home);
  const hostAccess = new HostAccess({
    home,
    provider,
    state,
    log,
    // The CLI bundle under this very runtime; under Electron, its binary runs as plain Node.
    launch: () => ({ execPath: process.execPath, args: [join(root, 'dist', 'kubelab.mjs')], env: { ELECTRON_RUN_AS_NODE: '1' } }),
  });
  const clusters = new Clusters({
    provider,
    state,
    log,
    nodeImage,
    preflight: async (o) => {
      await checkDisk(docker);
      if (o.apiPort !== undefined) await checkHostPort(o.apiPort);
    },
    kubeconfigFile: kubeconfigPath(),
    forwarder: hostAccess,
  });
  const imagesOf = async (cluster: string, node?: string) => {
    const { nodes } = await clusters.status(cluster);
    return { images: new ClusterImages(docker, cluster, state.pkiDir(cluster)), nodes: targetNodes(cluster, nodes, node) };
  };
  return {
    clusters,
    hostAccess,
    images: {
      load: async (cluster, refs, progress, node) => {
        const x = await imagesOf(cluster, node);
        return x.images.load(x.nodes, refs, progress);
      },
      list: async (cluster, node) => {
        const x = await imagesOf(cluster, node);
        return x.images.list(x.nodes);
      },
      remove: async (cluster, refs, node) => {
        const x = await imagesOf(cluster, node);
        return x.images.remove(x.nodes, refs);
      },
    },
    home,
    provider,
    docker,
    nodeImage,
    busyboxImage: async (progress) => ensureBusyboxImage(docker, root, await nodeImage(progress), progress),
  };
}
