// pods/NAME/log: the apiserver checks the container against the pod's spec and status, then asks
// the endpoint of the pod's node for the container's log and streams the answer back, as it does
// with kubelets.
import { request } from 'node:https';
import { LogOptionsError, parseLogOptions } from '../kubelet/log-options.js';
import type { Storage } from '../store/storage.js';
import { NODE_ENDPOINT_PORT } from '../supervisor/contract.js';
import { refOf, type RequestContext } from './context.js';
import { badRequest, failure } from './status.js';

/** The client certificate the apiserver presents to node endpoints (CN APISERVER_CLIENT_CN), the CA they are signed by, and their port (NODE_ENDPOINT_PORT when absent). */
export interface NodeClientTls {
  cert: string;
  key: string;
  ca: string;
  port?: number;
}

/** Query parameters passed through to the node. */
const PASSED = ['follow', 'previous', 'tailLines', 'limitBytes', 'sinceSeconds', 'sinceTime', 'timestamps'];

interface ContainerState {
  waiting?: { reason?: string };
  running?: object;
  terminated?: { containerID?: string };
}

interface ContainerStatus {
  name: string;
  containerID?: string;
  state?: ContainerState;
  lastState?: ContainerState;
}

/** The parts of a Pod this file reads. */
export interface LogPod {
  spec?: { containers?: Array<{ name: string }>; initContainers?: Array<{ name: string }>; ephemeralContainers?: Array<{ name: string }> };
  status?: { hostIP?: string; containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[]; ephemeralContainerStatuses?: ContainerStatus[] };
}

/** The container whose log is asked for (the only one when `asked` is empty); throws BadRequest with the apiserver's messages. */
export function logContainer(pod: LogPod, name: string, asked: string | null): string {
  const names = (pod.spec?.containers ?? []).map((c) => c.name);
  const inits = (pod.spec?.initContainers ?? []).map((c) => c.name);
  const ephemeral = (pod.spec?.ephemeralContainers ?? []).map((c) => c.name);
  if (!asked) {
    if (names.length === 1) return names[0]!;
    if (names.length === 0) throw badRequest(`a container name must be specified for pod ${name}`);
    const more = inits.length ? ` or one of the init containers: [${inits.join(' ')}]` : '';
    throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]${more}`);
  }
  if (![...names, ...inits, ...ephemeral].includes(asked)) throw badRequest(`container ${asked} is not valid for pod ${name}`);
  return asked;
}

/**
 * Why the container has no log to show according to the pod's status, as kubelet words it
 * (waiting to start, no previous instance); undefined when its log can be read.
 */
export function logStatusProblem(pod: LogPod, name: string, container: string, previous: boolean): string | undefined {
  const st = pod.status;
  const cs = [...(st?.containerStatuses ?? []), ...(st?.initContainerStatuses ?? []), ...(st?.ephemeralContainerStatuses ?? [])].find((s) => s.name === container);
  if (!cs) return st?.hostIP ? `container "${container}" in pod "${name}" is not available` : undefined;
  const last = cs.lastState?.terminated;
  const { waiting, running, terminated } = cs.state ?? {};
  if (previous) return last ? undefined : `previous terminated container "${container}" in pod "${name}" not found`;
  if (running || terminated || last) return undefined;
  if (waiting) {
    if (waiting.reason === 'ErrImagePull') return `container "${container}" in pod "${name}" is waiting to start: image can't be pulled`;
    if (waiting.reason === 'ImagePullBackOff') return `container "${container}" in pod "${name}" is waiting to start: trying and failing to pull image`;
    return `container "${container}" in pod "${name}" is waiting to start: ${waiting.reason ?? ''}`;
  }
  return `container "${container}" in pod "${name}" is waiting to start - no logs yet`;
}

/** Serves GET pods/NAME/log. */
export async function servePodLog(storage: Storage, ctx: RequestContext, tls: NodeClientTls | undefined): Promise<void> {
  const { path, query, res } = ctx;
  const pod = (await storage.get(refOf(ctx), path.name!)) as LogPod;
  const container = logContainer(pod, path.name!, query.get('container'));
  let previous: boolean;
  try {
    previous = parseLogOptions(query).previous;
  } catch (err) {
    if (err instanceof LogOptionsError) throw badRequest(err.message);
    throw err;
  }
  const problem = logStatusProblem(pod, path.name!, container, previous);
  if (problem) throw badRequest(problem);
  const hostIP = pod.status?.hostIP;
  if (!hostIP) throw badRequest(`container "${container}" in pod "${path.name}" is waiting to start: the pod is not running on a node yet`);
  if (!tls) throw failure(503, 'ServiceUnavailable', 'this apiserver has no credentials for node endpoints, so it cannot fetch logs');
  const port = tls.port ?? NODE_ENDPOINT_PORT;
  const params = new URLSearchParams();
  for (const p of PASSED) if (query.has(p)) params.set(p, query.get(p)!);
  const nodePath = `/containerLogs/${encodeURIComponent(path.namespace!)}/${encodeURIComponent(path.name!)}/${encodeURIComponent(container)}?${params}`;
  await new Promise<void>((resolve, reject) => {
    const upstream = request({ host: hostIP, port, path: nodePath, ca: tls.ca, cert: tls.cert, key: tls.key, timeout: 10_000 }, (answer) => {
      upstream.setTimeout(0);
      if (answer.statusCode !== 200) {
        let text = '';
        answer.on('data', (d: Buffer) => (text += d.toString()));
        answer.on('end', () => reject(failure(answer.statusCode === 404 ? 404 : 400, answer.statusCode === 404 ? 'NotFound' : 'BadRequest', text.trim() || `the node answered ${answer.statusCode}`)));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' });
      answer.pipe(res);
      answer.on('end', resolve);
      res.on('close', () => {
        upstream.destroy();
        resolve();
      });
    });
    upstream.on('timeout', () => upstream.destroy(new Error('the node did not answer in time')));
    upstream.on('error', (err) => reject(failure(503, 'ServiceUnavailable', `cannot reach the node of pod ${path.name} at ${hostIP}:${port}: ${err.message}`)));
    upstream.end();
  });
}
