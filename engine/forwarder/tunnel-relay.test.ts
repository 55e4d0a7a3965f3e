// The forwarder's listeners and the node's port tunnel against each other over real loopback
// sockets and real TLS certificates from a fresh cluster CA; a local TCP server stands for the node port.
import { connect as tcpConnect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { connect as tlsConnect, type Server as TlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClusterPki, type ClusterPki } from '../certs/cluster-pki.js';
import { mintClientCert, mintServingCert } from '../client/credentials.js';
import { openTunnel, type TunnelEndpoint } from '../tunnel/client.js';
import { readLine } from '../tunnel/relay.js';
import { createTunnelServer } from '../tunnel/server.js';
import type { HostListener } from './plan.js';
import { PortForwarder } from './port-forwarder.js';

const listen = (server: Server | TlsServer) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
const freePort = async () => {
  const s = createServer();
  const port = await listen(s);
  await new Promise((r) => s.close(r));
  return port;
};

/** Connects, writes `data`, half-closes, and collects everything until the other side ends. */
function exchange(port: number, data: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = tcpConnect({ host: '127.0.0.1', port, allowHalfOpen: true }, () => s.end(data));
    let got = '';
    s.setEncoding('utf8');
    s.on('data', (c: string) => (got += c));
    s.on('end', () => resolve(got));
    s.on('error', reject);
  });
}

const listener = (hostPort: number, nodePort: number): HostListener => ({ hostPort, nodePort, service: 'default/web', portName: 'http', via: 'NodePort' });

describe('forwarder through the port tunnel', () => {
  let pki: ClusterPki;
  let tunnel: TlsServer;
  let endpoint: TunnelEndpoint;
  let nodePort: number;
  let node: Server;
  const said: string[] = [];

  beforeAll(async () => {
    pki = createClusterPki(['127.0.0.1']);
    const serving = mintServingCert(pki.ca, ['localhost', '127.0.0.1']);
    tunnel = createTunnelServer({ tls: { key: serving.key, cert: serving.cert, ca: pki.ca.cert }, targetHost: '127.0.0.1', say: (l) => said.push(l), requestTimeoutMs: 2000 });
    endpoint = { host: '127.0.0.1', port: await listen(tunnel), ca: pki.ca.cert, cert: pki.admin.cert, key: pki.admin.key };
    // The "node port": reads until the client half-closes, then answers with what it got and ends.
    node = createServer({ allowHalfOpen: true }, (s) => {
      let got = '';
      s.setEncoding('utf8');
      s.on('data', (c: string) => (got += c));
      s.on('end', () => s.end(`node got ${got.length} bytes: ${got}`));
    });
    nodePort = await listen(node);
  });

  afterAll(async () => {
    tunnel.close();
    node.close();
  });

  it('relays a connection to the node port both ways, with half-close', async () => {
    const hostPort = await freePort();
    const fwd = new PortForwarder({ dial: (p) => openTunnel(endpoint, p), say: (l) => said.push(l) });
    try {
      await fwd.update(new Map([[hostPort, listener(hostPort, nodePort)]]));
      expect(fwd.bound()).toEqual(new Set([hostPort]));
      expect(await exchange(hostPort, 'hello')).toBe('node got 5 bytes: hello');
      const big = 'x'.repeat(300_000);
      expect(await exchange(hostPort, big)).toBe(`node got 300000 bytes: ${big}`);
      expect(fwd.snapshot()).toEqual({ forwarded: [listener(hostPort, nodePort)], failed: [] });
    } finally {
      fwd.close();
    }
  });

  it('closes the host port when the Service goes away', async () => {
    const hostPort = await freePort();
    const fwd = new PortForwarder({ dial: (p) => openTunnel(endpoint, p), say: () => undefined });
    await fwd.update(new Map([[hostPort, listener(hostPort, nodePort)]]));
    await fwd.update(new Map());
    expect(fwd.bound().size).toBe(0);
    await expect(exchange(hostPort, 'x')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('reports a host port another program holds, and takes it once freed', async () => {
    const squatter = createServer();
    const hostPort = await listen(squatter);
    const changes: Array<string | undefined> = [];
    const fwd = new PortForwarder({ dial: (p) => openTunnel(endpoint, p), say: () => undefined, retryMs: 100, onChange: (_l, err) => changes.push(err) });
    try {
      await fwd.update(new Map([[hostPort, listener(hostPort, nodePort)]]));
      expect(fwd.bound().size).toBe(0);
      expect(fwd.snapshot().failed).toEqual([{ hostPort, service: 'default/web', error: `host port 127.0.0.1:${hostPort} is in use by another program`, since: expect.any(String) }]);
      expect(changes).toEqual([`host port 127.0.0.1:${hostPort} is in use by another program`]);
      await new Promise((r) => squatter.close(r));
      for (let i = 0; i < 50 && !fwd.bound().has(hostPort); i++) await new Promise((r) => setTimeout(r, 50));
      expect(fwd.bound()).toEqual(new Set([hostPort]));
      expect(changes).toEqual([expect.any(String), undefined]);
      expect(await exchange(hostPort, 'again')).toBe('node got 5 bytes: again');
    } finally {
      fwd.close();
      squatter.close();
    }
  });

  it('answers ERR when nothing listens on the node port', async () => {
    const closed = await freePort();
    await expect(openTunnel(endpoint, closed)).rejects.toThrow(new RegExp(`node port ${closed}: cannot connect to 127.0.0.1:${closed}: .*ECONNREFUSED`));
  });

  it('lets only cluster admins in', async () => {
    const nodeCert = mintClientCert(pki.ca, 'system:node:dev-worker', ['system:nodes']);
    await expect(openTunnel({ ...endpoint, cert: nodeCert.cert, key: nodeCert.key }, nodePort)).rejects.toThrow(/may not open port tunnels/);
    const stranger = createClusterPki(['127.0.0.1']); // another CA's admin
    await expect(openTunnel({ ...endpoint, cert: stranger.admin.cert, key: stranger.admin.key }, nodePort)).rejects.toThrow(/port tunnel at 127\.0\.0\.1/);
  });

  it('refuses UDP with a clear line', async () => {
    const socket = tlsConnect({ host: '127.0.0.1', port: endpoint.port, ca: pki.ca.cert, cert: pki.admin.cert, key: pki.admin.key });
    await new Promise((r) => socket.once('secureConnect', r));
    socket.write('CONNECT UDP 30053\n');
    const { line } = await readLine(socket as unknown as Socket, 2000);
    socket.destroy();
    expect(line).toBe('ERR UDP is not carried by the port tunnel (TCP only)');
  });
});
