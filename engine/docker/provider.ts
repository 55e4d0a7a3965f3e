import type { Duplex } from 'node:stream';
import type { NodeRole } from '../cluster/names.js';

/** What it takes to create one node container. */
export interface NodeSpec {
  cluster: string;
  name: string;
  index: number;
  role: NodeRole;
  image: string;
  /** Fixed address on the cluster's node network. */
  ip: string;
  podCIDR: string;
  /** Container ports published on 127.0.0.1 at a random host port (or the given one). */
  ports: Array<{ container: number; host?: number }>;
  /** Extra environment of the node's processes (cluster settings). */
  env?: Record<string, string>;
}

/** A node as the provider sees it. */
export interface NodeInfo {
  name: string;
  cluster: string;
  role: NodeRole;
  index: number;
  /** Docker's container state: running, exited, created, restarting, paused, dead. */
  state: string;
  ip: string;
  ports: Array<{ container: number; host: number }>;
}

/** Result of a command run inside a node. */
export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Every Docker object of one cluster, found by label. */
export interface ClusterObjects {
  containers: string[];
  networks: string[];
  volumes: string[];
}

/**
 * Where nodes live: creates, starts, stops and removes node containers, their volumes and the
 * cluster network. Host side only; the cluster lifecycle talks to nodes through this interface.
 */
export interface NodeProvider {
  /** Throws a clear error when the engine cannot be reached. */
  ping(): Promise<void>;
  /** Names of every cluster that has any labelled object on the engine. */
  listClusters(): Promise<string[]>;
  /** Nodes of `cluster` (or of all clusters), sorted by cluster then index. */
  listNodes(cluster?: string): Promise<NodeInfo[]>;
  /** The labelled objects of `cluster`. */
  clusterObjects(cluster: string): Promise<ClusterObjects>;
  /** Creates the cluster's bridge network on a free subnet; returns the subnet. */
  createNetwork(cluster: string): Promise<string>;
  /** Subnet of the cluster's network, if it exists. */
  networkSubnet(cluster: string): Promise<string | undefined>;
  /** Creates a node's volume and container (not started). */
  createNode(spec: NodeSpec): Promise<void>;
  startNode(name: string): Promise<void>;
  stopNode(name: string): Promise<void>;
  /** Removes a node's container and volume. */
  deleteNode(name: string): Promise<void>;
  /** Removes every labelled object of `cluster`; returns what it removed. */
  deleteCluster(cluster: string): Promise<ClusterObjects>;
  /** Writes files into an existing folder of a node (running or not); mode defaults to 0644. */
  writeFiles(node: string, dir: string, files: Record<string, { content: string; mode?: number }>): Promise<void>;
  /**
   * Follows the node's output since its current start and resolves true once a line containing
   * `text` appears, false when the node stops or `timeoutMs` passes first.
   */
  waitForLogLine(node: string, text: string, timeoutMs: number): Promise<boolean>;
  /** Runs a command inside a running node and collects its output. */
  exec(node: string, cmd: string[], opts?: { stdin?: NodeJS.ReadableStream }): Promise<ExecResult>;
  /** Starts an interactive TTY command inside a node; the returned stream is its terminal. */
  execInteractive(node: string, cmd: string[], size: { rows: number; cols: number }): Promise<{ stream: Duplex; resize(size: { rows: number; cols: number }): Promise<void>; exitCode(): Promise<number> }>;
}
