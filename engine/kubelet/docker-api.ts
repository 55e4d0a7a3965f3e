// A small client of the Docker Engine API over the nested dockerd's unix socket, for the
// cluster side (the node agent and its node endpoint). The host side uses dockerode; the node
// bundle keeps to node:http so that it stays small and loads fast on every node.
import { Agent, request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Duplex, Readable } from 'node:stream';
import { DOCKER_SOCKET } from '../supervisor/contract.js';

/** An answer of the engine other than 2xx (code 0: the engine could not be reached). */
export class DockerApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'DockerApiError';
  }
}

/** Query parameters; undefined values are left out, objects sent as JSON (Docker's filters). */
export type DockerQuery = Record<string, string | number | boolean | object | undefined>;

function withQuery(path: string, query: DockerQuery = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    params.set(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function readAll(res: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** The engine's error message from an error answer's body. */
function messageOf(body: Buffer, status: number): string {
  try {
    return (JSON.parse(body.toString()) as { message?: string }).message ?? `HTTP ${status}`;
  } catch {
    return body.toString().trim() || `HTTP ${status}`;
  }
}

/** Options of a raw request. */
interface Call {
  method?: string;
  path: string;
  query?: DockerQuery;
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/** Another node's engine, over TCP with TLS (its port 2376), as a client the cluster CA signed. */
export interface RemoteEngine {
  host: string;
  port: number;
  ca: string;
  cert: string;
  key: string;
}

/** The Docker Engine API of one socket, or of a remote engine over TLS. */
export class DockerApi {
  /** Connections kept for plain requests on the socket (streams and hijacks get their own); no cap, so a long stop never queues others. */
  private readonly pool = new Agent({ keepAlive: true });

  constructor(readonly endpoint: string | RemoteEngine = DOCKER_SOCKET) {}

  /** Starts a request on this engine's transport (on a kept connection when `pooled`). */
  private open(opts: RequestOptions, onResponse?: (res: IncomingMessage) => void, pooled = false): ClientRequest {
    const e = this.endpoint;
    if (typeof e === 'string') return httpRequest({ ...opts, socketPath: e, ...(pooled ? { agent: this.pool } : {}) }, onResponse);
    return httpsRequest({ ...opts, host: e.host, port: e.port, ca: e.ca, cert: e.cert, key: e.key }, onResponse);
  }

  /** Sends a request and resolves with the raw answer (any status). */
  private send(call: Call, pooled = false): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const body = call.body === undefined ? undefined : Buffer.from(JSON.stringify(call.body));
      const req = this.open(
        {
          method: call.method ?? 'GET',
          path: withQuery(call.path, call.query),
          headers: { ...(body ? { 'content-type': 'application/json', 'content-length': body.length } : {}), ...call.headers },
          timeout: call.timeoutMs,
        },
        resolve,
        pooled,
      );
      req.on('timeout', () => req.destroy(new DockerApiError(0, `docker ${call.method ?? 'GET'} ${call.path}: no answer in time`)));
      req.on('error', (err) => reject(err instanceof DockerApiError ? err : new DockerApiError(0, `docker engine unreachable: ${err.message}`)));
      req.end(body);
    });
  }

  /** A request whose answer is JSON (or empty); non-2xx answers reject with DockerApiError. */
  async json<T = unknown>(call: Call): Promise<T> {
    const res = await this.send({ timeoutMs: 60_000, ...call }, true);
    const body = await readAll(res);
    const status = res.statusCode ?? 0;
    if (status < 200 || status >= 300) throw new DockerApiError(status, messageOf(body, status));
    return (body.length ? JSON.parse(body.toString()) : undefined) as T;
  }

  /** A request whose answer is a stream (logs, events, pulls); non-2xx answers reject. */
  async stream(call: Call): Promise<IncomingMessage> {
    const res = await this.send(call);
    const status = res.statusCode ?? 0;
    if (status < 200 || status >= 300) throw new DockerApiError(status, messageOf(await readAll(res), status));
    return res;
  }

  /**
   * A request the engine answers by taking over the connection (attach, exec start): resolves
   * with the raw socket once the engine switched protocols, plus any bytes that came with the switch.
   */
  hijack(call: Call): Promise<{ socket: Duplex; head: Buffer }> {
    return new Promise((resolve, reject) => {
      const body = call.body === undefined ? undefined : Buffer.from(JSON.stringify(call.body));
      const req = this.open({
        method: call.method ?? 'POST',
        path: withQuery(call.path, call.query),
        headers: {
          connection: 'Upgrade',
          upgrade: 'tcp',
          ...(body ? { 'content-type': 'application/json', 'content-length': body.length } : {}),
        },
      });
      req.on('upgrade', (_res, socket, head) => resolve({ socket, head }));
      req.on('response', (res) => {
        void readAll(res).then((b) => reject(new DockerApiError(res.statusCode ?? 0, messageOf(b, res.statusCode ?? 0))));
      });
      req.on('error', (err) => reject(new DockerApiError(0, `docker engine unreachable: ${err.message}`)));
      req.end(body);
    });
  }

  ping(): Promise<unknown> {
    return this.json({ path: '/_ping', timeoutMs: 2000 }).catch((err: Error) => {
      // /_ping answers text "OK", which is not JSON; a parse error still means the engine answered.
      if (err instanceof SyntaxError) return 'OK';
      throw err;
    });
  }

  version(): Promise<{ Version: string; ApiVersion: string; KernelVersion?: string; Os?: string }> {
    return this.json({ path: '/version' });
  }

  info(): Promise<{ NCPU: number; MemTotal: number; OperatingSystem: string; KernelVersion: string; ServerVersion: string; Driver: string; DockerRootDir: string }> {
    return this.json({ path: '/info' });
  }

  /** Containers matching `labels` (all states). */
  listContainers(labels: string[] = [], all = true): Promise<ContainerSummary[]> {
    return this.json({ path: '/containers/json', query: { all, filters: labels.length ? { label: labels } : undefined } });
  }

  inspectContainer(id: string): Promise<ContainerInspect> {
    return this.json({ path: `/containers/${encodeURIComponent(id)}/json` });
  }

  /** Creates a container; resolves with its id. */
  async createContainer(name: string | undefined, config: object): Promise<string> {
    const res = await this.json<{ Id: string }>({ method: 'POST', path: '/containers/create', query: { name }, body: config });
    return res.Id;
  }

  /** Starts a container; already running is not an error. */
  async startContainer(id: string): Promise<void> {
    try {
      await this.json({ method: 'POST', path: `/containers/${encodeURIComponent(id)}/start` });
    } catch (err) {
      if (!(err instanceof DockerApiError && err.statusCode === 304)) throw err;
    }
  }

  /** Stops a container: its stop signal, then SIGKILL after `seconds`. Already stopped or gone is not an error. */
  async stopContainer(id: string, seconds: number, signal?: string): Promise<void> {
    try {
      await this.json({ method: 'POST', path: `/containers/${encodeURIComponent(id)}/stop`, query: { t: Math.max(0, Math.floor(seconds)), signal }, timeoutMs: (seconds + 30) * 1000 });
    } catch (err) {
      if (!(err instanceof DockerApiError && (err.statusCode === 304 || err.statusCode === 404))) throw err;
    }
  }

  /** Sends a signal; a container that is not running is not an error. */
  async killContainer(id: string, signal = 'SIGKILL'): Promise<void> {
    try {
      await this.json({ method: 'POST', path: `/containers/${encodeURIComponent(id)}/kill`, query: { signal } });
    } catch (err) {
      if (!(err instanceof DockerApiError && (err.statusCode === 404 || err.statusCode === 409))) throw err;
    }
  }

  /** Removes a container (forcefully, with its anonymous volumes); gone already is not an error. */
  async removeContainer(id: string): Promise<void> {
    try {
      await this.json({ method: 'DELETE', path: `/containers/${encodeURIComponent(id)}`, query: { force: true, v: true } });
    } catch (err) {
      if (!(err instanceof DockerApiError && (err.statusCode === 404 || (err.statusCode === 409 && /already in progress/.test(err.message))))) throw err;
    }
  }

  /** Resizes the TTY of a container. */
  resizeContainer(id: string, h: number, w: number): Promise<unknown> {
    return this.json({ method: 'POST', path: `/containers/${encodeURIComponent(id)}/resize`, query: { h, w } });
  }

  inspectImage(ref: string): Promise<{ Id: string; RepoTags?: string[]; RepoDigests?: string[]; Config?: { User?: string; WorkingDir?: string; Env?: string[]; Entrypoint?: string[] | null; Cmd?: string[] | null } }> {
    return this.json({ path: `/images/${encodeURIComponent(ref)}/json` });
  }

  /** True when the runtime has image `ref`. */
  async hasImage(ref: string): Promise<boolean> {
    try {
      await this.inspectImage(ref);
      return true;
    } catch (err) {
      if (err instanceof DockerApiError && err.statusCode === 404) return false;
      throw err;
    }
  }

  /** Pulls `ref`; rejects with the engine's message when the pull fails (also when it fails mid-stream). */
  async pullImage(ref: string, timeoutMs = 300_000): Promise<void> {
    const { name, tag } = splitImage(ref);
    const res = await this.stream({ method: 'POST', path: '/images/create', query: { fromImage: name, tag }, timeoutMs });
    const text = (await readAll(res)).toString();
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const ev = JSON.parse(line) as { error?: string; errorDetail?: { message?: string } };
        if (ev.error) throw new DockerApiError(500, ev.errorDetail?.message ?? ev.error);
      } catch (err) {
        if (err instanceof DockerApiError) throw err;
      }
    }
  }

  /** Imports a root filesystem tarball as image repo:tag (`docker import`); resolves with the engine's output. */
  importImage(tar: Buffer, repo: string, tag: string, changes: string[] = []): Promise<string> {
    const path = withQuery('/images/create', { fromSrc: '-', repo, tag }) + changes.map((c) => `&changes=${encodeURIComponent(c)}`).join('');
    return new Promise((resolve, reject) => {
      const req = this.open(
        { method: 'POST', path, headers: { 'content-type': 'application/x-tar', 'content-length': tar.length } },
        (res) => void readAll(res).then((b) => ((res.statusCode ?? 0) < 300 ? resolve(b.toString()) : reject(new DockerApiError(res.statusCode ?? 0, messageOf(b, res.statusCode ?? 0)))), reject),
      );
      req.on('error', (err) => reject(new DockerApiError(0, `docker engine unreachable: ${err.message}`)));
      req.end(tar);
    });
  }

  /** The image `ref` as a `docker save` archive. */
  saveImage(ref: string): Promise<IncomingMessage> {
    return this.stream({ path: '/images/get', query: { names: ref }, timeoutMs: 120_000 });
  }

  /** Loads a `docker save` archive (`docker load`); rejects with the engine's message when it fails. */
  loadImage(archive: Readable): Promise<void> {
    return new Promise((resolve, reject) => {
      const req = this.open({ method: 'POST', path: '/images/load?quiet=1', headers: { 'content-type': 'application/x-tar' } }, (res) => {
        void readAll(res).then((b) => {
          const status = res.statusCode ?? 0;
          if (status >= 300) return reject(new DockerApiError(status, messageOf(b, status)));
          const failed = /"error(?:Detail)?":\s*(?:\{"message":)?\s*"([^"]+)"/.exec(b.toString());
          return failed ? reject(new DockerApiError(500, failed[1]!)) : resolve();
        }, reject);
      });
      req.on('error', (err) => reject(new DockerApiError(0, `docker engine unreachable: ${err.message}`)));
      archive.on('error', (err) => req.destroy(err));
      archive.pipe(req);
    });
  }

  /** Creates an exec instance; resolves with its id. */
  async createExec(container: string, config: { Cmd: string[]; AttachStdin?: boolean; AttachStdout?: boolean; AttachStderr?: boolean; Tty?: boolean; Env?: string[]; User?: string; WorkingDir?: string }): Promise<string> {
    const res = await this.json<{ Id: string }>({ method: 'POST', path: `/containers/${encodeURIComponent(container)}/exec`, body: config });
    return res.Id;
  }

  inspectExec(id: string): Promise<{ Running: boolean; ExitCode: number | null; Pid: number }> {
    return this.json({ path: `/exec/${encodeURIComponent(id)}/json` });
  }

  resizeExec(id: string, h: number, w: number): Promise<unknown> {
    return this.json({ method: 'POST', path: `/exec/${encodeURIComponent(id)}/resize`, query: { h, w } });
  }
}

/** Splits an image reference into repository and tag (digests stay in the name). */
export function splitImage(ref: string): { name: string; tag?: string } {
  if (ref.includes('@')) return { name: ref };
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) return { name: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { name: ref, tag: 'latest' };
}

/**
 * Splits Docker's multiplexed stream (no TTY): 8-byte headers [stream, 0, 0, 0, size BE32] then
 * the payload. Calls `onFrame(stream, payload)` with 1 = stdout, 2 = stderr; keeps partial frames
 * between chunks.
 */
export function demultiplexer(onFrame: (stream: number, payload: Buffer) => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= 8) {
      const size = pending.readUInt32BE(4);
      if (pending.length < 8 + size) break;
      onFrame(pending[0]!, pending.subarray(8, 8 + size));
      pending = pending.subarray(8 + size);
    }
  };
}

export interface ContainerSummary {
  Id: string;
  Names: string[];
  Image: string;
  State: string;
  Status: string;
  Labels: Record<string, string>;
  Created: number;
}

export interface ContainerInspect {
  Id: string;
  Name: string;
  Created: string;
  RestartCount: number;
  Image: string;
  State: { Status: string; Running: boolean; Paused: boolean; Restarting: boolean; OOMKilled: boolean; Dead: boolean; Pid: number; ExitCode: number; Error: string; StartedAt: string; FinishedAt: string };
  Config: { Labels: Record<string, string>; Image: string; Tty?: boolean; OpenStdin?: boolean };
  NetworkSettings: { IPAddress: string; Networks?: Record<string, { IPAddress: string }> };
  HostConfig: { NetworkMode?: string };
}
