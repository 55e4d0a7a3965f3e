// Logs of pods' containers on this node, read from the nested dockerd: the current attempt of a
// container or (previous=true) the one before it, with kubelet's options and error texts.
import type { ServerResponse } from 'node:http';
import { demultiplexer, type ContainerSummary, type DockerApi } from './docker-api.js';
import { CONTAINER_KIND, CONTAINER_NAME, MANAGED, POD_NAME, POD_NAMESPACE, RESTART_COUNT, SANDBOX_NAME } from './labels.js';
import { dockerLogQuery, renderLogLine, type LogOptions } from './log-options.js';

/** A failed lookup, with the HTTP status and the text kubelet answers with. */
export class NodeRequestError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'NodeRequestError';
  }
}

/** All attempts of `container` of pod namespace/pod on this node, newest first (higher RESTART_COUNT, then later creation). */
export async function containerAttempts(docker: DockerApi, namespace: string, pod: string, container: string): Promise<ContainerSummary[]> {
  const all = await docker.listContainers([`${MANAGED}=true`, `${POD_NAMESPACE}=${namespace}`, `${POD_NAME}=${pod}`]);
  if (!all.length) throw new NodeRequestError(404, `pod "${pod}" does not exist`);
  const mine = all.filter((c) => c.Labels[CONTAINER_NAME] === container && c.Labels[CONTAINER_KIND] !== 'sandbox' && container !== SANDBOX_NAME);
  if (!mine.length) throw new NodeRequestError(404, `container "${container}" not found in pod "${pod}"`);
  return mine.sort((a, b) => Number(b.Labels[RESTART_COUNT] ?? 0) - Number(a.Labels[RESTART_COUNT] ?? 0) || b.Created - a.Created);
}

/** Streams the log of a pod's container to `res` (200 text/plain), or throws NodeRequestError before answering. */
export async function serveContainerLogs(docker: DockerApi, res: ServerResponse, target: { namespace: string; pod: string; container: string }, opts: LogOptions): Promise<void> {
  const { namespace, pod, container } = target;
  const attempts = await containerAttempts(docker, namespace, pod, container);
  const chosen = opts.previous ? attempts[1] : attempts[0];
  if (!chosen) throw new NodeRequestError(400, `previous terminated container "${container}" in pod "${pod}" not found`);
  const tty = (await docker.inspectContainer(chosen.Id)).Config.Tty === true;
  const stream = await docker.stream({ path: `/containers/${chosen.Id}/logs`, query: dockerLogQuery(opts) });
  res.writeHead(200, { 'content-type': 'text/plain' });
  let left = opts.limitBytes ?? Infinity;
  const emit = (line: Buffer) => {
    if (left <= 0) return;
    const out = renderLogLine(line, opts.timestamps);
    const part = out.length > left ? out.subarray(0, left) : out;
    left -= part.length;
    res.write(part);
    if (left <= 0) {
      stream.destroy();
      res.end();
    }
  };
  let pending: Buffer = Buffer.alloc(0);
  const onTty = (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    for (let nl = pending.indexOf(0x0a); nl >= 0; nl = pending.indexOf(0x0a)) {
      emit(pending.subarray(0, nl + 1));
      pending = pending.subarray(nl + 1);
    }
  };
  stream.on('data', tty ? onTty : demultiplexer((_s, payload) => emit(payload)));
  await new Promise<void>((resolve) => {
    stream.on('end', () => {
      if (pending.length) emit(pending);
      res.end();
      resolve();
    });
    stream.on('error', () => {
      res.end();
      resolve();
    });
    res.on('close', () => {
      stream.destroy();
      resolve();
    });
  });
}
