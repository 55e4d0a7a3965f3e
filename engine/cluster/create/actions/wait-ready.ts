import { waitReady } from '../../readiness.js';
import type { Action } from '../action.js';

/** Waits until every node's nested runtime answers and its network is wired. */
export const waitNodesReady: Action = {
  title: 'Waiting for nested runtimes',
  async execute(ctx) {
    await waitReady(ctx.provider, ctx.specs.map((s) => s.name), ctx.deadline, ctx.signal);
  },
};
