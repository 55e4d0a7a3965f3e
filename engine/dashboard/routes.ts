// Which handler a dashboard request goes to, as a pure function of its method and URL.

/** A matched request. `method-not-allowed` carries the methods the path takes; `not-found` is an unknown /api path. */
export type Route =
  | { kind: 'launch'; token: string }
  | { kind: 'engine' }
  | { kind: 'list-clusters' }
  | { kind: 'create-cluster' }
  | { kind: 'cluster-action'; cluster: string; action: 'start' | 'stop' | 'delete' }
  | { kind: 'docker-env'; cluster: string }
  | { kind: 'node-action'; cluster: string; node: string; action: 'stop' | 'start' }
  | { kind: 'use-context'; cluster: string }
  | { kind: 'operation'; id: string }
  | { kind: 'k8s'; cluster: string; path: string }
  | { kind: 'socket' }
  | { kind: 'terminal' }
  | { kind: 'static'; path: string }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' };

/** Whether a route answers JSON (dashboard API and cluster proxy) rather than documents. */
export function isApiRoute(pathname: string): boolean {
  return pathname === '/api' || pathname.startsWith('/api/') || pathname === '/k8s' || pathname.startsWith('/k8s/') || pathname === '/ws' || pathname === '/terminal';
}

const SEGMENT = '([^/]+)';

/** The API paths, each with the methods it takes and the route it makes. */
const API: Array<{ pattern: RegExp; methods: Record<string, (m: string[]) => Route> }> = [
  { pattern: /^\/api\/engine$/, methods: { GET: () => ({ kind: 'engine' }) } },
  { pattern: /^\/api\/clusters$/, methods: { GET: () => ({ kind: 'list-clusters' }), POST: () => ({ kind: 'create-cluster' }) } },
  { pattern: new RegExp(`^/api/clusters/${SEGMENT}$`), methods: { DELETE: (m) => ({ kind: 'cluster-action', cluster: m[0]!, action: 'delete' }) } },
  { pattern: new RegExp(`^/api/clusters/${SEGMENT}/start$`), methods: { POST: (m) => ({ kind: 'cluster-action', cluster: m[0]!, action: 'start' }) } },
  { pattern: new RegExp(`^/api/clusters/${SEGMENT}/stop$`), methods: { POST: (m) => ({ kind: 'cluster-action', cluster: m[0]!, action: 'stop' }) } },
  { pattern: new RegExp(`^/api/clusters/${SEGMENT}/docker-env$`), methods: { GET: (m) => ({ kind: 'docker-env', cluster: m[0]! }) } },
  { pattern: new RegExp(`^/api/clusters/${SEGMENT}/nodes/${SEGMENT}/stop$`), methods: { POST: (m) => ({ kind: 'node-action', cluster: m[0]!, node: m[1]!, action: 'stop' }) } },
  { pattern: new RegExp(`^/api/clusters/${SEGMENT}/nodes/${SEGMENT}/start$`), methods: { POST: (m) => ({ kind: 'node-action', cluster: m[0]!, node: m[1]!, action: 'start' }) } },
  { pattern: new RegExp(`^/api/clusters/${SEGMENT}/use-context$`), methods: { POST: (m) => ({ kind: 'use-context', cluster: m[0]! }) } },
  { pattern: new RegExp(`^/api/operations/${SEGMENT}$`), methods: { GET: (m) => ({ kind: 'operation', id: m[0]! }) } },
];

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * Routes one request. `rawUrl` is the request line's target (path and query, as received).
 * HEAD is served like GET on documents; /k8s passes every method through.
 */
export function matchRoute(method: string, rawUrl: string): Route {
  const q = rawUrl.indexOf('?');
  const pathname = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : rawUrl.slice(q + 1));
  const k8s = /^\/k8s\/([^/?]+)(.*)$/.exec(rawUrl);
  if (k8s) {
    const cluster = decode(k8s[1]!);
    if (cluster === undefined) return { kind: 'not-found' };
    const rest = k8s[2]!;
    return { kind: 'k8s', cluster, path: rest.startsWith('/') ? rest : `/${rest}` };
  }
  if (pathname === '/ws') return method === 'GET' ? { kind: 'socket' } : { kind: 'method-not-allowed', allow: ['GET'] };
  if (pathname === '/terminal') return method === 'GET' ? { kind: 'terminal' } : { kind: 'method-not-allowed', allow: ['GET'] };
  if (pathname.startsWith('/api/') || pathname === '/api') {
    for (const api of API) {
      const m = api.pattern.exec(pathname);
      if (!m) continue;
      const make = api.methods[method];
      if (!make) return { kind: 'method-not-allowed', allow: Object.keys(api.methods) };
      const params = m.slice(1).map(decode);
      if (params.some((p) => p === undefined)) return { kind: 'not-found' };
      return make(params as string[]);
    }
    return { kind: 'not-found' };
  }
  if (pathname === '/k8s' || pathname.startsWith('/k8s/')) return { kind: 'not-found' };
  if (method !== 'GET' && method !== 'HEAD') return { kind: 'method-not-allowed', allow: ['GET', 'HEAD'] };
  const token = query.get('token');
  // Only a real navigation uses up the token (a HEAD from a link previewer must not).
  if (pathname === '/' && token !== null && method === 'GET') return { kind: 'launch', token };
  return { kind: 'static', path: pathname };
}
