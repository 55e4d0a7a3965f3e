// A shell on the host for one cluster, in a pseudo-terminal from node-pty: KUBECONFIG holds only
// that cluster, docker talks to its control plane's engine, kubectl works even when the host has
// none. node-pty is a native module loaded on first use, so everything else runs without it.
import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { constants, homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { dockerEnvVars } from '../../cluster/docker-env.js';
import { clusterDir } from '../../config/paths.js';
import { errorMessage, KubelabError } from '../../errors.js';
import type { Engine } from '../../index.js';
import { clientBinary, onPath } from '../../kubeconfig/clients.js';
import type { Logger } from '../../log/logger.js';
import type { TerminalProcess, TerminalSink } from './backend.js';
import { hostShellCommand, hostShellEnv, signalName } from './host-env.js';
import type { TermSize } from './terminal-request.js';

type PtyModule = typeof import('node-pty');

/** Loads node-pty; throws a KubelabError that says host shells (only) need it. */
export async function loadPty(): Promise<PtyModule> {
  try {
    const mod = (await import('node-pty')) as PtyModule & { default?: PtyModule };
    return typeof mod.spawn === 'function' ? mod : mod.default!;
  } catch (err) {
    throw new KubelabError(`host shells need the native module node-pty, which does not load here: ${errorMessage(err)}`, {
      hint: 'run `npm install` in the kubelab folder to build it for this Node.js; node and pod terminals work without it',
      cause: err,
    });
  }
}

/** What a host shell needs: the engine, node-pty (loaded once) and the set of PIDs the dashboard spawned. */
export interface HostShellDeps {
  engine: Engine;
  pty: () => Promise<PtyModule>;
  /** PIDs of running host shells; the shell adds its own and removes it when it ends. */
  pids: Set<number>;
  log: Logger;
}

/** The environment of a host shell for `cluster`: writes its kubeconfig (0600) and docker certificates; finds kubectl. */
export async function hostShellEnvironment(engine: Engine, cluster: string, log: Logger): Promise<Record<string, string>> {
  const dir = clusterDir(engine.home, cluster);
  const kubeconfig = join(dir, 'kubeconfig');
  const [text, docker] = await Promise.all([engine.clusters.kubeconfig(cluster), engine.clusters.dockerEnv(cluster)]);
  await mkdir(dir, { recursive: true });
  await writeFile(kubeconfig, text, { mode: 0o600 });
  await chmod(kubeconfig, 0o600);
  let prependPath: string | undefined;
  if (!onPath('kubectl')) {
    // The one `kubelab kubectl` runs, extracted once into KUBELAB_HOME/bin.
    prependPath = await clientBinary('kubectl', join(engine.home, 'bin')).then(dirname, (err: unknown) => {
      log.warn(`dashboard terminal: no kubectl for host shells: ${errorMessage(err)}`);
      return undefined;
    });
  }
  return hostShellEnv(process.env, { kubeconfig, docker: dockerEnvVars(docker, process.env), prependPath });
}

/** How long a shell has after SIGHUP before it gets SIGKILL. */
const KILL_AFTER_MS = 2000;

/** Starts the user's shell on the host for `cluster`, in its home folder. */
export async function startHostShell(deps: HostShellDeps, cluster: string, size: TermSize, sink: TerminalSink): Promise<TerminalProcess> {
  const pty = await deps.pty();
  const env = await hostShellEnvironment(deps.engine, cluster, deps.log);
  const { file, args } = hostShellCommand(env, existsSync, (name) => onPath(name, env));
  const cwd = env.HOME && existsSync(env.HOME) ? env.HOME : homedir();
  const proc = pty.spawn(file, args, { name: 'xterm-256color', cols: size.cols, rows: size.rows, cwd, env });
  const pid = proc.pid;
  deps.pids.add(pid);
  deps.log.v(1).info(`dashboard terminal: host shell ${file} (pid ${pid}) for cluster ${cluster}`);
  let exited = false;
  const gone = new Promise<void>((resolve) => {
    proc.onExit(({ exitCode, signal }) => {
      exited = true;
      deps.pids.delete(pid);
      const name = signalName(signal, constants.signals as unknown as Record<string, number>);
      sink.exit(name ? { code: exitCode, signal: name } : { code: exitCode });
      resolve();
    });
  });
  proc.onData((text) => sink.data(Buffer.from(text, 'utf8')));
  return {
    write: (data) => {
      if (!exited) proc.write(data);
    },
    resize: ({ cols, rows }) => {
      if (!exited) proc.resize(cols, rows);
    },
    pause: () => proc.pause(),
    resume: () => proc.resume(),
    end: async () => {
      if (exited) return;
      proc.kill('SIGHUP');
      const timer = setTimeout(() => {
        if (!exited) proc.kill('SIGKILL');
      }, KILL_AFTER_MS);
      await gone;
      clearTimeout(timer);
    },
  };
}
