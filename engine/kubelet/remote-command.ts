// The remotecommand WebSocket protocol (v5.channel.k8s.io, v4.channel.k8s.io) kubectl speaks for
// exec and attach: every binary message starts with its channel byte (0 stdin, 1 stdout,
// 2 stderr, 3 error: a metav1.Status once the command ended, 4 resize: {"Width","Height"},
// 255 close: v5's "no more data on channel N"). Pure parts here; the Docker side is exec-attach.ts.

/** The subprotocols served, best first. */
export const REMOTE_COMMAND_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

/** Channel numbers. */
export const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

/** What an exec or attach request asks for. */
export interface RemoteCommand {
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

const flag = (q: URLSearchParams, name: string) => ['1', 'true', 'True', 'TRUE', 't'].includes(q.get(name) ?? '');

/** Reads an exec or attach query (command=…&stdin=…&stdout=…&stderr=…&tty=…); throws with kubelet's message when it is unusable. */
export function parseRemoteCommand(query: URLSearchParams, kind: 'exec' | 'attach'): RemoteCommand {
  const cmd: RemoteCommand = { command: query.getAll('command'), stdin: flag(query, 'stdin'), stdout: flag(query, 'stdout'), stderr: flag(query, 'stderr'), tty: flag(query, 'tty') };
  if (!cmd.stdin && !cmd.stdout && !cmd.stderr) throw new Error('you must specify at least 1 of stdin, stdout, stderr');
  if (kind === 'exec' && cmd.command.length === 0) throw new Error('you must specify at least one command for the container');
  // With a TTY the terminal merges stderr into stdout.
  if (cmd.tty) cmd.stderr = false;
  return cmd;
}

/** The first offered subprotocol this server speaks, or undefined. */
export function pickProtocol(offered: string[], served: string[] = REMOTE_COMMAND_PROTOCOLS): string | undefined {
  return offered.find((p) => served.includes(p));
}

/** A message on `channel`. */
export function channelMessage(channel: number, data: Buffer | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data) : data;
  return Buffer.concat([Buffer.from([channel]), body]);
}

/** The metav1.Status sent on the error channel when the command ended with `exitCode` (or failed to run: `error`). */
export function exitStatus(result: { exitCode: number | null; error?: string }, command: string[]): Record<string, unknown> {
  if (result.error) return { metadata: {}, status: 'Failure', message: result.error, reason: 'InternalError', code: 500 };
  if (result.exitCode === null) return { metadata: {}, status: 'Failure', message: 'the command ended but its exit code is unknown', reason: 'InternalError', code: 500 };
  if (result.exitCode === 0) return { metadata: {}, status: 'Success' };
  const code = String(result.exitCode);
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: code }] },
  };
}

/** A resize message's size, or undefined when it is not valid JSON with positive Width and Height. */
export function parseResize(data: Buffer): { width: number; height: number } | undefined {
  try {
    const { Width, Height } = JSON.parse(data.toString()) as { Width?: unknown; Height?: unknown };
    if (typeof Width !== 'number' || typeof Height !== 'number' || Width <= 0 || Height <= 0) return undefined;
    return { width: Width, height: Height };
  } catch {
    return undefined;
  }
}
