// What a /terminal socket asks for, as pure checks: the target in its query, the starting size,
// the renderer's control messages, and which container of a pod a shell goes to.
import { validateClusterName } from '../../cluster/names.js';
import { KubelabError } from '../../errors.js';
import type { TerminalClientMessage, TerminalTarget } from '../contract.js';
import { parseMessageObject } from '../requests.js';

/** Most terminals one dashboard runs at once. */
export const MAX_TERMINALS = 32;

/** A terminal's size in character cells. */
export interface TermSize {
  cols: number;
  rows: number;
}

/** The size a terminal starts with when the query names none. */
export const DEFAULT_SIZE: TermSize = { cols: 80, rows: 24 };

/** A terminal request that cannot be served; the message is what the renderer shows. */
export class TerminalRequestError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'TerminalRequestError';
  }
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function required(query: URLSearchParams, name: string, what: string): string {
  const v = query.get(name);
  if (!v) throw new TerminalRequestError(`a ${what} terminal needs the query parameter "${name}"`);
  return v;
}

function named(value: string, what: string, pattern: RegExp, max: number): string {
  if (value.length > max || !pattern.test(value)) throw new TerminalRequestError(`"${value}" is not a valid ${what} name`);
  return value;
}

function dimension(query: URLSearchParams, name: 'cols' | 'rows'): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return DEFAULT_SIZE[name];
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new TerminalRequestError(`${name} must be a whole number from 1 to 1000, not "${raw}"`);
  return n;
}

/** Reads a /terminal query into its target and starting size; throws TerminalRequestError naming what is wrong. */
export function parseTerminalQuery(query: URLSearchParams): { target: TerminalTarget; size: TermSize } {
  const kind = query.get('kind');
  if (kind !== 'host' && kind !== 'node' && kind !== 'pod') {
    throw new TerminalRequestError(kind ? `unknown terminal kind "${kind}"` : 'the query parameter "kind" is missing', 'kind is host, node or pod');
  }
  const rawCluster = required(query, 'cluster', kind);
  let cluster: string;
  try {
    cluster = validateClusterName(rawCluster);
  } catch (err) {
    throw new TerminalRequestError((err as KubelabError).message, (err as KubelabError).hint);
  }
  const size = { cols: dimension(query, 'cols'), rows: dimension(query, 'rows') };
  if (kind === 'host') return { target: { kind, cluster }, size };
  if (kind === 'node') return { target: { kind, cluster, node: named(required(query, 'node', kind), 'node', DNS_SUBDOMAIN, 253) }, size };
  const target: TerminalTarget = {
    kind,
    cluster,
    namespace: named(required(query, 'namespace', kind), 'namespace', DNS_LABEL, 63),
    pod: named(required(query, 'pod', kind), 'pod', DNS_SUBDOMAIN, 253),
  };
  const container = query.get('container');
  if (container) target.container = named(container, 'container', DNS_LABEL, 63);
  return { target, size };
}

/** A control message from the renderer, or undefined when it is not one the contract knows. */
export function parseTerminalMessage(text: string): TerminalClientMessage | undefined {
  const m = parseMessageObject(text);
  if (!m) return undefined;
  const ok = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 1000;
  if (m.type === 'resize' && ok(m.cols) && ok(m.rows)) return { type: 'resize', cols: m.cols, rows: m.rows };
  return undefined;
}

/** The parts of a Pod that choosing a container needs. */
export interface PodShape {
  metadata: { name: string; annotations?: Record<string, string> };
  spec?: { containers?: Array<{ name: string }> };
  status?: { phase?: string };
}

/** The annotation naming the container kubectl exec picks by default. */
const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

/**
 * The container a pod shell goes to: the one asked for (it must be one of the pod's containers),
 * else the default-container annotation's, else the first. Throws TerminalRequestError as kubectl would.
 */
export function chooseContainer(pod: PodShape, asked: string | undefined): string {
  const names = (pod.spec?.containers ?? []).map((c) => c.name);
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') throw new TerminalRequestError(`cannot exec into a container in a completed pod; current phase is ${phase}`);
  if (asked !== undefined) {
    if (!names.includes(asked)) throw new TerminalRequestError(`container "${asked}" is not valid for pod "${pod.metadata.name}"`, `its containers are: ${names.join(', ')}`);
    return asked;
  }
  const annotated = pod.metadata.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  if (annotated && names.includes(annotated)) return annotated;
  const first = names[0];
  if (!first) throw new TerminalRequestError(`pod "${pod.metadata.name}" has no containers`);
  return first;
}
