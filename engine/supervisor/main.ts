// Cluster-side entry point, bundled into dist/cluster.cjs and carried by the node image. Each
// command loads only its own modules (dynamic imports stay lazy in the bundle), so a node agent
// or a supervisor never pays for the apiserver's type registry.

const commands: Record<string, () => Promise<void>> = {
  supervisor: async () => (await import('./supervisor.js')).runSupervisor(),
  apiserver: async () => (await import('../apiserver/main.js')).runApiServer(),
  'controller-manager': async () => (await import('../controllers/manager.js')).runControllerManager(),
  scheduler: async () => (await import('../scheduler/main.js')).runScheduler(),
  'node-agent': async () => (await import('../kubelet/main.js')).runNodeAgent(),
  dns: async () => (await import('../dns/main.js')).runDns(),
};
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
