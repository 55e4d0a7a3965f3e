// The forwarder's listeners on the host's loopback: one per host port the plan asks for. Each
// accepted connection gets its own tunnel to the node port, and the two are relayed. A port
// another program holds is retried every few seconds without holding up the others.
import { createServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { relay } from '../tunnel/relay.js';
import { listenerChanges, type HostListener } from './plan.js';
import type { FailedPort, ForwardedPort } from './status-file.js';

/** What the listeners need from their surroundings. */
export interface PortForwarderOptions {
  /** Opens a tunnel to a node port; resolves with its socket and the bytes already read from it. */
  dial(nodePort: number): Promise<{ socket: Duplex; head: Buffer }>;
  say(line: string): void;
  /** Address listened on (default 127.0.0.1). */
  host?: string;
  /** Delay between attempts to take a port that failed (default 5 s). */
  retryMs?: number;
  /** Called when a port fails to bind (once per distinct error) or recovers, so status can be written. */
  onChange?(port: HostListener, error?: string): void;
}

interface Slot {
  spec: HostListener;
  server?: Server;
  failure?: { error: string; since: string };
  retry?: NodeJS.Timeout;
  connections: Set<Socket>;
  closed: boolean;
}

/** Why a bind failed, as a user should read it. */
export function bindErrorMessage(host: string, port: number, err: NodeJS.ErrnoException): string {
  if (err.code === 'EADDRINUSE') return `host port ${host}:${port} is in use by another program`;
  if (err.code === 'EACCES') return `host port ${host}:${port} needs more privileges than kubelab has (ports below 1024 usually do)`;
  return `cannot listen on ${host}:${port}: ${err.message}`;
}

/** The set of listeners, reconciled to a plan by `update`. */
export class PortForwarder {
  private readonly slots = new Map<number, Slot>();
  private readonly host: string;

  constructor(private readonly opts: PortForwarderOptions) {
    this.host = opts.host ?? '127.0.0.1';
  }

  /** Opens, closes and retargets listeners so they match `desired` (keyed by host port). Resolves once new binds were tried. */
  async update(desired: ReadonlyMap<number, HostListener>): Promise<void> {
    const current = new Map([...this.slots].map(([port, slot]) => [port, slot.spec] as const));
    const changes = listenerChanges(current, desired);
    for (const port of changes.close) this.closeSlot(port);
    for (const spec of changes.retarget) {
      this.slots.get(spec.hostPort)!.spec = spec;
      this.opts.say(`127.0.0.1:${spec.hostPort} now goes to node port ${spec.nodePort} (${spec.service})`);
    }
    await Promise.all(
      changes.open.map((spec) => {
        const slot: Slot = { spec, connections: new Set(), closed: false };
        this.slots.set(spec.hostPort, slot);
        return this.bind(slot);
      }),
    );
  }

  /** Host ports being listened on now. */
  bound(): Set<number> {
    return new Set([...this.slots.values()].filter((s) => s.server).map((s) => s.spec.hostPort));
  }

  /** What is forwarded and what failed, for the status file. */
  snapshot(): { forwarded: ForwardedPort[]; failed: FailedPort[] } {
    const forwarded: ForwardedPort[] = [];
    const failed: FailedPort[] = [];
    for (const s of this.slots.values()) {
      if (s.server) forwarded.push({ ...s.spec });
      else if (s.failure) failed.push({ hostPort: s.spec.hostPort, service: s.spec.service, error: s.failure.error, since: s.failure.since });
    }
    return { forwarded, failed };
  }

  /** Closes every listener and the connections they carry. */
  close(): void {
    for (const port of [...this.slots.keys()]) this.closeSlot(port);
  }

  private closeSlot(port: number): void {
    const slot = this.slots.get(port);
    if (!slot) return;
    this.slots.delete(port);
    slot.closed = true;
    clearTimeout(slot.retry);
    slot.server?.close();
    for (const c of slot.connections) c.destroy();
    if (slot.server) this.opts.say(`closed 127.0.0.1:${port} (${slot.spec.service})`);
  }

  private bind(slot: Slot): Promise<void> {
    const port = slot.spec.hostPort;
    return new Promise((resolve) => {
      const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (conn) => this.accept(slot, conn));
      server.once('error', (err: NodeJS.ErrnoException) => {
        server.close();
        if (slot.closed) return resolve();
        const error = bindErrorMessage(this.host, port, err);
        const fresh = slot.failure?.error !== error;
        if (fresh) {
          slot.failure = { error, since: new Date().toISOString() };
          this.opts.say(`${error} (${slot.spec.service}); retrying every ${Math.round((this.opts.retryMs ?? 5000) / 1000)}s`);
          this.opts.onChange?.(slot.spec, error);
        }
        slot.retry = setTimeout(() => void this.bind(slot), this.opts.retryMs ?? 5000);
        resolve();
      });
      server.listen({ host: this.host, port, exclusive: true }, () => {
        if (slot.closed) {
          server.close();
          return resolve();
        }
        const recovered = slot.failure !== undefined;
        slot.failure = undefined;
        slot.server = server;
        server.on('error', (err) => this.opts.say(`listener 127.0.0.1:${port}: ${err.message}`));
        this.opts.say(`forwarding 127.0.0.1:${port} to node port ${slot.spec.nodePort} (${slot.spec.service}${slot.spec.portName ? `:${slot.spec.portName}` : ''})`);
        if (recovered) this.opts.onChange?.(slot.spec);
        resolve();
      });
    });
  }

  private accept(slot: Slot, conn: Socket): void {
    slot.connections.add(conn);
    conn.on('error', () => undefined);
    conn.on('close', () => slot.connections.delete(conn));
    const nodePort = slot.spec.nodePort;
    this.opts.dial(nodePort).then(
      ({ socket, head }) => {
        if (conn.destroyed) return void socket.destroy();
        void relay(socket, conn, head);
      },
      (err: Error) => {
        this.opts.say(`connection to 127.0.0.1:${slot.spec.hostPort} (${slot.spec.service}) dropped: ${err.message}`);
        conn.destroy();
      },
    );
  }
}
