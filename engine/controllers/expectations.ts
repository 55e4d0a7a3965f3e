// Controller expectations (client-go's ControllerExpectations): after a controller creates or
// deletes pods it waits until its informer has seen those changes before it counts pods again,
// so informer lag never makes it create or delete twice. Expectations expire after a while in
// case a watch event was lost.

interface Expectation {
  adds: number;
  deletes: Set<string>;
  at: number;
}

/** How long unmet expectations are trusted (upstream: 5 minutes). */
export const EXPECTATIONS_TTL_MS = 5 * 60_000;

/** Per controller key: pod creations still to be observed, and the pod keys whose deletion is. */
export class Expectations {
  private readonly byKey = new Map<string, Expectation>();

  constructor(private readonly now: () => number = Date.now) {}

  /** True when the key may act on what its cache shows: nothing pending, or pending for too long. */
  satisfied(key: string): boolean {
    const e = this.byKey.get(key);
    if (!e) return true;
    if ((e.adds <= 0 && e.deletes.size === 0) || this.now() - e.at > EXPECTATIONS_TTL_MS) return true;
    return false;
  }

  /** Records that the key is about to create `adds` pods and delete the pods `deletes`. */
  expect(key: string, adds: number, deletes: string[] = []): void {
    this.byKey.set(key, { adds, deletes: new Set(deletes), at: this.now() });
  }

  /** One creation was seen (or will never happen: a create failed or was skipped). */
  creationObserved(key: string, n = 1): void {
    const e = this.byKey.get(key);
    if (e) e.adds -= n;
  }

  /** The deletion of `podKey` was seen (or failed). */
  deletionObserved(key: string, podKey: string): void {
    this.byKey.get(key)?.deletes.delete(podKey);
  }

  /** Forgets the key (its owner is gone). */
  delete(key: string): void {
    this.byKey.delete(key);
  }
}
