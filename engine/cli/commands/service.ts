import { spawn } from 'node:child_process';
import { DEFAULT_CLUSTER } from '../../cluster/names.js';
import { KubelabError } from '../../errors.js';
import type { Command } from '../command.js';
import { openerCommand, serviceUrlsView, serviceUrlWarnings } from '../host-access-format.js';

/** `kubelab service NAME`: a Service's URLs on the host (its node ports, and a LoadBalancer's ports). */
export const serviceCommand: Command = {
  name: 'service',
  summary: 'Print the host URLs of a NodePort or LoadBalancer Service (and open one).',
  usage: 'service NAME [-n NAMESPACE] [--url] [--open] [--cluster NAME]',
  description:
    'Every TCP node port of a Service answers on http://127.0.0.1:<nodePort>, and every port of a\n' +
    'LoadBalancer Service also on http://127.0.0.1:<port>, forwarded by the cluster\'s host port\n' +
    'forwarder, which `kubelab start` runs in the background.',
  options: {
    namespace: { type: 'string', short: 'n', arg: 'NAMESPACE', help: 'namespace of the Service (default "default")' },
    url: { type: 'boolean', help: 'print only the URLs, one per line' },
    open: { type: 'boolean', help: 'open the first URL in the browser' },
    cluster: { type: 'string', arg: 'NAME', help: `cluster name (default "${DEFAULT_CLUSTER}")` },
  },
  async run(ctx, { values, positionals }) {
    const { name, namespace, cluster } = serviceArgs(values, positionals);
    const access = ctx.engine().hostAccess;
    const urls = await access.serviceUrls(cluster, namespace, name);
    ctx.out(serviceUrlsView(urls, Boolean(values.url)));
    for (const w of serviceUrlWarnings(cluster, urls, await access.status(cluster))) ctx.log.warn(w);
    if (values.open) {
      const { file, args } = openerCommand(process.platform, urls[0]!.url);
      const child = spawn(file, args, { detached: true, stdio: 'ignore', windowsHide: true });
      child.on('error', (err) => ctx.log.warn(`could not open ${urls[0]!.url} with ${file}: ${err.message}`));
      child.unref();
    }
    return 0;
  },
};

/** The Service, namespace and cluster `kubelab service` acts on. */
export function serviceArgs(values: Record<string, unknown>, positionals: string[]): { name: string; namespace: string; cluster: string } {
  if (positionals.length !== 1) {
    throw new KubelabError(positionals.length ? `too many arguments: ${positionals.join(' ')}` : 'name the Service', { exitCode: 2, hint: 'usage: kubelab service NAME [-n NAMESPACE]' });
  }
  return { name: positionals[0]!, namespace: (values.namespace as string | undefined) || 'default', cluster: (values.cluster as string | undefined) || DEFAULT_CLUSTER };
}
