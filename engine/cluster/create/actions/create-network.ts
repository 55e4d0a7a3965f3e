import type { Action } from '../action.js';

/** Creates the cluster's own bridge network on a free subnet. */
export const createNetwork: Action = {
  title: 'Creating network',
  async execute(ctx) {
    ctx.subnet = await ctx.provider.createNetwork(ctx.cluster);
  },
};
