// The scheduler process on the control-plane node (started and restarted by its supervisor):
// health on SCHEDULER_PORT, and scheduling while it holds the kube-system/kube-scheduler Lease.
// Losing the lease ends the process; the supervisor starts a fresh one that campaigns again.
import { runLeaderElected } from '../client/leader-process.js';
import { SCHEDULER_PORT } from '../supervisor/contract.js';
import { startScheduling } from './scheduler-loop.js';

/** Runs the scheduler until it loses its lease. */
export async function runScheduler(): Promise<void> {
  await runLeaderElected({
    component: 'kube-scheduler',
    title: 'scheduler',
    healthPort: SCHEDULER_PORT,
    doing: 'scheduling',
    lead: ({ client, log, say, fatal }) => {
      startScheduling(client, { log }).synced.then(() => say('informers synced'), fatal('scheduler'));
    },
  });
}
