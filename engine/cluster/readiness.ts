import { KubelabError, isEngineUnreachable } from '../errors.js';
import type { NodeProvider } from '../docker/provider.js';

/** Command that succeeds once a node's supervisor has wired its network and its nested dockerd answers. */
const READY_CHECK = ['sh', '-c', 'test -f /run/kubelab/ready && docker version --format "{{.Server.Version}}"'];

/** True when the node's nested runtime answers and its network is wired. */
export async function nodeReady(provider: NodeProvider, node: string): Promise<boolean> {
  try {
    return (await provider.exec(node, READY_CHECK)).exitCode === 0;
  } catch (err) {
    if (isEngineUnreachable(err) || (err as { cause?: unknown }).cause && isEngineUnreachable((err as { cause?: unknown }).cause)) throw err;
    return false;
  }
}

/** Waits until every node in `nodes` is ready, polling each in parallel; throws naming the laggards at `deadline`. */
export async function waitReady(provider: NodeProvider, nodes: string[], deadline: number): Promise<void> {
  const pending = new Set(nodes);
  while (pending.size > 0) {
    await Promise.all(
      [...pending].map(async (n) => {
        if (await nodeReady(provider, n)) pending.delete(n);
      }),
    );
    if (pending.size === 0) return;
    if (Date.now() > deadline) {
      throw new KubelabError(`node${pending.size > 1 ? 's' : ''} ${[...pending].join(', ')} did not become ready in time`, {
        hint: 'see what the node says with `docker logs NODE` or `kubelab node shell NODE` (cat /var/log/kubelab/dockerd.log), or allow more time with --wait',
      });
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}
