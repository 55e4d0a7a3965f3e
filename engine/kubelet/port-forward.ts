// port-forward at the node endpoint (protocol portforward.k8s.io): a SPDY/3.1 session, either on
// the raw upgraded socket or tunnelled in WebSocket binary messages (subprotocol
// SPDY/3.1+portforward.k8s.io). Each forwarded connection is a pair of client streams with the same
// `requestID` and `port` headers: `streamType: error` (errors for that connection) and
// `streamType: data` (the bytes), which the node connects to <pod IP>:<port>.
import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { NodeRequestError } from './container-logs.js';
import { MANAGED, newestAttempt, POD_NAME, POD_NAMESPACE, POD_UID, SANDBOX_NAME } from './labels.js';
import { pinnedIp } from './pod-runtime.js';
import type { DockerApi } from './docker-api.js';
import { RecordReader } from './pod-records.js';
import { refuseUpgrade } from './exec-attach.js';
import { SpdySession, type SpdyStream } from './spdy-session.js';
import { acceptWebSocket, isWebSocketRequest, offeredProtocols } from '../wire/websocket.js';

/** The port-forward protocol version, and its WebSocket-tunnelled subprotocol. */
export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
export const PORT_FORWARD_WEBSOCKET_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';
/** How long a stream waits for its partner before the pair is given up (kubelet's default). */
const PAIR_TIMEOUT_MS = 30_000;

/**
 * The address where a pod's ports are reached: its pinned namespaces' address or its sandbox
 * container's; for a pod on the node's network, the node's loopback (the agent runs on the node).
 */
async function podIp(docker: DockerApi, namespace: string, pod: string): Promise<string> {
  const containers = await docker.listContainers([`${MANAGED}=true`, `${POD_NAMESPACE}=${namespace}`, `${POD_NAME}=${pod}`]);
  if (!containers.length) throw new NodeRequestError(404, `pod "${pod}" does not exist`);
  const running = containers.filter((c) => c.State === 'running');
  if (!running.length) throw new NodeRequestError(400, `pod "${pod}" is not running`);
  const sandbox = newestAttempt(running, namespace, pod, SANDBOX_NAME);
  let ip: string | undefined;
  if (!sandbox) ip = await pinnedIp(containers[0]!.Labels[POD_UID] ?? '').catch(() => undefined);
  else if (RecordReader.sandboxIp(sandbox)) ip = RecordReader.sandboxIp(sandbox);
  else {
    const info = await docker.inspectContainer(sandbox.Id);
    ip = info.HostConfig.NetworkMode === 'host' ? '127.0.0.1' : RecordReader.dockerIp(info);
  }
  if (!ip) throw new NodeRequestError(400, `pod "${pod}" has no IP address`);
  return ip;
}

/** Serves /portForward/NS/POD upgrade requests. */
export async function servePortForward(docker: DockerApi, req: IncomingMessage, socket: Duplex, head: Buffer, target: { namespace: string; pod: string }): Promise<void> {
  let ip: string;
  try {
    ip = await podIp(docker, target.namespace, target.pod);
  } catch (err) {
    return refuseUpgrade(socket, err instanceof NodeRequestError ? err.code : 500, (err as Error).message);
  }
  let session: SpdySession;
  if (isWebSocketRequest(req)) {
    if (!offeredProtocols(req).includes(PORT_FORWARD_WEBSOCKET_PROTOCOL)) return refuseUpgrade(socket, 400, `port-forward over WebSocket needs subprotocol ${PORT_FORWARD_WEBSOCKET_PROTOCOL}`);
    const ws = acceptWebSocket(req, socket, head, PORT_FORWARD_WEBSOCKET_PROTOCOL);
    session = new SpdySession({ write: (b) => ws.send(b), close: () => ws.close(1000) });
    ws.onMessage = (data) => session.receive(data);
    ws.onClose = () => session.transportClosed();
  } else {
    const upgrade = (req.headers.upgrade ?? '').toLowerCase();
    const versions = String(req.headers['x-stream-protocol-version'] ?? '').split(',').map((v) => v.trim());
    if (upgrade !== 'spdy/3.1' || !versions.includes(PORT_FORWARD_PROTOCOL)) return refuseUpgrade(socket, 400, `port-forward needs Upgrade: SPDY/3.1 and X-Stream-Protocol-Version: ${PORT_FORWARD_PROTOCOL}`);
    socket.write(['HTTP/1.1 101 Switching Protocols', 'Connection: Upgrade', 'Upgrade: SPDY/3.1', `X-Stream-Protocol-Version: ${PORT_FORWARD_PROTOCOL}`, '', ''].join('\r\n'));
    session = new SpdySession({ write: (b) => socket.write(b), close: () => socket.end() });
    socket.on('data', (c: Buffer) => session.receive(c));
    socket.on('close', () => session.transportClosed());
    if (head.length) session.receive(head);
  }
  const pairs = new Map<string, { data?: SpdyStream; error?: SpdyStream; timer: NodeJS.Timeout }>();
  session.onStream = (stream) => {
    const id = stream.header('requestid');
    const type = stream.header('streamtype');
    const port = Number(stream.header('port'));
    if (id === undefined || (type !== 'data' && type !== 'error') || !Number.isInteger(port) || port < 1 || port > 65535) return stream.abort();
    let pair = pairs.get(id);
    if (!pair) {
      const timer = setTimeout(() => {
        pairs.delete(id);
        pair?.data?.abort();
        pair?.error?.abort();
      }, PAIR_TIMEOUT_MS);
      pair = { timer };
      pairs.set(id, pair);
    }
    if (pair[type]) return stream.abort();
    pair[type] = stream;
    if (!pair.data || !pair.error) return;
    clearTimeout(pair.timer);
    pairs.delete(id);
    forward(pair.data, pair.error, ip, port, target.pod);
  };
}

/** Connects one stream pair to ip:port and copies both ways; connection errors go on the error stream. */
function forward(data: SpdyStream, error: SpdyStream, ip: string, port: number, pod: string): void {
  const conn = connect({ host: ip, port });
  let done = false;
  const finish = (message?: string) => {
    if (done) return;
    done = true;
    if (message) error.write(Buffer.from(message));
    data.end();
    error.end();
  };
  conn.on('data', (b: Buffer) => data.write(b));
  conn.on('end', () => finish());
  conn.on('error', (err) => finish(`error forwarding port ${port} to pod ${pod}: ${err.message}`));
  conn.on('close', () => finish());
  data.onData = (b) => conn.write(b);
  data.onEnd = () => conn.end();
  data.onReset = () => conn.destroy();
}
