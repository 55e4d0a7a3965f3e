// Resource quantities (1Gi, 500m, 2e3) read exactly, compared, and printed in the canonical form
// Kubernetes prints them in (1024Mi → 1Gi, 1000m → 1, 0.5 → 500m).

/** A quantity as an exact decimal, `digits × 10^exp`, with the notation it was written in. */
export interface Quantity {
  digits: bigint;
  exp: number;
  format: 'BinarySI' | 'DecimalSI' | 'DecimalExponent';
}

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei)|([numkMGTPE]))?$/;
const BINARY = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const DECIMAL_SUFFIX = new Map(Object.entries(DECIMAL).map(([s, e]) => [e, s]));

/** Reads a quantity (a string such as "1.5Gi", or a JSON number); undefined when it is not one. */
export function parseQuantity(value: unknown): Quantity | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string') return undefined;
  const m = QUANTITY.exec(text.trim());
  if (!m) return undefined;
  const [, sign, number, exponent, binary, decimal] = m;
  const [whole, fraction = ''] = number!.split('.');
  let digits = BigInt(`${whole || '0'}${fraction}`) * (sign === '-' ? -1n : 1n);
  let exp = -fraction.length;
  let format: Quantity['format'] = 'DecimalSI';
  if (exponent !== undefined) {
    exp += Number(exponent);
    format = 'DecimalExponent';
  } else if (binary) {
    digits *= 1024n ** BigInt(BINARY.indexOf(binary));
    format = 'BinarySI';
  } else if (decimal) exp += DECIMAL[decimal]!;
  // Precision below nano-units rounds up, away from zero.
  if (exp < -9) {
    const scale = 10n ** BigInt(-9 - exp);
    const rounded = digits / scale;
    digits = digits % scale === 0n ? rounded : rounded + (digits < 0n ? -1n : 1n);
    exp = -9;
  }
  return { digits, exp, format };
}

/** The value as digits at exponent `exp` (which must be ≤ the quantity's own). */
const at = (q: Quantity, exp: number): bigint => q.digits * 10n ** BigInt(q.exp - exp);

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b`. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  const exp = Math.min(a.exp, b.exp);
  const x = at(a, exp);
  const y = at(b, exp);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** -1, 0 or 1 as the quantity is negative, zero or positive. */
export const quantitySign = (q: Quantity): number => (q.digits < 0n ? -1 : q.digits > 0n ? 1 : 0);

/** True when the quantity has no fractional part. */
export const isWholeQuantity = (q: Quantity): boolean => q.exp >= 0 || q.digits % 10n ** BigInt(-q.exp) === 0n;

/** The canonical text of a quantity, as Kubernetes prints it. */
export function formatQuantity(q: Quantity): string {
  if (q.digits === 0n) return '0';
  let format = q.format;
  if (format === 'BinarySI') {
    const abs = q.digits < 0n ? -q.digits : q.digits;
    const small = abs * 10n ** BigInt(Math.max(q.exp, 0)) < 1024n * 10n ** BigInt(Math.max(-q.exp, 0));
    if (small || !isWholeQuantity(q)) format = 'DecimalSI';
  }
  if (format === 'BinarySI') {
    let n = q.exp >= 0 ? q.digits * 10n ** BigInt(q.exp) : q.digits / 10n ** BigInt(-q.exp);
    let power = 0;
    while (power < BINARY.length - 1 && n % 1024n === 0n) {
      n /= 1024n;
      power++;
    }
    return `${n}${BINARY[power]}`;
  }
  let n = q.digits;
  let exp = q.exp;
  while (n % 10n === 0n) {
    n /= 10n;
    exp++;
  }
  const down = ((exp % 3) + 3) % 3;
  n *= 10n ** BigInt(down);
  exp -= down;
  if (format === 'DecimalExponent') return exp === 0 ? `${n}` : `${n}e${exp}`;
  const suffix = DECIMAL_SUFFIX.get(exp);
  return suffix === undefined ? `${n}e${exp}` : `${n}${suffix}`;
}

/** The canonical text of a quantity value, or the value as it is when it is not a quantity. */
export function canonicalQuantity(value: unknown): string {
  const q = parseQuantity(value);
  return q ? formatQuantity(q) : String(value ?? '');
}
