// The host URLs of a Service, as `kubelab service` prints them: http://127.0.0.1:<nodePort> for
// every TCP node port, and http://127.0.0.1:<port> for a LoadBalancer's ports. Pure.
import type { Service } from './plan.js';
import { serviceKey } from './plan.js';

/** One URL of a Service port on the host. */
export interface ServiceUrl {
  namespace: string;
  name: string;
  /** The port's name, else its number. */
  target: string;
  hostPort: number;
  url: string;
}

/** A Service that has no port on the host, and why. */
export class NoHostPortError extends Error {
  override name = 'NoHostPortError';
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** The Service's URLs on the host; throws NoHostPortError when it has none. */
export function serviceUrls(svc: Service): ServiceUrl[] {
  const namespace = svc.metadata.namespace || 'default';
  const name = svc.metadata.name;
  const type = svc.spec?.type ?? 'ClusterIP';
  if (type !== 'NodePort' && type !== 'LoadBalancer') {
    throw new NoHostPortError(
      `service ${namespace}/${name} is of type ${type} and has no node port`,
      `expose it on the host with \`kubectl expose deployment <name> --type=NodePort --port <port>\` (or change its type), or reach it with \`kubectl port-forward -n ${namespace} service/${name} <port>\``,
    );
  }
  const urls: ServiceUrl[] = [];
  for (const p of svc.spec?.ports ?? []) {
    if ((p.protocol ?? 'TCP') !== 'TCP' || !p.nodePort) continue;
    const target = p.name || String(p.port);
    const url = (port: number) => ({ namespace, name, target, hostPort: port, url: `http://127.0.0.1:${port}` });
    urls.push(url(p.nodePort));
    if (type === 'LoadBalancer' && p.port !== p.nodePort) urls.push(url(p.port));
  }
  if (urls.length === 0) {
    throw new NoHostPortError(`service ${serviceKey(svc)} has no TCP node port`, 'only TCP ports with a node port are forwarded to the host');
  }
  return urls;
}
