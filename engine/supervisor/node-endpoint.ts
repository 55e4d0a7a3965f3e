// The supervisor's view of the node endpoint (engine/kubelet/node-endpoint.ts): static pods' logs
// are the supervised processes' log files; everything else goes to the nested dockerd's pods.
import type { Server } from 'node:https';
import { DockerApi } from '../kubelet/docker-api.js';
import { createNodeEndpoint as createEndpoint } from '../kubelet/node-endpoint.js';
import type { ProcessState } from './process.js';
import { COMPONENTS, mirrorPodName } from './static-pods.js';

/** The log file of the supervised process shown as kube-system/POD (container CONTAINER), if any. */
export function staticPodLog(node: string, processes: Array<{ state(): ProcessState }>, namespace: string, pod: string, container: string): { file: string } | undefined {
  if (namespace !== 'kube-system') return undefined;
  const proc = processes.map((p) => p.state()).find((s) => mirrorPodName(s.name, node) === pod);
  return proc && COMPONENTS[proc.name] === container ? { file: proc.logFile } : undefined;
}

/** The node endpoint with the supervisor's static pods (kept for the supervisor until the node agent starts the endpoint). */
export function createNodeEndpoint(opts: { node: string; tls: { key: string; cert: string; ca: string }; processes: Array<{ state(): ProcessState }> }): Server {
  return createEndpoint({ node: opts.node, tls: opts.tls, docker: new DockerApi(), staticLog: (ns, pod, c) => staticPodLog(opts.node, opts.processes, ns, pod, c) });
}
