import { detectShell, dockerEnvScript, dockerUnsetScript, SHELLS } from '../../cluster/docker-env.js';
import type { Command } from '../command.js';
import { clusterArg, NAME_OPTION } from './shared.js';

/** `kubelab docker-env`: prints the variables that point a shell's docker at a node's engine. */
export const dockerEnvCommand: Command = {
  name: 'docker-env',
  summary: "Print the variables that point your shell's docker at a node of a cluster (eval the output).",
  usage: 'docker-env [NAME] [--name NAME] [--node NODE] [--shell SHELL] [--unset]',
  description: [
    'Images built this way are usable by pods on every node: a node that lacks an image copies it from',
    'the node that has it (use imagePullPolicy IfNotPresent or Never). Your own DOCKER_* variables are',
    'saved and come back with --unset.',
    '',
    'Examples:',
    '  eval $(kubelab docker-env)            # bash, zsh',
    '  kubelab docker-env --shell fish | source',
    '  eval $(kubelab docker-env --unset)',
  ].join('\n'),
  options: {
    name: NAME_OPTION,
    node: { type: 'string', arg: 'NODE', help: 'the node whose engine to use (default: the control plane)' },
    shell: { type: 'string', arg: 'SHELL', help: `syntax of the output: ${SHELLS.join(', ')} (default: detected)` },
    unset: { type: 'boolean', short: 'u', help: 'print the commands that undo docker-env instead' },
  },
  async run(ctx, { values, positionals }) {
    const shell = detectShell(values.shell as string | undefined);
    const cluster = clusterArg(values, positionals);
    const named = values.name || positionals[0] ? ` --name ${cluster}` : '';
    const shellFlag = values.shell ? ` --shell ${shell}` : '';
    if (values.unset) {
      ctx.out(dockerUnsetScript(shell, process.env, `kubelab docker-env${named}${shellFlag} --unset`));
      return 0;
    }
    const target = await ctx.engine().clusters.dockerEnv(cluster, values.node as string | undefined);
    const nodeFlag = values.node ? ` --node ${String(values.node)}` : '';
    ctx.out(dockerEnvScript(shell, target, process.env, `kubelab docker-env${named}${nodeFlag}${shellFlag}`));
    return 0;
  },
};
