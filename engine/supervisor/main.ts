// Cluster-side entry point, bundled into dist/cluster.cjs and carried by the node image.
import { runSupervisor } from './supervisor.js';

const command = process.argv[2];
if (command === 'supervisor') {
  runSupervisor().catch((err: Error) => {
    process.stderr.write(`kubelab supervisor failed: ${err.stack ?? err.message}\n`);
    process.exit(1);
  });
} else {
  process.stderr.write(`usage: cluster.cjs supervisor\n`);
  process.exit(2);
}
