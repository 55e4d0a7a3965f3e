// The scheduler process on the control-plane node (started and restarted by its supervisor):
// health on SCHEDULER_PORT, and scheduling while it holds the kube-system/kube-scheduler Lease.
// Losing the lease ends the process; the supervisor starts a fresh one that campaigns again.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { leaderElection } from '../client/controller.js';
import { clusterCa, localApiConfig, serveHealth } from '../client/credentials.js';
import { RestClient } from '../client/rest-client.js';
import { createLogger } from '../log/logger.js';
import { SCHEDULER_PORT } from '../supervisor/contract.js';
import { startScheduling } from './scheduler-loop.js';

/** Runs the scheduler until it loses its lease. */
export async function runScheduler(): Promise<void> {
  const say = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  const log = createLogger((level, m) => say(`${level}: ${m}`));
  const ca = await clusterCa();
  const client = new RestClient(localApiConfig(ca, 'system:kube-scheduler', ['system:masters'], 'kube-scheduler'));
  serveHealth(ca, SCHEDULER_PORT, () => true, say);
  const identity = `${hostname()}_${randomUUID()}`;
  leaderElection({
    client,
    namespace: 'kube-system',
    name: 'kube-scheduler',
    identity,
    log,
    onStartedLeading: () => {
      say(`leading as ${identity}; scheduling`);
      const scheduling = startScheduling(client, { log });
      scheduling.synced.then(
        () => say('informers synced'),
        (err: Error) => {
          say(`scheduler stopped: ${err.message}`);
          process.exit(1);
        },
      );
    },
    onStoppedLeading: () => {
      say('lost the lease; exiting so that the supervisor starts a fresh one');
      process.exit(0);
    },
  });
  say(`scheduler ${identity} started; health on :${SCHEDULER_PORT}`);
}
