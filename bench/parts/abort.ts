// How a bench ends when it fails or is interrupted: its cleanup runs (once, however often it is
// asked for), then the process exits with 1 for an unhandled failure or 130 for a signal.

/** Runs `cleanup` before exiting on an unhandled rejection, SIGINT or SIGTERM; `onSignal` runs first on a signal. */
export function cleanUpOnAbort(bench: string, cleanup: () => Promise<void>, what: string, onSignal?: () => void): void {
  process.on('unhandledRejection', (err) => {
    console.error(`${bench} failed: ${(err as Error).message}`);
    void cleanup().then(() => process.exit(1));
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      onSignal?.();
      console.error(`${bench} interrupted (${signal}); ${what} …`);
      void cleanup().then(() => process.exit(130));
    });
  }
}
