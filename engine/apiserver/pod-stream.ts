// pods/NAME/exec, pods/NAME/attach and pods/NAME/portforward: upgrade requests the apiserver
// passes on to the endpoint of the pod's node (as /exec, /attach, /portForward), then pipes the
// client's socket and the node's both ways. The node answers the upgrade itself (WebSocket or SPDY).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { connect } from 'node:tls';
import type { Storage } from '../store/storage.js';
import { NODE_ENDPOINT_PORT } from '../supervisor/contract.js';
import type { NodeClientTls } from './pod-log.js';
import type { ResourcePath } from './request.js';
import { badRequest, failure, type Status } from './status.js';

/** The subresources served here. */
export const POD_STREAM_SUBRESOURCES = ['exec', 'attach', 'portforward'];

/** Request headers passed on to the node (the ones that negotiate the upgrade). */
const FORWARDED = ['upgrade', 'connection', 'sec-websocket-key', 'sec-websocket-version', 'sec-websocket-protocol', 'sec-websocket-extensions', 'x-stream-protocol-version', 'content-length', 'user-agent'];

interface PodView {
  spec?: { containers?: Array<{ name: string }>; initContainers?: Array<{ name: string }>; ephemeralContainers?: Array<{ name: string }> };
  status?: { hostIP?: string; phase?: string };
}

/** Writes a Status as a plain HTTP answer on an upgrade socket and closes it. */
export function answerUpgrade(socket: Duplex, status: Status): void {
  const body = JSON.stringify(status);
  socket.end(`HTTP/1.1 ${status.code} ${status.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/**
 * The node path for an exec/attach/portforward request on `pod` (throws BadRequest as the
 * apiserver would: no host yet, a finished pod, an unknown or unspecified container).
 */
export function nodeStreamPath(path: ResourcePath, pod: PodView, query: URLSearchParams): string {
  const name = path.name!;
  const ns = encodeURIComponent(path.namespace!);
  const hostIP = pod.status?.hostIP;
  if (!hostIP) throw badRequest(`pod ${name} does not have a host assigned`);
  if (path.subresource === 'portforward') return `/portForward/${ns}/${encodeURIComponent(name)}?${query}`;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') throw badRequest(`cannot ${path.subresource} into a container in a completed pod; current phase is ${phase}`);
  const containers = (pod.spec?.containers ?? []).map((c) => c.name);
  const others = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])].map((c) => c.name);
  const container = query.get('container') || (containers.length === 1 ? containers[0] : undefined);
  if (!container) throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`);
  if (!containers.includes(container) && !others.includes(container)) throw badRequest(`container ${container} is not valid for pod ${name}`);
  const node = path.subresource === 'exec' ? 'exec' : 'attach';
  return `/${node}/${ns}/${encodeURIComponent(name)}/${encodeURIComponent(container)}?${query}`;
}

/** Serves an upgrade request on pods/NAME/{exec,attach,portforward} by proxying it to the pod's node. */
export async function proxyPodStream(storage: Storage, path: ResourcePath, req: IncomingMessage, socket: Duplex, head: Buffer, tls: NodeClientTls | undefined): Promise<void> {
  const pod = (await storage.get({ resource: 'pods', namespace: path.namespace }, path.name!)) as PodView;
  const query = new URL(req.url ?? '/', 'https://apiserver').searchParams;
  const nodePath = nodeStreamPath(path, pod, query);
  if (!tls) throw failure(503, 'ServiceUnavailable', `this apiserver has no credentials for node endpoints, so it cannot ${path.subresource}`);
  const host = pod.status!.hostIP!;
  const port = tls.port ?? NODE_ENDPOINT_PORT;
  const lines = [`${req.method ?? 'GET'} ${nodePath} HTTP/1.1`, `Host: ${host.includes(':') ? `[${host}]` : host}:${port}`];
  for (const h of FORWARDED) {
    const v = req.headers[h];
    if (v !== undefined) lines.push(`${h}: ${Array.isArray(v) ? v.join(', ') : v}`);
  }
  await new Promise<void>((resolve, reject) => {
    let piped = false;
    const node = connect({ host, port, ca: tls.ca, cert: tls.cert, key: tls.key, timeout: 10_000 });
    node.once('secureConnect', () => {
      piped = true;
      node.setTimeout(0);
      node.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) node.write(head);
      node.pipe(socket);
      socket.pipe(node);
      resolve();
    });
    node.on('timeout', () => node.destroy(new Error('the node did not answer in time')));
    node.on('error', (err) => {
      if (piped) return void socket.destroy();
      reject(failure(503, 'ServiceUnavailable', `cannot reach the node of pod ${path.name} at ${host}:${port}: ${err.message}`));
    });
    socket.on('error', () => node.destroy());
    socket.on('close', () => node.destroy());
  });
}
