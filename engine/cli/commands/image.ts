import { formatBytes } from '../../cluster/images.js';
import { DEFAULT_CLUSTER } from '../../cluster/names.js';
import { KubelabError } from '../../errors.js';
import type { Command } from '../command.js';
import { table } from '../format.js';
import { NAME_OPTION, OUTPUT_OPTION, wantsJson } from './shared.js';

/** `kubelab image load|ls|rm`: images in the nodes' engines. */
export const imageCommand: Command = {
  name: 'image',
  summary: "Load images from your docker engine into a cluster's nodes, list or remove them.",
  usage: 'image load IMAGE... | image ls | image rm IMAGE... [--name NAME] [--node NODE]',
  description:
    '  image load     copy images from your docker engine to the nodes that lack them\n' +
    '  image ls       the images of the nodes, with the nodes that have each\n' +
    '  image rm       remove images from the nodes (those a container uses stay)',
  options: {
    name: NAME_OPTION,
    node: { type: 'string', arg: 'NODE', help: 'act on this node only (default: every running node)' },
    output: OUTPUT_OPTION,
  },
  async run(ctx, { values, positionals }) {
    const [sub, ...refs] = positionals;
    const cluster = (values.name as string | undefined) ?? DEFAULT_CLUSTER;
    const node = values.node as string | undefined;
    const images = () => ctx.engine().images;
    switch (sub) {
      case 'load': {
        const results = await images().load(cluster, refs, ctx.progress, node);
        for (const ref of refs) {
          const mine = results.filter((r) => r.image === ref);
          const copied = mine.filter((r) => r.outcome === 'copied');
          const present = mine.filter((r) => r.outcome === 'present');
          const parts = [
            ...(copied.length ? [`copied to ${copied.map((r) => r.node).join(', ')} (${formatBytes(copied[0]!.bytes)} each)`] : []),
            ...(present.length ? [`already on ${present.map((r) => r.node).join(', ')}`] : []),
          ];
          ctx.out(`${ref}: ${parts.join('; ')}\n`);
        }
        return 0;
      }
      case 'ls': {
        if (refs.length) throw new KubelabError(`unexpected argument "${refs[0]}"`, { exitCode: 2 });
        const rows = await images().list(cluster, node);
        ctx.out(wantsJson(values) ? `${JSON.stringify(rows, null, 2)}\n` : table(['IMAGE', 'ID', 'SIZE', 'NODES'], rows.map((r) => [r.image, r.id, formatBytes(r.size), r.nodes.join(',')])));
        return 0;
      }
      case 'rm': {
        const results = await images().remove(cluster, refs, node);
        let failed = false;
        for (const r of results) {
          if (r.outcome === 'in use') failed = true;
          ctx.out(`${r.image} on ${r.node}: ${r.outcome === 'in use' ? `kept, ${r.message}` : r.outcome === 'absent' ? 'not there' : 'removed'}\n`);
        }
        return failed ? 1 : 0;
      }
      default:
        throw new KubelabError(sub ? `unknown image subcommand "${sub}"` : 'missing image subcommand', {
          hint: 'use `kubelab image load IMAGE...`, `kubelab image ls` or `kubelab image rm IMAGE...`',
          exitCode: 2,
        });
    }
  },
};
