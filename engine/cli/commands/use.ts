import type { Command } from '../command.js';
import { clusterArg, NAME_OPTION } from './shared.js';

/** `kubelab use NAME`: makes the cluster's context kubectl's current one. */
export const useCommand: Command = {
  name: 'use',
  summary: 'Make a cluster kubectl\'s current context.',
  usage: 'use [NAME] [--name NAME]',
  description: '  Sets current-context in the kubeconfig `start` writes to (the first file of $KUBECONFIG, else ~/.kube/config); nothing else in it changes.',
  options: { name: NAME_OPTION },
  async run(ctx, { values, positionals }) {
    const name = clusterArg(values, positionals);
    const context = await ctx.engine().clusters.useContext(name);
    ctx.out(`Switched kubectl to context "${context}" (cluster "${name}").\n`);
    return 0;
  },
};
