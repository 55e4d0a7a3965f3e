// Bundles the two halves of the engine with esbuild:
//   dist/kubelab.mjs  host side (CLI), Node 20, ESM
//   dist/cluster.cjs  cluster side (supervisor and, later, the control plane), carried by the
//                     node image and run by Debian bookworm's Node 18
//   dist/bench-*.mjs  benchmarks
//   dist/electron/    the desktop shell: main.mjs (Electron's main process, ESM like the CLI, since
//                     the engine finds its package folder from import.meta.url) and preload.cjs
//                     (sandboxed preloads must be CommonJS); `electron` itself stays external
//   dist/renderer/    the dashboard UI (React): app.js (an ES module) + chunks/ loaded on demand +
//                     app.css + index.html, for Chromium and Electron's renderer, with no Node access
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';

const common = { bundle: true, platform: 'node', sourcemap: 'linked', logLevel: 'warning' };

// ESM bundles of CommonJS dependencies (dockerode's tree) need require, __filename, __dirname.
const esmRequireBanner = [
  "import { createRequire as __kubelabRequire } from 'node:module';",
  "import { fileURLToPath as __kubelabPath } from 'node:url';",
  'const require = __kubelabRequire(import.meta.url);',
  'const __filename = __kubelabPath(import.meta.url);',
  "const __dirname = __kubelabPath(new URL('.', import.meta.url));",
].join(' ');

// The CLI bundles its dependencies too: one file loads several times faster than node_modules
// resolution of dockerode's tree, and the CLI's start-up is part of every command's time.
await build({
  ...common,
  entryPoints: { kubelab: 'engine/cli/main.ts' },
  outdir: 'dist',
  format: 'esm',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  external: ['cpu-features', '*.node', 'node-pty'],
  banner: { js: esmRequireBanner },
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

await build({
  ...common,
  entryPoints: { main: 'electron/main.ts' },
  outdir: 'dist/electron',
  format: 'esm',
  target: 'node22',
  outExtension: { '.js': '.mjs' },
  external: ['electron', 'cpu-features', '*.node', 'node-pty'],
  banner: { js: esmRequireBanner },
});

await build({
  ...common,
  entryPoints: { preload: 'electron/preload.ts' },
  outdir: 'dist/electron',
  format: 'cjs',
  platform: 'browser',
  target: 'chrome120',
  outExtension: { '.js': '.cjs' },
  external: ['electron'],
});

// The renderer: the app module (with its chunks) and one stylesheet that index.html loads from its own folder (the
// dashboard's CSP allows scripts and styles from 'self' only, nothing inline).
rmSync('dist/renderer/chunks', { recursive: true, force: true });
await build({
  entryPoints: { app: 'renderer/main.tsx' },
  bundle: true,
  outdir: 'dist/renderer',
  platform: 'browser',
  // ES modules split into chunks: views that are heavy and seldom first (the terminal) load on demand.
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  target: 'chrome120',
  jsx: 'automatic',
  minify: true,
  sourcemap: 'linked',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
});
mkdirSync('dist/renderer', { recursive: true });
copyFileSync('renderer/index.html', 'dist/renderer/index.html');
