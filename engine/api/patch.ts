/** Thrown for a patch that cannot be applied; the apiserver answers 422 (or 400 for malformed patches). */
export class PatchError extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON Merge Patch (RFC 7386): objects merge key by key, null deletes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** True when a strategic merge patch means exactly what the same JSON means as a merge patch: no lists and no `$` directives. */
export function strategicIsPlainMerge(patch: unknown): boolean {
  if (Array.isArray(patch)) return false;
  if (!isObject(patch)) return true;
  return Object.entries(patch).every(([k, v]) => !k.startsWith('$') && strategicIsPlainMerge(v));
}

function unescape(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

function parsePointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new PatchError(`invalid JSON pointer "${path}"`);
  return path.slice(1).split('/').map(unescape);
}

function getAt(doc: unknown, tokens: string[]): unknown {
  let cur = doc;
  for (const t of tokens) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (isObject(cur)) cur = cur[t];
    else return undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** JSON Patch (RFC 6902): add, remove, replace, move, copy, test. Returns a new document. */
export function jsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw new PatchError('a JSON patch must be a list of operations');
  let root = structuredClone(doc);
  for (const raw of ops) {
    if (!isObject(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') throw new PatchError('each JSON patch operation needs "op" and "path"');
    const tokens = parsePointer(raw.path);
    const parentTokens = tokens.slice(0, -1);
    const last = tokens[tokens.length - 1];
    const parent = () => {
      const p = getAt(root, parentTokens);
      if (!Array.isArray(p) && !isObject(p)) throw new PatchError(`path "${raw.path}" does not exist`);
      return p;
    };
    const remove = (): unknown => {
      const p = parent();
      if (last === undefined) throw new PatchError('cannot remove the whole document');
      if (Array.isArray(p)) {
        const i = Number(last);
        if (!Number.isInteger(i) || i < 0 || i >= p.length) throw new PatchError(`path "${raw.path}" does not exist`);
        return p.splice(i, 1)[0];
      }
      if (!Object.hasOwn(p, last)) throw new PatchError(`path "${raw.path}" does not exist`);
      const v = p[last];
      delete p[last];
      return v;
    };
    const add = (value: unknown, path = raw.path as string) => {
      const t = parsePointer(path);
      if (t.length === 0) {
        root = value;
        return;
      }
      const p = getAt(root, t.slice(0, -1));
      const key = t[t.length - 1]!;
      if (Array.isArray(p)) {
        const i = key === '-' ? p.length : Number(key);
        if (!Number.isInteger(i) || i < 0 || i > p.length) throw new PatchError(`index "${key}" is out of range in "${path}"`);
        p.splice(i, 0, value);
      } else if (isObject(p)) p[key] = value;
      else throw new PatchError(`path "${path}" does not exist`);
    };
    switch (raw.op) {
      case 'add':
        if (!('value' in raw)) throw new PatchError('"add" needs a value');
        add(structuredClone(raw.value));
        break;
      case 'remove':
        remove();
        break;
      case 'replace':
        if (!('value' in raw)) throw new PatchError('"replace" needs a value');
        if (tokens.length === 0) root = structuredClone(raw.value);
        else {
          remove();
          add(structuredClone(raw.value));
        }
        break;
      case 'move':
      case 'copy': {
        if (typeof raw.from !== 'string') throw new PatchError(`"${raw.op}" needs "from"`);
        const from = parsePointer(raw.from);
        const value = getAt(root, from);
        if (value === undefined) throw new PatchError(`path "${raw.from}" does not exist`);
        if (raw.op === 'move') jsonPatchRemove(root, from);
        add(structuredClone(value));
        break;
      }
      case 'test':
        if (JSON.stringify(getAt(root, tokens)) !== JSON.stringify(raw.value)) throw new PatchError(`test failed at "${raw.path}"`);
        break;
      default:
        throw new PatchError(`unknown JSON patch operation "${raw.op}"`);
    }
  }
  return root;
}

function jsonPatchRemove(root: unknown, tokens: string[]): void {
  const p = getAt(root, tokens.slice(0, -1));
  const key = tokens[tokens.length - 1]!;
  if (Array.isArray(p)) p.splice(Number(key), 1);
  else if (isObject(p)) delete p[key];
}
