// Logs of the control plane's static pods: their processes write plain log files, which the node
// endpoint serves with tailLines, limitBytes and follow.
import { createReadStream, statSync, watch } from 'node:fs';
import { open } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import type { LogOptions } from './log-options.js';

/** The last `n` lines of a file (whole file when n is undefined), cut at `limit` bytes; and the file's size. */
async function tail(file: string, n: number | undefined, limit: number | undefined): Promise<{ text: Buffer; size: number }> {
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    // Read at most the last 4 MiB for tails; enough for any sane tailLines.
    const from = n === undefined ? 0 : Math.max(0, size - 4 * 1024 * 1024);
    const buf = Buffer.alloc(size - from);
    await fh.read(buf, 0, buf.length, from);
    let text = buf;
    if (n !== undefined) {
      const lines = buf.toString('utf8').split('\n');
      if (lines.at(-1) === '') lines.pop();
      text = Buffer.from(lines.slice(Math.max(0, lines.length - n)).map((l) => `${l}\n`).join(''));
    }
    return { text: text.subarray(0, limit ?? text.length), size };
  } finally {
    await fh.close();
  }
}

/** Streams a static pod's log file to `res`: its tail, then (follow) what is appended until the client goes away. */
export async function serveStaticLog(res: ServerResponse, file: string, opts: LogOptions): Promise<void> {
  const { text, size } = await tail(file, opts.tailLines, opts.limitBytes);
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.write(text);
  if (!opts.follow || (opts.limitBytes !== undefined && text.length >= opts.limitBytes)) return void res.end();
  let offset = size;
  const pump = () => {
    let now: number;
    try {
      now = statSync(file).size;
    } catch {
      return;
    }
    if (now < offset) offset = 0;
    if (now === offset) return;
    createReadStream(file, { start: offset, end: now - 1 }).pipe(res, { end: false });
    offset = now;
  };
  const watcher = watch(file, pump);
  const timer = setInterval(pump, 1000);
  res.on('close', () => {
    watcher.close();
    clearInterval(timer);
  });
}
