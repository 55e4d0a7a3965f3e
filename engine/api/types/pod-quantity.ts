// Resource quantities as numbers, for the comparisons and sums pod rules need (requests ≤ limits,
// QoS class, pod-level request defaults).
const SUFFIX: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};
const PATTERN = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/;

/** The value of a quantity ("500m", "1Gi", 2) in base units; NaN when it is not one. */
export function quantityValue(q: unknown): number {
  if (typeof q === 'number') return q;
  if (typeof q !== 'string') return NaN;
  const m = PATTERN.exec(q.trim());
  if (!m) return NaN;
  const base = Number(m[1]);
  if (m[2]) return base * 10 ** Number(m[2].slice(1));
  return base * SUFFIX[m[3] ?? '']!;
}

/** A quantity string for `value`: with the largest binary suffix that fits when `binary`, else whole or milli units. */
export function formatQuantity(value: number, binary: boolean): string {
  if (binary) {
    for (const s of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
      const unit = SUFFIX[s]!;
      if (value >= unit && Number.isInteger(value / unit)) return `${value / unit}${s}`;
    }
    return String(Math.round(value));
  }
  if (Number.isInteger(value)) return String(value);
  return `${Math.round(value * 1000)}m`;
}

/** Whether a quantity string uses a binary suffix (Ki, Mi, …). */
export const isBinary = (q: unknown): boolean => typeof q === 'string' && /[KMGTPE]i$/.test(q.trim());
