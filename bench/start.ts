// npm run bench:start: warm `kubelab start` (node image cached) for 1 and 3 nodes, until every
// node's nested runtime answers, beside the floor: a plain `docker run` of the node image on the
// same engine until its nested runtime answers. Runs are interleaved so noise hits all alike.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine } from '../engine/index.js';
import { detectPrivileges } from '../engine/docker/privileges.js';
import { nullLogger } from '../engine/log/logger.js';
import { bridgeAddressFor, podCidrFor } from '../engine/network/ipam.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BIN = fileURLToPath(new URL('../bin/kubelab.js', import.meta.url));
const home = mkdtempSync(join(tmpdir(), 'kubelab-bench-'));
const env = { ...process.env, KUBELAB_HOME: home, KUBECONFIG: join(home, 'kubeconfig') };

function run(cmd: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('close', (code) => (code === 0 ? resolve(0) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err}`))));
  });
}

function sh(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { env, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '';
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const engine = createEngine({ home });
const image = await engine.nodeImage(() => {});
const privileges = await detectPrivileges(engine.docker, image, home, nullLogger);
const rights =
  privileges.mode === 'privileged'
    ? ['--privileged']
    : [
        '--cap-add', 'ALL',
        ...((privileges.hostConfig.CapDrop ?? []) as string[]).flatMap((c) => ['--cap-drop', c]),
        ...((privileges.hostConfig.SecurityOpt ?? []) as string[]).flatMap((o) => ['--security-opt', o]),
        '-v', '/sys/fs/cgroup:/sys/fs/cgroup:rw',
      ];

/** The floor: `docker run` of the node image, then wait until its nested dockerd answers. */
async function floor(i: number): Promise<number> {
  const name = `kubelab-bench-floor-${process.pid}-${i}`;
  try {
    return await timed(async () => {
      await run('docker', [
        'run', '-d', '--name', name, '--label', 'io.kubelab.bench=floor', '--init', ...rights,
        '--tmpfs', '/run', '--tmpfs', '/tmp', '-v', '/var/lib/docker',
        '-e', `KUBELAB_NODE_NAME=${name}`, '-e', 'KUBELAB_NODE_INDEX=0', '-e', 'KUBELAB_ROLE=control-plane',
        '-e', `KUBELAB_POD_CIDR=${podCidrFor(0)}`, image,
      ]);
      for (;;) {
        if (sh('docker', ['exec', name, 'docker', 'version', '--format', '{{.Server.Version}}'])) return;
        await new Promise((r) => setTimeout(r, 50));
      }
    });
  } finally {
    sh('docker', ['rm', '-f', '-v', name]);
  }
}

/** `kubelab start` of a new cluster with `nodes` nodes; the CLI returns once every nested runtime answers. */
async function start(nodes: number, i: number): Promise<number> {
  const name = `bench${nodes}-${i}-${process.pid % 10000}`;
  try {
    return await timed(() => run(process.execPath, [BIN, 'start', '--name', name, '--nodes', String(nodes)]));
  } finally {
    await run(process.execPath, [BIN, 'delete', name]).catch(() => undefined);
  }
}

const samples: Record<string, number[]> = { floor: [], start1: [], start3: [] };
// One untimed round first so the page cache and the engine are warm for every series.
await floor(-1);
await start(1, -1);
for (let i = 0; i < RUNS; i++) {
  samples.floor!.push(await floor(i));
  samples.start1!.push(await start(1, i));
  samples.start3!.push(await start(3, i));
}
rmSync(home, { recursive: true, force: true });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const f = median(samples.floor!);
const row = (label: string, xs: number[]) =>
  `| ${label.padEnd(36)} | ${(median(xs) / 1000).toFixed(2).padStart(6)} s | ${(Math.min(...xs) / 1000).toFixed(2).padStart(6)} s | ${(Math.max(...xs) / 1000).toFixed(2).padStart(6)} s | ${(median(xs) / f).toFixed(2).padStart(5)}× |`;
process.stdout.write(
  [
    `bench:start: ${RUNS} runs each, node image ${image}, node rights: ${privileges.mode}, bridge ${bridgeAddressFor(0)}`,
    '',
    '| what                                 | median   | min      | max      | ratio |',
    '|--------------------------------------|----------|----------|----------|-------|',
    row('floor: docker run of the node image', samples.floor!),
    row('kubelab start --nodes 1', samples.start1!),
    row('kubelab start --nodes 3', samples.start3!),
    '',
    `target: kubelab start --nodes 3 ≤ 3× floor → ${median(samples.start3!) / f <= 3 ? 'met' : 'NOT met'} (${(median(samples.start3!) / f).toFixed(2)}×)`,
    '',
  ].join('\n'),
);
