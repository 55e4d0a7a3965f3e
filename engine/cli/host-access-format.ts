// What `kubelab service` and `kubelab status` print about host access. Pure.
import type { ForwarderReport } from '../forwarder/host-access.js';
import type { ServiceUrl } from '../forwarder/service-urls.js';
import { table } from './format.js';

/** The URLs of a Service: one per line with `urlOnly`, else a table as minikube prints it. */
export function serviceUrlsView(urls: ServiceUrl[], urlOnly: boolean): string {
  if (urlOnly) return urls.map((u) => `${u.url}\n`).join('');
  return table(['NAMESPACE', 'NAME', 'TARGET PORT', 'URL'], urls.map((u) => [u.namespace, u.name, u.target, u.url]));
}

/** Warnings about the URLs: the forwarder is not running, or a port of theirs could not be taken. */
export function serviceUrlWarnings(cluster: string, urls: ServiceUrl[], report: ForwarderReport): string[] {
  if (!report.running) return [`the host port forwarder of cluster "${cluster}" is not running, so these URLs do not answer; \`kubelab start --name ${cluster}\` starts it`];
  const failed = new Map((report.status?.failed ?? []).map((f) => [f.hostPort, f] as const));
  return urls.flatMap((u) => {
    const f = failed.get(u.hostPort);
    return f ? [`${u.url} does not answer: ${f.error}`] : [];
  });
}

/** The forwarder's lines under `kubelab status`: whether it runs, how many ports it forwards, each port it could not take. */
export function forwarderView(report: ForwarderReport): string {
  if (!report.running) return '\nHost port forwarder: not running\n';
  const s = report.status;
  const lines = [`\nHost port forwarder: running (pid ${report.pid}), ${s ? `${s.forwarded.length} port(s) forwarded on 127.0.0.1` : 'no status yet'}${s && !s.watching ? ', not reaching the API server' : ''}`];
  for (const f of s?.failed ?? []) lines.push(`  failed: 127.0.0.1:${f.hostPort} (${f.service}): ${f.error}`);
  if (s?.lastError) lines.push(`  last error (${s.lastError.at}): ${s.lastError.message}`);
  lines.push(`  log: ${report.files.logFile}`);
  return `${lines.join('\n')}\n`;
}

/** The program and arguments that open `url` in the user's browser on `platform`. */
export function openerCommand(platform: NodeJS.Platform, url: string): { file: string; args: string[] } {
  if (platform === 'darwin') return { file: 'open', args: [url] };
  // `start` is a cmd built-in; its first quoted argument is a window title, hence the empty one.
  if (platform === 'win32') return { file: 'cmd', args: ['/c', 'start', '""', url] };
  return { file: 'xdg-open', args: [url] };
}
