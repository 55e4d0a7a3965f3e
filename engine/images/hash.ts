import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** Lists every file under `dir` (recursively), sorted, as paths relative to `root`. */
export async function listFiles(root: string, dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(root, dir), { withFileTypes: true })) {
    const rel = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(root, rel)));
    else if (entry.isFile()) out.push(rel);
  }
  return out.sort();
}

/** A short content hash over the given files (names and bytes) plus extra strings. */
export async function contentHash(root: string, files: string[], extra: string[] = []): Promise<string> {
  const h = createHash('sha256');
  for (const f of [...files].sort()) {
    h.update(relative(root, join(root, f)));
    h.update('\0');
    h.update(await readFile(join(root, f)));
    h.update('\0');
  }
  for (const e of extra) h.update(`${e}\0`);
  return h.digest('hex').slice(0, 12);
}
