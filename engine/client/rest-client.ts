// The REST client cluster-side components share: JSON over HTTPS to the apiserver with a client
// certificate or a bearer token, answers as objects, failures as ApiRequestError carrying the server's Status;
// watches as a stream of newline-delimited JSON events.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { isIP } from 'node:net';
import type { ApiObject } from '../api/resource-type.js';

/** Where the apiserver is and who we are to it. */
export interface RestConfig {
  /** https://host:port */
  server: string;
  ca: string;
  /** Client certificate and key (PEM); optional when a bearer token identifies us instead. */
  cert?: string;
  key?: string;
  /** A bearer token sent with every request. */
  token?: string;
  /** A file holding the bearer token, re-read every minute (projected service-account tokens rotate). */
  tokenFile?: string;
  /** Sent as User-Agent; the apiserver names managedFields entries after it. */
  userAgent?: string;
}

/** A request the apiserver refused (or that never reached it: code 0). */
export class ApiRequestError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

/** One event of a watch stream (ERROR events end the watch and reach `onEnd` instead). */
export interface WatchEvent<T = ApiObject> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';
  object: T;
}

/** A list answer: the items and the resourceVersion the list was read at. */
export interface ObjectList<T = ApiObject> {
  metadata: { resourceVersion?: string; continue?: string };
  items: T[];
}

/** Query parameters; undefined values are left out. */
export type Query = Record<string, string | number | boolean | undefined>;

/** What a watch request asks for. */
export interface WatchOptions {
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
  labelSelector?: string;
  fieldSelector?: string;
}

/** The patch formats the apiserver takes. */
export type PatchType = 'merge' | 'strategic' | 'json' | 'apply';

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
};

/** `path` with `query` appended (undefined values left out). */
export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}${path.includes('?') ? '&' : '?'}${qs}` : path;
}

/** A small typed REST client: get, list, create, update, patch, delete and watch of JSON objects. */
export class RestClient {
  private readonly agent: Agent;
  /** Watches hold their connection for minutes: they get their own, outside `agent`'s socket limit. */
  private readonly watchAgent: Agent;
  private readonly url: URL;
  private fileToken?: { value: string; readAt: number };

  constructor(private readonly config: RestConfig) {
    this.url = new URL(config.server);
    this.agent = new Agent({ keepAlive: true, maxSockets: 8, ca: config.ca, cert: config.cert, key: config.key });
    this.watchAgent = new Agent({ keepAlive: false, ca: config.ca, cert: config.cert, key: config.key });
  }

  /** The Authorization header for the configured bearer token, if any. */
  private authorization(): Record<string, string> {
    let token = this.config.token;
    if (this.config.tokenFile) {
      if (!this.fileToken || Date.now() - this.fileToken.readAt > 60_000) {
        try {
          this.fileToken = { value: readFileSync(this.config.tokenFile, 'utf8').trim(), readAt: Date.now() };
        } catch (err) {
          // Mid-rotation the file may be briefly missing: keep the token we had.
          if (!this.fileToken) throw err;
        }
      }
      token = this.fileToken.value;
    }
    return token ? { authorization: `Bearer ${token}` } : {};
  }

  /** SNI name: none for IP addresses (TLS forbids them; the certificate's IP names are still checked). */
  private get servername(): string | undefined {
    return isIP(this.url.hostname) ? undefined : this.url.hostname;
  }

  /** One request; resolves with the parsed answer, rejects with ApiRequestError. */
  request<T = Record<string, unknown>>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return this.send<T>(method, path, data, contentType, true);
  }

  /**
   * Sends one request. A kept-alive connection the server closed just as it was reused fails
   * before the server read anything (Node marks it `reusedSocket`): that request is sent once more
   * on a fresh connection, whatever its method.
   */
  private send<T>(method: string, path: string, data: Buffer | undefined, contentType: string, mayRetry: boolean): Promise<T> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.url.hostname,
          port: this.url.port,
          method,
          path,
          agent: this.agent,
          servername: this.servername,
          timeout: 30_000,
          headers: {
            accept: 'application/json',
            'user-agent': this.config.userAgent ?? 'kubelab',
            ...this.authorization(),
            ...(data ? { 'content-type': contentType, 'content-length': data.length } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const parsed = parseOr(Buffer.concat(chunks).toString('utf8'));
            const code = res.statusCode ?? 0;
            if (code >= 200 && code < 300) resolve(parsed as T);
            else reject(statusError(code, parsed));
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (mayRetry && req.reusedSocket && err.code === 'ECONNRESET') return void this.send<T>(method, path, data, contentType, false).then(resolve, reject);
        reject(new ApiRequestError(0, 'Unreachable', err.message));
      });
      req.end(data);
    });
  }

  get<T = Record<string, unknown>>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  create<T = Record<string, unknown>>(path: string, obj: unknown): Promise<T> {
    return this.request<T>('POST', path, obj);
  }

  update<T = Record<string, unknown>>(path: string, obj: unknown): Promise<T> {
    return this.request<T>('PUT', path, obj);
  }

  /** A whole list (or one page of it, with `limit`/`continue` in `query`). */
  list<T = ApiObject>(path: string, query?: Query): Promise<ObjectList<T>> {
    return this.request<ObjectList<T>>('GET', withQuery(path, query));
  }

  /**
   * A patch: JSON merge patch unless `type` says otherwise. Server-side apply needs a
   * `fieldManager`; `force` takes over fields other managers own.
   */
  patch<T = Record<string, unknown>>(path: string, patch: unknown, type: PatchType = 'merge', opts: { fieldManager?: string; force?: boolean } = {}): Promise<T> {
    if (type === 'apply' && !opts.fieldManager) return Promise.reject(new ApiRequestError(0, 'BadRequest', 'server-side apply needs a fieldManager'));
    return this.request<T>('PATCH', withQuery(path, { fieldManager: opts.fieldManager, force: opts.force }), patch, PATCH_CONTENT_TYPES[type]);
  }

  /**
   * Watches `path`: `onEvent` gets each event in order; `onEnd` is called once when the watch ends
   * other than by stop() — with undefined when the server closed it cleanly (timeoutSeconds), with
   * an ApiRequestError for a refused request, an ERROR event (410 Expired: list again) or a broken
   * connection (code 0).
   */
  watch<T = ApiObject>(path: string, opts: WatchOptions, onEvent: (e: WatchEvent<T>) => void, onEnd: (err?: ApiRequestError) => void): { stop(): void } {
    let over = false;
    const end = (err?: ApiRequestError) => {
      if (over) return;
      over = true;
      req.destroy();
      onEnd(err);
    };
    const query = { ...opts, watch: 1, allowWatchBookmarks: opts.allowWatchBookmarks || undefined };
    const req = request(
      {
        host: this.url.hostname,
        port: this.url.port,
        method: 'GET',
        path: withQuery(path, query),
        agent: this.watchAgent,
        servername: this.servername,
        headers: { accept: 'application/json', 'user-agent': this.config.userAgent ?? 'kubelab', ...this.authorization() },
      },
      (res) => {
        const code = res.statusCode ?? 0;
        let buf = '';
        res.setEncoding('utf8');
        if (code < 200 || code >= 300) {
          res.on('data', (c: string) => (buf += c));
          res.on('end', () => end(statusError(code, parseOr(buf))));
          return;
        }
        res.on('data', (chunk: string) => {
          buf += chunk;
          let nl: number;
          while (!over && (nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl).trim();
            buf = buf.slice(nl + 1);
            if (line) this.watchLine(line, onEvent, end);
          }
        });
        res.on('end', () => end());
        res.on('aborted', () => end(new ApiRequestError(0, 'Unreachable', `watch ${path}: the connection broke`)));
        res.on('error', (err) => end(new ApiRequestError(0, 'Unreachable', `watch ${path}: ${err.message}`)));
      },
    );
    // A watch with a server-side timeout that stays silent well past it is a dead connection.
    if (opts.timeoutSeconds) req.setTimeout((opts.timeoutSeconds + 30) * 1000, () => end(new ApiRequestError(0, 'Timeout', `watch ${path} went silent`)));
    req.on('error', (err) => end(new ApiRequestError(0, 'Unreachable', `watch ${path}: ${err.message}`)));
    req.end();
    return {
      stop: () => {
        over = true;
        req.destroy();
      },
    };
  }

  private watchLine<T>(line: string, onEvent: (e: WatchEvent<T>) => void, end: (err?: ApiRequestError) => void): void {
    let e: { type?: string; object?: unknown };
    try {
      e = JSON.parse(line);
    } catch {
      return end(new ApiRequestError(0, 'InternalError', `unreadable watch event: ${line.slice(0, 200)}`));
    }
    if (e.type === 'ERROR') return end(statusError(0, e.object));
    if (e.type === 'ADDED' || e.type === 'MODIFIED' || e.type === 'DELETED' || e.type === 'BOOKMARK') onEvent(e as WatchEvent<T>);
  }

  delete<T = Record<string, unknown>>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  /** Closes idle connections and ends every watch. */
  close(): void {
    this.agent.destroy();
    this.watchAgent.destroy();
  }
}

function parseOr(text: string): unknown {
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return { message: text };
  }
}

/** The error a Status answer describes: HTTP status `code`, or the Status's own code when `code` is 0. */
function statusError(code: number, body: unknown): ApiRequestError {
  const s = (body ?? {}) as { code?: number; reason?: string; message?: string };
  const c = code || (typeof s.code === 'number' ? s.code : 0);
  return new ApiRequestError(c, s.reason ?? 'Unknown', s.message ?? `HTTP ${c}`);
}
