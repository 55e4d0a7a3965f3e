// pods/NAME/log: the apiserver asks the endpoint of the pod's node for the container's log and
// streams the answer back, as it does with kubelets.
import { request } from 'node:https';
import type { Storage } from '../store/storage.js';
import { NODE_ENDPOINT_PORT } from '../supervisor/contract.js';
import { refOf, type RequestContext } from './context.js';
import { badRequest, failure } from './status.js';

/** The client certificate the apiserver presents to node endpoints (CN APISERVER_CLIENT_CN), and the CA they are signed by. */
export interface NodeClientTls {
  cert: string;
  key: string;
  ca: string;
}

/** Query parameters passed through to the node. */
const PASSED = ['follow', 'previous', 'tailLines', 'limitBytes', 'sinceSeconds', 'sinceTime', 'timestamps'];

/** Serves GET pods/NAME/log. */
export async function servePodLog(storage: Storage, ctx: RequestContext, tls: NodeClientTls | undefined): Promise<void> {
  const { path, query, res } = ctx;
  const pod = await storage.get(refOf(ctx), path.name!);
  const names = ((pod.spec as { containers?: Array<{ name: string }> } | undefined)?.containers ?? []).map((c) => c.name);
  const container = query.get('container') || (names.length === 1 ? names[0] : undefined);
  if (!container) throw badRequest(`a container name must be specified for pod ${path.name}, choose one of: [${names.join(' ')}]`);
  if (!names.includes(container)) throw badRequest(`container ${container} is not valid for pod ${path.name}`);
  const hostIP = (pod.status as { hostIP?: string } | undefined)?.hostIP;
  if (!hostIP) throw badRequest(`container "${container}" in pod "${path.name}" is waiting to start: the pod is not running on a node yet`);
  if (!tls) throw failure(503, 'ServiceUnavailable', 'this apiserver has no credentials for node endpoints, so it cannot fetch logs');
  const params = new URLSearchParams();
  for (const p of PASSED) if (query.has(p)) params.set(p, query.get(p)!);
  const nodePath = `/containerLogs/${encodeURIComponent(path.namespace!)}/${encodeURIComponent(path.name!)}/${encodeURIComponent(container)}?${params}`;
  await new Promise<void>((resolve, reject) => {
    const upstream = request({ host: hostIP, port: NODE_ENDPOINT_PORT, path: nodePath, ca: tls.ca, cert: tls.cert, key: tls.key, timeout: 10_000 }, (answer) => {
      if (answer.statusCode !== 200) {
        let text = '';
        answer.on('data', (d: Buffer) => (text += d.toString()));
        answer.on('end', () => reject(failure(answer.statusCode === 404 ? 404 : 400, answer.statusCode === 404 ? 'NotFound' : 'BadRequest', text.trim() || `the node answered ${answer.statusCode}`)));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' });
      answer.pipe(res);
      answer.on('end', resolve);
      res.on('close', () => {
        upstream.destroy();
        resolve();
      });
    });
    upstream.on('timeout', () => upstream.destroy(new Error('the node did not answer in time')));
    upstream.on('error', (err) => reject(failure(503, 'ServiceUnavailable', `cannot reach the node of pod ${path.name} at ${hostIP}:${NODE_ENDPOINT_PORT}: ${err.message}`)));
    upstream.end();
  });
}
