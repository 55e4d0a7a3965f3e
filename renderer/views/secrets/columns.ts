// `kubectl get secrets` columns (TYPE, DATA, AGE), and the reading of a Secret's values, which
// the UI shows only after the user asks.
import type { KubeObject } from '../../api/types';
import { ageColumn, col, nameColumn, type Column } from '../../format/column';

/** A Secret. */
export interface Secret extends KubeObject {
  type?: string;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

/** A base64 value as text (UTF-8), or undefined when it is not valid base64 or not text. */
export function decodeSecretValue(b64: string): string | undefined {
  let bytes: Uint8Array;
  try {
    const bin = atob(b64);
    bytes = Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
  } catch {
    return undefined;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** The Secret with every value replaced by a mask, for showing its YAML unrevealed. */
export function maskSecret<T extends Secret>(s: T): T {
  const mask = (m: Record<string, string> | undefined) => (m ? Object.fromEntries(Object.keys(m).map((k) => [k, '••••••'])) : undefined);
  const out: T = { ...s };
  if (s.data) out.data = mask(s.data);
  if (s.stringData) out.stringData = mask(s.stringData);
  return out;
}

/** Columns of the secrets table. */
export const SECRET_COLUMNS: Column[] = [
  nameColumn,
  col<Secret>({ header: 'Type', text: (s) => s.type ?? 'Opaque' }),
  col<Secret>({ header: 'Data', text: (s) => String(Object.keys(s.data ?? {}).length) }),
  ageColumn,
];
