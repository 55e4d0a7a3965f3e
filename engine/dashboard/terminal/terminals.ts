// The dashboard's /terminal sockets: one terminal (host shell, node shell or pod exec) per socket,
// raw bytes both ways, resize and exit as JSON text. A terminal ends when its socket closes; close()
// ends them all and waits for every process the dashboard spawned to be gone.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorMessage, KubelabError } from '../../errors.js';
import type { Engine } from '../../index.js';
import type { Logger } from '../../log/logger.js';
import { acceptWebSocket, type WebSocketConnection } from '../../wire/websocket.js';
import type { TerminalServerMessage, TerminalTarget } from '../contract.js';
import type { ResolveApi } from '../k8s-proxy.js';
import type { TerminalExit, TerminalProcess, TerminalSink } from './backend.js';
import { loadPty, startHostShell } from './host-shell.js';
import { startNodeShell } from './node-shell.js';
import { startPodExec } from './pod-exec.js';
import { MAX_TERMINALS, parseTerminalMessage, parseTerminalQuery, TerminalRequestError, type TermSize } from './terminal-request.js';

/** Largest message a renderer may send (a paste); bigger ones close the socket. */
const MAX_INPUT = 1024 * 1024;
/** Output waiting in the socket past this pauses the process until the browser catches up. */
const HIGH_WATER = 1024 * 1024;

/** Starts one kind of terminal (replaceable in tests). */
export type StartTerminal = (target: TerminalTarget, size: TermSize, sink: TerminalSink) => Promise<TerminalProcess>;

/** What the terminals need from the dashboard. */
export interface TerminalsDeps {
  engine: Engine;
  /** How pod terminals reach the apiserver (the /k8s proxy's resolver). */
  resolveApi: ResolveApi;
  log: Logger;
  /** Most terminals at once (default MAX_TERMINALS). */
  max?: number;
  /** Starts a terminal (default: host, node or pod by the target's kind). */
  start?: StartTerminal;
}

interface Session {
  ws: WebSocketConnection;
  process?: TerminalProcess;
  /** The start of the process: its handle, or undefined when it could not start. */
  started?: Promise<TerminalProcess | undefined>;
  /** The socket closed (or is closing): the process must end. */
  closed: boolean;
  ending?: Promise<void>;
}

/** The error message of an exit for something that failed, with its hint. */
function failure(err: unknown): TerminalExit {
  const hint = err instanceof TerminalRequestError || err instanceof KubelabError ? err.hint : undefined;
  return { error: hint ? `${errorMessage(err)} (${hint})` : errorMessage(err) };
}

/** Every /terminal socket of one dashboard server. */
export class Terminals {
  private readonly sessions = new Set<Session>();
  /** PIDs of host shells this dashboard spawned and that still run. */
  readonly pids = new Set<number>();
  private readonly start: StartTerminal;
  private pty?: ReturnType<typeof loadPty>;
  private stopping = false;

  constructor(private readonly deps: TerminalsDeps) {
    this.start = deps.start ?? ((target, size, sink) => this.startDefault(target, size, sink));
  }

  /** The number of open terminals. */
  get size(): number {
    return this.sessions.size;
  }

  /** Completes the handshake of an upgrade the server already let through (Host, Origin, cookie checked), then starts the terminal it asks for. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const ws = acceptWebSocket(req, socket, head, undefined, { maxPayload: MAX_INPUT });
    const session: Session = { ws, closed: false };
    let size: TermSize | undefined;
    let paused = false;
    const early: Buffer[] = [];
    ws.onMessage = (data, binary) => {
      if (binary) {
        if (session.process) session.process.write(data);
        else early.push(data);
        return;
      }
      const msg = parseTerminalMessage(data.toString('utf8'));
      if (msg?.type !== 'resize') return;
      size = { cols: msg.cols, rows: msg.rows };
      session.process?.resize(size);
    };
    ws.onClose = () => this.drop(session);
    let request;
    try {
      request = parseTerminalQuery(new URL(req.url ?? '/', 'http://dashboard').searchParams);
      if (this.stopping) throw new TerminalRequestError('the dashboard is stopping');
      if (this.sessions.size >= (this.deps.max ?? MAX_TERMINALS)) throw new TerminalRequestError(`too many terminals: at most ${this.deps.max ?? MAX_TERMINALS} run at once`, 'close some terminal tabs first');
    } catch (err) {
      return this.finish(session, failure(err));
    }
    this.sessions.add(session);
    const sink: TerminalSink = {
      data: (chunk) => {
        if (session.closed) return;
        ws.send(chunk);
        if (!paused && socket.writableLength > HIGH_WATER && session.process?.pause) {
          paused = true;
          session.process.pause();
          socket.once('drain', () => {
            paused = false;
            session.process?.resume?.();
          });
        }
      },
      exit: (exit) => this.finish(session, exit),
    };
    session.started = this.start(request.target, request.size, sink).then(
      (proc) => {
        session.process = proc;
        if (session.closed) return proc;
        if (size) proc.resize(size);
        for (const chunk of early.splice(0)) proc.write(chunk);
        return proc;
      },
      (err: unknown) => {
        if (!(err instanceof TerminalRequestError)) this.deps.log.warn(`dashboard terminal: ${describe(request.target)}: ${errorMessage(err)}`);
        this.finish(session, failure(err));
        return undefined;
      },
    );
  }

  /** Ends every terminal and resolves once each process is gone. */
  async close(): Promise<void> {
    this.stopping = true;
    const all = [...this.sessions];
    for (const s of all) {
      this.finish(s, { error: 'the dashboard is stopping' });
    }
    await Promise.all(all.map((s) => s.ending));
  }

  /** Sends the exit message, closes the socket and ends the process (each once). */
  private finish(session: Session, exit: TerminalExit): void {
    if (!session.closed) {
      const msg: TerminalServerMessage = { type: 'exit', ...exit };
      session.ws.send(Buffer.from(JSON.stringify(msg)), false);
      session.ws.close(1000);
    }
    this.drop(session);
  }

  /** The socket is gone or going: forget the session and end its process. */
  private drop(session: Session): void {
    session.closed = true;
    this.end(session);
  }

  /** Ends the session's process once it has started (a start that failed leaves nothing to end). */
  private end(session: Session): void {
    if (!session.started) return;
    session.ending ??= session.started
      .then((proc) => proc?.end())
      .catch((err: unknown) => this.deps.log.warn(`dashboard terminal: ending a terminal failed: ${errorMessage(err)}`))
      .finally(() => this.sessions.delete(session));
  }

  private startDefault(target: TerminalTarget, size: TermSize, sink: TerminalSink): Promise<TerminalProcess> {
    const { engine, resolveApi, log } = this.deps;
    switch (target.kind) {
      case 'host':
        return startHostShell({ engine, log, pids: this.pids, pty: () => (this.pty ??= loadPty().catch((err: unknown) => { this.pty = undefined; throw err; })) }, target.cluster, size, sink);
      case 'node':
        return startNodeShell(engine, target.cluster, target.node, size, sink);
      case 'pod':
        return startPodExec(resolveApi, target, size, sink);
    }
  }
}

function describe(t: TerminalTarget): string {
  return t.kind === 'host' ? `host shell for ${t.cluster}` : t.kind === 'node' ? `shell in node ${t.node}` : `exec in ${t.namespace}/${t.pod}`;
}
