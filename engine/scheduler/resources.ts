// Resource amounts as integers — cpu in millicores, everything else in whole units (memory and
// ephemeral-storage in bytes) — read with the apiserver's own quantity parser, and a pod's
// effective requests as the scheduler counts them.
import { parseQuantity, type Quantity } from '../api/types/core-quantity.js';
import { list, type Pod } from './types.js';
import type { ContainerJson } from '../api/types/pod-json.js';

/** Resource name → integer amount; `cpu` is in millicores, the rest in units (bytes, pods, devices). */
export type Amounts = Record<string, number>;

/** The request a container without a cpu request counts as when scoring (upstream's 100m). */
export const DEFAULT_MILLI_CPU = 100;
/** The request a container without a memory request counts as when scoring (upstream's 200Mi). */
export const DEFAULT_MEMORY = 200 * 1024 * 1024;

/** `q` scaled to 10^exp units, rounded up as Kubernetes' Value()/MilliValue() do. */
function scaled(q: Quantity, exp: number): number {
  const shift = q.exp - exp;
  if (shift >= 0) return Number(q.digits * 10n ** BigInt(shift));
  const div = 10n ** BigInt(-shift);
  const whole = q.digits / div;
  return Number(q.digits % div === 0n || q.digits < 0n ? whole : whole + 1n);
}

/** A cpu quantity ("250m", "1.5", 2) in millicores; 0 when it is not a quantity. */
export function milliCpu(value: unknown): number {
  const q = parseQuantity(value);
  return q ? scaled(q, -3) : 0;
}

/** A quantity ("1Gi", "500M", "1e3", 1024) in whole units, rounded up; 0 when it is not a quantity. */
export function units(value: unknown): number {
  const q = parseQuantity(value);
  return q ? scaled(q, 0) : 0;
}

/** A ResourceList (`{cpu: "500m", memory: "1Gi"}`) as integer amounts. */
export function amounts(resourceList: unknown): Amounts {
  const out: Amounts = {};
  if (!resourceList || typeof resourceList !== 'object') return out;
  for (const [name, v] of Object.entries(resourceList)) out[name] = name === 'cpu' ? milliCpu(v) : units(v);
  return out;
}

/** Adds `b` into `a`. */
export function addInto(a: Amounts, b: Amounts): Amounts {
  for (const [k, v] of Object.entries(b)) a[k] = (a[k] ?? 0) + v;
  return a;
}

function maxInto(a: Amounts, b: Amounts): void {
  for (const [k, v] of Object.entries(b)) a[k] = Math.max(a[k] ?? 0, v);
}

const requestsOf = (c: ContainerJson | undefined): Record<string, unknown> => {
  const r = c?.resources?.requests;
  return r && typeof r === 'object' ? r : {};
};

/**
 * The pod's effective requests: the sum over app containers and sidecars (restartable init
 * containers), at least the largest init container plus the sidecars started before it, pod-level
 * requests where set, plus the pod overhead. With `nonZero`, a container that sets no cpu or
 * memory request counts as 100m / 200Mi (how the scheduler scores best-effort pods).
 */
export function podRequests(pod: Pod, opts: { nonZero?: boolean } = {}): Amounts {
  const spec = pod.spec ?? {};
  const podLevel = requestsOf({ resources: spec.resources } as ContainerJson);
  const read = (c: ContainerJson): Amounts => {
    const raw = requestsOf(c);
    const a = amounts(raw);
    if (opts.nonZero) {
      if (!('cpu' in raw) && !('cpu' in podLevel)) a.cpu = DEFAULT_MILLI_CPU;
      if (!('memory' in raw) && !('memory' in podLevel)) a.memory = DEFAULT_MEMORY;
    }
    return a;
  };
  const total: Amounts = {};
  for (const c of list<ContainerJson>(spec.containers)) addInto(total, read(c));
  const sidecars: Amounts = {};
  const initPeak: Amounts = {};
  for (const c of list<ContainerJson>(spec.initContainers)) {
    const own = read(c);
    if (c.restartPolicy === 'Always') {
      addInto(total, own);
      addInto(sidecars, own);
      maxInto(initPeak, sidecars);
    } else {
      maxInto(initPeak, addInto({ ...own }, sidecars));
    }
  }
  maxInto(total, initPeak);
  for (const name of ['cpu', 'memory'])
    if (name in podLevel) total[name] = name === 'cpu' ? milliCpu(podLevel[name]) : units(podLevel[name]);
  return addInto(total, amounts(spec.overhead));
}
