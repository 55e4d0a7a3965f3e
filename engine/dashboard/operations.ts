// Cluster operations the dashboard started (create, start, stop, delete): their progress kept in
// memory for the renderer to follow, at most one running per cluster.
import { randomBytes } from 'node:crypto';
import { errorMessage, KubelabError } from '../errors.js';
import type { Progress, ProgressEvent } from '../log/progress.js';
import type { OperationState, ProgressStep } from './contract.js';

/** Someone listening to one operation: every step, then its end. */
export interface OperationListener {
  step(step: ProgressStep): void;
  end(state: OperationState['state'], error?: string): void;
}

/** Thrown by start() when the cluster already has an operation running (the API answers 409). */
export class OperationBusyError extends KubelabError {
  constructor(readonly running: OperationState) {
    super(`cluster "${running.cluster}" is busy: a ${running.kind}${running.node ? ` of ${running.node}` : ''} is running`, { hint: 'wait for it to finish, then try again' });
  }
}

/** How many finished operations stay readable through GET /api/operations/ID. */
const KEEP_FINISHED = 50;
/** Most steps kept per operation; past it the oldest detail lines (info) go first. */
const MAX_STEPS = 1000;

/** The operations of one dashboard server. `onChange` fires after each step boundary (start/done/fail) and at each end. */
export class Operations {
  private readonly all = new Map<string, OperationState>();
  private readonly listeners = new Map<string, Set<OperationListener>>();
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly onChange: () => void = () => {},
    private readonly newId: () => string = () => randomBytes(12).toString('base64url'),
  ) {}

  /** Starts `run` as operation `kind` on `cluster` (and `node`, for node operations); throws OperationBusyError while another runs on the cluster. */
  start(kind: OperationState['kind'], cluster: string, run: (progress: Progress) => Promise<unknown>, node?: string): OperationState {
    const busy = this.active(cluster);
    if (busy) throw new OperationBusyError(busy);
    const op: OperationState = { id: this.newId(), kind, cluster, state: 'running', steps: [] };
    if (node !== undefined) op.node = node;
    this.all.set(op.id, op);
    const progress: Progress = (event) => this.record(op, event);
    const done = Promise.resolve()
      .then(() => run(progress))
      .then(
        () => this.finish(op, 'succeeded'),
        (err: unknown) => {
          const hint = err instanceof KubelabError && err.hint ? ` (${err.hint})` : '';
          this.finish(op, 'failed', `${errorMessage(err)}${hint}`);
        },
      );
    this.running.set(op.id, done);
    return op;
  }

  /** The operation with this id, running or recently finished. */
  get(id: string): OperationState | undefined {
    return this.all.get(id);
  }

  /** The operation running on `cluster`, if any. */
  active(cluster: string): OperationState | undefined {
    for (const op of this.all.values()) if (op.cluster === cluster && op.state === 'running') return op;
    return undefined;
  }

  /** Every running operation. */
  activeAll(): OperationState[] {
    return [...this.all.values()].filter((op) => op.state === 'running');
  }

  /**
   * Follows operation `id`: the listener gets every step so far at once, then each new one, then
   * the end (at once if it is over). Returns the unsubscribe function, or undefined for an unknown id.
   */
  follow(id: string, listener: OperationListener): (() => void) | undefined {
    const op = this.all.get(id);
    if (!op) return undefined;
    for (const s of op.steps) listener.step(s);
    if (op.state !== 'running') {
      listener.end(op.state, op.error);
      return () => {};
    }
    let set = this.listeners.get(id);
    if (!set) this.listeners.set(id, (set = new Set()));
    set.add(listener);
    return () => void set.delete(listener);
  }

  /** Resolves when every running operation has ended. */
  async settle(): Promise<void> {
    await Promise.all([...this.running.values()]);
  }

  private record(op: OperationState, event: ProgressEvent): void {
    if (op.state !== 'running') return;
    const step: ProgressStep = { step: event.step, status: event.status };
    if (event.message !== undefined) step.message = event.message;
    if (event.elapsedMs !== undefined) step.elapsedMs = event.elapsedMs;
    op.steps.push(step);
    if (op.steps.length > MAX_STEPS) {
      const info = op.steps.findIndex((s) => s.status === 'info');
      op.steps.splice(info >= 0 ? info : 0, 1);
    }
    for (const l of this.listeners.get(op.id) ?? []) quietly(() => l.step(step));
    if (event.status !== 'info') this.onChange();
  }

  private finish(op: OperationState, state: 'succeeded' | 'failed', error?: string): void {
    op.state = state;
    if (error !== undefined) op.error = error;
    this.running.delete(op.id);
    const set = this.listeners.get(op.id);
    this.listeners.delete(op.id);
    for (const l of set ?? []) quietly(() => l.end(state, error));
    this.prune();
    this.onChange();
  }

  private prune(): void {
    const finished = [...this.all.values()].filter((op) => op.state !== 'running');
    for (const op of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.all.delete(op.id);
  }
}

/** A listener's failure (a socket gone mid-send) must not break the operation it follows. */
function quietly(fn: () => void): void {
  try {
    fn();
  } catch {
    // the listener's own cleanup (socket close) unsubscribes it
  }
}
