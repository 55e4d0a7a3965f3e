import { KubelabError } from '../../errors.js';
import type { Command } from '../command.js';
import { parseDuration } from '../duration.js';
import { statusView } from '../format.js';
import { NAME_OPTION } from './shared.js';

/** `kubelab start`: creates the cluster if it does not exist, else starts it. */
export const startCommand: Command = {
  name: 'start',
  summary: 'Create a cluster, or start it again if it exists.',
  usage: 'start [--name NAME] [--nodes N] [--wait DURATION] [--retain] [--api-port PORT] [--eviction-timeout DURATION] [--hpa-downscale-delay DURATION]',
  description:
    'A new cluster has 1 control-plane node and N-1 workers, each a Docker container with its own\n' +
    'nested Docker engine. The command returns once every node\'s runtime answers.',
  options: {
    name: NAME_OPTION,
    nodes: { type: 'string', arg: 'N', help: 'number of nodes of a new cluster (default 1)' },
    wait: { type: 'string', arg: 'DURATION', help: 'how long to wait for the nodes to be ready (default 5m)' },
    retain: { type: 'boolean', help: 'keep the parts of a failed creation for inspection' },
    'api-port': { type: 'string', arg: 'PORT', help: 'fixed host port for the API server (default: a random free one)' },
    'eviction-timeout': { type: 'string', arg: 'DURATION', help: 'how long pods stay on a failed node before they are evicted (new clusters; default 5m)' },
    'hpa-downscale-delay': { type: 'string', arg: 'DURATION', help: 'how long autoscalers wait before removing pods (new clusters; default 5m)' },
  },
  async run(ctx, { values, positionals }) {
    if (positionals.length > 0) throw new KubelabError(`unexpected argument "${positionals[0]}"`, { hint: 'name the cluster with --name', exitCode: 2 });
    const nodes = values.nodes === undefined ? undefined : Number(values.nodes);
    if (nodes !== undefined && (!/^\d+$/.test(String(values.nodes)))) {
      throw new KubelabError(`invalid node count "${values.nodes}"`, { hint: 'give --nodes a whole number, e.g. --nodes 3', exitCode: 2 });
    }
    const apiPort = values['api-port'] === undefined ? undefined : Number(values['api-port']);
    const eviction = values['eviction-timeout'] === undefined ? undefined : parseDuration(String(values['eviction-timeout']));
    const downscale = values['hpa-downscale-delay'] === undefined ? undefined : parseDuration(String(values['hpa-downscale-delay']));
    const { created, status } = await ctx.engine().clusters.start(
      {
        name: values.name as string | undefined,
        nodes,
        waitMs: values.wait === undefined ? undefined : parseDuration(String(values.wait)),
        retain: Boolean(values.retain),
        apiPort,
        evictionSeconds: eviction === undefined ? undefined : Math.round(eviction / 1000),
        hpaDownscaleSeconds: downscale === undefined ? undefined : Math.round(downscale / 1000),
      },
      ctx.progress,
      ctx.signal,
    );
    ctx.out(`\nCluster "${status.name}" ${created ? 'created' : 'started'}: ${status.nodes.length} node(s), every nested runtime answering.\n`);
    ctx.out(`kubectl now uses context "${status.context}" (try \`kubectl get namespaces\`).\n\n`);
    ctx.out(statusView(status));
    return 0;
  },
};
