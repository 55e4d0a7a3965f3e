import { KubelabError } from '../../errors.js';
import { parseDuration } from '../duration.js';
import type { Engine } from '../../index.js';
import type { Command, CommandContext } from '../command.js';
import { clusterArg, NAME_OPTION } from './shared.js';

/** `kubelab node add|delete|stop|start|shell`. */
export const nodeCommand: Command = {
  name: 'node',
  summary: 'Add, delete, stop, start or open a shell in a cluster\'s nodes.',
  usage: 'node add [--name NAME] | node delete NODE | node stop NODE | node start NODE | node shell NODE [-- COMMAND...]',
  description:
    '  node add       add a worker to a running cluster, wired into the pod network both ways\n' +
    '  node delete    remove a worker and its volume\n' +
    '  node stop      stop one node, as a node failure would (its Node turns NotReady, its pods are evicted later)\n' +
    '  node start     start a stopped node again and wait for its runtime\n' +
    '  node shell     an interactive shell inside a node (or run COMMAND there)',
  options: { name: NAME_OPTION, wait: { type: 'string', arg: 'DURATION', help: 'with add and start: how long to wait for the node (default 5m)' } },
  async run(ctx, { values, positionals }) {
    const [sub, ...rest] = positionals;
    const engine = () => ctx.engine();
    switch (sub) {
      case 'add': {
        const cluster = clusterArg(values, rest);
        const name = await engine().clusters.addNode(cluster, ctx.progress, ctx.signal, waitMs(values));
        ctx.out(`Node "${name}" added to cluster "${cluster}".\n`);
        return 0;
      }
      case 'delete': {
        const node = requireNode(rest, 'delete');
        const cluster = (values.name as string | undefined) ?? (await engine().clusters.findNode(node)).cluster;
        await engine().clusters.deleteNode(cluster, node, ctx.progress);
        ctx.out(`Node "${node}" deleted from cluster "${cluster}".\n`);
        return 0;
      }
      case 'stop': {
        const node = requireNode(rest, 'stop');
        const cluster = (values.name as string | undefined) ?? (await engine().clusters.findNode(node)).cluster;
        await engine().clusters.stopNode(cluster, node, ctx.progress);
        ctx.out(`Node "${node}" of cluster "${cluster}" stopped; start it again with \`kubelab node start ${node}\`.\n`);
        return 0;
      }
      case 'start': {
        const node = requireNode(rest, 'start');
        const cluster = (values.name as string | undefined) ?? (await engine().clusters.findNode(node)).cluster;
        await engine().clusters.startNode(cluster, node, ctx.progress, ctx.signal, waitMs(values));
        ctx.out(`Node "${node}" of cluster "${cluster}" started.\n`);
        return 0;
      }
      case 'shell': {
        const node = requireNode(rest.slice(0, 1), 'shell');
        const found = await engine().clusters.findNode(node);
        if (found.state !== 'running') {
          throw new KubelabError(`node "${node}" is ${found.state}`, { hint: `start its cluster first: \`kubelab start --name ${found.cluster}\`` });
        }
        const cmd = rest.length > 1 ? rest.slice(1) : ['bash', '-l'];
        return shell(ctx, engine(), node, cmd);
      }
      default:
        throw new KubelabError(sub ? `unknown node subcommand "${sub}"` : 'missing node subcommand', {
          hint: 'use `kubelab node add`, `kubelab node delete NODE`, `kubelab node stop NODE`, `kubelab node start NODE` or `kubelab node shell NODE`',
          exitCode: 2,
        });
    }
  },
};

/** --wait in ms, or undefined for the engine's default. */
function waitMs(values: Record<string, unknown>): number | undefined {
  return values.wait === undefined ? undefined : parseDuration(String(values.wait));
}

function requireNode(args: string[], sub: string): string {
  if (args.length !== 1 || !args[0]) throw new KubelabError(`kubelab node ${sub} needs exactly one node name`, { hint: 'see the nodes with `kubelab status`', exitCode: 2 });
  return args[0];
}

/** Runs `cmd` in the node: a real terminal when stdin is a TTY, plain pipes otherwise. Returns its exit code. */
async function shell(ctx: CommandContext, engine: Engine, node: string, cmd: string[]): Promise<number> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    const result = await engine.provider.exec(node, cmd, { stdin });
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    return result.exitCode;
  }
  const size = () => ({ rows: process.stdout.rows || 24, cols: process.stdout.columns || 80 });
  const session = await engine.provider.execInteractive(node, cmd, size());
  const onResize = () => void session.resize(size());
  process.stdout.on('resize', onResize);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.pipe(session.stream);
  session.stream.pipe(process.stdout);
  await new Promise<void>((resolve) => {
    session.stream.on('end', resolve);
    session.stream.on('close', resolve);
  });
  stdin.unpipe(session.stream);
  stdin.setRawMode(false);
  stdin.pause();
  process.stdout.off('resize', onResize);
  ctx.log.v(1).info(`shell in ${node} ended`);
  return session.exitCode();
}
