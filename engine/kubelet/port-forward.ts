// port-forward at the node endpoint (protocol portforward.k8s.io): a SPDY/3.1 session, either on
// the raw upgraded socket or tunnelled in WebSocket binary messages (subprotocol
// SPDY/3.1+portforward.k8s.io). Each forwarded connection is a pair of client streams with the same
// `requestID` and `port` headers: `streamType: error` (errors for that connection) and
// `streamType: data` (the bytes), which the node connects to <pod IP>:<port>.
import type { IncomingMessage } from 'node:http';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { NodeRequestError } from './container-logs.js';
import { MANAGED, newestAttempt, POD_NAME, POD_NAMESPACE, POD_UID, SANDBOX_NAME } from './labels.js';
import { netnsPath, pinnedIp } from './pod-runtime.js';
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

/** Where a pod's ports are reached. */
interface PodTarget {
  ip: string;
  /** The pod's network namespace, for a port that listens on the pod's loopback only. */
  netns?: string;
}

/**
 * Where a pod's ports are reached: the address of its pinned namespaces or of its sandbox
 * container, or for a pod on the node's network the node's loopback (the agent runs on the node).
 */
async function podTarget(docker: DockerApi, namespace: string, pod: string): Promise<PodTarget> {
  const containers = await docker.listContainers([`${MANAGED}=true`, `${POD_NAMESPACE}=${namespace}`, `${POD_NAME}=${pod}`]);
  if (!containers.length) throw new NodeRequestError(404, `pod "${pod}" does not exist`);
  const running = containers.filter((c) => c.State === 'running');
  if (!running.length) throw new NodeRequestError(400, `pod "${pod}" is not running`);
  const sandbox = newestAttempt(running, namespace, pod, SANDBOX_NAME);
  let target: PodTarget = { ip: '' };
  if (!sandbox) {
    const uid = containers[0]!.Labels[POD_UID] ?? '';
    target = { ip: (await pinnedIp(uid).catch(() => undefined)) ?? '', netns: netnsPath(uid) };
  } else {
    const info = await docker.inspectContainer(sandbox.Id);
    if (info.HostConfig.NetworkMode === 'host') target = { ip: '127.0.0.1' };
    else target = { ip: RecordReader.sandboxIp(sandbox) || RecordReader.dockerIp(info), netns: info.State.Pid ? `/proc/${info.State.Pid}/ns/net` : undefined };
  }
  if (!target.ip) throw new NodeRequestError(400, `pod "${pod}" has no IP address`);
  return target;
}

/** Serves /portForward/NS/POD upgrade requests. */
export async function servePortForward(docker: DockerApi, req: IncomingMessage, socket: Duplex, head: Buffer, target: { namespace: string; pod: string }): Promise<void> {
  let to: PodTarget;
  try {
    to = await podTarget(docker, target.namespace, target.pod);
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
    forward(pair.data, pair.error, to, port, target.pod);
  };
}

/** Where a forwarded connection's bytes go. */
interface Sink {
  write(b: Buffer): void;
  end(): void;
  destroy(): void;
}

/**
 * Connects one stream pair to the pod's port and copies both ways; connection errors go on the
 * error stream. The pod's address is tried first. kubelet connects on the pod's loopback, so a
 * port refused there is tried again on the loopback inside the pod's network namespace (busybox's
 * nc under nsenter, a process per connection) before the refusal is reported.
 */
function forward(data: SpdyStream, error: SpdyStream, to: PodTarget, port: number, pod: string): void {
  let done = false;
  let sink: Sink | undefined;
  const pending: Buffer[] = [];
  let ended = false;
  const finish = (message?: string) => {
    if (done) return;
    done = true;
    if (message) error.write(Buffer.from(message));
    data.end();
    error.end();
    sink?.destroy();
  };
  const failure = (reason: string) => `error forwarding port ${port} to pod ${pod}: ${reason}`;
  // Bytes from the client wait until a connection takes them (the first attempt may be refused).
  const attach = (s: Sink) => {
    sink = s;
    for (const b of pending.splice(0)) s.write(b);
    if (ended) s.end();
  };
  data.onData = (b) => (sink ? sink.write(b) : pending.push(b));
  data.onEnd = () => (sink ? sink.end() : (ended = true));
  data.onReset = () => finish();

  const conn = connect({ host: to.ip, port });
  const direct: Sink = { write: (b) => conn.write(b), end: () => conn.end(), destroy: () => conn.destroy() };
  conn.on('connect', () => attach(direct));
  conn.on('data', (b: Buffer) => data.write(b));
  conn.on('end', () => finish());
  // A refused connection closes too, after its error: by then the connection in the namespace may carry the bytes.
  conn.on('close', () => sink === direct && finish());
  conn.on('error', (err: NodeJS.ErrnoException) => {
    if (sink || err.code !== 'ECONNREFUSED' || !to.netns) return finish(failure(err.message));
    const child = spawn('nsenter', [`--net=${to.netns}`, '/bin/busybox', 'nc', '127.0.0.1', String(port)], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => data.write(b));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.stdin.on('error', () => undefined);
    child.on('error', (e) => finish(failure(e.message)));
    child.on('close', (code) => finish(code ? failure(stderr.trim().replace(/^nc: /, '') || `connect: connection refused`) : undefined));
    attach({ write: (b) => child.stdin.write(b), end: () => child.stdin.end(), destroy: () => child.kill('SIGKILL') });
  });
}
