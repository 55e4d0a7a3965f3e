// Pods the scheduler has placed but the pod informer has not yet shown bound (upstream's assumed
// pods in its cache): they count against their node at once, so a burst of pods cannot
// double-book a node's resources, pod slots or host ports while bindings are in flight.
import type { Pod } from './types.js';

interface Assumed {
  pod: Pod;
  node: string;
  /** Set once the binding succeeded: the entry expires this long after, if the informer never confirms it. */
  expiresAt?: number;
}

/** The assumed pods, by namespace/name key. */
export class AssumedPods {
  private readonly pods = new Map<string, Assumed>();

  constructor(
    private readonly ttlMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Places the pod on `node` (a copy with spec.nodeName set). */
  assume(key: string, pod: Pod, node: string): void {
    this.pods.set(key, { pod: { ...pod, spec: { ...pod.spec, nodeName: node } }, node });
  }

  /** The binding succeeded: keep the pod until the informer shows it bound, or for the TTL at most. */
  bound(key: string): void {
    const a = this.pods.get(key);
    if (a) a.expiresAt = this.now() + this.ttlMs;
  }

  /** Drops the pod: the binding failed, the informer now shows it bound, or it was deleted. */
  forget(key: string): void {
    this.pods.delete(key);
  }

  /** Whether the pod is assumed (its binding may still be in flight). */
  has(key: string): boolean {
    this.expire();
    return this.pods.has(key);
  }

  /** Assumed pods by node name. */
  byNode(): Map<string, Array<{ key: string; pod: Pod }>> {
    this.expire();
    const out = new Map<string, Array<{ key: string; pod: Pod }>>();
    for (const [key, a] of this.pods) {
      let list = out.get(a.node);
      if (!list) out.set(a.node, (list = []));
      list.push({ key, pod: a.pod });
    }
    return out;
  }

  /** How many pods are assumed. */
  get size(): number {
    return this.pods.size;
  }

  private expire(): void {
    const now = this.now();
    for (const [key, a] of this.pods) if (a.expiresAt !== undefined && a.expiresAt <= now) this.pods.delete(key);
  }
}
