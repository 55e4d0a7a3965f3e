// The app's location, kept in the URL hash so a view can be reloaded, linked and driven by tests:
// #/<view>?cluster=C&ns=N&kind=K&name=X&pod=P&container=Y

/** The main views. */
export type ViewName = 'clusters' | 'resources' | 'topology' | 'logs' | 'graphs' | 'terminal';

/** Where the user is. */
export interface Route {
  view: ViewName;
  cluster?: string;
  /** Selected namespace; '' = all namespaces. */
  namespace: string;
  /** Resource view: the kind's plural. */
  kind: string;
  /** Resource view: the object open in the details pane (namespace/name, or name when cluster-scoped). */
  name?: string;
  /** Logs view: pod and container. */
  pod?: string;
  container?: string;
  /** Terminal view: a terminal tab to open (views/terminal/terminal-target.ts: "host", "node/N", "pod/NS/P[/C]"); dropped once opened. */
  terminal?: string;
}

const VIEWS: readonly ViewName[] = ['clusters', 'resources', 'topology', 'logs', 'graphs', 'terminal'];

/** The default route: the clusters view. */
export const DEFAULT_ROUTE: Route = { view: 'clusters', namespace: 'default', kind: 'pods' };

/** Reads a location hash ("#/resources?cluster=dev&kind=pods"); unknown parts fall back to defaults. */
export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#\/?/, '');
  const q = text.indexOf('?');
  const path = q < 0 ? text : text.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : text.slice(q + 1));
  const view = (VIEWS as readonly string[]).includes(path) ? (path as ViewName) : DEFAULT_ROUTE.view;
  const get = (k: string) => params.get(k) || undefined;
  const route: Route = {
    view,
    namespace: params.has('ns') ? (params.get('ns') ?? '') : DEFAULT_ROUTE.namespace,
    kind: get('kind') ?? DEFAULT_ROUTE.kind,
  };
  for (const k of ['cluster', 'name', 'pod', 'container', 'terminal'] as const) {
    const v = get(k);
    if (v) route[k] = v;
  }
  return route;
}

/** The hash for a route (parseRoute(formatRoute(r)) equals r). */
export function formatRoute(r: Route): string {
  const params = new URLSearchParams();
  if (r.cluster) params.set('cluster', r.cluster);
  params.set('ns', r.namespace);
  if (r.view === 'resources') params.set('kind', r.kind);
  else if (r.kind !== DEFAULT_ROUTE.kind) params.set('kind', r.kind);
  if (r.name) params.set('name', r.name);
  if (r.pod) params.set('pod', r.pod);
  if (r.container) params.set('container', r.container);
  if (r.terminal) params.set('terminal', r.terminal);
  return `#/${r.view}?${params.toString()}`;
}

/** The identifier of an object in a route: namespace/name, or name when cluster-scoped. */
export const routeName = (o: { metadata: { name: string; namespace?: string } }): string =>
  o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name;
