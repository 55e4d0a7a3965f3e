/** Sink that receives every line a Logger emits. */
export type LogSink = (level: 'info' | 'warn' | 'error', message: string) => void;

/** Leveled logger: `log.v(1).info(...)` prints only at verbosity ≥ 1. Library code logs through this, never console. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** A logger that prints only when the configured verbosity is at least `level`. */
  v(level: number): Logger;
}

const silent: Logger = { info() {}, warn() {}, error() {}, v: () => silent };

/** Creates a logger writing to `sink` for messages at or below `verbosity`. */
export function createLogger(sink: LogSink, verbosity = 0): Logger {
  const make = (enabled: boolean): Logger =>
    enabled
      ? {
          info: (m) => sink('info', m),
          warn: (m) => sink('warn', m),
          error: (m) => sink('error', m),
          v: (level) => make(level <= verbosity),
        }
      : silent;
  return make(true);
}

/** A logger that drops everything (for tests and embedding). */
export const nullLogger: Logger = silent;
