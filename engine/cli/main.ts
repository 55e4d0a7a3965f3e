// The `kubelab` command line: parses arguments, dispatches to one command, prints one clear line on error.
import { parseArgs } from 'node:util';
import { KubelabError } from '../errors.js';
import { createEngine, type Engine } from '../index.js';
import { createLogger } from '../log/logger.js';
import { commandHelp, GLOBAL_OPTIONS, type Command, type CommandContext } from './command.js';
import { dashboardCommand } from './commands/dashboard.js';
import { deleteCommand } from './commands/delete.js';
import { dockerEnvCommand } from './commands/docker-env.js';
import { imageCommand } from './commands/image.js';
import { kubeconfigCommand } from './commands/kubeconfig.js';
import { kubectlCommand } from './commands/kubectl.js';
import { listCommand } from './commands/list.js';
import { nodeCommand } from './commands/node.js';
import { startCommand } from './commands/start.js';
import { serviceCommand } from './commands/service.js';
import { forwarderCommand } from './commands/forwarder.js';
import { statusCommand } from './commands/status.js';
import { stopCommand } from './commands/stop.js';
import { useCommand } from './commands/use.js';
import { progressRenderer } from './progress.js';

const COMMANDS: Command[] = [startCommand, stopCommand, deleteCommand, statusCommand, listCommand, nodeCommand, useCommand, kubeconfigCommand, kubectlCommand, dockerEnvCommand, imageCommand, serviceCommand, dashboardCommand];
/** Commands kubelab runs itself, left out of help. */
const HIDDEN: Command[] = [forwarderCommand];

function mainHelp(): string {
  return [
    'kubelab: a local multi-node Kubernetes lab. Every node is a Docker container with its own nested runtime.',
    '',
    'Usage: kubelab COMMAND [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`),
    '',
    'Run `kubelab COMMAND --help` for a command\'s options. Global: -v/--verbose, -h/--help.',
    '',
  ].join('\n');
}

/** Runs the CLI with `argv` (without node and script); resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(mainHelp());
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name) ?? HIDDEN.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`kubelab: unknown command "${name}"\nRun \`kubelab --help\` for the list of commands.\n`);
    return 2;
  }
  const renderer = progressRenderer(process.stderr, verbose);
  const log = createLogger((level, message) => {
    process.stderr.write(`${level === 'info' ? '' : `${level}: `}${message}\n`);
  }, verbose ? 1 : 0);
  try {
    const parsed = parseArgs({ args: rest, options: { ...command.options, ...GLOBAL_OPTIONS }, allowPositionals: true, strict: true });
    if (parsed.values.help) {
      process.stdout.write(commandHelp(command));
      return 0;
    }
    let engine: Engine | undefined;
    const interrupt = new AbortController();
    process.on('SIGINT', () => {
      if (interrupt.signal.aborted) process.exit(130);
      interrupt.abort();
      process.stderr.write('\ninterrupted: finishing the current step and cleaning up (Ctrl-C again to quit at once)\n');
    });
    const ctx: CommandContext = {
      engine: () => (engine ??= createEngine({ log })),
      progress: renderer.progress,
      log,
      out: (t) => process.stdout.write(t),
      verbose,
      signal: interrupt.signal,
    };
    const code = await command.run(ctx, { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals });
    renderer.close();
    return code;
  } catch (err) {
    renderer.close();
    return reportError(err, verbose, command);
  }
}

function reportError(err: unknown, verbose: boolean, command: Command): number {
  const usage = (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  if (usage) {
    process.stderr.write(`kubelab ${command.name}: ${(err as Error).message}\nRun \`kubelab ${command.name} --help\` for its options.\n`);
    return 2;
  }
  const e = err instanceof KubelabError ? err : undefined;
  process.stderr.write(`kubelab ${command.name}: ${e ? e.message : (err as Error)?.message ?? String(err)}\n`);
  if (e?.details) process.stderr.write(`${e.details.split('\n').map((l) => `  | ${l}`).join('\n')}\n`);
  if (e?.hint) process.stderr.write(`hint: ${e.hint}\n`);
  if (verbose && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  else if (!e) process.stderr.write('(run with --verbose for the stack trace)\n');
  return e?.exitCode ?? 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`kubelab: ${String(err)}\n`);
    process.exit(1);
  },
);
