// The simple JSONPath of a CRD's additionalPrinterColumns (".spec.replicas",
// ".status.conditions[0].type", ".metadata.labels['app.kubernetes.io/name']", ".items[*].name",
// ".status.conditions[?(@.type=="Ready")].status"), evaluated against an object. Pure.

/** One step of a path. */
type Segment =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'all' }
  | { kind: 'filter'; path: string[]; value: string | number | boolean };

/** A path that could not be read; the column then shows nothing rather than failing the table. */
export class JsonPathError extends Error {}

const IDENT = /^[^.[\]\s]+/;

function parseLiteral(text: string): string | number | boolean {
  const t = text.trim();
  const q = /^(['"])(.*)\1$/.exec(t);
  if (q) return q[2]!;
  if (t === 'true' || t === 'false') return t === 'true';
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  throw new JsonPathError(`unsupported filter value ${t}`);
}

/** Parses a path, with or without the kubectl braces ("{.spec.x}"); throws JsonPathError on what it does not support. */
export function parseJsonPath(path: string): Segment[] {
  let p = path.trim();
  if (p.startsWith('{') && p.endsWith('}')) p = p.slice(1, -1).trim();
  if (p.startsWith('$')) p = p.slice(1);
  const out: Segment[] = [];
  let i = 0;
  while (i < p.length) {
    const c = p[i]!;
    if (c === '.') {
      i++;
      // A backslash escapes a dot inside a name (".metadata.annotations.a\.b/c").
      let name = '';
      while (i < p.length && p[i] !== '.' && p[i] !== '[') {
        if (p[i] === '\\' && p[i + 1] === '.') {
          name += '.';
          i += 2;
        } else name += p[i++];
      }
      if (!name) {
        if (i === p.length && out.length === 0) break; // "." alone: the object itself
        throw new JsonPathError(`empty field name in ${path}`);
      }
      out.push({ kind: 'field', name });
      continue;
    }
    if (c === '[') {
      const end = p.indexOf(']', i);
      if (end < 0) throw new JsonPathError(`unclosed [ in ${path}`);
      const inner = p.slice(i + 1, end).trim();
      i = end + 1;
      if (inner === '*') out.push({ kind: 'all' });
      else if (/^-?\d+$/.test(inner)) out.push({ kind: 'index', index: Number(inner) });
      else if (/^(['"]).*\1$/.test(inner)) out.push({ kind: 'field', name: inner.slice(1, -1) });
      else {
        const f = /^\?\(@((?:\.[^.=!<>\s)]+)+)\s*==\s*(.+)\)$/.exec(inner);
        if (!f) throw new JsonPathError(`unsupported [${inner}] in ${path}`);
        out.push({ kind: 'filter', path: f[1]!.slice(1).split('.'), value: parseLiteral(f[2]!) });
      }
      continue;
    }
    const m = out.length === 0 ? IDENT.exec(p.slice(i)) : null;
    if (!m) throw new JsonPathError(`unexpected "${c}" in ${path}`);
    out.push({ kind: 'field', name: m[0] });
    i += m[0].length;
  }
  return out;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function step(values: unknown[], s: Segment): unknown[] {
  const out: unknown[] = [];
  for (const v of values) {
    if (s.kind === 'field') {
      if (isRecord(v) && s.name in v && v[s.name] !== undefined) out.push(v[s.name]);
    } else if (s.kind === 'index') {
      if (Array.isArray(v)) {
        const x = v[s.index < 0 ? v.length + s.index : s.index];
        if (x !== undefined) out.push(x);
      }
    } else if (s.kind === 'all') {
      if (Array.isArray(v)) out.push(...v);
      else if (isRecord(v)) out.push(...Object.values(v));
    } else if (Array.isArray(v)) {
      for (const item of v) {
        let x: unknown = item;
        for (const k of s.path) x = isRecord(x) ? x[k] : undefined;
        if (x === s.value) out.push(item);
      }
    }
  }
  return out;
}

/** Every value `path` selects in `obj` (none when a step is missing); throws JsonPathError for a path it cannot read. */
export function evalJsonPath(obj: unknown, path: string): unknown[] {
  return parseJsonPath(path).reduce<unknown[]>((values, s) => step(values, s), [obj]);
}
