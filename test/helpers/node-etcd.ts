import type { Engine } from '../../engine/index.js';

/**
 * Calls the etcd JSON gateway inside a node (etcd listens on the node's loopback only), with the
 * node's own Node.js. Returns the parsed answer, or throws with what the node printed.
 */
export async function etcdInNode(engine: Engine, node: string, path: string, body?: unknown): Promise<unknown> {
  const script = `fetch('http://127.0.0.1:2379${path}', ${body === undefined ? '{}' : `{ method: 'POST', body: ${JSON.stringify(JSON.stringify(body))} }`})
    .then((r) => r.text()).then((t) => process.stdout.write(t), (e) => { process.stderr.write(String(e.cause ?? e)); process.exit(1); });`;
  const r = await engine.provider.exec(node, ['node', '-e', script]);
  if (r.exitCode !== 0) throw new Error(`etcd in ${node}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Base64 of a string, as the gateway wants keys and values. */
export const b64 = (s: string) => Buffer.from(s).toString('base64');
