// The service proxy process (our kube-proxy, iptables mode), one per node, started and restarted
// by the node's supervisor: follows Services and EndpointSlices and rewrites the node's iptables
// rules whenever they change, and every 30 s regardless (rules lost to a restart come back).
import { execFile } from 'node:child_process';
import type { ApiObject } from '../api/resource-type.js';
import { SharedInformers } from '../client/informer.js';
import { nodeApiConfig } from '../client/node-credentials.js';
import { RestClient } from '../client/rest-client.js';
import { createLogger } from '../log/logger.js';
import { CLUSTER_CIDR } from '../network/ipam.js';
import { conntrackCleanups } from './conntrack.js';
import { jumpCommands, PROXY_JUMPS } from './jumps.js';
import { chainsIn, proxyRules } from './rules.js';
import type { EndpointSlice, Service, ServicePort } from './service-ports.js';
import { SyncLoop } from './sync-loop.js';

/** Least time between two syncs, and the period of the full resync. */
const MIN_SYNC_INTERVAL_MS = 100;
const RESYNC_MS = 30_000;
const RETRY_MS = 1000;
/** How long iptables may wait for the xtables lock (dockerd and the supervisor take it too). */
const LOCK_WAIT = ['-w', '5'];

/** Runs a command, resolving with stdout; rejects with stderr (and the spawn error's code) on failure. */
function run(cmd: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
      err ? reject(Object.assign(new Error(`${cmd} ${args.join(' ')}: ${stderr.trim() || err.message}`), { code: (err as NodeJS.ErrnoException).code })) : resolve(stdout),
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** Runs the proxy until the process is stopped. The rules stay when it stops: services keep working while it restarts. */
export async function runProxy(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const say = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  const log = createLogger((level, m) => say(`${level}: ${m}`));
  const { KUBELAB_NODE_NAME: node, KUBELAB_ROLE: role } = env;
  if (!node || !role) throw new Error('KUBELAB_NODE_NAME and KUBELAB_ROLE must be set');
  const api = await nodeApiConfig(role === 'control-plane', `kube-proxy/${node}`);
  const informers = new SharedInformers(new RestClient(api.config), { log });
  const services = informers.for<ApiObject & Service>({ group: '', version: 'v1', resource: 'services' });
  const slices = informers.for<ApiObject & EndpointSlice>({ group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' });

  let previous: ServicePort[] | undefined;
  let conntrack = true;
  const sync = async () => {
    const started = Date.now();
    const [nat, filter] = await Promise.all([run('iptables-save', ['-t', 'nat']), run('iptables-save', ['-t', 'filter'])]);
    const rules = proxyRules({ services: services.list(), slices: slices.list(), clusterCIDR: CLUSTER_CIDR, existingChains: { nat: chainsIn(nat), filter: chainsIn(filter) } });
    await run('iptables-restore', [...LOCK_WAIT, '--noflush'], rules.filter + rules.nat);
    for (const jump of PROXY_JUMPS) {
      const listing = await run('iptables', [...LOCK_WAIT, '-t', jump.table, '-S', jump.chain]);
      const fixes = jumpCommands(listing, jump);
      for (const args of fixes) await run('iptables', [...LOCK_WAIT, ...args]);
      if (fixes.length) say(`jump ${jump.table}/${jump.chain} -> ${jump.rule.at(-1)} restored`);
    }
    // Nothing to compare against on the first sync: entries from before a restart are left alone.
    const stale = previous && conntrack ? conntrackCleanups(previous, rules.ports) : [];
    for (const args of stale) {
      try {
        await run('conntrack', args);
      } catch (err) {
        // No binary: nothing to clean, now or later. Otherwise it also fails when nothing matched.
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
          conntrack = false;
          break;
        }
        log.v(1).info((err as Error).message);
      }
    }
    previous = rules.ports;
    const ready = rules.ports.filter((p) => p.endpoints.length > 0).length;
    const endpoints = rules.ports.reduce((n, p) => n + p.endpoints.length, 0);
    say(
      `synced ${rules.ports.length} service ports (${ready} with endpoints, ${endpoints} endpoints), ` +
        `${rules.removedChains.length} stale chains removed, ${stale.length} conntrack cleanups in ${Date.now() - started} ms`,
    );
  };

  const loop = new SyncLoop(sync, { minIntervalMs: MIN_SYNC_INTERVAL_MS, retryMs: RETRY_MS, onError: (err) => say(`sync failed: ${err.message}; retrying`) });
  // Syncing before both caches are loaded would remove the rules of services not yet seen.
  let synced = false;
  const changed = () => synced && loop.request();
  services.addHandler({ onAdd: changed, onUpdate: changed, onDelete: changed });
  slices.addHandler({ onAdd: changed, onUpdate: changed, onDelete: changed });
  process.on('SIGTERM', () => {
    loop.stop();
    process.exit(0);
  });
  say(`proxy on ${node}: following services and endpointslices at ${api.config.server}`);
  await informers.waitForSync();
  synced = true;
  loop.request();
  setInterval(() => loop.request(), RESYNC_MS);
}
