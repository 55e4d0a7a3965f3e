// The start-up the control plane's leader-elected processes (scheduler, controller-manager) share:
// a client certificate from the cluster CA, health on their port, and work only while they hold
// their kube-system Lease. Losing the lease ends the process; its supervisor starts a fresh one
// that campaigns again.
import type { KeyPair } from '../certs/x509.js';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { createLogger, type Logger } from '../log/logger.js';
import { leaderElection } from './controller.js';
import { clusterCa, localApiConfig, serveHealth } from './credentials.js';
import { RestClient } from './rest-client.js';

/** What a leading process gets to work with. */
export interface LeaderContext {
  client: RestClient;
  ca: KeyPair;
  log: Logger;
  /** Writes one time-stamped line to stdout (the component's log). */
  say(line: string): void;
  /** Logs `${what} stopped: <error>` and exits 1, for work that must not end while leading. */
  fatal(what: string): (err: Error) => never;
}

/** One leader-elected control-plane process. */
export interface LeaderProcess {
  /** Its user is system:NAME (in system:masters), its user agent NAME, its Lease kube-system/NAME. */
  component: string;
  /** How it names itself in its log ("scheduler"). */
  title: string;
  /** Where it serves /healthz. */
  healthPort: number;
  /** What the "leading as …" line says it starts doing ("scheduling"). */
  doing: string;
  /** Starts the work; called each time it becomes the leader (in practice once: losing the lease exits). */
  lead(ctx: LeaderContext): void;
}

/** Runs `p` until it loses its lease, then exits the process (0). */
export async function runLeaderElected(p: LeaderProcess): Promise<void> {
  const say = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  const log = createLogger((level, m) => say(`${level}: ${m}`));
  const ca = await clusterCa();
  const client = new RestClient(localApiConfig(ca, `system:${p.component}`, ['system:masters'], p.component));
  serveHealth(ca, p.healthPort, () => true, say);
  const identity = `${hostname()}_${randomUUID()}`;
  const fatal = (what: string) => (err: Error): never => {
    say(`${what} stopped: ${err.message}`);
    process.exit(1);
  };
  leaderElection({
    client,
    namespace: 'kube-system',
    name: p.component,
    identity,
    log,
    onStartedLeading: () => {
      say(`leading as ${identity}; ${p.doing}`);
      p.lead({ client, ca, log, say, fatal });
    },
    onStoppedLeading: () => {
      say('lost the lease; exiting so that the supervisor starts a fresh one');
      process.exit(0);
    },
  });
  say(`${p.title} ${identity} started; health on :${p.healthPort}`);
}
