import { KubelabError } from '../../errors.js';
import type { Command } from '../command.js';
import { clusterArg, NAME_OPTION } from './shared.js';

/** `kubelab delete`: removes a cluster (or all of them) with every container, network and volume. */
export const deleteCommand: Command = {
  name: 'delete',
  summary: 'Delete a cluster and everything it made (containers, network, volumes).',
  usage: 'delete [NAME] [--name NAME] [--all]',
  options: { name: NAME_OPTION, all: { type: 'boolean', help: 'delete every kubelab cluster on this Docker engine' } },
  async run(ctx, { values, positionals }) {
    if (values.all) {
      if (positionals.length > 0 || values.name) throw new KubelabError('--all takes no cluster name', { exitCode: 2 });
      const names = await ctx.engine().clusters.deleteAll(ctx.progress);
      ctx.out(names.length ? `Deleted ${names.length} cluster(s): ${names.join(', ')}.\n` : 'No clusters to delete.\n');
      return 0;
    }
    const name = clusterArg(values, positionals);
    await ctx.engine().clusters.delete(name, ctx.progress);
    ctx.out(`Cluster "${name}" deleted.\n`);
    return 0;
  },
};
