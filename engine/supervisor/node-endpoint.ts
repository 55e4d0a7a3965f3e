// The node's HTTPS endpoint for the apiserver (port 10250, as a kubelet's): container logs of the
// processes the supervisor runs as static pods. Only the apiserver's client certificate may ask.
// The node agent of the workloads issue serves its pods' logs, exec and port-forward here too.
import { createReadStream, statSync, watch } from 'node:fs';
import { open } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { APISERVER_CLIENT_CN } from './contract.js';
import type { ProcessState } from './process.js';
import { COMPONENTS, mirrorPodName } from './static-pods.js';


function fail(res: ServerResponse, code: number, message: string): void {
  res.writeHead(code, { 'content-type': 'text/plain' });
  res.end(`${message}\n`);
}

/** The last `n` lines of a file (whole file when n is undefined). */
async function tail(file: string, n: number | undefined, limit: number | undefined): Promise<{ text: Buffer; size: number }> {
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    const want = limit ?? size;
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
    return { text: text.subarray(0, want), size };
  } finally {
    await fh.close();
  }
}

/** Serves GET /containerLogs/NAMESPACE/POD/CONTAINER?follow&tailLines&limitBytes for static pods. */
export function createNodeEndpoint(opts: { node: string; tls: { key: string; cert: string; ca: string }; processes: Array<{ state(): ProcessState }> }): Server {
  return createServer({ ...opts.tls, requestCert: true, rejectUnauthorized: true }, (req: IncomingMessage, res: ServerResponse) => {
    const cn = ((req.socket as TLSSocket).getPeerCertificate()?.subject as { CN?: string } | undefined)?.CN;
    if (cn !== APISERVER_CLIENT_CN) return fail(res, 403, `forbidden: ${cn ?? 'anonymous'} may not read logs on this node`);
    const url = new URL(req.url ?? '/', 'https://node');
    const m = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (req.method !== 'GET' || !m) return fail(res, 404, `not found: ${url.pathname}`);
    const [, namespace, pod, container] = m.map(decodeURIComponent) as [string, string, string, string];
    const proc = opts.processes.map((p) => p.state()).find((s) => namespace === 'kube-system' && mirrorPodName(s.name, opts.node) === pod);
    if (!proc) return fail(res, 404, `pod "${pod}" in namespace "${namespace}" is not running on node ${opts.node}`);
    if (COMPONENTS[proc.name] !== container) return fail(res, 400, `container ${container} is not valid for pod ${pod}`);
    if (url.searchParams.get('previous') === 'true') {
      return fail(res, 400, `previous terminated container "${container}" in pod "${pod}" not found: the log of a static pod's process is kept as one file across restarts`);
    }
    const tailLines = url.searchParams.has('tailLines') ? Math.max(0, Number(url.searchParams.get('tailLines'))) : undefined;
    const limitBytes = url.searchParams.has('limitBytes') ? Math.max(0, Number(url.searchParams.get('limitBytes'))) : undefined;
    const follow = url.searchParams.get('follow') === 'true';
    void tail(proc.logFile, tailLines, limitBytes).then(
      ({ text, size }) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write(text);
        if (!follow) return void res.end();
        // Follow: send what is appended until the client goes away.
        let offset = size;
        const pump = () => {
          let now: number;
          try {
            now = statSync(proc.logFile).size;
          } catch {
            return;
          }
          if (now < offset) offset = 0;
          if (now === offset) return;
          createReadStream(proc.logFile, { start: offset, end: now - 1 }).pipe(res, { end: false });
          offset = now;
        };
        const watcher = watch(proc.logFile, pump);
        const timer = setInterval(pump, 1000);
        res.on('close', () => {
          watcher.close();
          clearInterval(timer);
        });
      },
      (err: Error) => fail(res, 500, `cannot read the log: ${err.message}`),
    );
  });
}
