/**
 * Calls `fn` until it returns something truthy (errors count as "not yet") and resolves with that;
 * after `ms` it throws, naming `what` and the last error.
 */
export async function eventually<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 30_000, intervalMs = 200): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
