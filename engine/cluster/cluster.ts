import { dockerTarget, writeDockerCerts, type DockerTarget } from './docker-env.js';
import { asFiles, loadPki, nodeCredentialFiles } from '../certs/cluster-pki.js';
import { KubelabError } from '../errors.js';
import { PKI_DIR } from '../supervisor/contract.js';
import { standaloneKubeconfig } from '../kubeconfig/kubeconfig.js';
import { clusterAccess, publishAccess, useAccess, withdrawAccess } from './access.js';
import type { NodeInfo, NodeProvider } from '../docker/provider.js';
import type { Logger } from '../log/logger.js';
import { step, type Progress } from '../log/progress.js';
import { nextFreeIndex, podCidrFor } from '../network/ipam.js';
import { createCluster } from './create/create-cluster.js';
import { DEFAULT_CLUSTER, validateClusterName, validateNodeCount } from './names.js';
import { controlPlaneStopWarning, findClusterNode, planNodePower } from './node-power.js';
import { nodeSpec } from './node-spec.js';
import { nodeReady, waitReady } from './readiness.js';
import type { ClusterState } from './state.js';
import { writePeers } from './wiring.js';

/** A node with what `status` reports about it. */
export interface NodeStatus extends NodeInfo {
  podCIDR: string;
  /** Nested runtime answers and network wired (false for stopped nodes). */
  ready: boolean;
}

/** A cluster as `list` and `status` report it. */
export interface ClusterStatus {
  name: string;
  /** The kubectl context of the cluster, once `start` has written it. */
  context?: string;
  /** running: every node ready; stopped: no node running; degraded: anything in between. */
  state: 'running' | 'stopped' | 'degraded';
  nodes: NodeStatus[];
}

/** Options of `start`. */
export interface StartOptions {
  name?: string;
  /** Node count when the cluster is created (1 control plane + N-1 workers). */
  nodes?: number;
  /** How long to wait for the nodes to be ready, in ms. */
  waitMs?: number;
  /** Keep a failed creation's parts for inspection. */
  retain?: boolean;
  /** Fixed host port for the apiserver (random when absent). */
  apiPort?: number;
  /** How long pods stay bound to an unreachable or not-ready node before eviction, in seconds (default 300). */
  evictionSeconds?: number;
  /** How long HorizontalPodAutoscalers wait before scaling down, in seconds (default 300). */
  hpaDownscaleSeconds?: number;
}

/** What the lifecycle needs from its surroundings. */
export interface ClusterDeps {
  provider: NodeProvider;
  state: ClusterState;
  log: Logger;
  /** Finds or builds the node image; returns its tag. */
  nodeImage: (progress: Progress) => Promise<string>;
  /** Checks run before a create (disk space, fixed ports). */
  preflight: (opts: StartOptions) => Promise<void>;
  /** The kubeconfig file kubelab merges its contexts into. */
  kubeconfigFile: string;
  /** The per-cluster host port forwarder: started once a cluster is up, stopped before it goes down. */
  forwarder?: { start(cluster: string): Promise<unknown>; stop(cluster: string): Promise<boolean> };
}

const DEFAULT_WAIT_MS = 5 * 60_000;

/** Host-side lifecycle of kubelab clusters: create/start, stop, delete, list, status, node add/delete. */
export class Clusters {
  constructor(private readonly deps: ClusterDeps) {}

  /** Creates the cluster if it does not exist, else starts its nodes; resolves when every node is ready. */
  async start(opts: StartOptions, progress: Progress, signal?: AbortSignal): Promise<{ created: boolean; status: ClusterStatus }> {
    const name = validateClusterName(opts.name ?? DEFAULT_CLUSTER);
    const count = validateNodeCount(opts.nodes ?? 1);
    const deadline = Date.now() + (opts.waitMs ?? DEFAULT_WAIT_MS);
    const { provider, state, log } = this.deps;
    await provider.ping();
    await this.recover(progress);
    const release = await state.lock(name, 'start');
    try {
      const existing = await provider.listNodes(name);
      if (existing.length === 0) {
        if ((await provider.listClusters()).includes(name)) {
          throw new KubelabError(`cluster "${name}" is incomplete: it has no nodes left`, { hint: `remove it with \`kubelab delete ${name}\`, then start it again` });
        }
        await step(progress, 'Checking the host', () => this.deps.preflight(opts));
        await createCluster(
          { cluster: name, nodeCount: count, apiPort: opts.apiPort, settings: { evictionSeconds: opts.evictionSeconds, hpaDownscaleSeconds: opts.hpaDownscaleSeconds }, deadline, provider, progress, log, nodeImage: () => this.deps.nodeImage(progress), pkiDir: state.pkiDir(name), specs: [], signal },
          state,
          opts.retain ?? false,
        );
        const status = await this.publish(name, progress);
        await this.startForwarder(name, progress);
        return { created: true, status };
      }
      if (opts.nodes !== undefined && opts.nodes !== existing.length) {
        log.warn(`cluster "${name}" already exists with ${existing.length} node(s); --nodes ${opts.nodes} is ignored (use \`kubelab node add|delete\`)`);
      }
      await this.bringUp(existing, existing, deadline, progress, signal);
      const status = await this.publish(name, progress);
      await this.startForwarder(name, progress);
      return { created: false, status };
    } finally {
      await release();
    }
  }

  /** Stops every node of the cluster; state stays on the nodes' volumes. */
  async stop(cluster: string, progress: Progress): Promise<void> {
    const nodes = await this.nodesOf(cluster);
    const release = await this.deps.state.lock(cluster, 'stop');
    try {
      await this.stopForwarder(cluster);
      await step(progress, 'Stopping nodes', () => Promise.all(nodes.map((n) => this.deps.provider.stopNode(n.name))).then(() => undefined));
    } finally {
      await release();
    }
  }

  /**
   * Stops one node of a running cluster (as a node failure would): its pods stop with it and the
   * control plane marks the Node NotReady, then evicts its pods after the eviction timeout. Stopping
   * the control-plane node is allowed: the API server and the host port forwarder go away with it
   * (a warning says so). Throws for an unknown node, a stopped cluster or a node already stopped.
   */
  async stopNode(cluster: string, node: string, progress: Progress): Promise<void> {
    const { provider, state, log } = this.deps;
    const target = planNodePower(cluster, await this.nodesOf(cluster), node, 'stop');
    const release = await state.lock(cluster, 'node stop');
    try {
      await step(progress, `Stopping node ${node}`, async () => {
        if (target.controlPlane) {
          const warning = controlPlaneStopWarning(node);
          log.warn(warning);
          progress({ step: `Stopping node ${node}`, status: 'info', message: warning });
          await this.stopForwarder(cluster);
        }
        await provider.stopNode(node);
      });
    } finally {
      await release();
    }
  }

  /**
   * Starts one stopped node of a running (or degraded) cluster the way `start` starts every node:
   * the peers file (pod routes), the container, its supervisor's ready line; for the control-plane
   * node also the kubeconfig (its API port may have moved; the current context is left as it is)
   * and the host port forwarder. Throws for an unknown node, a stopped cluster or a running node.
   */
  async startNode(cluster: string, node: string, progress: Progress, signal?: AbortSignal, waitMs = DEFAULT_WAIT_MS): Promise<void> {
    const nodes = await this.nodesOf(cluster);
    const target = planNodePower(cluster, nodes, node, 'start');
    const release = await this.deps.state.lock(cluster, 'node start');
    try {
      await this.bringUp(nodes, [target.node], Date.now() + waitMs, progress, signal);
      if (target.controlPlane) {
        await this.publish(cluster, progress, false);
        await this.startForwarder(cluster, progress);
      }
    } finally {
      await release();
    }
  }

  /** Makes the cluster's kubectl context the current one in the user's kubeconfig; returns its name. */
  async useContext(cluster: string): Promise<string> {
    return useAccess(validateClusterName(cluster), this.deps.kubeconfigFile);
  }

  /** Removes every container, network and volume labelled with the cluster, and its host-side state. */
  async delete(cluster: string, progress: Progress): Promise<void> {
    validateClusterName(cluster);
    await this.deps.provider.ping();
    await this.recover(progress);
    if (!(await this.deps.provider.listClusters()).includes(cluster)) throw missingCluster(cluster);
    const release = await this.deps.state.lock(cluster, 'delete');
    try {
      await this.stopForwarder(cluster);
      await step(progress, `Deleting cluster ${cluster}`, () => this.deps.provider.deleteCluster(cluster));
      await withdrawAccess(cluster, this.deps.kubeconfigFile).catch((err: unknown) =>
        this.deps.log.warn(`could not remove context kubelab-${cluster} from ${this.deps.kubeconfigFile}: ${(err as Error).message}`),
      );
      await this.deps.state.remove(cluster);
    } finally {
      await release();
    }
  }

  /** Deletes every kubelab cluster on the engine; returns their names. */
  async deleteAll(progress: Progress): Promise<string[]> {
    await this.deps.provider.ping();
    await this.recover(progress);
    const names = await this.deps.provider.listClusters();
    for (const name of names) await this.delete(name, progress);
    return names;
  }

  /** Every cluster with its nodes' state. */
  async list(progress: Progress = () => {}): Promise<ClusterStatus[]> {
    await this.deps.provider.ping();
    await this.recover(progress);
    const names = await this.deps.provider.listClusters();
    return Promise.all(names.map((n) => this.status(n)));
  }

  /** One cluster's state and nodes; throws when it does not exist. `justReady`: every running node was just seen ready, skip re-checking. */
  async status(cluster: string, justReady = false): Promise<ClusterStatus> {
    const nodes = await this.nodesOf(cluster);
    const withReady = await Promise.all(
      nodes.map(async (n) => ({
        ...n,
        podCIDR: podCidrFor(n.index),
        ready: n.state === 'running' && (justReady || (await nodeReady(this.deps.provider, n.name))),
      })),
    );
    const ready = withReady.filter((n) => n.ready).length;
    const running = withReady.filter((n) => n.state === 'running').length;
    const state = ready === nodes.length && nodes.length > 0 ? 'running' : running === 0 ? 'stopped' : 'degraded';
    return { name: cluster, state, nodes: withReady };
  }

  /** Writes the peers file (every node's address and podCIDR) into `all`, starts `targets` and waits for their nested runtimes. */
  private async bringUp(all: NodeInfo[], targets: NodeInfo[], deadline: number, progress: Progress, signal?: AbortSignal): Promise<void> {
    const { provider } = this.deps;
    const one = targets.length === 1 && all.length > 1 ? targets[0]!.name : undefined;
    await step(progress, one ? `Starting node ${one}` : 'Starting nodes', async () => {
      await writePeers(provider, all);
      await Promise.all(targets.map((n) => provider.startNode(n.name)));
    });
    await step(progress, one ? 'Waiting for nested runtime' : 'Waiting for nested runtimes', () => waitReady(provider, targets.map((n) => n.name), deadline, signal));
  }

  /** After a start: the ready cluster's status, with its context merged into the kubeconfig (made current unless `makeCurrent` is false). */
  private async publish(cluster: string, progress: Progress, makeCurrent = true): Promise<ClusterStatus> {
    const status = await this.status(cluster, true);
    status.context = await step(progress, 'Writing kubeconfig', () => publishAccess(this.deps.state, cluster, status.nodes, this.deps.kubeconfigFile, makeCurrent));
    return status;
  }

  /** Starts the host port forwarder; a failure only warns (the cluster itself is up). */
  private async startForwarder(cluster: string, progress: Progress): Promise<void> {
    const forwarder = this.deps.forwarder;
    if (!forwarder) return;
    await step(progress, 'Forwarding node ports to 127.0.0.1', () => forwarder.start(cluster)).catch((err: unknown) => {
      const e = err as KubelabError;
      this.deps.log.warn(`host access to NodePorts is off: ${e.message}${e.hint ? ` (${e.hint})` : ''}`);
    });
  }

  /** Stops the host port forwarder, if one runs; a failure only warns. */
  private async stopForwarder(cluster: string): Promise<void> {
    await this.deps.forwarder?.stop(cluster).catch((err: unknown) => this.deps.log.warn(`could not stop the host port forwarder of "${cluster}": ${(err as Error).message}`));
  }

  /** A kubeconfig holding only this cluster, for `kubelab kubeconfig`. */
  async kubeconfig(cluster: string): Promise<string> {
    return standaloneKubeconfig(await clusterAccess(this.deps.state, cluster, await this.nodesOf(cluster)));
  }

  /** Where a shell's docker should point to use `node` (the control plane by default) of a running cluster; writes the client certificates. */
  async dockerEnv(cluster: string, node?: string): Promise<DockerTarget> {
    const nodes = await this.nodesOf(cluster);
    const certPath = await writeDockerCerts(this.deps.state.pkiDir(cluster), this.deps.state.dir(cluster));
    return dockerTarget(cluster, nodes, node, certPath);
  }

  /** Adds a worker to a running cluster, wired both ways; returns its name. */
  async addNode(cluster: string, progress: Progress, signal?: AbortSignal, waitMs = DEFAULT_WAIT_MS): Promise<string> {
    const { provider, state } = this.deps;
    const nodes = await this.nodesOf(cluster);
    const release = await state.lock(cluster, 'node add');
    try {
      const image = await this.deps.nodeImage(progress);
      const subnet = await provider.networkSubnet(cluster);
      if (!subnet) throw new KubelabError(`cluster "${cluster}" has lost its network`, { hint: `delete and recreate it: \`kubelab delete ${cluster}\`` });
      const spec = nodeSpec(cluster, nextFreeIndex(nodes.map((n) => n.index)), image, subnet);
      try {
        await step(progress, `Creating node ${spec.name}`, () => provider.createNode(spec));
        await step(progress, 'Wiring pod network', () => writePeers(provider, [...nodes, spec]));
        const pki = await loadPki(state.pkiDir(cluster));
        await provider.writeFiles(spec.name, PKI_DIR, asFiles(nodeCredentialFiles(pki.ca, spec)));
        await step(progress, `Starting node ${spec.name}`, () => provider.startNode(spec.name));
        await step(progress, 'Waiting for nested runtime', () => waitReady(provider, [spec.name], Date.now() + waitMs, signal));
      } catch (err) {
        await provider.deleteNode(spec.name).catch(() => undefined);
        await writePeers(provider, nodes).catch(() => undefined);
        throw err;
      }
      return spec.name;
    } finally {
      await release();
    }
  }

  /** Removes a worker (container and volume) and unwires it from the others. */
  async deleteNode(cluster: string, node: string, progress: Progress): Promise<void> {
    const { provider, state } = this.deps;
    const nodes = await this.nodesOf(cluster);
    const target = findClusterNode(cluster, nodes, node);
    if (target.role === 'control-plane') {
      throw new KubelabError(`node "${node}" is the control plane and cannot be removed`, { hint: `delete the whole cluster with \`kubelab delete ${cluster}\`` });
    }
    const release = await state.lock(cluster, 'node delete');
    try {
      await step(progress, `Deleting node ${node}`, () => provider.deleteNode(node));
      await step(progress, 'Unwiring pod network', () => writePeers(provider, nodes.filter((n) => n.name !== node)));
    } finally {
      await release();
    }
  }

  /** Finds a node by name across clusters (node names embed their cluster's). */
  async findNode(node: string): Promise<NodeInfo> {
    await this.deps.provider.ping();
    const found = (await this.deps.provider.listNodes()).find((n) => n.name === node);
    if (!found) throw new KubelabError(`no node named "${node}"`, { hint: 'see the nodes with `kubelab status`' });
    return found;
  }

  /** Removes clusters whose creation was cut off (kubelab killed, engine gone mid-create). */
  async recover(progress: Progress): Promise<string[]> {
    const { provider, state } = this.deps;
    const names = await state.interruptedCreates();
    for (const name of names) {
      await step(progress, `Removing half-made cluster ${name} (an earlier create was interrupted)`, async () => {
        await provider.deleteCluster(name);
        await state.remove(name);
      });
    }
    return names;
  }

  private async nodesOf(cluster: string): Promise<NodeInfo[]> {
    validateClusterName(cluster);
    await this.deps.provider.ping();
    const nodes = await this.deps.provider.listNodes(cluster);
    if (nodes.length === 0) throw missingCluster(cluster);
    return nodes;
  }
}

function missingCluster(cluster: string): KubelabError {
  return new KubelabError(`cluster "${cluster}" does not exist`, { hint: 'see the clusters with `kubelab list`; create one with `kubelab start`' });
}
