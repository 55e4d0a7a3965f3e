import { readFile } from 'node:fs/promises';
import { EtcdClient } from '../store/etcd-client.js';
import { Storage } from '../store/storage.js';
import { mintClientCert } from '../client/credentials.js';
import { APISERVER_CLIENT_CN, APISERVER_PORT, ETCD_CLIENT_URL, PKI_DIR } from '../supervisor/contract.js';
import { createApiServer } from './server.js';

/** Runs the apiserver inside the control-plane node: TLS from the node's PKI, etcd on loopback, port 6443. */
export async function runApiServer(): Promise<void> {
  const say = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  const read = (n: string) => readFile(`${PKI_DIR}/${n}`, 'utf8');
  const tls = { key: await read('apiserver.key'), cert: await read('apiserver.crt'), ca: await read('ca.crt') };
  const etcd = new EtcdClient(ETCD_CLIENT_URL);
  for (let attempt = 0; ; attempt++) {
    try {
      await etcd.range({ key: '/registry/', prefix: true, countOnly: true });
      break;
    } catch (err) {
      if (attempt % 20 === 0) say(`waiting for etcd: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  // The client certificate towards node endpoints is minted at start from the cluster CA.
  const nodeClient = mintClientCert({ cert: tls.ca, key: await read('ca.key') }, APISERVER_CLIENT_CN, []);
  const evictionSeconds = Number(process.env.KUBELAB_EVICTION_SECONDS);
  const defaultTolerationSeconds = process.env.KUBELAB_EVICTION_SECONDS && Number.isInteger(evictionSeconds) && evictionSeconds >= 0 ? evictionSeconds : undefined;
  const advertise = process.env.KUBELAB_NODE_IP ? { address: process.env.KUBELAB_NODE_IP, port: APISERVER_PORT } : undefined;
  const server = await createApiServer({ storage: new Storage(etcd), tls, log: say, nodeClient, defaultTolerationSeconds, advertise });
  server.listen(APISERVER_PORT, '0.0.0.0', () => say(`apiserver listening on :${APISERVER_PORT}`));
  // Watches and keep-alive connections never end by themselves: close them rather than wait.
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
