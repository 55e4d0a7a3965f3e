// Cluster-side entry point, bundled into dist/cluster.cjs and carried by the node image.
import { runApiServer } from '../apiserver/main.js';
import { runControllerManager } from '../controllers/manager.js';
import { runNodeAgent } from '../kubelet/main.js';
import { runScheduler } from '../scheduler/main.js';
import { runSupervisor } from './supervisor.js';

const commands: Record<string, () => Promise<void>> = { supervisor: runSupervisor, apiserver: runApiServer, 'controller-manager': runControllerManager, scheduler: runScheduler, 'node-agent': () => runNodeAgent() };
const command = process.argv[2] ?? '';
const run = commands[command];
if (run) {
  run().catch((err: Error) => {
    process.stderr.write(`kubelab ${command} failed: ${err.stack ?? err.message}\n`);
    process.exit(1);
  });
} else {
  process.stderr.write(`usage: cluster.cjs ${Object.keys(commands).join('|')}\n`);
  process.exit(2);
}
