// The service proxy (our kube-proxy, iptables mode), part of every node agent: follows Services
// and EndpointSlices and rewrites the node's iptables rules whenever they change, and every 30 s
// regardless (rules lost to a restart come back).
import type { ApiObject } from '../api/resource-type.js';
import type { SharedInformers } from '../client/informer.js';
import { createLogger } from '../log/logger.js';
import { runCommand, type CommandRunner } from '../network/command.js';
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


/**
 * Keeps this node's Service rules in step with the cluster, from `informers` (the node agent's:
 * the proxy runs inside it, which saves every node a process). The rules stay when the agent
 * stops: Services keep working while it restarts. Its iptables commands go through `run` (the
 * agent's command shell). Returns a function that stops the syncing.
 */
export function startServiceProxy(informers: SharedInformers, node: string, say: (line: string) => void, run: CommandRunner = runCommand): () => void {
  const log = createLogger((level, m) => say(`${level}: ${m}`));
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
      if (fixes.length) say(`proxy: jump ${jump.table}/${jump.chain} -> ${jump.rule.at(-1)} restored`);
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
      `proxy: synced ${rules.ports.length} service ports (${ready} with endpoints, ${endpoints} endpoints), ` +
        `${rules.removedChains.length} stale chains removed, ${stale.length} conntrack cleanups in ${Date.now() - started} ms`,
    );
  };

  const loop = new SyncLoop(sync, { minIntervalMs: MIN_SYNC_INTERVAL_MS, retryMs: RETRY_MS, onError: (err) => say(`proxy: sync failed: ${err.message}; retrying`) });
  let synced = false;
  const changed = () => synced && loop.request();
  services.addHandler({ onAdd: changed, onUpdate: changed, onDelete: changed });
  slices.addHandler({ onAdd: changed, onUpdate: changed, onDelete: changed });
  say(`proxy on ${node}: following services and endpointslices`);
  let timer: NodeJS.Timeout | undefined;
  void Promise.all([services.waitForSync(), slices.waitForSync()]).then(() => {
    synced = true;
    loop.request();
    timer = setInterval(() => loop.request(), RESYNC_MS);
  });
  return () => {
    clearInterval(timer);
    loop.stop();
  };
}
