import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { clusterDir } from '../../config/paths.js';
import { clientBinary } from '../../kubeconfig/clients.js';
import type { Command } from '../command.js';
import { NAME_OPTION } from './shared.js';

/** `kubelab kubectl -- ARGS`: runs kubectl against a cluster, whatever the user's kubeconfig says. */
export const kubectlCommand: Command = {
  name: 'kubectl',
  summary: 'Run kubectl against a cluster (kubectl from PATH, else the one kubelab ships for linux-x64).',
  usage: 'kubectl [--name NAME] -- ARGS...',
  description: 'Everything after -- goes to kubectl, e.g. `kubelab kubectl -- get pods -A`.',
  // No -n here: after --, -n is kubectl's namespace flag.
  options: { name: { type: 'string', arg: 'NAME', help: NAME_OPTION.help } },
  async run(ctx, { values, positionals }) {
    const engine = ctx.engine();
    const cluster = (values.name as string | undefined) ?? 'kubelab';
    const file = join(clusterDir(engine.home, cluster), 'kubeconfig');
    const text = await engine.clusters.kubeconfig(cluster);
    await mkdir(clusterDir(engine.home, cluster), { recursive: true });
    await writeFile(file, text, { mode: 0o600 });
    const bin = await clientBinary('kubectl', join(engine.home, 'bin'));
    ctx.log.v(1).info(`running ${bin} with KUBECONFIG=${file}`);
    return new Promise<number>((resolve, reject) => {
      const child = spawn(bin, positionals, { stdio: 'inherit', env: { ...process.env, KUBECONFIG: file } });
      child.on('error', reject);
      child.on('close', (code, signal) => resolve(code ?? (signal ? 128 + 2 : 1)));
    });
  },
};
