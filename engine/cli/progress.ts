import type { Progress, ProgressEvent } from '../log/progress.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Formats milliseconds for a step line: "850ms", "3.2s", "1m05s". */
export function formatElapsed(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** The plain (non-TTY) line for one event, or undefined when plain output skips it. */
export function plainLine(e: ProgressEvent, verbose: boolean): string | undefined {
  switch (e.status) {
    case 'start':
      return `• ${e.step} ...`;
    case 'done':
      return `✓ ${e.step} (${formatElapsed(e.elapsedMs ?? 0)})`;
    case 'fail':
      return `✗ ${e.step}${e.elapsedMs !== undefined ? ` (${formatElapsed(e.elapsedMs)})` : ''}`;
    case 'info':
      return verbose && e.message ? `  ${e.message}` : undefined;
  }
}

/**
 * Progress display on stderr: on a TTY a live spinner line for the running step with its latest
 * detail; otherwise one plain line per step start and end (details only with --verbose).
 */
export function progressRenderer(stream: NodeJS.WriteStream, verbose: boolean): { progress: Progress; close(): void } {
  if (!stream.isTTY) {
    return { progress: (e) => {
      const line = plainLine(e, verbose);
      if (line) stream.write(`${line}\n`);
    }, close() {} };
  }
  const active: Array<{ step: string; detail?: string; started: number }> = [];
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;
  const clear = () => stream.write('\r\x1b[2K');
  const render = () => {
    clear();
    const top = active[active.length - 1];
    if (!top) return;
    const width = (stream.columns || 80) - 1;
    const head = `${FRAMES[frame++ % FRAMES.length]} ${top.step} ${formatElapsed(Date.now() - top.started)}`;
    const detail = top.detail ? `  \x1b[2m${top.detail}\x1b[0m` : '';
    stream.write(head.length >= width ? head.slice(0, width) : head + detail.slice(0, width - head.length + 8));
  };
  const progress: Progress = (e) => {
    if (e.status === 'start') {
      active.push({ step: e.step, started: Date.now() });
      timer ??= setInterval(render, 100);
    } else if (e.status === 'info') {
      const top = active.find((a) => a.step === e.step) ?? active[active.length - 1];
      if (top && e.message) top.detail = e.message.replace(/\s+/g, ' ');
      if (verbose && e.message) {
        clear();
        stream.write(`  ${e.message}\n`);
      }
    } else {
      const i = active.findIndex((a) => a.step === e.step);
      if (i >= 0) active.splice(i, 1);
      clear();
      stream.write(`${e.status === 'done' ? '\x1b[32m✓\x1b[0m' : '\x1b[31m✗\x1b[0m'} ${e.step} (${formatElapsed(e.elapsedMs ?? 0)})\n`);
      if (active.length === 0 && timer) {
        clearInterval(timer);
        timer = undefined;
      }
    }
    render();
  };
  return {
    progress,
    close() {
      if (timer) clearInterval(timer);
      clear();
    },
  };
}
