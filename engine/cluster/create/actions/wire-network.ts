import { writePeers } from '../../wiring.js';
import type { Action } from '../action.js';

/** Tells every node about every other (address and podCIDR) so each routes to all pod ranges from its first boot. */
export const wireNetwork: Action = {
  title: 'Wiring pod network',
  async execute(ctx) {
    await writePeers(ctx.provider, ctx.specs.map((s) => ({ ...s, state: 'created', ports: [] })));
  },
};
