// A running kubelab cluster as the target of the kubectl and helm suites: the real control plane
// in a node container, reached through the context `kubelab start` merges into the kubeconfig.
import { join } from 'node:path';
import { b64, etcdInNode } from './node-etcd.js';
import { clusterName, engineFor, forceRemove, kubelab, testHome } from './kubelab.js';
import { kubectl } from './kubectl.js';

/** Where a suite's clients point, and a look into what is really stored. */
export interface ApiTarget {
  kubeconfig: string;
  /** Scratch folder of the suite. */
  dir: string;
  /** How many objects etcd holds under a key prefix below /registry/, e.g. `apps/deployments/work/`. */
  stored(prefix: string): Promise<number>;
  stop(): Promise<void>;
}

/** The first key after every key starting with `prefix` (etcd's range end for a prefix). */
function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/** Starts a one-node kubelab cluster for a suite. */
export async function startClusterTarget(prefix: string): Promise<ApiTarget> {
  const home = testHome();
  const name = clusterName(prefix);
  const kubeconfig = join(home, 'kube', 'config');
  const r = await kubelab(['start', '--name', name, '--nodes', '1'], { home, env: { KUBECONFIG: kubeconfig } });
  if (r.code !== 0) {
    await forceRemove(name);
    throw new Error(`kubelab start failed: ${r.stderr}`);
  }
  const engine = engineFor(home);
  const cp = `${name}-control-plane`;
  // These suites test the API, not workloads: a taint keeps the pods they create from being
  // scheduled, so no image pull for their made-up images ever leaves the machine.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const t = await kubectl(kubeconfig, ['taint', 'node', cp, 'kubelab.test/api-only=true:NoSchedule', '--overwrite']);
    if (t.code === 0) break;
    if (Date.now() > deadline) {
      await forceRemove(name);
      throw new Error(`the node ${cp} did not register: ${t.stderr}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    kubeconfig,
    dir: home,
    async stored(p) {
      const key = `/registry/${p}`;
      const res = (await etcdInNode(engine, cp, '/v3/kv/range', { key: b64(key), range_end: b64(prefixEnd(key)), count_only: true })) as { count?: string };
      return Number(res.count ?? 0);
    },
    stop: () => forceRemove(name),
  };
}
