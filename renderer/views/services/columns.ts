// `kubectl get services` columns (TYPE, CLUSTER-IP, EXTERNAL-IP, PORT(S), AGE) and the host URLs
// kubelab's port forwarder answers on: every TCP node port on http://127.0.0.1:<nodePort>, and a
// LoadBalancer's ports also on http://127.0.0.1:<port>.
import type { Service } from '../../api/types';
import { ageColumn, col, nameColumn, none, type Column } from '../../format/column';

/** PORT(S): "80/TCP", or "80:30080/TCP" with a node port, comma-separated. */
export function servicePorts(s: Service): string {
  const ports = s.spec?.ports ?? [];
  if (!ports.length) return '<none>';
  return ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

/** EXTERNAL-IP as kubectl prints it for each Service type. */
export function externalIP(s: Service): string {
  const type = s.spec?.type ?? 'ClusterIP';
  const external = s.spec?.externalIPs ?? [];
  if (type === 'ExternalName') return none(s.spec?.externalName);
  if (type === 'LoadBalancer') {
    const ingress = (s.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '').filter(Boolean);
    const all = [...ingress, ...external];
    return all.length ? all.join(',') : '<pending>';
  }
  return external.length ? external.join(',') : '<none>';
}

/** CLUSTER-IP: "None" for headless, <none> for ExternalName. */
export const clusterIP = (s: Service): string => none(s.spec?.clusterIP);

/** The http://127.0.0.1 URLs that reach this Service from the host. */
export function hostUrls(s: Service): { href: string; label: string }[] {
  const type = s.spec?.type ?? 'ClusterIP';
  if (type !== 'NodePort' && type !== 'LoadBalancer') return [];
  const ports = new Set<number>();
  for (const p of s.spec?.ports ?? []) {
    if ((p.protocol ?? 'TCP') !== 'TCP') continue;
    if (p.nodePort) ports.add(p.nodePort);
    if (type === 'LoadBalancer') ports.add(p.port);
  }
  return [...ports].map((port) => ({ href: `http://127.0.0.1:${port}`, label: `127.0.0.1:${port}` }));
}

/** Whether a pod's labels satisfy a Service's selector (an empty or missing selector selects nothing). */
export function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  const entries = Object.entries(selector ?? {});
  if (!entries.length) return false;
  return entries.every(([k, v]) => labels?.[k] === v);
}

/** Columns of the services table. */
export const SERVICE_COLUMNS: Column[] = [
  nameColumn,
  col<Service>({ header: 'Type', text: (s) => s.spec?.type ?? 'ClusterIP' }),
  col<Service>({ header: 'Cluster IP', text: clusterIP }),
  col<Service>({ header: 'External IP', text: externalIP }),
  col<Service>({ header: 'Port(s)', text: servicePorts, links: hostUrls }),
  ageColumn,
];
