import { runCommand as run } from './command.js';
import { readFile } from 'node:fs/promises';
import { parsePeers, PEERS_PATH } from './peers.js';
import { parseRoutes, planRoutes, routeCommand } from './routes.js';
import { JUMPS, nodeRules } from './rules.js';

/**
 * Keeps this node's pod network wired (cluster side): kubelab's iptables chains (forward pod
 * traffic, masquerade only what leaves the cluster CIDR) and a route to every peer's podCIDR via
 * that peer, read from the peers file the host writes. Idempotent; call it as often as needed.
 */
export class NodeNetwork {
  constructor(
    private readonly self: { name: string; podCIDR: string; clusterCIDR: string; bridge: string },
    private readonly say: (line: string) => void,
    private readonly peersPath = PEERS_PATH,
  ) {}

  /** Brings rules and routes to the desired state; returns the number of route changes made. */
  async reconcile(): Promise<number> {
    await run('iptables-restore', ['--noflush'], nodeRules(this.self));
    for (const [table, chain, ...rule] of JUMPS) {
      await run('iptables', ['-t', table, '-C', chain, ...rule]).catch(() => run('iptables', ['-t', table, '-I', chain, '1', ...rule]));
    }
    const text = await readFile(this.peersPath, 'utf8').catch(() => undefined);
    if (text === undefined) return 0;
    const { peers, clusterCIDR } = parsePeers(text);
    const ops = planRoutes(parseRoutes(await run('ip', ['-4', 'route', 'show'])), peers, this.self.name, clusterCIDR);
    for (const op of ops) {
      await run('ip', routeCommand(op));
      this.say(op.op === 'replace' ? `route ${op.dst} via ${op.via}` : `route ${op.dst} removed`);
    }
    return ops.length;
  }
}
