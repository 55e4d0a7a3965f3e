import type { Engine } from '../../engine/index.js';

/** Runs `docker ARGS` on a node's nested runtime; throws with its output when it fails. */
export async function nested(engine: Engine, node: string, args: string[]): Promise<string> {
  const r = await engine.provider.exec(node, ['docker', ...args]);
  if (r.exitCode !== 0) throw new Error(`docker ${args.join(' ')} on ${node} exited ${r.exitCode}: ${r.stderr}${r.stdout}`);
  return r.stdout.trim();
}

/** Copies an image from the host engine into a node's nested runtime (docker save | docker load). */
export async function loadImage(engine: Engine, node: string, ref: string): Promise<void> {
  const tar = await engine.docker.getImage(ref).get();
  const r = await engine.provider.exec(node, ['docker', 'load'], { stdin: tar });
  if (r.exitCode !== 0) throw new Error(`docker load on ${node} failed: ${r.stderr}`);
}

/** Starts a busybox HTTP server on `node` whose /cgi-bin/ip answers with the caller's address; returns its IP. */
export async function startEchoServer(engine: Engine, node: string, image: string, name = 'echo'): Promise<string> {
  const script = [
    'mkdir -p /www/cgi-bin',
    'printf "#!/bin/sh\\necho Content-Type: text/plain\\necho\\necho \\$REMOTE_ADDR\\n" > /www/cgi-bin/ip',
    'chmod +x /www/cgi-bin/ip',
    'exec httpd -f -p 8080 -h /www',
  ].join(' && ');
  await nested(engine, node, ['run', '-d', '--name', name, '--label', 'io.kubelab.test=echo', image, 'sh', '-c', script]);
  return nested(engine, node, ['inspect', '-f', '{{.NetworkSettings.IPAddress}}', name]);
}

/** Starts an idle busybox container on `node` to send requests from; returns its IP. */
export async function startClient(engine: Engine, node: string, image: string, name = 'client'): Promise<string> {
  await nested(engine, node, ['run', '-d', '--name', name, '--label', 'io.kubelab.test=client', image, 'sleep', '3600']);
  return nested(engine, node, ['inspect', '-f', '{{.NetworkSettings.IPAddress}}', name]);
}

/** Asks the echo server at `ip` from container `client` on `node`; returns the address the server saw. */
export async function askEcho(engine: Engine, node: string, ip: string, client = 'client'): Promise<string> {
  const cmd = `printf "GET /cgi-bin/ip HTTP/1.0\\r\\n\\r\\n" | nc -w 5 ${ip} 8080`;
  const out = await nested(engine, node, ['exec', client, 'sh', '-c', cmd]);
  const seen = /(\d+\.\d+\.\d+\.\d+)\]?\s*$/.exec(out.trim());
  if (!seen?.[1]) throw new Error(`no address in the echo server's answer: ${out}`);
  return seen[1];
}
