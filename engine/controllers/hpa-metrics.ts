// Where the HPA controller reads pods' CPU and memory use: the resource metrics API
// (metrics.k8s.io/v1beta1 PodMetrics), behind a small interface so the controller's logic can be
// fed plain data. Also the pure reading of a PodMetrics list into per-pod samples, as upstream's
// metrics client does: milli-units, rounded up; a pod missing the resource in any container has
// no sample.
import { parseQuantity } from '../api/types/core-quantity.js';
import { ApiRequestError, type RestClient } from '../client/rest-client.js';

/** One container's use in a PodMetrics item: quantities by resource name (cpu: "250m", memory: "12Mi"). */
export interface ContainerMetrics {
  name: string;
  usage: Record<string, string>;
}

/** A metrics.k8s.io/v1beta1 PodMetrics: what one pod used over `window` ending at `timestamp`. */
export interface PodMetrics {
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; creationTimestamp?: string };
  /** RFC 3339 */
  timestamp: string;
  /** A Go duration string, e.g. "15s" or "1m0.5s". */
  window: string;
  containers: ContainerMetrics[];
}

/** Pods' resource use, as the resource metrics API reports it. */
export interface MetricsSource {
  /** The PodMetrics of the pods of `namespace` that match `labelSelector`; rejects with the API's error. */
  podMetrics(namespace: string, labelSelector: string): Promise<PodMetrics[]>;
}

/** The resource metrics API served by the apiserver (GET /apis/metrics.k8s.io/v1beta1/namespaces/NS/pods). */
export class RestMetricsSource implements MetricsSource {
  constructor(private readonly client: Pick<RestClient, 'list'>) {}

  async podMetrics(namespace: string, labelSelector: string): Promise<PodMetrics[]> {
    try {
      const list = await this.client.list<PodMetrics>(`/apis/metrics.k8s.io/v1beta1/namespaces/${encodeURIComponent(namespace)}/pods`, { labelSelector: labelSelector || undefined });
      return list.items ?? [];
    } catch (err) {
      throw new Error(metricsApiError(err), { cause: err });
    }
  }
}

/** An error of the metrics API worded as client-go words it for users (404 and 503 name the resource asked for). */
export function metricsApiError(err: unknown): string {
  if (err instanceof ApiRequestError) {
    if (err.code === 404) return 'the server could not find the requested resource (get pods.metrics.k8s.io)';
    if (err.code === 503) return 'the server is currently unable to handle the request (get pods.metrics.k8s.io)';
  }
  return (err as Error).message;
}

/** One pod's use of one resource: milli-units over a window ending at `timestamp` (ms since the epoch). */
export interface PodSample {
  value: number;
  timestamp: number;
  windowMs: number;
}

/** Samples by pod name. */
export type PodSamples = Map<string, PodSample>;

/** A quantity in milli-units, rounded up as Quantity.MilliValue() does; NaN when it is not a quantity. */
export function milliValue(q: unknown): number {
  const parsed = parseQuantity(q);
  if (!parsed) return NaN;
  const shift = parsed.exp + 3;
  if (shift >= 0) return Number(parsed.digits * 10n ** BigInt(shift));
  const scale = 10n ** BigInt(-shift);
  const whole = parsed.digits / scale;
  return Number(parsed.digits % scale === 0n || parsed.digits < 0n ? whole : whole + 1n);
}

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration string ("15s", "1m30s", "1.5s", "0") in ms; NaN when it is not one. */
export function goDurationMs(text: string | undefined): number {
  if (typeof text !== 'string') return NaN;
  const s = text.trim();
  if (s === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/gy;
  let total = 0;
  let m: RegExpExecArray | null;
  let at = 0;
  while ((m = re.exec(s))) {
    total += Number(m[1]) * UNITS[m[2]!]!;
    at = re.lastIndex;
  }
  return at === s.length && at > 0 ? total : NaN;
}

/**
 * Per-pod samples of `resource` from a PodMetrics list: the sum over the pod's containers, or
 * only `container`'s use when one is named. Throws, with upstream's words, when the list is
 * empty or a named container is missing from a pod's metrics.
 */
export function resourceSamples(items: PodMetrics[], resource: string, container = ''): PodSamples {
  if (items.length === 0) throw new Error('no metrics returned from resource metrics API');
  const out: PodSamples = new Map();
  for (const m of items) {
    const at = { timestamp: Date.parse(m.timestamp) || 0, windowMs: goDurationMs(m.window) || 0 };
    const containers = m.containers ?? [];
    if (container) {
      const c = containers.find((x) => x.name === container);
      if (!c) throw new Error(`failed to get container metrics: container ${container} not present in metrics for pod ${m.metadata.namespace ?? ''}/${m.metadata.name}`);
      const v = milliValue(c.usage?.[resource]);
      if (!Number.isNaN(v)) out.set(m.metadata.name, { value: v, ...at });
      continue;
    }
    let sum = 0;
    let missing = containers.length === 0;
    for (const c of containers) {
      const v = milliValue(c.usage?.[resource]);
      if (Number.isNaN(v)) {
        missing = true;
        break;
      }
      sum += v;
    }
    if (!missing) out.set(m.metadata.name, { value: sum, ...at });
  }
  return out;
}
