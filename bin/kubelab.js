#!/usr/bin/env node
// Entry point of the `kubelab` command: runs the bundled CLI (build it with `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/kubelab.mjs', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write('kubelab is not built yet: run `npm run build` in ' + fileURLToPath(new URL('..', import.meta.url)) + '\n');
  process.exit(1);
}
await import(bundle);
