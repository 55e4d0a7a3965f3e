// A shell in a pod's container through the cluster's apiserver, as `kubectl exec -it` opens it:
// a WebSocket to pods/NAME/exec (remotecommand v5, else v4) as the cluster's admin.
import { request } from 'node:https';
import { errorMessage } from '../../errors.js';
import { connectWebSocket, WebSocketHandshakeError } from '../../wire/websocket-client.js';
import type { TerminalTarget } from '../contract.js';
import { ProxyRefusal, type ApiTarget, type ResolveApi } from '../k8s-proxy.js';
import type { TerminalProcess, TerminalSink } from './backend.js';
import { closeStdinFrame, EXEC_PROTOCOLS, execPath, parseExecMessage, POD_SHELL, refusalMessage, resizeFrame, stdinFrame, type ExecExit } from './exec-channels.js';
import { chooseContainer, TerminalRequestError, type PodShape, type TermSize } from './terminal-request.js';

/** GETs `path` from the apiserver as JSON; resolves with the status code and parsed body. */
function getJson(api: ApiTarget, path: string): Promise<{ status: number; body: unknown }> {
  const url = new URL(api.server);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: 'GET', ca: api.ca, cert: api.cert, key: api.key, agent: false, headers: { accept: 'application/json' }, timeout: 15_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
        } catch {
          resolve({ status: res.statusCode ?? 0, body: text });
        }
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 15 s')));
    req.on('error', reject);
    req.end();
  });
}

/** The apiserver of the cluster, with the proxy's refusals (stopped, unknown cluster) as TerminalRequestErrors. */
async function apiOf(resolve: ResolveApi, cluster: string): Promise<ApiTarget> {
  try {
    return await resolve(cluster);
  } catch (err) {
    if (err instanceof ProxyRefusal) throw new TerminalRequestError(err.message, err.hint);
    throw err;
  }
}

/** Opens a shell in the pod's container (the first one when none is named); throws TerminalRequestError for an unknown pod or container. */
export async function startPodExec(resolve: ResolveApi, target: Extract<TerminalTarget, { kind: 'pod' }>, size: TermSize, sink: TerminalSink): Promise<TerminalProcess> {
  const api = await apiOf(resolve, target.cluster);
  const podPath = `/api/v1/namespaces/${encodeURIComponent(target.namespace)}/pods/${encodeURIComponent(target.pod)}`;
  const got = await getJson(api, podPath).catch((err: unknown) => {
    throw new TerminalRequestError(`the API server of cluster "${target.cluster}" does not answer: ${errorMessage(err)}`);
  });
  if (got.status === 404) throw new TerminalRequestError(`pod "${target.pod}" not found in namespace "${target.namespace}"`);
  if (got.status !== 200) throw new TerminalRequestError(refusalMessage(got.status, typeof got.body === 'string' ? got.body : JSON.stringify(got.body)));
  const container = chooseContainer(got.body as PodShape, target.container);
  let conn;
  try {
    conn = await connectWebSocket(`${api.server}${execPath(target.namespace, target.pod, container, POD_SHELL)}`, {
      protocols: EXEC_PROTOCOLS,
      ca: api.ca,
      cert: api.cert,
      key: api.key,
    });
  } catch (err) {
    if (err instanceof WebSocketHandshakeError && err.status >= 400) throw new TerminalRequestError(refusalMessage(err.status, err.body));
    throw err;
  }
  const { ws, protocol } = conn;
  let result: ExecExit | undefined;
  let ended = false;
  const gone = new Promise<void>((done) => {
    ws.onClose = () => {
      ended = true;
      done();
      sink.exit(result ?? { error: 'the connection to the container ended without an exit status' });
    };
  });
  ws.onMessage = (msg, binary) => {
    if (!binary) return;
    const event = parseExecMessage(msg);
    if (event.kind === 'output') sink.data(event.data);
    else if (event.kind === 'exit') result = event.exit;
  };
  ws.send(resizeFrame(size.cols, size.rows));
  return {
    write: (data) => {
      if (!ended) ws.send(stdinFrame(data));
    },
    resize: (s) => {
      if (!ended) ws.send(resizeFrame(s.cols, s.rows));
    },
    end: async () => {
      if (ended) return;
      // v5 can say "no more input", which ends a shell reading its terminal; v4 only hangs up.
      if (protocol === 'v5.channel.k8s.io') ws.send(closeStdinFrame());
      ws.close(1000);
      await gone;
    },
  };
}
