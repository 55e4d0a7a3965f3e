// The node's resolver as pods see it. A node container resolves through its engine's embedded DNS
// at 127.0.0.11, which pods (in their own network namespaces) cannot reach; the supervisor relays
// DNS from the node's bridge address to the node's own resolvers, and the node agent names that
// address to pods whose dnsPolicy is Default (the cluster DNS server's among them). So names
// outside the cluster resolve as they do for the node: the host's DNS, VPNs and search domains
// included, on every platform Docker runs on.
import type { Logger } from '../log/logger.js';
import { describeUpstream, followUpstreams } from './forward.js';
import { DnsServer } from './server.js';

/** Starts the relay on `address`:53, retrying until the address exists (the bridge comes with dockerd). */
export async function runNodeDnsRelay(address: string, log: Logger, resolvConf = '/etc/resolv.conf'): Promise<DnsServer> {
  const upstreams = await followUpstreams(resolvConf, (line) => log.info(`dns relay: ${line}`));
  const server = new DnsServer({ host: address, port: 53, resolve: () => ({ kind: 'forward' }), upstreams: upstreams.current, log });
  for (let attempt = 0; ; attempt++) {
    try {
      await server.start();
      log.info(`dns relay on ${address}:53 to ${upstreams.current().map(describeUpstream).join(', ') || 'no resolver'}`);
      return server;
    } catch (err) {
      if (attempt % 50 === 0) log.info(`dns relay waiting for ${address}: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
