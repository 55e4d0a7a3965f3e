// An in-process apiserver on a real etcd (on the host), with an admin kubeconfig for real kubectl.
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:https';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiServer } from '../../engine/apiserver/server.js';
import { SharedInformers } from '../../engine/client/informer.js';
import { RestClient } from '../../engine/client/rest-client.js';
import { runNamespaceDefaults } from '../../engine/controllers/manager.js';
import { nullLogger } from '../../engine/log/logger.js';
import { createCertificate, issuerFrom, type KeyPair } from '../../engine/certs/x509.js';
import { EtcdClient } from '../../engine/store/etcd-client.js';
import { Storage } from '../../engine/store/storage.js';
import { startEtcd, type TestEtcd } from './etcd.js';
import { writeKubeconfig } from './kubectl.js';

/** A running test apiserver. */
export interface TestApiServer {
  port: number;
  /** Path of an admin (system:masters) kubeconfig. */
  kubeconfig: string;
  /** Scratch directory removed by stop(). */
  dir: string;
  ca: KeyPair;
  admin: KeyPair;
  /** The apiserver's storage, to check what was really stored. */
  storage: Storage;
  /** Issues a client certificate for another user. */
  clientCert(user: string, groups: string[]): KeyPair;
  /** A raw HTTPS request, as a client without kubectl would make it (admin unless `cert` is given; `cert: null` for none). */
  raw(method: string, path: string, opts?: { body?: string | Buffer; cert?: KeyPair | null; contentType?: string; accept?: string }): Promise<{ code: number; body: string; headers: Record<string, unknown> }>;
  stop(): Promise<void>;
}

/** What a test apiserver runs besides the apiserver itself. */
export interface TestApiServerOptions {
  /**
   * Run the namespace-defaults controller in-process (default true), so every namespace gets its
   * `default` ServiceAccount and kube-root-ca.crt as in a real cluster; pods need the account.
   */
  namespaceDefaults?: boolean;
  /** The apiserver's default not-ready/unreachable tolerationSeconds. */
  defaultTolerationSeconds?: number;
  /** Port of node endpoints: given, the apiserver gets a node client certificate and serves pods' log, exec, attach and portforward. */
  nodeEndpointPort?: number;
}

/** Starts etcd and an apiserver on 127.0.0.1 with a fresh CA (and the namespace-defaults controller unless turned off). */
export async function startTestApiServer(opts: TestApiServerOptions = {}): Promise<TestApiServer> {
  const dir = mkdtempSync(join(tmpdir(), 'kubelab-api-'));
  const etcd: TestEtcd = await startEtcd();
  const client = new EtcdClient(etcd.endpoint);
  const ca = createCertificate({ commonName: 'kubelab-ca', usage: 'ca' });
  const issuer = issuerFrom(ca, 'kubelab-ca');
  const serving = createCertificate({ commonName: 'kube-apiserver', usage: 'server', altNames: ['localhost', '127.0.0.1'] }, issuer);
  const admin = createCertificate({ commonName: 'kubelab-admin', organizations: ['system:masters'], usage: 'client' }, issuer);
  const storage = new Storage(client);
  const nodeClient = opts.nodeEndpointPort ? createCertificate({ commonName: 'kube-apiserver-kubelet-client', usage: 'client' }, issuer) : undefined;
  const server: Server = await createApiServer({ storage, tls: { key: serving.key, cert: serving.cert, ca: ca.cert }, defaultTolerationSeconds: opts.defaultTolerationSeconds, nodeClient, nodeEndpointPort: opts.nodeEndpointPort });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  let controllers: { client: RestClient; informers: SharedInformers } | undefined;
  if (opts.namespaceDefaults !== false) {
    const client = new RestClient({ server: `https://127.0.0.1:${port}`, ca: ca.cert, cert: admin.cert, key: admin.key, userAgent: 'kube-controller-manager' });
    const informers = new SharedInformers(client);
    controllers = { client, informers };
    void runNamespaceDefaults(client, informers, ca.cert, nullLogger).catch(() => {});
    await informers.waitForSync();
  }
  const kubeconfig = writeKubeconfig(dir, `https://127.0.0.1:${port}`, ca.cert, admin);
  return {
    port,
    kubeconfig,
    dir,
    ca,
    admin,
    storage,
    clientCert: (user, groups) => createCertificate({ commonName: user, organizations: groups, usage: 'client' }, issuer),
    raw: (method, path, opts = {}) =>
      new Promise((resolve, reject) => {
        const cert = opts.cert === undefined ? admin : opts.cert;
        const req = request(
          {
            host: '127.0.0.1', port, method, path, ca: ca.cert, servername: 'localhost',
            ...(cert ? { cert: cert.cert, key: cert.key } : {}),
            headers: {
              'content-type': opts.contentType ?? 'application/json',
              ...(opts.accept ? { accept: opts.accept } : {}),
              ...(opts.body !== undefined ? { 'content-length': String(Buffer.byteLength(opts.body)) } : {}),
            },
          },
          (res) => {
            let body = '';
            res.on('data', (d) => (body += d));
            res.on('end', () => resolve({ code: res.statusCode ?? 0, body, headers: res.headers }));
          },
        );
        req.on('error', reject);
        req.end(opts.body);
      }),
    async stop() {
      if (controllers) {
        await controllers.informers.stop();
        controllers.client.close();
      }
      server.closeAllConnections();
      server.close();
      client.close();
      await etcd.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
