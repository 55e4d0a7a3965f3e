// exec and attach at the node endpoint: the WebSocket remotecommand protocol on one side, a
// hijacked Docker exec or attach connection on the other.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { containerAttempts, NodeRequestError } from './container-logs.js';
import { demultiplexer, type DockerApi } from './docker-api.js';
import { CHANNEL, channelMessage, exitStatus, parseRemoteCommand, parseResize, pickProtocol, type RemoteCommand } from './remote-command.js';
import { acceptWebSocket, isWebSocketRequest, offeredProtocols } from '../wire/websocket.js';

/** Which container a streaming request is for. */
export interface StreamTarget {
  namespace: string;
  pod: string;
  container: string;
}

/** Answers an upgrade request with a plain HTTP error and closes the socket. */
export function refuseUpgrade(socket: Duplex, code: number, message: string): void {
  const body = `${message}\n`;
  const text = code === 400 ? 'Bad Request' : code === 403 ? 'Forbidden' : code === 404 ? 'Not Found' : 'Internal Server Error';
  socket.end(`HTTP/1.1 ${code} ${text}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** The running container (newest attempt) that exec and attach go to; NodeRequestError when there is none. */
async function runningContainer(docker: DockerApi, t: StreamTarget): Promise<string> {
  const [newest] = await containerAttempts(docker, t.namespace, t.pod, t.container);
  if (newest?.State !== 'running') throw new NodeRequestError(400, `container "${t.container}" in pod "${t.pod}" is not running`);
  return newest.Id;
}

/**
 * Serves /exec/NS/POD/CONTAINER and /attach/NS/POD/CONTAINER upgrade requests: checks the request,
 * opens the Docker side, switches to WebSocket and pipes the channels until the command or
 * container ends (then the error channel carries its Status) or the client goes away.
 */
export async function serveRemoteCommand(docker: DockerApi, req: IncomingMessage, socket: Duplex, head: Buffer, t: StreamTarget, kind: 'exec' | 'attach'): Promise<void> {
  const query = new URL(req.url ?? '/', 'https://node').searchParams;
  let cmd: RemoteCommand;
  try {
    cmd = parseRemoteCommand(query, kind);
  } catch (err) {
    return refuseUpgrade(socket, 400, (err as Error).message);
  }
  let id: string;
  let execId: string | undefined;
  try {
    id = await runningContainer(docker, t);
  } catch (err) {
    return refuseUpgrade(socket, err instanceof NodeRequestError ? err.code : 500, (err as Error).message);
  }
  if (!isWebSocketRequest(req)) return refuseUpgrade(socket, 400, `${kind} is served over WebSocket only (subprotocol v5.channel.k8s.io); SPDY is not supported`);
  const protocol = pickProtocol(offeredProtocols(req));
  if (!protocol) return refuseUpgrade(socket, 400, `unsupported WebSocket subprotocols: offer v5.channel.k8s.io or v4.channel.k8s.io`);
  try {
    if (kind === 'exec') execId = await docker.createExec(id, { Cmd: cmd.command, AttachStdin: cmd.stdin, AttachStdout: cmd.stdout, AttachStderr: cmd.stderr, Tty: cmd.tty });
  } catch (err) {
    return refuseUpgrade(socket, err instanceof NodeRequestError ? err.code : 500, (err as Error).message);
  }
  const ws = acceptWebSocket(req, socket, head, protocol);
  let backend: Duplex | undefined;
  const early: Array<{ ch: number; data: Buffer }> = [];
  let gone = false;
  const resize = (data: Buffer) => {
    const size = parseResize(data);
    if (!size) return;
    const h = Math.round(size.height);
    const w = Math.round(size.width);
    void (execId ? docker.resizeExec(execId, h, w) : docker.resizeContainer(id, h, w)).catch(() => {});
  };
  // Docker ends an attach stream as soon as its stdin half-closes, output and all: attach keeps
  // stdin on a connection of its own, so that closing it never cuts off the container's answer.
  let stdinSocket: Duplex | undefined;
  const stdinTarget = () => stdinSocket ?? backend!;
  const deliver = (ch: number, data: Buffer) => {
    if (ch === CHANNEL.stdin && cmd.stdin) stdinTarget().write(data);
    else if (ch === CHANNEL.resize) resize(data);
    else if (ch === CHANNEL.close && data[0] === CHANNEL.stdin) stdinTarget().end();
  };
  ws.onMessage = (msg) => {
    if (!msg.length) return;
    const ch = msg[0]!;
    const data = msg.subarray(1);
    if (backend) deliver(ch, data);
    else early.push({ ch, data });
  };
  ws.onClose = () => {
    gone = true;
    backend?.destroy();
    stdinSocket?.destroy();
  };
  const finish = (status: Record<string, unknown>) => {
    ws.send(channelMessage(CHANNEL.error, JSON.stringify(status)));
    ws.close(1000);
  };
  try {
    const hijacked =
      kind === 'exec'
        ? await docker.hijack({ path: `/exec/${execId}/start`, body: { Detach: false, Tty: cmd.tty } })
        : await docker.hijack({ path: `/containers/${id}/attach`, query: { stream: true, stdin: false, stdout: cmd.stdout, stderr: cmd.stderr } });
    if (kind === 'attach' && cmd.stdin) {
      stdinSocket = (await docker.hijack({ path: `/containers/${id}/attach`, query: { stream: true, stdin: true, stdout: false, stderr: false } })).socket;
      stdinSocket.on('error', () => undefined);
      stdinSocket.resume();
    }
    backend = hijacked.socket;
    if (hijacked.head.length) early.unshift({ ch: -1, data: hijacked.head });
  } catch (err) {
    return finish(exitStatus({ exitCode: null, error: `cannot ${kind} in container ${t.container}: ${(err as Error).message}` }, cmd.command));
  }
  if (gone) {
    stdinSocket?.destroy();
    return void backend.destroy();
  }
  const tty = kind === 'exec' ? cmd.tty : (await docker.inspectContainer(id).catch(() => undefined))?.Config.Tty === true;
  const out = tty ? (chunk: Buffer) => ws.send(channelMessage(CHANNEL.stdout, chunk)) : demultiplexer((stream, payload) => ws.send(channelMessage(stream === 2 ? CHANNEL.stderr : CHANNEL.stdout, payload)));
  backend.on('data', out);
  for (const m of early.splice(0)) {
    if (m.ch === -1) out(m.data);
    else deliver(m.ch, m.data);
  }
  await new Promise<void>((resolve) => {
    backend!.on('close', resolve);
    backend!.on('end', resolve);
    backend!.on('error', resolve);
  });
  stdinSocket?.destroy();
  if (gone) return;
  if (kind === 'attach') return finish(exitStatus({ exitCode: 0 }, cmd.command));
  finish(exitStatus({ exitCode: await exitCodeOf(docker, execId!) }, cmd.command));
}

/** The exit code of a finished exec (waits briefly for Docker to record it). */
async function exitCodeOf(docker: DockerApi, execId: string): Promise<number | null> {
  for (let i = 0; i < 50; i++) {
    const state = await docker.inspectExec(execId).catch(() => undefined);
    if (!state) return null;
    if (!state.Running) return state.ExitCode;
    await new Promise((r) => setTimeout(r, 50));
  }
  return null;
}
