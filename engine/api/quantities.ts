// Quantities are stored in canonical form, as Kubernetes does when it decodes them: 0.5 → 500m,
// 1024Mi → 1Gi, 1000 → 1k. Users see the canonical form in `kubectl get -o yaml`.
import { resolve } from './registry.js';
import { QUANTITY, type FieldSchema } from './schema.js';
import { canonicalQuantity } from './types/core-quantity.js';

/** Rewrites every quantity inside `value` (per `schema`) to its canonical text, in place; returns the value. */
export function canonicalizeQuantities(schema: FieldSchema | undefined, value: unknown): unknown {
  if (!schema || value === null || value === undefined) return value;
  if (schema.ref === QUANTITY) return typeof value === 'string' || typeof value === 'number' ? canonicalQuantity(value) : value;
  const s = schema.ref ? resolve(schema) : schema;
  if (Array.isArray(value)) {
    if (s.items) value.forEach((v, i) => (value[i] = canonicalizeQuantities(s.items, v)));
    return value;
  }
  if (typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  for (const [k, v] of Object.entries(obj)) {
    const sub = s.properties?.[k] ?? s.additionalProperties;
    if (sub) obj[k] = canonicalizeQuantities(sub, v);
  }
  return value;
}
