// The `dns` command: the cluster DNS server as it runs in its kube-system pod. It reaches the
// apiserver as its ServiceAccount (the projected token and CA), follows Services and
// EndpointSlices with informers, serves DNS once they synced, and reports health on HTTP for the
// Deployment's probes. Its log holds start-up, sync, upstream failures and a periodic summary.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { isIP } from 'node:net';
import { SharedInformers } from '../client/informer.js';
import { RestClient } from '../client/rest-client.js';
import { createLogger } from '../log/logger.js';
import { ClusterIndex, serviceIps, type EndpointSlice, type Service } from './cluster-index.js';
import { describeUpstream, followUpstreams } from './forward.js';
import { DnsServer, type QueryCounts } from './server.js';
import { answer, DEFAULT_ZONE_CONFIG, type ZoneConfig } from './zone.js';

/** Where a pod finds its ServiceAccount's token, CA and namespace. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The command line of `dns`, every flag optional. */
export interface DnsFlags extends ZoneConfig {
  port: number;
  healthPort: number;
  readyPort: number;
  resolvConf: string;
  summarySeconds: number;
}

const DEFAULT_FLAGS: DnsFlags = { ...DEFAULT_ZONE_CONFIG, port: 53, healthPort: 8080, readyPort: 8181, resolvConf: '/etc/resolv.conf', summarySeconds: 60 };

/** Parses `--name=value` flags (kebab-case names of DnsFlags); throws on unknown flags or bad numbers. */
export function parseDnsFlags(args: string[]): DnsFlags {
  const flags: DnsFlags = { ...DEFAULT_FLAGS };
  for (const arg of args) {
    const m = /^--([a-z-]+)=(.*)$/.exec(arg);
    const key = m?.[1]!.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof DnsFlags | undefined;
    if (!m || !key || !(key in DEFAULT_FLAGS)) throw new Error(`unknown flag ${arg} (flags: --port, --health-port, --ready-port, --resolv-conf, --zone, --service-cidr, --pod-cidr, --ttl, --summary-seconds)`);
    const value = m[2]!;
    if (typeof DEFAULT_FLAGS[key] === 'number') {
      if (!/^\d+$/.test(value)) throw new Error(`${arg}: not a number`);
      (flags as unknown as Record<string, number>)[key] = Number(value);
    } else {
      (flags as unknown as Record<string, string>)[key] = value;
    }
  }
  return flags;
}

/** One line summing up a period's queries; undefined when there were none. */
export function summaryLine(c: QueryCounts, seconds: number): string | undefined {
  if (c.udp + c.tcp === 0 && c.upstreamFailures === 0) return undefined;
  return (
    `last ${seconds}s: ${c.udp + c.tcp} queries (${c.udp} udp, ${c.tcp} tcp): ${c.noerror} answered, ${c.nxdomain} nxdomain, ` +
    `${c.forwarded} forwarded, ${c.servfail} servfail, ${c.formerr} formerr, ${c.truncated} truncated, ${c.dropped} dropped; ${c.upstreamFailures} upstream failures`
  );
}

/** Serves `path` on `port` with 200 "OK" while `ok()` holds, 503 otherwise. */
function probeServer(port: number, path: string, ok: () => boolean, say: (l: string) => void): Server {
  return createServer((req, res) => {
    if ((req.url ?? '/').split('?')[0] !== path) return void res.writeHead(404).end();
    const good = ok();
    res.writeHead(good ? 200 : 503, { 'content-type': 'text/plain' }).end(good ? 'OK' : 'not ready');
  })
    .on('error', (err) => say(`${path} on :${port}: ${err.message}`))
    .listen(port, '0.0.0.0');
}

/** Runs the DNS server until SIGTERM; `serviceAccountDir` holds token, ca.crt and namespace. */
export async function runDns(env: NodeJS.ProcessEnv = process.env, args: string[] = process.argv.slice(3), serviceAccountDir = SERVICE_ACCOUNT_DIR): Promise<void> {
  const say = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  const log = createLogger((level, m) => say(`${level}: ${m}`));
  const flags = parseDnsFlags(args);
  const { KUBERNETES_SERVICE_HOST: host, KUBERNETES_SERVICE_PORT: port } = env;
  if (!host || !port) throw new Error('KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set (the dns command runs in a pod)');
  const ca = await readFile(`${serviceAccountDir}/ca.crt`, 'utf8');
  const namespace = (await readFile(`${serviceAccountDir}/namespace`, 'utf8')).trim();
  const server = `https://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
  const client = new RestClient({ server, ca, tokenFile: `${serviceAccountDir}/token`, userAgent: 'kubelab-dns' });
  say(`dns starting in namespace ${namespace}: zone ${flags.zone}, apiserver ${server}, port ${flags.port}`);

  let ready = false;
  probeServer(flags.healthPort, '/health', () => true, say);
  probeServer(flags.readyPort, '/ready', () => ready, say);

  const index = new ClusterIndex();
  const informers = new SharedInformers(client, { log });
  const services = informers.for<Service>({ group: '', version: 'v1', resource: 'services' });
  const slices = informers.for<EndpointSlice>({ group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' });
  services.addHandler({
    onAdd: (s) => index.upsertService(s),
    onUpdate: (_, s) => index.upsertService(s),
    onDelete: (s) => index.removeService(s),
  });
  slices.addHandler({
    onAdd: (s) => index.upsertSlice(s),
    onUpdate: (_, s) => index.upsertSlice(s),
    onDelete: (s) => index.removeSlice(s),
  });

  const upstreams = await followUpstreams(flags.resolvConf, say);
  // Our own Service address in resolv.conf would forward every query back to us.
  const notSelf = () => {
    const self = index.service('kube-system', 'kube-dns');
    const own = new Set(self ? serviceIps(self) : []);
    return upstreams.current().filter((u) => !own.has(u.host));
  };

  const dns = new DnsServer({ port: flags.port, resolve: (q) => answer(q, index, flags), upstreams: notSelf, log });
  await informers.waitForSync();
  say(`informers synced: ${services.list().length} services, ${slices.list().length} endpointslices`);
  const bound = await dns.start();
  ready = true;
  say(`serving DNS on 0.0.0.0:${bound.udp} (udp) and :${bound.tcp} (tcp); forwarding to ${notSelf().map(describeUpstream).join(', ') || 'nobody (no nameserver lines)'}`);

  const summary = setInterval(() => {
    const line = summaryLine(dns.takeCounts(), flags.summarySeconds);
    if (line) say(line);
  }, flags.summarySeconds * 1000);
  process.once('SIGTERM', () => {
    say('SIGTERM: stopping');
    ready = false;
    clearInterval(summary);
    upstreams.stop();
    void Promise.all([dns.stop(), informers.stop()]).finally(() => process.exit(0));
  });
}
