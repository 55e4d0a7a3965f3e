import type Docker from 'dockerode';
import { isEngineUnreachable, KubelabError, errorMessage } from '../errors.js';
import { engineUnreachable } from '../docker/connect.js';
import type { Progress } from '../log/progress.js';

/** One message of Docker's JSON build/import stream. */
interface BuildMessage {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/** Follows the build log: remembers the current step and its output, so a failure can show both. */
export class BuildLog {
  private stepLine = '';
  private stepOutput: string[] = [];

  /** Feeds one message; returns the visible lines it carried. */
  push(msg: BuildMessage): string[] {
    const text = msg.stream ?? msg.status ?? '';
    const lines = text.split('\n').map((l) => l.trimEnd()).filter((l) => l.length > 0);
    for (const line of lines) {
      if (/^Step \d+\/\d+ :/.test(line)) {
        this.stepLine = line;
        this.stepOutput = [];
      } else if (!/^ ---> /.test(line)) {
        this.stepOutput.push(line);
        if (this.stepOutput.length > 60) this.stepOutput.shift();
      }
    }
    return lines;
  }

  /** The error for a failed build of `what`. */
  failure(what: string, error: string): KubelabError {
    const step = this.stepLine.length > 90 ? `${this.stepLine.slice(0, 89)}…` : this.stepLine;
    const reason = error.trim().replace(/^The command '.*' returned/s, 'the command returned');
    return new KubelabError(`${what} build failed${step ? ` at ${step}` : ''}: ${reason}`, {
      details: this.stepOutput.join('\n'),
      hint: 'the failing step\'s output is above; fix the cause (network, disk space, the Dockerfile) and run the command again',
    });
  }
}

/** Runs `docker build` from a tar context, streaming lines as progress under `stepName`; throws with the failing step's output. */
export async function buildImage(
  docker: Docker,
  context: NodeJS.ReadableStream,
  opts: { tag: string; dockerfile: string; buildargs?: Record<string, string>; labels: Record<string, string> },
  what: string,
  progress: Progress,
  stepName: string,
): Promise<void> {
  const log = new BuildLog();
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.buildImage(context, {
      t: opts.tag,
      dockerfile: opts.dockerfile,
      buildargs: opts.buildargs,
      labels: opts.labels,
      rm: true,
      forcerm: true,
    });
  } catch (err) {
    if (isEngineUnreachable(err)) throw engineUnreachable(err);
    throw log.failure(what, errorMessage(err));
  }
  await followStream(docker, stream, (msg) => {
    if (msg.error) throw log.failure(what, msg.errorDetail?.message ?? msg.error);
    for (const line of log.push(msg)) progress({ step: stepName, status: 'info', message: line });
  }).catch((err) => {
    if (err instanceof KubelabError) throw err;
    if (isEngineUnreachable(err)) throw engineUnreachable(err);
    throw log.failure(what, errorMessage(err));
  });
}

/** Reads a Docker JSON progress stream to its end, handing each message to `onMessage` (which may throw). */
export function followStream(docker: Docker, stream: NodeJS.ReadableStream, onMessage: (m: BuildMessage) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let failed: unknown;
    docker.modem.followProgress(
      stream,
      (err: unknown) => (failed ?? err ? reject(failed ?? err) : resolve()),
      (msg: BuildMessage) => {
        if (failed) return;
        try {
          onMessage(msg);
        } catch (e) {
          failed = e;
        }
      },
    );
  });
}

/** True when an image with this reference exists on the engine. */
export async function imageExists(docker: Docker, ref: string): Promise<boolean> {
  try {
    await docker.getImage(ref).inspect();
    return true;
  } catch (err) {
    if (isEngineUnreachable(err)) throw engineUnreachable(err);
    return false;
  }
}
