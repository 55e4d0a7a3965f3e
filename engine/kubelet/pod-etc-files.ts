// The /etc/hosts and /etc/resolv.conf a pod's containers see. Docker writes these only for
// containers it networks itself; pod sandboxes are wired by the agent (see pod-network.ts), so the
// agent writes both into the pod's folder and bind-mounts them, as kubelet does with its
// kubelet-managed hosts file: localhost lines, the pod's own address and name (with its FQDN when
// it has a subdomain), then the pod's hostAliases.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DnsSettings } from '../network/resolv-conf.js';
import { CLUSTER_DNS } from './cluster-network.js';
import { podHostname, type PreparedMount } from './container-config.js';
import type { Container, Pod } from './pod-types.js';
import { podDir } from './volumes.js';
import { namespaceDir } from './pod-runtime.js';

/** The pod's hosts file text for pod address `ip`. */
export function hostsFile(pod: Pod, ip: string): string {
  const name = podHostname(pod);
  const lines = [
    '# Kubernetes-managed hosts file (written by the kubelab node agent).',
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'fe00::0\tip6-mcastprefix',
    'fe00::1\tip6-allnodes',
    'fe00::2\tip6-allrouters',
  ];
  const sub = pod.spec.subdomain;
  lines.push(sub ? `${ip}\t${name}.${sub}.${pod.metadata.namespace ?? 'default'}.svc.${CLUSTER_DNS.domain}\t${name}` : `${ip}\t${name}`);
  const aliases = (pod.spec.hostAliases ?? []).filter((a) => a.ip && a.hostnames?.length);
  if (aliases.length) {
    lines.push('', '# Entries from the pod spec\'s hostAliases.');
    for (const a of aliases) lines.push(`${a.ip}\t${a.hostnames!.join('\t')}`);
  }
  return `${lines.join('\n')}\n`;
}

/** resolv.conf text for resolver settings. */
export function resolvConf(dns: DnsSettings): string {
  const lines: string[] = [];
  if (dns.searches.length) lines.push(`search ${dns.searches.join(' ')}`);
  for (const s of dns.servers) lines.push(`nameserver ${s}`);
  if (dns.options.length) lines.push(`options ${dns.options.join(' ')}`);
  return `${lines.join('\n')}\n`;
}

const ETC_FILES = [
  { file: 'hosts', target: '/etc/hosts' },
  { file: 'resolv.conf', target: '/etc/resolv.conf' },
] as const;

/** Where a pod's managed files are on the node. */
function etcDir(uid: string): string {
  return join(podDir(uid), 'etc');
}

/** Writes the pod's hosts and resolv.conf files (before its containers are made). */
export async function writePodEtcFiles(pod: Pod, ip: string, dns: DnsSettings): Promise<void> {
  const dir = etcDir(pod.metadata.uid ?? '');
  await mkdir(dir, { recursive: true });
  await Promise.all([writeFile(join(dir, 'hosts'), hostsFile(pod, ip), { mode: 0o644 }), writeFile(join(dir, 'resolv.conf'), resolvConf(dns), { mode: 0o644 })]);
}

/**
 * The bind mounts of the pod's managed files for `container`, and for a pod with pinned
 * namespaces its shared /dev/shm, leaving out paths the container mounts a volume on.
 */
export function podFileMounts(pod: Pod, container: Container, pinned = false): PreparedMount[] {
  const own = new Set((container.volumeMounts ?? []).map((m) => m.mountPath.replace(/\/+$/, '')));
  const uid = pod.metadata.uid ?? '';
  const dir = etcDir(uid);
  const files: Array<{ source: string; target: string }> = ETC_FILES.map((f) => ({ source: join(dir, f.file), target: f.target }));
  if (pinned) files.push({ source: join(namespaceDir(uid), 'shm'), target: '/dev/shm' });
  return files.filter((f) => !own.has(f.target)).map((f) => ({ ...f, readOnly: false }));
}
