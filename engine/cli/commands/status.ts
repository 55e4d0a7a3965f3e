import type { Command } from '../command.js';
import { statusView } from '../format.js';
import { forwarderView } from '../host-access-format.js';
import { clusterArg, NAME_OPTION, OUTPUT_OPTION, wantsJson } from './shared.js';

/** `kubelab status`: one cluster's state and nodes. Exit code 0 only when every node is ready. */
export const statusCommand: Command = {
  name: 'status',
  summary: 'Show a cluster\'s state and nodes (exit code 0 when every node is ready, 3 otherwise).',
  usage: 'status [NAME] [--name NAME] [--output json]',
  options: { name: NAME_OPTION, output: OUTPUT_OPTION },
  async run(ctx, { values, positionals }) {
    const json = wantsJson(values);
    const engine = ctx.engine();
    const status = await engine.clusters.status(clusterArg(values, positionals));
    const forwarder = await engine.hostAccess.status(status.name);
    ctx.out(json ? `${JSON.stringify({ ...status, forwarder }, null, 2)}\n` : statusView(status) + forwarderView(forwarder));
    return status.state === 'running' ? 0 : 3;
  },
};
