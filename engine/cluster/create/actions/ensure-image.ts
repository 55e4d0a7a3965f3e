import type { Action } from '../action.js';

/** Finds the node image, building it when the engine does not have this version yet. */
export const ensureImage: Action = {
  title: 'Preparing node image',
  async execute(ctx) {
    ctx.image = await ctx.nodeImage();
    ctx.log.v(1).info(`node image ${ctx.image}`);
  },
};
