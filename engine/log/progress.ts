/** One step of a long operation, as shown by the CLI's live display and the desktop app. */
export interface ProgressEvent {
  /** Short, stable title of the step ("Building node image"). */
  step: string;
  status: 'start' | 'info' | 'done' | 'fail';
  /** Detail line: a build log line, what was decided, why it failed. */
  message?: string;
  /** Time the step took, on done/fail. */
  elapsedMs?: number;
}

/** Receiver of progress events. */
export type Progress = (event: ProgressEvent) => void;

/** Runs `fn` as one progress step: emits start, then done or fail with the elapsed time. */
export async function step<T>(progress: Progress, name: string, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  progress({ step: name, status: 'start' });
  try {
    const result = await fn();
    progress({ step: name, status: 'done', elapsedMs: Date.now() - started });
    return result;
  } catch (err) {
    progress({ step: name, status: 'fail', message: (err as Error).message, elapsedMs: Date.now() - started });
    throw err;
  }
}
