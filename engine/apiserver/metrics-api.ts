// The resource metrics API (metrics.k8s.io/v1beta1), served by the apiserver itself in place of
// an aggregated metrics-server: NodeMetrics and PodMetrics from the figures each node agent keeps
// (GET /stats/resource on its endpoint), asked for when a client asks, so `kubectl top` and the
// HorizontalPodAutoscaler see usage at most one sample old.
import { matchesLabels, parseLabelSelector } from '../api/selectors.js';
import type { ResourceReport, Usage } from '../kubelet/resource-stats.js';
import type { Storage } from '../store/storage.js';
import { sendJson, type RequestContext } from './context.js';
import { nodeAddress, nodeRequest } from './node-client.js';
import type { NodeClientTls } from './pod-log.js';
import { badRequest, failure, methodNotAllowed } from './status.js';

/** The group and version served. */
export const METRICS_GROUP = 'metrics.k8s.io';
export const METRICS_VERSION = 'v1beta1';
const API_VERSION = `${METRICS_GROUP}/${METRICS_VERSION}`;

/** The APIResourceList of metrics.k8s.io/v1beta1, for discovery. */
export function metricsResourceList(): unknown {
  const verbs = ['get', 'list'];
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: API_VERSION,
    resources: [
      { name: 'nodes', singularName: '', namespaced: false, kind: 'NodeMetrics', verbs },
      { name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics', verbs },
    ],
  };
}

interface NodeView {
  metadata: { name: string; labels?: Record<string, string>; creationTimestamp?: string };
  status?: { addresses?: Array<{ type: string; address: string }> };
}

interface PodView {
  metadata: { name: string; namespace?: string; uid?: string; labels?: Record<string, string>; creationTimestamp?: string };
}

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

/** A duration as Go prints it for windows, e.g. "5.002s". */
export function windowText(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))}s`;
}

/** CPU and memory usage as quantities ("123456n", "2048Ki"). */
export function usageQuantities(u: Pick<Usage, 'cpu' | 'memory'>): { cpu: string; memory: string } {
  return { cpu: `${Math.max(0, Math.round(u.cpu))}n`, memory: `${Math.max(0, Math.round(u.memory / 1024))}Ki` };
}

/** NodeMetrics of a node from its report. */
export function nodeMetrics(node: NodeView, usage: Usage, now = Date.now()): unknown {
  return {
    kind: 'NodeMetrics',
    apiVersion: API_VERSION,
    metadata: { name: node.metadata.name, creationTimestamp: rfc3339(now), ...(node.metadata.labels ? { labels: node.metadata.labels } : {}) },
    timestamp: rfc3339(usage.at),
    window: windowText(usage.windowMs),
    usage: usageQuantities(usage),
  };
}

/** PodMetrics of a pod from its node's figures. */
export function podMetrics(pod: PodView, containers: ResourceReport['pods'][number]['containers'], now = Date.now()): unknown {
  const first = containers[0]!.usage;
  return {
    kind: 'PodMetrics',
    apiVersion: API_VERSION,
    metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, creationTimestamp: rfc3339(now), ...(pod.metadata.labels ? { labels: pod.metadata.labels } : {}) },
    timestamp: rfc3339(first.at),
    window: windowText(first.windowMs),
    containers: containers.map((c) => ({ name: c.name, usage: usageQuantities(c.usage) })),
  };
}

/** Asks one node for its figures; undefined when it does not answer in time (as metrics-server skips it). */
function fetchReport(node: NodeView, tls: NodeClientTls): Promise<ResourceReport | undefined> {
  const host = nodeAddress(node);
  if (!host) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const req = nodeRequest(host, tls, { path: '/stats/resource', timeoutMs: 3000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        try {
          resolve(res.statusCode === 200 ? (JSON.parse(text) as ResourceReport) : undefined);
        } catch {
          resolve(undefined);
        }
      });
      res.on('error', () => resolve(undefined));
    });
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

/** A predicate from the request's labelSelector and fieldSelector (metadata.name and metadata.namespace only). */
function selection(query: URLSearchParams): (o: { metadata: { name: string; namespace?: string; labels?: Record<string, string> } }) => boolean {
  let labels: ReturnType<typeof parseLabelSelector>;
  try {
    labels = parseLabelSelector(query.get('labelSelector') ?? '');
  } catch (err) {
    throw badRequest(`unable to parse requirement: ${(err as Error).message}`);
  }
  const fields: Array<[string, string, boolean]> = [];
  for (const part of (query.get('fieldSelector') ?? '').split(',').filter(Boolean)) {
    const m = /^(metadata\.name|metadata\.namespace)(==|=|!=)(.*)$/.exec(part.trim());
    if (!m) throw badRequest(`field label not supported: ${part.split(/!?=/)[0]}`);
    fields.push([m[1]!, m[3]!, m[2] !== '!=']);
  }
  return (o) => matchesLabels(labels, o.metadata.labels) && fields.every(([f, v, eq]) => ((f === 'metadata.name' ? o.metadata.name : o.metadata.namespace) === v) === eq);
}

/** Serves GET on metrics.k8s.io/v1beta1 nodes and pods (list and get). */
export async function serveMetrics(storage: Storage, ctx: Pick<RequestContext, 'path' | 'query' | 'req' | 'res'>, tls: NodeClientTls | undefined): Promise<void> {
  const { path, query, res, req } = ctx;
  const resource = path.resource;
  if (path.version !== METRICS_VERSION || (resource !== 'nodes' && resource !== 'pods') || path.subresource || (resource === 'nodes' && path.namespace)) {
    throw failure(404, 'NotFound', `the server could not find the requested resource`);
  }
  const kind = resource === 'nodes' ? 'NodeMetrics' : 'PodMetrics';
  const subject = { resource: resource === 'nodes' ? 'nodes' : 'pods', kind, group: METRICS_GROUP };
  if (req.method !== 'GET') throw methodNotAllowed(req.method ?? '', subject);
  if (['1', 'true'].includes(query.get('watch') ?? '')) throw methodNotAllowed('watch', subject);
  if (!tls) throw failure(503, 'ServiceUnavailable', 'this apiserver has no credentials for node endpoints, so it cannot read metrics');
  const nodes = (await storage.list({ resource: 'nodes' })).items as unknown as NodeView[];
  const reports = await Promise.all(nodes.map(async (n) => ({ node: n, report: await fetchReport(n, tls) })));
  // metrics-server names a missing pod with its namespace: podmetrics.metrics.k8s.io "default/web" not found.
  const missing = resource === 'pods' ? `${path.namespace}/${path.name}` : path.name;
  const notFound = () => failure(404, 'NotFound', `${resource === 'nodes' ? 'nodemetrics' : 'podmetrics'}.${METRICS_GROUP} "${missing}" not found`, { name: missing, group: METRICS_GROUP, kind: resource });
  const wanted = selection(query);

  if (resource === 'nodes') {
    const items = reports.filter(({ node, report }) => report?.usage && (!path.name || node.metadata.name === path.name) && wanted(node)).map(({ node, report }) => nodeMetrics(node, report!.usage!));
    if (path.name) return items.length ? sendJson(res, 200, items[0]) : Promise.reject(notFound());
    return sendJson(res, 200, { kind: 'NodeMetricsList', apiVersion: API_VERSION, metadata: {}, items });
  }
  const pods = (await storage.list({ resource: 'pods', namespace: path.namespace })).items as unknown as PodView[];
  const byUid = new Map(pods.map((p) => [p.metadata.uid, p]));
  const items: unknown[] = [];
  for (const { report } of reports) {
    for (const figures of report?.pods ?? []) {
      const pod = byUid.get(figures.uid);
      if (!pod || !figures.containers.length || (path.name && pod.metadata.name !== path.name) || !wanted(pod)) continue;
      items.push(podMetrics(pod, figures.containers));
    }
  }
  if (path.name) return items.length ? sendJson(res, 200, items[0]) : Promise.reject(notFound());
  sendJson(res, 200, { kind: 'PodMetricsList', apiVersion: API_VERSION, metadata: {}, items });
}
