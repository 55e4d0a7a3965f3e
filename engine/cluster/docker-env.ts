// `kubelab docker-env`: the variables that point a shell's docker at one node's nested engine
// (TLS on its published port 2376, the admin certificate of the cluster), in the syntax of the
// user's shell. The user's own docker variables are saved on the way in and put back by --unset.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadPki } from '../certs/cluster-pki.js';
import type { NodeInfo } from '../docker/provider.js';
import { KubelabError } from '../errors.js';
import { DOCKER_TLS_PORT } from '../supervisor/contract.js';

/** Shells whose syntax docker-env speaks. */
export const SHELLS = ['bash', 'zsh', 'fish', 'powershell', 'cmd'] as const;
export type Shell = (typeof SHELLS)[number];

/** The variables docker-env sets (and --unset restores). */
export const DOCKER_VARS = ['DOCKER_HOST', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH'] as const;
/** Names which cluster/node the shell points at; its presence means the user's own values are already saved. */
export const ACTIVE_VAR = 'KUBELAB_DOCKER_ENV';
/** Lists which of DOCKER_VARS the user had set before (their values are in KUBELAB_SAVED_<NAME>). */
const SAVED_LIST = 'KUBELAB_SAVED_DOCKER_VARS';
const saved = (name: string) => `KUBELAB_SAVED_${name}`;

/** Where a shell's docker should point. */
export interface DockerTarget {
  cluster: string;
  node: string;
  host: string;
  certPath: string;
}

/** The shell to speak: the one asked for, else PowerShell on Windows, else the login shell's name when known, else bash. */
export function detectShell(asked: string | undefined, env: NodeJS.ProcessEnv = process.env, platform = process.platform): Shell {
  if (asked !== undefined) {
    if (!(SHELLS as readonly string[]).includes(asked)) throw new KubelabError(`unknown shell "${asked}"`, { hint: `use one of: ${SHELLS.join(', ')}`, exitCode: 2 });
    return asked as Shell;
  }
  if (platform === 'win32') return 'powershell';
  const login = (env.SHELL ?? '').split('/').pop() ?? '';
  return (['fish', 'zsh'] as const).find((s) => s === login) ?? 'bash';
}

function setLine(shell: Shell, name: string, value: string): string {
  switch (shell) {
    case 'fish':
      return `set -gx ${name} '${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}';`;
    case 'powershell':
      return `$Env:${name} = '${value.replace(/'/g, "''")}'`;
    case 'cmd':
      return `SET ${name}=${value}`;
    default:
      return `export ${name}='${value.replace(/'/g, "'\\''")}'`;
  }
}

function unsetLine(shell: Shell, name: string): string {
  switch (shell) {
    case 'fish':
      return `set -e ${name};`;
    case 'powershell':
      return `Remove-Item Env:\\${name} -ErrorAction SilentlyContinue`;
    case 'cmd':
      return `SET ${name}=`;
    default:
      return `unset ${name}`;
  }
}

function comment(shell: Shell, text: string): string {
  return shell === 'cmd' ? `REM ${text}` : `# ${text}`;
}

/** How the user runs the output in that shell. */
function evalHint(shell: Shell, command: string): string {
  switch (shell) {
    case 'fish':
      return `${command} | source`;
    case 'powershell':
      return `& ${command} | Invoke-Expression`;
    case 'cmd':
      return `@FOR /f "tokens=*" %i IN ('${command}') DO @%i`;
    default:
      return `eval $(${command})`;
  }
}

/**
 * The variables that point a shell at `target`, in the order they are set: first the user's own
 * docker variables saved (unless a kubelab docker-env is already active in `env`), then the new ones.
 * The script below prints them; the dashboard's terminal puts them in a host shell's environment.
 */
export function dockerEnvVars(target: DockerTarget, env: NodeJS.ProcessEnv): Array<[string, string]> {
  const vars: Array<[string, string]> = [];
  if (env[ACTIVE_VAR] === undefined) {
    const had = DOCKER_VARS.filter((v) => env[v] !== undefined);
    for (const v of had) vars.push([saved(v), env[v]!]);
    vars.push([SAVED_LIST, had.join(',')]);
  }
  vars.push(['DOCKER_TLS_VERIFY', '1'], ['DOCKER_HOST', target.host], ['DOCKER_CERT_PATH', target.certPath], [ACTIVE_VAR, `${target.cluster}/${target.node}`]);
  return vars;
}

/**
 * The script that points the shell at `target`. `env` is the shell's environment as the CLI
 * inherited it: the user's docker variables are saved unless a kubelab docker-env is already active.
 */
export function dockerEnvScript(shell: Shell, target: DockerTarget, env: NodeJS.ProcessEnv, command: string): string {
  const lines = dockerEnvVars(target, env).map(([name, value]) => setLine(shell, name, value));
  lines.push(comment(shell, `To point your shell at the docker engine of node ${target.node} (cluster ${target.cluster}), run:`));
  lines.push(comment(shell, evalHint(shell, command)));
  return `${lines.join('\n')}\n`;
}

/** The script that undoes docker-env: the user's saved docker variables come back, the others go. */
export function dockerUnsetScript(shell: Shell, env: NodeJS.ProcessEnv, command: string): string {
  const lines: string[] = [];
  const active = env[ACTIVE_VAR] !== undefined && env[SAVED_LIST] !== undefined;
  const had = new Set(active ? (env[SAVED_LIST] ?? '').split(',').filter(Boolean) : []);
  for (const v of DOCKER_VARS) {
    if (had.has(v) && env[saved(v)] !== undefined) lines.push(setLine(shell, v, env[saved(v)]!));
    else lines.push(unsetLine(shell, v));
  }
  for (const v of DOCKER_VARS) if (env[saved(v)] !== undefined) lines.push(unsetLine(shell, saved(v)));
  lines.push(unsetLine(shell, SAVED_LIST), unsetLine(shell, ACTIVE_VAR));
  lines.push(comment(shell, 'To give your shell its own docker settings back, run:'));
  lines.push(comment(shell, evalHint(shell, command)));
  return `${lines.join('\n')}\n`;
}

/**
 * Puts the user's own docker variables back into `env` (in place) when a kubelab docker-env is
 * active in it: kubelab itself must keep talking to the host's engine, not to a node's.
 */
export function restoreUserDockerEnv(env: NodeJS.ProcessEnv): void {
  if (env[ACTIVE_VAR] === undefined) return;
  const had = new Set((env[SAVED_LIST] ?? '').split(',').filter(Boolean));
  for (const v of DOCKER_VARS) {
    if (had.has(v) && env[saved(v)] !== undefined) env[v] = env[saved(v)];
    else delete env[v];
  }
}

/** Node `name` of the cluster, by its full name or the part after `<cluster>-` ("worker2"); throws naming the nodes there are. */
export function nodeNamed(cluster: string, nodes: NodeInfo[], name: string): NodeInfo {
  const found = nodes.find((n) => n.name === name || n.name === `${cluster}-${name}`);
  if (!found) throw new KubelabError(`node "${name}" is not part of cluster "${cluster}"`, { hint: `its nodes are: ${nodes.map((n) => n.name).join(', ')}` });
  return found;
}

/** The host port on 127.0.0.1 where the node's engine answers with TLS; throws for nodes made without it. */
export function dockerTlsPort(cluster: string, node: NodeInfo): number {
  const port = node.ports.find((p) => p.container === DOCKER_TLS_PORT)?.host;
  if (!port) {
    throw new KubelabError(`node ${node.name} does not publish its docker engine`, { hint: `the cluster was made by an older kubelab; recreate it with \`kubelab delete ${cluster}\` and \`kubelab start --name ${cluster}\`` });
  }
  return port;
}

/** The node docker-env points at: the one named, else the control plane; it must run and publish its TLS port. */
export function dockerTarget(cluster: string, nodes: NodeInfo[], node: string | undefined, certPath: string): DockerTarget {
  const chosen = node ? nodeNamed(cluster, nodes, node) : nodes.find((n) => n.role === 'control-plane');
  if (!chosen) throw new KubelabError(`cluster "${cluster}" has no control-plane node`, { hint: `recreate it with \`kubelab delete ${cluster}\` and \`kubelab start --name ${cluster}\`` });
  if (chosen.state !== 'running') {
    throw new KubelabError(`cluster "${cluster}" is not running (node ${chosen.name} is ${chosen.state})`, { hint: `start it first: \`kubelab start --name ${cluster}\`` });
  }
  return { cluster, node: chosen.name, host: `tcp://127.0.0.1:${dockerTlsPort(cluster, chosen)}`, certPath };
}

/** Writes the client files docker reads from DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem) from the cluster's PKI; returns the folder. */
export async function writeDockerCerts(pkiDir: string, clusterDir: string): Promise<string> {
  const pki = await loadPki(pkiDir).catch((err: unknown) => {
    throw new KubelabError(`the certificates of this cluster are missing from ${pkiDir}`, { hint: 'the cluster was made elsewhere or its host-side state was removed; recreate it', cause: err });
  });
  const dir = join(clusterDir, 'docker');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const files: Array<[string, string, number]> = [['ca.pem', pki.ca.cert, 0o644], ['cert.pem', pki.admin.cert, 0o644], ['key.pem', pki.admin.key, 0o600]];
  for (const [name, content, mode] of files) {
    const path = join(dir, name);
    if ((await readFile(path, 'utf8').catch(() => '')) !== content) await writeFile(path, content, { mode });
  }
  return dir;
}
