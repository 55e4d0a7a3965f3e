import { KubelabError } from '../../errors.js';
import type { Command } from '../command.js';
import { clustersTable } from '../format.js';
import { OUTPUT_OPTION, wantsJson } from './shared.js';

/** `kubelab list`: every cluster on the Docker engine. */
export const listCommand: Command = {
  name: 'list',
  summary: 'List the clusters on this Docker engine.',
  usage: 'list [--output json]',
  options: { output: OUTPUT_OPTION },
  async run(ctx, { values, positionals }) {
    if (positionals.length > 0) throw new KubelabError(`unexpected argument "${positionals[0]}"`, { exitCode: 2 });
    const json = wantsJson(values);
    const clusters = await ctx.engine().clusters.list(ctx.progress);
    ctx.out(json ? `${JSON.stringify(clusters, null, 2)}\n` : clustersTable(clusters));
    return 0;
  },
};
