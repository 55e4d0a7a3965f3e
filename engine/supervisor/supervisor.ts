import { existsSync, watch } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { POD_NAMESPACES_DIR, POD_RUNTIME_PATH, podRuntimeScript } from '../kubelet/pod-runtime.js';
import { networkInterfaces } from 'node:os';
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { dirname } from 'node:path';
import { CLUSTER_CIDR } from '../network/ipam.js';
import { runNodeDnsRelay } from '../dns/node-relay.js';
import { startPortTunnel } from '../tunnel/main.js';
import { nodeDnsRelayAddress } from '../kubelet/cluster-network.js';
import { createLogger } from '../log/logger.js';
import { NodeNetwork } from '../network/node-network.js';
import { PEERS_PATH } from '../network/peers.js';
import { prepareCgroups } from './cgroups.js';
import { clusterCa, localApiConfig } from '../client/credentials.js';
import { RestClient } from '../client/rest-client.js';
import { APISERVER_PORT, CONTROLLER_MANAGER_PORT, DOCKER_SOCKET, SCHEDULER_PORT, ETCD_CLIENT_URL, PKI_DIR, READY_LINE, READY_PATH } from './contract.js';
import { StaticPodReporter } from './static-pods.js';
import { processesFor, type NodeIdentity } from './processes.js';
import { SupervisedProcess } from './process.js';
import { seedRestOfVar, seedVar } from './var-seed.js';

/** How often the node's network rules and routes are checked besides the changes that are followed. */
const NETWORK_RECHECK_MS = 60_000;

/** Reads the node identity from the environment; throws when the container was not made by kubelab. */
export function identityFromEnv(env: NodeJS.ProcessEnv): NodeIdentity {
  const { KUBELAB_NODE_NAME: name, KUBELAB_NODE_INDEX: index, KUBELAB_ROLE: role, KUBELAB_POD_CIDR: podCIDR } = env;
  if (!name || index === undefined || !role || !podCIDR) {
    throw new Error('KUBELAB_NODE_NAME, KUBELAB_NODE_INDEX, KUBELAB_ROLE and KUBELAB_POD_CIDR must be set');
  }
  return { name, index: Number(index), role, podCIDR, dockerTls: existsSync(`${PKI_DIR}/node-serving.crt`) };
}

/**
 * The node container's entrypoint: prepares cgroups, starts and keeps restarting the node's
 * processes (the nested dockerd; etcd on the control plane), keeps the pod network wired,
 * reports readiness, and stops everything on SIGTERM.
 */
export async function runSupervisor(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const say = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  const node = identityFromEnv(env);
  say(`kubelab supervisor on ${node.name} (${node.role}, podCIDR ${node.podCIDR})`);
  await seedVar();
  await mkdir('/var/log/kubelab', { recursive: true });
  await mkdir(dirname(READY_PATH), { recursive: true });
  await mkdir(dirname(PEERS_PATH), { recursive: true });
  // dockerd's pod runtime (see kubelet/pod-runtime.ts): written on every start, so it matches this version.
  await mkdir(POD_NAMESPACES_DIR, { recursive: true });
  await writeFile(POD_RUNTIME_PATH, podRuntimeScript(), { mode: 0o755 });
  await prepareCgroups(say);

  const processes = processesFor(node).map((spec) => new SupervisedProcess(spec, say));
  const network = new NodeNetwork({ name: node.name, podCIDR: node.podCIDR, clusterCIDR: CLUSTER_CIDR, bridge: 'docker0' }, say);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping`);
    await Promise.all([...processes].reverse().map((p) => p.stop(15_000)));
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  for (const p of processes) p.start();
  let busy = false;
  const reconcile = async () => {
    if (busy || stopping) return;
    busy = true;
    try {
      await network.reconcile();
    } catch (err) {
      say(`network: ${(err as Error).message}`);
    } finally {
      busy = false;
    }
  };
  // Network rules wait for dockerd: both take the xtables lock, and dockerd starts slower when they race.
  await waitForDocker();
  // Pods reach the node's resolver through this relay on the bridge (see dns/node-relay.ts).
  void runNodeDnsRelay(nodeDnsRelayAddress(node.podCIDR), createLogger((level, m) => say(`${level}: ${m}`)));
  await Promise.all([reconcile(), node.role === 'control-plane' ? waitFor(apiserverReady) : undefined]);
  await writeFile(READY_PATH, `${new Date().toISOString()}\n`);
  say(READY_LINE);
  seedRestOfVar(say);
  // Peers change when nodes join or leave (the host rewrites the peers file); dockerd rewrites
  // iptables when it restarts. Both are followed as they happen; the slow poll is a safety net
  // (each pass runs iptables and ip, which cost more than anything else an idle node does).
  try {
    watch(dirname(PEERS_PATH), () => void reconcile());
  } catch {
    // polling below still covers it
  }
  const dockerd = processes.find((p) => p.state().name === 'dockerd');
  if (dockerd) dockerd.onChange = () => void (dockerd.state().running ? waitForDocker().then(reconcile) : undefined);
  setInterval(() => void reconcile(), NETWORK_RECHECK_MS);
  if (node.role === 'control-plane') {
    // The host's forwarder reaches node ports through this tunnel (see tunnel/ and forwarder/).
    void startPortTunnel(nodeIp(), node.name, say).catch((err: Error) => say(`port tunnel: ${err.message}`));
    await reportStaticPods(node.name, processes, say);
  }
}

/** This node's address on the cluster network (eth0). */
function nodeIp(): string {
  return networkInterfaces().eth0?.find((a) => a.family === 'IPv4')?.address ?? '127.0.0.1';
}

/**
 * Shows the control plane's processes as mirror pods in kube-system (the node agent serves their
 * logs), as the node itself, with a certificate minted from the cluster CA the control plane holds.
 */
async function reportStaticPods(name: string, processes: SupervisedProcess[], say: (line: string) => void): Promise<void> {
  const ca = await clusterCa();
  const ip = nodeIp();
  const rest = new RestClient(localApiConfig(ca, `system:node:${name}`, ['system:nodes'], 'kubelab-supervisor'));
  const ready = async (proc: string) => {
    if (proc === 'etcd') return answersOk((done) => request(`${ETCD_CLIENT_URL}/health`, { timeout: 1000 }, done));
    if (proc === 'apiserver') return apiserverReady();
    if (proc === 'controller-manager') return healthy(CONTROLLER_MANAGER_PORT);
    if (proc === 'scheduler') return healthy(SCHEDULER_PORT);
    return true;
  };
  const reporter = new StaticPodReporter(rest, { name, ip, image: process.env.KUBELAB_NODE_IMAGE ?? 'kubelab/node' }, processes, ready, say);
  for (const p of processes) {
    const before = p.onChange;
    p.onChange = () => {
      before?.();
      reporter.sync();
    };
  }
  reporter.sync();
  setInterval(() => reporter.sync(), 5000);
}

/** Resolves once the nested dockerd answers /_ping. */
function waitForDocker(): Promise<void> {
  return waitFor(ping);
}

/** Polls `check` every 50 ms until it says yes. */
async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (;;) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** True when a control-plane component's health port answers /healthz (loopback). */
function healthy(port: number): Promise<boolean> {
  return answersOk((done) => httpsRequest({ host: '127.0.0.1', port, path: '/healthz', rejectUnauthorized: false, timeout: 1000 }, done));
}

/** True when the apiserver beside this supervisor answers /readyz (loopback; its certificate is not what is being checked). */
function apiserverReady(): Promise<boolean> {
  return answersOk((done) => httpsRequest({ host: '127.0.0.1', port: APISERVER_PORT, path: '/readyz', rejectUnauthorized: false, timeout: 1000 }, done));
}

/** True when the nested dockerd answers /_ping. */
function ping(): Promise<boolean> {
  return answersOk((done) => request({ socketPath: DOCKER_SOCKET, path: '/_ping', timeout: 1000 }, done));
}

/** Sends the request `make` builds and says whether it was answered 200 within its timeout. */
function answersOk(make: (onResponse: (res: IncomingMessage) => void) => ClientRequest): Promise<boolean> {
  return new Promise((resolve) => {
    const req = make((res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}
