// An operation's progress events folded into one line per step, in the order steps started.
import type { ProgressStep } from '../../../engine/dashboard/contract';

/** One step as the progress list shows it. */
export interface StepLine {
  step: string;
  state: 'running' | 'done' | 'failed';
  /** The step's latest message (info events update it). */
  message?: string;
  elapsedMs?: number;
}

/** Folds progress events: start opens a step, info updates its message, done/fail close it. */
export function stepLines(steps: readonly ProgressStep[]): StepLine[] {
  const lines: StepLine[] = [];
  const byName = new Map<string, StepLine>();
  for (const s of steps) {
    let line = byName.get(s.step);
    if (!line || (s.status === 'start' && line.state !== 'running')) {
      line = { step: s.step, state: 'running' };
      byName.set(s.step, line);
      lines.push(line);
    }
    if (s.message) line.message = s.message;
    if (s.elapsedMs !== undefined) line.elapsedMs = s.elapsedMs;
    if (s.status === 'done') line.state = 'done';
    else if (s.status === 'fail') line.state = 'failed';
  }
  return lines;
}

/** Elapsed time of a step: "850ms", "4.2s", "1m05s". */
export function elapsedText(ms: number | undefined): string {
  if (ms === undefined) return '';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}
