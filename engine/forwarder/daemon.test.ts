// The forwarder daemon against a small fake apiserver (HTTPS, list + watch of Services, status
// patches, Events) and the real port tunnel. The "node" listens on 127.0.0.2, so its port number
// is free on 127.0.0.1 for the forwarder, as a node port is on the host (Linux: all of 127/8 is loopback).
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttps, type Server as HttpsServer } from 'node:https';
import type { ServerResponse } from 'node:http';
import { connect as tcpConnect, createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server as TlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClusterPki, savePki } from '../certs/cluster-pki.js';
import { mintServingCert } from '../client/credentials.js';
import { createLogger } from '../log/logger.js';
import { createTunnelServer } from '../tunnel/server.js';
import { ForwarderDaemon } from './daemon.js';
import type { Service } from './plan.js';
import { forwarderFiles, readStatus } from './status-file.js';

const listen = (server: Server | TlsServer | HttpsServer, host = '127.0.0.1') => new Promise<number>((resolve) => server.listen(0, host, () => resolve((server.address() as AddressInfo).port)));
const until = async (what: string, check: () => boolean | Promise<boolean>, ms = 5000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};
const ask = (port: number) =>
  new Promise<string>((resolve, reject) => {
    const s = tcpConnect({ host: '127.0.0.1', port, allowHalfOpen: true }, () => s.end('ping'));
    let got = '';
    s.on('data', (c: Buffer) => (got += c.toString()));
    s.on('end', () => resolve(got));
    s.on('error', reject);
  });

describe.skipIf(process.platform !== 'linux')('forwarder daemon', () => {
  let home: string;
  let api: HttpsServer;
  let tunnel: TlsServer;
  let node: Server;
  let nodePort: number;
  let lbPort: number;
  let squatter: Server;
  let apiPort: number;
  let tunnelPort: number;
  let watch: ServerResponse | undefined;
  const patches: Array<{ path: string; body: unknown }> = [];
  const events: Array<{ reason: string; message: string }> = [];
  let services: Service[];

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'kubelab-fwd-home-'));
    const pki = createClusterPki(['127.0.0.1']);
    await savePki(join(home, 'clusters', 'dev', 'pki'), pki);
    const serving = mintServingCert(pki.ca, ['127.0.0.1']);
    node = createServer({ allowHalfOpen: true }, (s) => s.on('data', () => undefined).on('end', () => s.end('pong')));
    nodePort = await listen(node, '127.0.0.2');
    squatter = createServer();
    lbPort = await listen(squatter); // held by 'another program' for the whole test
    tunnel = createTunnelServer({ tls: { key: serving.key, cert: serving.cert, ca: pki.ca.cert }, targetHost: '127.0.0.2', say: () => undefined });
    tunnelPort = await listen(tunnel);
    api = createHttps({ key: serving.key, cert: serving.cert, ca: pki.ca.cert, requestCert: true, rejectUnauthorized: true }, (req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'https://x');
        if (req.method === 'GET' && url.pathname === '/api/v1/services' && url.searchParams.get('watch')) {
          res.writeHead(200, { 'content-type': 'application/json' });
          watch = res;
          return;
        }
        if (req.method === 'GET' && url.pathname === '/api/v1/services') return void res.end(JSON.stringify({ metadata: { resourceVersion: '1' }, items: services }));
        if (req.method === 'PATCH') patches.push({ path: url.pathname, body: JSON.parse(body) });
        if (req.method === 'POST' && url.pathname.endsWith('/events')) events.push(JSON.parse(body));
        res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    apiPort = await listen(api);
  });

  afterAll(async () => {
    watch?.destroy();
    api.closeAllConnections();
    api.close();
    tunnel.close();
    node.close();
    squatter.close();
    await rm(home, { recursive: true, force: true });
  });

  it('forwards Services\' ports, reports them, sets LoadBalancer ingress, and ends when the cluster is gone', async () => {
    // The squatter holds lbPort, so that LoadBalancer port fails while its node port works.
    services = [
      { metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '1' }, spec: { type: 'LoadBalancer', ports: [{ port: lbPort, nodePort }] } },
    ];
    const files = forwarderFiles(home, 'dev');
    await mkdir(files.dir, { recursive: true });
    await writeFile(files.pidFile, `${process.pid}\n`);
    const daemon = new ForwarderDaemon({
      home,
      cluster: 'dev',
      pkiDir: join(home, 'clusters', 'dev', 'pki'),
      locate: async () => ({ state: 'running', apiPort, tunnelPort }),
      log: createLogger(() => undefined),
      checkMs: 100,
    });
    const running = daemon.run();

    await until('the node port to be forwarded', async () => (await readStatus(files.statusFile))?.forwarded.length === 1);
    expect(await ask(nodePort)).toBe('pong');
    const status = (await readStatus(files.statusFile))!;
    expect(status).toMatchObject({ pid: process.pid, cluster: 'dev', watching: true, forwarded: [{ hostPort: nodePort, nodePort, service: 'default/web', via: 'NodePort' }] });
    expect(status.failed).toEqual([{ hostPort: lbPort, service: 'default/web', error: `host port 127.0.0.1:${lbPort} is in use by another program`, since: expect.any(String) }]);
    await until('the HostPortInUse event', () => events.some((e) => e.reason === 'HostPortInUse'));
    expect(events.find((e) => e.reason === 'HostPortInUse')!.message).toContain(`127.0.0.1:${lbPort}`);
    expect(patches).toEqual([]); // its load-balancer port is not served: no ingress

    // A second LoadBalancer on a free port: served, so its ingress is the host's loopback.
    const free = createServer();
    const lb2 = await listen(free);
    await new Promise((r) => free.close(r));
    const added: Service = { metadata: { name: 'lb2', namespace: 'default', uid: 'u2', resourceVersion: '2' }, spec: { type: 'LoadBalancer', ports: [{ port: lb2, nodePort }] } };
    watch!.write(`${JSON.stringify({ type: 'ADDED', object: added })}\n`);
    await until('the LoadBalancer port', async () => (await readStatus(files.statusFile))?.forwarded.some((f) => f.hostPort === lb2) ?? false);
    expect(await ask(lb2)).toBe('pong');
    await until('the ingress patch', () => patches.length > 0);
    expect(patches[0]).toEqual({ path: '/api/v1/namespaces/default/services/lb2/status', body: { status: { loadBalancer: { ingress: [{ ip: '127.0.0.1', ipMode: 'VIP' }] } } } });

    watch!.write(`${JSON.stringify({ type: 'DELETED', object: { ...added, metadata: { ...added.metadata, resourceVersion: '3' } } })}\n`);
    await until('the LoadBalancer port to close', async () => !(await readStatus(files.statusFile))?.forwarded.some((f) => f.hostPort === lb2));
    await expect(ask(lb2)).rejects.toThrow(/ECONNREFUSED/);

    await rm(files.dir, { recursive: true, force: true });
    await running;
    await expect(ask(nodePort)).rejects.toThrow(/ECONNREFUSED/);
    expect(existsSync(files.statusFile)).toBe(false);
  }, 20_000);
});
