import type { Command } from '../command.js';
import { clusterArg, NAME_OPTION } from './shared.js';

/** `kubelab stop`: stops a cluster's nodes, keeping their state. */
export const stopCommand: Command = {
  name: 'stop',
  summary: 'Stop a cluster\'s nodes; their state is kept for the next start.',
  usage: 'stop [NAME] [--name NAME]',
  options: { name: NAME_OPTION },
  async run(ctx, { values, positionals }) {
    const name = clusterArg(values, positionals);
    await ctx.engine().clusters.stop(name, ctx.progress);
    ctx.out(`Cluster "${name}" stopped.\n`);
    return 0;
  },
};
