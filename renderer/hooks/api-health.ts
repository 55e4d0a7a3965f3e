// Whether each cluster's apiserver answers through the /k8s proxy, as the live watches see it:
// one failing watch (503 from the proxy, a network error) raises the problem, the watches coming
// back live clear it. The banner reads this; nothing polls.

/** A cluster's API problem, if any. */
export interface ApiProblem {
  error: string;
  /** HTTP status (503 when the proxy cannot reach the apiserver, 0 when the dashboard does not answer). */
  status: number;
}

/** Tracks failing watches per cluster and notifies subscribers when that changes. */
export class ApiHealth {
  private readonly failing = new Map<string, Map<string, ApiProblem>>();
  private readonly listeners = new Set<() => void>();
  private version = 0;

  /** A watch of `cluster` (identified by `id`) failed. */
  fail(cluster: string, id: string, problem: ApiProblem): void {
    let m = this.failing.get(cluster);
    if (!m) this.failing.set(cluster, (m = new Map()));
    const old = m.get(id);
    if (old && old.error === problem.error && old.status === problem.status) return;
    m.set(id, problem);
    this.changed();
  }

  /** A watch of `cluster` is live again, or was stopped. */
  ok(cluster: string, id: string): void {
    const m = this.failing.get(cluster);
    if (!m?.delete(id)) return;
    if (m.size === 0) this.failing.delete(cluster);
    this.changed();
  }

  /** The problem to show for `cluster` (the most recent failure), or undefined when all is well. */
  problem(cluster: string): ApiProblem | undefined {
    const m = this.failing.get(cluster);
    if (!m || m.size === 0) return undefined;
    return [...m.values()].pop();
  }

  /** For useSyncExternalStore: a number that changes on every change. */
  getVersion = (): number => this.version;

  /** Subscribes to changes; returns the unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private changed(): void {
    this.version++;
    for (const l of [...this.listeners]) l();
  }
}
