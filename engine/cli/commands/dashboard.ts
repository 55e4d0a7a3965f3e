import { spawn } from 'node:child_process';
import { startDashboard } from '../../dashboard/server.js';
import { KubelabError } from '../../errors.js';
import type { Command } from '../command.js';
import { openerCommand } from '../host-access-format.js';

/** The --port value: a whole number 0..65535 (0 = a free one). */
export function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new KubelabError(`invalid port "${value}"`, { hint: 'give --port a number between 1 and 65535, or leave it out for a free one', exitCode: 2 });
  return port;
}

/** `kubelab dashboard`: serves the web UI on 127.0.0.1 until Ctrl-C, and opens it in the browser. */
export const dashboardCommand: Command = {
  name: 'dashboard',
  summary: 'Open the web dashboard (clusters, resources, topology, logs, terminals, graphs) in your browser.',
  usage: 'dashboard [--port PORT] [--no-open]',
  description: [
    'The dashboard listens on 127.0.0.1 only and runs until Ctrl-C; your clusters keep running after it.',
    'The link it prints carries a one-time token: the first browser that opens it gets the session,',
    'and the link then stops working (run the command again for a new one).',
  ].join('\n'),
  options: {
    port: { type: 'string', arg: 'PORT', help: 'port on 127.0.0.1 (default: a free one)' },
    'no-open': { type: 'boolean', help: 'only print the link, do not open a browser' },
  },
  async run(ctx, { values, positionals }) {
    if (positionals.length > 0) throw new KubelabError(`unexpected argument "${positionals[0]}"`, { exitCode: 2, hint: 'usage: kubelab dashboard [--port PORT] [--no-open]' });
    const port = parsePort(values.port as string | undefined);
    const dashboard = await startDashboard({ engine: ctx.engine(), port, log: ctx.log });
    ctx.out(`Dashboard: ${dashboard.launchUrl}\n`);
    ctx.out('The link works once. Press Ctrl-C to stop the dashboard (your clusters keep running).\n');
    if (!values['no-open']) openBrowser(dashboard.launchUrl, (message) => ctx.log.warn(message));
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) return resolve();
      ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await dashboard.close();
    ctx.out('Dashboard stopped.\n');
    return 0;
  },
};

/** Opens `url` with the platform's opener; a failure only warns, with what to do instead. */
function openBrowser(url: string, warn: (message: string) => void): void {
  const { file, args } = openerCommand(process.platform, url);
  const hint = 'open the link above in your browser yourself (use --no-open to skip this)';
  try {
    const child = spawn(file, args, { detached: true, stdio: 'ignore', windowsHide: true });
    child.on('error', (err) => warn(`could not open a browser with ${file}: ${err.message}; ${hint}`));
    child.on('exit', (code) => {
      if (code) warn(`${file} exited with code ${code}; ${hint}`);
    });
    child.unref();
  } catch (err) {
    warn(`could not open a browser with ${file}: ${(err as Error).message}; ${hint}`);
  }
}
