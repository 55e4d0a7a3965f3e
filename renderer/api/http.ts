// Fetch wrappers for the dashboard server: JSON in and out, and one error type that carries what
// the server said (a Kubernetes Status message, or the dashboard's { error, hint }).

/** An HTTP answer that was not 2xx, or a request that never got an answer (status 0). */
export class HttpError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly reason?: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** What an error body says: a Kubernetes Status, the dashboard's { error, hint }, or its text. */
export function describeErrorBody(status: number, statusText: string, body: string): { message: string; reason?: string; hint?: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  if (parsed && typeof parsed === 'object') {
    const o = parsed as Record<string, unknown>;
    if (o.kind === 'Status' && typeof o.message === 'string' && o.message) {
      return { message: o.message, ...(typeof o.reason === 'string' && o.reason ? { reason: o.reason } : {}) };
    }
    if (typeof o.error === 'string' && o.error) {
      return { message: o.error, ...(typeof o.hint === 'string' && o.hint ? { hint: o.hint } : {}) };
    }
  }
  const text = body.trim();
  if (text && text.length <= 500 && !text.startsWith('<')) return { message: text };
  return { message: `${status} ${statusText}`.trim() };
}

/** Turns a non-2xx response into an HttpError (reads the body). */
export async function errorFromResponse(res: Response): Promise<HttpError> {
  const body = await res.text().catch(() => '');
  const d = describeErrorBody(res.status, res.statusText, body);
  return new HttpError(d.message, res.status, d.reason, d.hint);
}

/** fetch() that turns a network failure into HttpError status 0 with a readable message. */
export async function send(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { credentials: 'same-origin', ...init });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new HttpError('the kubelab dashboard server does not answer (was `kubelab dashboard` stopped?)', 0);
  }
}

/** A request whose answer is JSON; throws HttpError unless 2xx. */
export async function requestJson<T>(url: string, init?: RequestInit & { json?: unknown }): Promise<T> {
  const { json, ...rest } = init ?? {};
  const headers = new Headers(rest.headers);
  headers.set('Accept', 'application/json');
  if (json !== undefined && !headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
  const res = await send(url, { ...rest, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
  if (!res.ok) throw await errorFromResponse(res);
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** The message to show for any thrown value. */
export function errorText(err: unknown): string {
  if (err instanceof HttpError) return err.hint ? `${err.message} (${err.hint})` : err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Whether the error is a browser abort (a request we cancelled ourselves). */
export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}
