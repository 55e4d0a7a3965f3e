// A login shell inside a node container (as `kubelab node shell NODE` opens), through the node
// provider's interactive exec.
import { nodeNamed } from '../../cluster/docker-env.js';
import { KubelabError } from '../../errors.js';
import type { Engine } from '../../index.js';
import type { TerminalProcess, TerminalSink } from './backend.js';
import { TerminalRequestError, type TermSize } from './terminal-request.js';

/** The command a node terminal runs. */
export const NODE_SHELL = ['bash', '-l'];

/** Starts `bash -l` in node `node` of `cluster`; throws TerminalRequestError for an unknown or stopped node. */
export async function startNodeShell(engine: Engine, cluster: string, node: string, size: TermSize, sink: TerminalSink): Promise<TerminalProcess> {
  const nodes = await engine.provider.listNodes(cluster);
  if (nodes.length === 0) throw new TerminalRequestError(`cluster "${cluster}" does not exist`, 'see the clusters with `kubelab list`');
  let found;
  try {
    found = nodeNamed(cluster, nodes, node);
  } catch (err) {
    throw new TerminalRequestError((err as KubelabError).message, (err as KubelabError).hint);
  }
  if (found.state !== 'running') throw new TerminalRequestError(`node "${found.name}" is ${found.state}`, `start its cluster first: \`kubelab start --name ${cluster}\``);
  const session = await engine.provider.execInteractive(found.name, NODE_SHELL, { rows: size.rows, cols: size.cols });
  const stream = session.stream;
  let ended = false;
  let closed = false;
  const gone = new Promise<void>((resolve) => {
    const finish = () => {
      if (ended) return;
      ended = true;
      resolve();
      if (closed) return sink.exit({});
      session.exitCode().then(
        (code) => sink.exit(code >= 0 ? { code } : {}),
        () => sink.exit({}),
      );
    };
    stream.on('end', finish);
    stream.on('close', finish);
    stream.on('error', finish);
  });
  stream.on('data', (chunk: Buffer) => sink.data(chunk));
  return {
    write: (data) => {
      if (!ended) stream.write(data);
    },
    resize: (s) => void session.resize({ rows: s.rows, cols: s.cols }),
    pause: () => stream.pause(),
    resume: () => stream.resume(),
    end: async () => {
      if (ended) return;
      closed = true;
      stream.destroy();
      await gone;
    },
  };
}
