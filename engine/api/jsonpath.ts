// The JSONPath subset printer columns use: `.a.b`, `['a.b']`, `[0]`, `[*]` and filters
// `[?(@.type=="Ready")]`. Several matches are joined with commas, as kubectl prints them.

type Step = { field: string } | { index: number } | { all: true } | { filter: { path: string[]; value: string } };

function parse(expr: string): Step[] {
  const src = expr.trim().replace(/^\{|\}$/g, '').replace(/^\$/, '');
  const steps: Step[] = [];
  let i = 0;
  while (i < src.length) {
    if (src[i] === '.') {
      const m = /^\.([^.[]+)/.exec(src.slice(i));
      if (!m) throw new Error(`bad JSONPath at "${src.slice(i)}"`);
      steps.push({ field: m[1]! });
      i += m[0].length;
    } else if (src[i] === '[') {
      const end = src.indexOf(']', i);
      if (end < 0) throw new Error(`unclosed [ in JSONPath "${expr}"`);
      const inner = src.slice(i + 1, end).trim();
      let m: RegExpExecArray | null;
      if (inner === '*') steps.push({ all: true });
      else if (/^-?\d+$/.test(inner)) steps.push({ index: Number(inner) });
      else if ((m = /^'(.*)'$|^"(.*)"$/.exec(inner))) steps.push({ field: m[1] ?? m[2]! });
      else if ((m = /^\?\(@((?:\.[\w-]+)+)\s*==\s*["']?([^"']*)["']?\)$/.exec(inner))) steps.push({ filter: { path: m[1]!.split('.').filter(Boolean), value: m[2]! } });
      else throw new Error(`unsupported JSONPath "${inner}"`);
      i = end + 1;
    } else throw new Error(`bad JSONPath at "${src.slice(i)}"`);
  }
  return steps;
}

function walk(values: unknown[], step: Step): unknown[] {
  const out: unknown[] = [];
  for (const v of values) {
    if ('field' in step) {
      if (v && typeof v === 'object' && !Array.isArray(v) && (v as Record<string, unknown>)[step.field] !== undefined) out.push((v as Record<string, unknown>)[step.field]);
    } else if ('index' in step) {
      if (Array.isArray(v)) {
        const x = v.at(step.index);
        if (x !== undefined) out.push(x);
      }
    } else if ('all' in step) {
      if (Array.isArray(v)) out.push(...v);
      else if (v && typeof v === 'object') out.push(...Object.values(v));
    } else if (Array.isArray(v)) {
      for (const item of v) {
        let cur: unknown = item;
        for (const k of step.filter.path) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
        if (cur !== undefined && String(cur) === step.filter.value) out.push(item);
      }
    }
  }
  return out;
}

/** The value of a JSONPath in `obj`: undefined when nothing matches, the match, or several joined by commas. */
export function json(obj: unknown, expr: string): unknown {
  let values: unknown[] = [obj];
  for (const step of parse(expr)) values = walk(values, step);
  if (values.length === 0) return undefined;
  if (values.length === 1) return values[0];
  return values.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(',');
}

/** Whether a JSONPath is one this module understands. */
export function validJsonPath(expr: string): boolean {
  try {
    parse(expr);
    return true;
  } catch {
    return false;
  }
}
