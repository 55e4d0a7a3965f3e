import type { Command } from '../command.js';
import { clusterArg, NAME_OPTION } from './shared.js';

/** `kubelab kubeconfig`: prints a kubeconfig holding only this cluster. */
export const kubeconfigCommand: Command = {
  name: 'kubeconfig',
  summary: 'Print a kubeconfig for a cluster (its admin credentials; `start` already merges it into yours).',
  usage: 'kubeconfig [NAME] [--name NAME]',
  options: { name: NAME_OPTION },
  async run(ctx, { values, positionals }) {
    ctx.out(await ctx.engine().clusters.kubeconfig(clusterArg(values, positionals)));
    return 0;
  },
};
