import { nodeSpec } from '../../node-spec.js';
import { required, type Action } from '../action.js';

/** Creates every node's volume and container (1 control plane + workers), not yet started. */
export const createNodes: Action = {
  title: 'Creating nodes',
  async execute(ctx) {
    const image = required(ctx, 'image');
    const subnet = required(ctx, 'subnet');
    ctx.specs = Array.from({ length: ctx.nodeCount }, (_, i) => nodeSpec(ctx.cluster, i, image, subnet, ctx.apiPort));
    await Promise.all(ctx.specs.map((s) => ctx.provider.createNode(s)));
  },
};
