import { checkInterrupt, KubelabError, isEngineUnreachable } from '../errors.js';
import type { NodeProvider } from '../docker/provider.js';
import { READY_LINE, READY_PATH } from '../supervisor/contract.js';

/** Command that succeeds once a node's supervisor has wired its network and its nested dockerd answers. */
const READY_CHECK = ['sh', '-c', `test -f ${READY_PATH} && docker version --format "{{.Server.Version}}"`];

/** True when the node's nested runtime answers and its network is wired. */
export async function nodeReady(provider: NodeProvider, node: string): Promise<boolean> {
  try {
    return (await provider.exec(node, READY_CHECK)).exitCode === 0;
  } catch (err) {
    if (isEngineUnreachable(err)) throw err; // (it looks through `cause` too)
    return false;
  }
}

/**
 * Waits until every node in `nodes` is ready: each is watched through its output since its
 * current start for the supervisor's ready line (no polling), with a direct check every second
 * in case the line was missed (e.g. the node restarted). Throws naming the laggards at `deadline`.
 */
export async function waitReady(provider: NodeProvider, nodes: string[], deadline: number, signal?: AbortSignal): Promise<void> {
  const results = await Promise.allSettled(nodes.map((n) => waitNode(provider, n, deadline, signal)));
  const failed = results.map((r, i) => (r.status === 'rejected' ? i : -1)).filter((i) => i >= 0);
  const unreachable = results.find((r): r is PromiseRejectedResult => r.status === 'rejected' && !(r.reason instanceof NotReady));
  if (unreachable) throw unreachable.reason;
  if (failed.length > 0) {
    const names = failed.map((i) => nodes[i]).join(', ');
    throw new KubelabError(`node${failed.length > 1 ? 's' : ''} ${names} did not become ready in time`, {
      hint: 'see what the node says with `docker logs NODE` or `kubelab node shell NODE` (cat /var/log/kubelab/dockerd.log), or allow more time with --wait',
    });
  }
}

class NotReady extends Error {}

async function waitNode(provider: NodeProvider, node: string, deadline: number, signal?: AbortSignal): Promise<void> {
  for (;;) {
    checkInterrupt(signal);
    const left = deadline - Date.now();
    // The node's output since its current start holds the ready line once it is ready: no race with the start.
    if (left > 0 && (await provider.waitForLogLine(node, READY_LINE, Math.min(left, 1000)))) return;
    if (await nodeReady(provider, node)) return;
    if (Date.now() >= deadline) throw new NotReady(node);
    await new Promise((r) => setTimeout(r, 100));
  }
}
