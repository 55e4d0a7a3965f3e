import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { createEngine, type Engine } from '../../engine/index.js';

const BIN = fileURLToPath(new URL('../../bin/kubelab.js', import.meta.url));

/** Result of one run of the real `kubelab` CLI. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const homes: string[] = [];
process.on('exit', () => {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

/** A state folder of its own for one suite (removed when the test process exits), so suites never see each other's host-side state. */
export function testHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'kubelab-test-'));
  homes.push(home);
  return home;
}

/** Runs the built `kubelab` CLI as a user would (no TTY) and collects its output. */
export function kubelab(
  args: string[],
  opts: { home: string; env?: NodeJS.ProcessEnv; onStderr?: (text: string, child: ChildProcess) => void },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      // Never the user's own kubeconfig: each suite's state folder holds its own.
      env: { ...process.env, KUBELAB_HOME: opts.home, KUBECONFIG: join(opts.home, 'kubeconfig'), ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
      opts.onStderr?.(stderr, child);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** A random cluster name for a test: short, valid, unlikely to collide with a user's. */
export function clusterName(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 7)}`;
}

/** The engine API on the same state folder, for looking inside nodes. */
export function engineFor(home: string): Engine {
  return createEngine({ home });
}

/** Every Docker object labelled with `cluster`, by kind. */
export async function objectsOf(cluster: string): Promise<{ containers: number; networks: number; volumes: number }> {
  const docker = new Docker();
  const filters = { label: [`io.kubelab.cluster=${cluster}`] };
  const [c, n, v] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  return { containers: c.length, networks: n.length, volumes: (v.Volumes ?? []).length };
}

/** Removes every object of `cluster` straight through Docker: the safety net after a suite, whatever happened. */
export async function forceRemove(cluster: string): Promise<void> {
  await engineFor(testHome()).provider.deleteCluster(cluster).catch(() => undefined);
}
