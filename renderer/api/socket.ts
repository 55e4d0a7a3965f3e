// The dashboard's WebSocket (/ws): cluster list pushes and operation progress. Reconnects with
// back-off and re-subscribes; the server then replays an operation's steps from the start, so a
// subscriber is told to reset before the replay.
import type { ClientMessage, ClusterSummary, EngineHealth, OperationState, ProgressStep, ServerMessage } from '../../engine/dashboard/contract';

/** Callbacks of one operation subscription. */
export interface OperationListener {
  /** The server is about to replay every step from the first (after a (re)connect). */
  onReset(): void;
  onStep(step: ProgressStep): void;
  onEnd(state: OperationState['state'], error?: string): void;
  /** The server refused the subscription (unknown operation, …). */
  onError(error: string): void;
}

/** Delay before reconnect `attempt`: 0.5 s doubling to 10 s. */
const reconnectDelay = (attempt: number) => Math.min(10_000, 500 * 2 ** Math.min(attempt, 5));

/** A self-healing connection to /ws. */
export class DashboardSocket {
  private ws?: WebSocket;
  private attempt = 0;
  private nextId = 1;
  private closed = false;
  private timer?: ReturnType<typeof setTimeout>;
  private readonly operations = new Map<string, { operation: string; listener: OperationListener }>();
  private readonly clusterListeners = new Set<(clusters: ClusterSummary[]) => void>();
  private readonly engineListeners = new Set<(engine: EngineHealth) => void>();
  private readonly stateListeners = new Set<() => void>();

  constructor(private readonly url: string) {}

  /** Whether the socket is open now. */
  get connected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** Opens the connection (idempotent). */
  open(): void {
    if (this.ws || this.closed) return;
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      for (const [id, sub] of this.operations) {
        sub.listener.onReset();
        this.send({ id, op: 'operation', operation: sub.operation });
      }
      this.notifyState();
    };
    ws.onmessage = (e) => this.receive(typeof e.data === 'string' ? e.data : '');
    ws.onclose = () => {
      this.ws = undefined;
      this.notifyState();
      if (this.closed) return;
      this.timer = setTimeout(() => this.open(), reconnectDelay(this.attempt++));
    };
  }

  /** Closes for good. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.ws?.close();
  }

  /** Follows an operation's progress; returns the unsubscribe function. */
  followOperation(operation: string, listener: OperationListener): () => void {
    const id = `op-${this.nextId++}`;
    this.operations.set(id, { operation, listener });
    if (this.connected) this.send({ id, op: 'operation', operation });
    return () => {
      if (!this.operations.delete(id)) return;
      if (this.connected) this.send({ id, op: 'cancel' });
    };
  }

  /** Called with the full cluster list whenever the server pushes it. */
  onClusters(listener: (clusters: ClusterSummary[]) => void): () => void {
    this.clusterListeners.add(listener);
    return () => this.clusterListeners.delete(listener);
  }

  /** Called with the Docker engine's health on connect and whenever it changes. */
  onEngine(listener: (engine: EngineHealth) => void): () => void {
    this.engineListeners.add(listener);
    return () => this.engineListeners.delete(listener);
  }

  /** Called when the connection opens or closes. */
  onStateChange(listener: () => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  private send(msg: ClientMessage): void {
    this.ws?.send(JSON.stringify(msg));
  }

  private notifyState(): void {
    for (const l of [...this.stateListeners]) l();
  }

  private receive(data: string): void {
    let msg: ServerMessage;
    try {
      msg = JSON.parse(data) as ServerMessage;
    } catch {
      return;
    }
    if (msg.type === 'clusters') {
      for (const l of [...this.clusterListeners]) l(msg.clusters);
      return;
    }
    if (msg.type === 'engine') {
      for (const l of [...this.engineListeners]) l(msg.engine);
      return;
    }
    const sub = msg.id ? this.operations.get(msg.id) : undefined;
    if (!sub) return;
    if (msg.type === 'progress') sub.listener.onStep(msg.step);
    else if (msg.type === 'end') {
      this.operations.delete(msg.id);
      sub.listener.onEnd(msg.state, msg.error);
    } else if (msg.type === 'error') {
      this.operations.delete(msg.id!);
      sub.listener.onError(msg.error);
    }
  }
}

/** The /ws URL of the page's own origin. */
export function socketUrl(loc: Pick<Location, 'protocol' | 'host'>): string {
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}/ws`;
}
