// Bundles the two halves of the engine with esbuild:
//   dist/kubelab.mjs  host side (CLI), Node 20, ESM
//   dist/cluster.cjs  cluster side (supervisor and, later, the control plane), carried by the
//                     node image and run by Debian bookworm's Node 18
//   dist/bench-*.mjs  benchmarks
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';

const common = { bundle: true, platform: 'node', sourcemap: 'linked', logLevel: 'warning' };

// The CLI bundles its dependencies too: one file loads several times faster than node_modules
// resolution of dockerode's tree, and the CLI's start-up is part of every command's time.
await build({
  ...common,
  entryPoints: { kubelab: 'engine/cli/main.ts' },
  outdir: 'dist',
  format: 'esm',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  external: ['cpu-features', '*.node'],
  banner: {
    js: [
      "import { createRequire as __kubelabRequire } from 'node:module';",
      "import { fileURLToPath as __kubelabPath } from 'node:url';",
      'const require = __kubelabRequire(import.meta.url);',
      'const __filename = __kubelabPath(import.meta.url);',
      "const __dirname = __kubelabPath(new URL('.', import.meta.url));",
    ].join(' '),
  },
});

await build({
  ...common,
  entryPoints: { cluster: 'engine/supervisor/main.ts' },
  outdir: 'dist',
  format: 'cjs',
  target: 'node18',
  outExtension: { '.js': '.cjs' },
  sourcemap: false,
});

const benches = readdirSync('bench').filter((f) => f.endsWith('.ts'));
await build({
  ...common,
  entryPoints: Object.fromEntries(benches.map((f) => [`bench-${f.replace(/\.ts$/, '')}`, `bench/${f}`])),
  outdir: 'dist',
  format: 'esm',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  packages: 'external',
});
