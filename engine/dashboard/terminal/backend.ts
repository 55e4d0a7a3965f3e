// What every kind of terminal (host shell, node shell, pod exec) looks like to the sessions.
import type { TerminalServerMessage } from '../contract.js';
import type { TermSize } from './terminal-request.js';

/** How a terminal's process ended (the 'exit' message without its type). */
export type TerminalExit = Omit<TerminalServerMessage, 'type'>;

/** Where a running terminal's output and end go. */
export interface TerminalSink {
  /** Output bytes, in order. */
  data(chunk: Buffer): void;
  /** The process ended (called once). */
  exit(exit: TerminalExit): void;
}

/** A running terminal process. */
export interface TerminalProcess {
  /** Input bytes (keystrokes, pastes). */
  write(data: Buffer): void;
  resize(size: TermSize): void;
  /** Stops reading output (the browser is behind); resume() goes on. Optional where the transport cannot. */
  pause?(): void;
  resume?(): void;
  /** Ends the process (the socket closed); resolves once it is gone. */
  end(): Promise<void>;
}
