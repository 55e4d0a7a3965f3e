import { validateClusterName } from '../../cluster/names.js';
import { KubelabError } from '../../errors.js';
import { FORWARDER_COMMAND } from '../../forwarder/process-control.js';
import { createLogger } from '../../log/logger.js';
import type { Command } from '../command.js';

/**
 * `kubelab _forwarder CLUSTER` (internal, not in help): the cluster's host port forwarder, run
 * detached by `kubelab start`. Its output is its log file; it ends on SIGTERM or when the cluster is deleted.
 */
export const forwarderCommand: Command = {
  name: FORWARDER_COMMAND,
  summary: 'Internal: run a cluster\'s host port forwarder in the foreground.',
  usage: `${FORWARDER_COMMAND} CLUSTER`,
  options: {},
  async run(ctx, { positionals }) {
    if (positionals.length !== 1) throw new KubelabError('name exactly one cluster', { exitCode: 2 });
    const cluster = validateClusterName(positionals[0]!);
    const log = createLogger((level, m) => process.stdout.write(`${new Date().toISOString()} ${level === 'info' ? '' : `${level}: `}${m}\n`), ctx.verbose ? 2 : 0);
    await ctx.engine().hostAccess.runDaemon(cluster, log);
    return 0;
  },
};
