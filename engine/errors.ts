/** An error meant for the user: one clear line, an optional hint saying what to do next, the cause kept for --verbose. */
export class KubelabError extends Error {
  readonly hint?: string;
  /** Supporting output shown under the message (e.g. the failing build step's log). */
  readonly details?: string;
  /** Exit code the CLI should use (1 = failure, 2 = usage). */
  readonly exitCode: number;

  constructor(message: string, opts: { hint?: string; details?: string; cause?: unknown; exitCode?: number } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'KubelabError';
    this.hint = opts.hint;
    this.details = opts.details;
    this.exitCode = opts.exitCode ?? 1;
  }
}

/** The error of an operation the user interrupted (Ctrl-C); exit code 130 as shells use for SIGINT. */
export function interrupted(): KubelabError {
  return new KubelabError('interrupted', { exitCode: 130 });
}

/** Throws interrupted() when `signal` has fired. */
export function checkInterrupt(signal?: AbortSignal): void {
  if (signal?.aborted) throw interrupted();
}

/** Wraps `err` with what was being done, keeping a KubelabError's hint. */
export function wrapError(doing: string, err: unknown): KubelabError {
  const hint = err instanceof KubelabError ? err.hint : undefined;
  return new KubelabError(`${doing}: ${errorMessage(err)}`, { hint, cause: err });
}

/** The message of any thrown value, without Docker's noisy prefixes. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) {
    const json = (err as { json?: { message?: string } }).json;
    const msg = json?.message ?? err.message;
    return msg.replace(/^\(HTTP code \d+\)\s*[a-z ]*-\s*/i, '').trim();
  }
  return String(err);
}

/** True when `err` says the Docker engine could not be reached at all (socket gone, refused, reset). */
export function isEngineUnreachable(err: unknown): boolean {
  const code = (err as { code?: string } | undefined)?.code;
  if (code && ['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ETIMEDOUT', 'EACCES'].includes(code)) return true;
  const cause = (err as { cause?: unknown } | undefined)?.cause;
  if (cause && cause !== err) return isEngineUnreachable(cause);
  return /socket hang up|ECONNREFUSED|ECONNRESET|connect ENOENT/.test(String((err as Error)?.message ?? ''));
}
