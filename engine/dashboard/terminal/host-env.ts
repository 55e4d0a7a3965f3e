// A host shell's environment and command line, as pure functions: the dashboard's own environment
// plus KUBECONFIG for one cluster, the docker-env variables, TERM, and kubelab's kubectl on PATH
// when the host has none; the user's shell, else bash, else sh.
import { delimiter } from 'node:path';

/** What a host shell's environment adds to the dashboard's. */
export interface HostShellParts {
  /** The kubeconfig file holding only the cluster. */
  kubeconfig: string;
  /** The docker-env variables (dockerEnvVars), in order. */
  docker: Array<[string, string]>;
  /** A folder to put first on PATH (where kubelab keeps its kubectl), when the host has no kubectl. */
  prependPath?: string;
}

/** The environment of a host shell: `base` (the dashboard's) with the parts on top; undefined values dropped. */
export function hostShellEnv(base: NodeJS.ProcessEnv, parts: HostShellParts): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
  env.KUBECONFIG = parts.kubeconfig;
  for (const [k, v] of parts.docker) env[k] = v;
  env.TERM = 'xterm-256color';
  if (parts.prependPath) env.PATH = env.PATH ? `${parts.prependPath}${delimiter}${env.PATH}` : parts.prependPath;
  return env;
}

/**
 * The shell to start: $SHELL when it is an absolute path that exists, else bash from PATH, else
 * /bin/sh. An interactive shell, not a login one (as desktop terminals start them on Linux): a
 * login shell reads /etc/profile, which sets PATH afresh and would drop kubelab's kubectl folder.
 * `exists` and `which` are the file system lookups.
 */
export function hostShellCommand(env: NodeJS.ProcessEnv, exists: (path: string) => boolean, which: (name: string) => string | undefined): { file: string; args: string[] } {
  const fromEnv = env.SHELL;
  const file = fromEnv && fromEnv.startsWith('/') && exists(fromEnv) ? fromEnv : (which('bash') ?? '/bin/sh');
  return { file, args: [] };
}

/** The name of a signal number (e.g. 9 → SIGKILL), from `table` (os.constants.signals). */
export function signalName(signal: number | undefined, table: Record<string, number>): string | undefined {
  if (!signal) return undefined;
  return Object.keys(table).find((k) => table[k] === signal) ?? `signal ${signal}`;
}
