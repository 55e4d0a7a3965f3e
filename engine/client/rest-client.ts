// The REST client cluster-side components share: JSON over HTTPS to the apiserver with a client
// certificate, answers as objects, failures as ApiRequestError carrying the server's Status.
import { Agent, request } from 'node:https';

/** Where the apiserver is and who we are to it. */
export interface RestConfig {
  /** https://host:port */
  server: string;
  ca: string;
  cert: string;
  key: string;
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

/** A small typed REST client: get, create, update, patch, delete of JSON objects. */
export class RestClient {
  private readonly agent: Agent;
  private readonly url: URL;

  constructor(private readonly config: RestConfig) {
    this.url = new URL(config.server);
    this.agent = new Agent({ keepAlive: true, maxSockets: 8, ca: config.ca, cert: config.cert, key: config.key });
  }

  /** One request; resolves with the parsed answer, rejects with ApiRequestError. */
  request<T = Record<string, unknown>>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.url.hostname,
          port: this.url.port,
          method,
          path,
          agent: this.agent,
          servername: this.url.hostname === '127.0.0.1' ? 'localhost' : this.url.hostname,
          timeout: 30_000,
          headers: {
            accept: 'application/json',
            'user-agent': this.config.userAgent ?? 'kubelab',
            ...(data ? { 'content-type': contentType, 'content-length': data.length } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown;
            try {
              parsed = text ? JSON.parse(text) : {};
            } catch {
              parsed = { message: text };
            }
            const code = res.statusCode ?? 0;
            if (code >= 200 && code < 300) resolve(parsed as T);
            else {
              const s = parsed as { reason?: string; message?: string };
              reject(new ApiRequestError(code, s.reason ?? 'Unknown', s.message ?? `HTTP ${code}`));
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', (err) => reject(new ApiRequestError(0, 'Unreachable', err.message)));
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

  /** A JSON merge patch. */
  patch<T = Record<string, unknown>>(path: string, patch: unknown): Promise<T> {
    return this.request<T>('PATCH', path, patch, 'application/merge-patch+json');
  }

  delete<T = Record<string, unknown>>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  close(): void {
    this.agent.destroy();
  }
}
