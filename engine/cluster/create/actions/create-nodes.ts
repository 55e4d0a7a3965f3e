import { PEERS_PATH } from '../../../network/peers.js';
import { nodeSpec } from '../../node-spec.js';
import { peersContent } from '../../wiring.js';
import { required, type Action } from '../action.js';

/**
 * Creates every node's volume and container (1 control plane + workers), not yet started, each
 * already told about all the others so it routes to every pod range from its first boot.
 */
export const createNodes: Action = {
  title: 'Creating nodes',
  async execute(ctx) {
    const image = required(ctx, 'image');
    const subnet = required(ctx, 'subnet');
    ctx.specs = Array.from({ length: ctx.nodeCount }, (_, i) => nodeSpec(ctx.cluster, i, image, subnet, ctx.apiPort));
    const peers = peersContent(ctx.specs);
    await Promise.all(
      ctx.specs.map(async (s) => {
        await ctx.provider.createNode(s);
        await ctx.provider.writeFile(s.name, PEERS_PATH, peers);
      }),
    );
  },
};
