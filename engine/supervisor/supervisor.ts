import { execFile } from 'node:child_process';
import { existsSync, watch } from 'node:fs';
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { dirname } from 'node:path';
import { CLUSTER_CIDR, bridgeAddressFor } from '../network/ipam.js';
import { NodeNetwork } from '../network/node-network.js';
import { PEERS_PATH } from '../network/peers.js';
import { prepareCgroups } from './cgroups.js';
import { READY_LINE, READY_PATH } from './contract.js';
import { SupervisedProcess } from './process.js';

/** This node's identity, from the environment the host gave the container. */
export interface NodeIdentity {
  name: string;
  index: number;
  role: string;
  podCIDR: string;
}

const DOCKER_SOCKET = '/var/run/docker.sock';
const VAR_SEED = '/usr/lib/kubelab-var-seed';
const VAR_SEEDED = '/var/lib/kubelab/seeded';

/** Reads the node identity from the environment; throws when the container was not made by kubelab. */
export function identityFromEnv(env: NodeJS.ProcessEnv): NodeIdentity {
  const { KUBELAB_NODE_NAME: name, KUBELAB_NODE_INDEX: index, KUBELAB_ROLE: role, KUBELAB_POD_CIDR: podCIDR } = env;
  if (!name || index === undefined || !role || !podCIDR) {
    throw new Error('KUBELAB_NODE_NAME, KUBELAB_NODE_INDEX, KUBELAB_ROLE and KUBELAB_POD_CIDR must be set');
  }
  return { name, index: Number(index), role, podCIDR };
}

/** Arguments of the node's nested dockerd: its bridge owns the node's podCIDR, and it never masquerades (kubelab's rules do). */
export function dockerdArgs(node: NodeIdentity): string[] {
  return [
    `--host=unix://${DOCKER_SOCKET}`,
    `--bip=${bridgeAddressFor(node.index)}`,
    '--ip-masq=false',
    '--iptables=true',
    '--storage-driver=overlay2',
    '--data-root=/var/lib/docker',
    '--exec-root=/run/docker',
    '--pidfile=/run/docker.pid',
  ];
}

/**
 * The node container's entrypoint: prepares cgroups, starts and keeps restarting the nested
 * dockerd, keeps the pod network wired, reports readiness, and stops everything on SIGTERM.
 */
export async function runSupervisor(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const say = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  const node = identityFromEnv(env);
  say(`kubelab supervisor on ${node.name} (${node.role}, podCIDR ${node.podCIDR})`);
  await seedVar();
  await mkdir('/var/log/kubelab', { recursive: true });
  await mkdir(dirname(READY_PATH), { recursive: true });
  await mkdir(dirname(PEERS_PATH), { recursive: true });
  await prepareCgroups(say);

  const dockerd = new SupervisedProcess(
    { name: 'dockerd', command: 'dockerd', args: dockerdArgs(node), logFile: '/var/log/kubelab/dockerd.log' },
    say,
  );
  const network = new NodeNetwork({ name: node.name, podCIDR: node.podCIDR, clusterCIDR: CLUSTER_CIDR, bridge: 'docker0' }, say);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping`);
    await dockerd.stop(15_000);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  dockerd.start();
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
  await waitForDocker();
  await reconcile();
  await writeFile(READY_PATH, `${new Date().toISOString()}\n`);
  say(READY_LINE);
  seedRestOfVar(say);
  // Peers change when nodes join or leave; dockerd rewrites iptables when it restarts. Re-check both.
  try {
    watch(dirname(PEERS_PATH), () => void reconcile());
  } catch {
    // polling below still covers it
  }
  setInterval(() => void reconcile(), 3000);
}

/**
 * Prepares the node's /var volume, empty on first boot: what the node's processes need at once
 * (run and lock links, state folders); the rest follows once the node is ready (seedRestOfVar).
 */
async function seedVar(): Promise<void> {
  if (existsSync(VAR_SEEDED) || !existsSync(VAR_SEED)) return;
  for (const dir of ['/var/lib/kubelab', '/var/lib/docker', '/var/log/kubelab', '/var/tmp']) await mkdir(dir, { recursive: true });
  await chmod('/var/tmp', 0o1777);
  for (const [link, target] of [['/var/run', '/run'], ['/var/lock', '/run/lock']] as const) {
    if (!existsSync(link)) await symlink(target, link).catch(() => undefined);
  }
}

/** Copies the rest of the image's /var (package database, caches) into a fresh volume; runs after the node is ready. */
function seedRestOfVar(say: (line: string) => void): void {
  if (existsSync(VAR_SEEDED) || !existsSync(VAR_SEED)) return;
  execFile('cp', ['-a', '-n', `${VAR_SEED}/.`, '/var/'], (err, _out, stderr) => {
    if (err) return say(`seeding /var failed: ${stderr.trim() || err.message}`);
    void writeFile(VAR_SEEDED, `${new Date().toISOString()}\n`).then(() => say('seeded /var'));
  });
}

/** Resolves once the nested dockerd answers /_ping. */
async function waitForDocker(): Promise<void> {
  for (;;) {
    if (await ping()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function ping(): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath: DOCKER_SOCKET, path: '/_ping', timeout: 1000 }, (res) => {
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
