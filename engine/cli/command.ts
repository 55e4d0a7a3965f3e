import type { Engine } from '../index.js';
import type { Logger } from '../log/logger.js';
import type { Progress } from '../log/progress.js';

/** An option as util.parseArgs takes it, plus its help text. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  help: string;
  /** Placeholder shown in help ("N", "DURATION"). */
  arg?: string;
}

/** What every command gets to work with. */
export interface CommandContext {
  /** Created on first use, so `--help` and usage errors never touch Docker. */
  engine(): Engine;
  progress: Progress;
  log: Logger;
  out: (text: string) => void;
  verbose: boolean;
  /** Fires on the first Ctrl-C: long operations stop and clean up. */
  signal: AbortSignal;
}

/** One `kubelab` command (or subcommand). */
export interface Command {
  name: string;
  summary: string;
  /** Usage line after `kubelab`, e.g. "start [--name NAME] [--nodes N]". */
  usage: string;
  options: Record<string, OptionSpec>;
  /** Longer help shown by --help. */
  description?: string;
  run(ctx: CommandContext, args: { values: Record<string, string | boolean | undefined>; positionals: string[] }): Promise<number>;
}

/** Options every command accepts. */
export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  verbose: { type: 'boolean', short: 'v', help: 'print details: decisions, build output, stack traces' },
  help: { type: 'boolean', short: 'h', help: 'show help for the command' },
};

/** Help text of a command. */
export function commandHelp(cmd: Command): string {
  const all = { ...cmd.options, ...GLOBAL_OPTIONS };
  const rows = Object.entries(all).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.arg ? ` ${o.arg}` : ''}`;
    return `  ${flag.padEnd(28)} ${o.help}`;
  });
  return [`Usage: kubelab ${cmd.usage}`, '', cmd.summary, ...(cmd.description ? ['', cmd.description] : []), '', 'Options:', ...rows, ''].join('\n');
}
