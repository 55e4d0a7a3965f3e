// Kubernetes resource quantities ("250m", "1.5Gi", "2") as numbers, and back as short text, for
// the node view's capacity and requests.

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** The value of a quantity (cores for CPU, bytes for memory); NaN when it is not one. */
export function parseQuantity(q: string | undefined): number {
  if (!q) return NaN;
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/.exec(q.trim());
  if (!m) return NaN;
  const n = Number(m[1]);
  if (m[2]) return n * 10 ** Number(m[2].slice(1));
  const suffix = m[3] ?? '';
  return n * (BINARY[suffix] ?? DECIMAL[suffix] ?? NaN);
}

/** CPU cores as kubectl describe shows them: millicores below 1 core ("250m"), else cores. */
export function formatCpu(cores: number): string {
  if (!Number.isFinite(cores)) return '?';
  if (cores === 0) return '0';
  const milli = Math.round(cores * 1000);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** Bytes in the largest binary unit that keeps one decimal ("1.5Gi", "128Mi"). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '?';
  const units = ['Ki', 'Mi', 'Gi', 'Ti'] as const;
  let value = bytes;
  let unit = '';
  for (const u of units) {
    if (value < 1024) break;
    value /= 1024;
    unit = u;
  }
  const text = Number.isInteger(value) ? String(value) : value.toFixed(1).replace(/\.0$/, '');
  return `${text}${unit}`;
}
