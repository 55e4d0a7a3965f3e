// The client side of the remotecommand WebSocket protocol (what `kubectl exec -it` speaks to the
// apiserver), as pure functions: the exec URL, the channel frames the terminal sends (stdin,
// resize, v5's close) and the reading of what comes back (output, the final Status and its exit
// code). The node agent serves the other side.

/** Subprotocols offered, best first: v5 adds the close channel; v4 is the fallback. */
export const EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

/** Channel numbers: the first byte of every binary message. */
export const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

/** The command a pod terminal runs: bash where the image has it, else sh. */
export const POD_SHELL = ['sh', '-c', 'command -v bash >/dev/null && exec bash || exec sh'];

/** The apiserver path of an interactive exec (stdin, stdout, tty; stderr merges into the tty) of `command` in a container. */
export function execPath(namespace: string, pod: string, container: string, command: string[]): string {
  const q = new URLSearchParams({ container });
  for (const c of command) q.append('command', c);
  q.set('stdin', 'true');
  q.set('stdout', 'true');
  q.set('tty', 'true');
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/exec?${q.toString()}`;
}

/** A stdin message carrying `data`. */
export function stdinFrame(data: Buffer): Buffer {
  return Buffer.concat([Buffer.from([CHANNEL.stdin]), data]);
}

/** A resize message: the terminal is now `cols` × `rows`. */
export function resizeFrame(cols: number, rows: number): Buffer {
  return Buffer.concat([Buffer.from([CHANNEL.resize]), Buffer.from(JSON.stringify({ Width: cols, Height: rows }))]);
}

/** v5's "no more stdin" message. */
export function closeStdinFrame(): Buffer {
  return Buffer.from([CHANNEL.close, CHANNEL.stdin]);
}

/** How an exec ended: an exit code, or an error that says why there is none. */
export interface ExecExit {
  code?: number;
  error?: string;
}

/** What one message from the server means. */
export type ExecEvent = { kind: 'output'; data: Buffer } | { kind: 'exit'; exit: ExecExit } | { kind: 'ignore' };

/** Reads the metav1.Status of the error channel: Success → 0, NonZeroExitCode → its code, anything else → its message. */
export function exitFromStatus(text: string): ExecExit {
  let status: { status?: unknown; message?: unknown; reason?: unknown; details?: { causes?: Array<{ reason?: unknown; message?: unknown }> } };
  try {
    status = JSON.parse(text) as typeof status;
  } catch {
    return { error: text.trim() || 'the command ended with an unreadable status' };
  }
  if (status.status === 'Success') return { code: 0 };
  if (status.reason === 'NonZeroExitCode') {
    const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
    const code = Number(cause?.message);
    if (Number.isInteger(code)) return { code };
  }
  return { error: typeof status.message === 'string' && status.message ? status.message : 'the command failed' };
}

/** Reads one binary message from the server. */
export function parseExecMessage(msg: Buffer): ExecEvent {
  if (msg.length === 0) return { kind: 'ignore' };
  const data = msg.subarray(1);
  switch (msg[0]) {
    case CHANNEL.stdout:
    case CHANNEL.stderr:
      return data.length ? { kind: 'output', data } : { kind: 'ignore' };
    case CHANNEL.error:
      return { kind: 'exit', exit: exitFromStatus(data.toString('utf8')) };
    default:
      return { kind: 'ignore' };
  }
}

/** The message of a refused exec handshake: the apiserver's Status message when the body is one, else the text. */
export function refusalMessage(status: number, body: string): string {
  try {
    const parsed = JSON.parse(body) as { kind?: unknown; message?: unknown };
    if (parsed.kind === 'Status' && typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not JSON: the plain text below
  }
  const text = body.trim();
  return text ? text : `the API server refused the exec (HTTP ${status})`;
}
