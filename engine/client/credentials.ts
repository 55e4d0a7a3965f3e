// Credentials of the control plane's own components: client certificates minted at start from
// the cluster CA kept on the control-plane node, and a serving certificate for their health port.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import { CA_NAME } from '../certs/cluster-pki.js';
import { createCertificate, issuerFrom, type KeyPair } from '../certs/x509.js';
import { APISERVER_PORT, PKI_DIR } from '../supervisor/contract.js';
import type { RestConfig } from './rest-client.js';

/** The cluster CA from the control-plane node's PKI folder. */
export async function clusterCa(dir = PKI_DIR): Promise<KeyPair> {
  return { cert: await readFile(`${dir}/ca.crt`, 'utf8'), key: await readFile(`${dir}/ca.key`, 'utf8') };
}

/** A client certificate for `user` in `groups`, signed by the cluster CA. */
export function mintClientCert(ca: KeyPair, user: string, groups: string[]): KeyPair {
  return createCertificate({ commonName: user, organizations: groups, usage: 'client' }, issuerFrom(ca, CA_NAME));
}

/** A serving certificate for `names` (host names and IPs), signed by the cluster CA. */
export function mintServingCert(ca: KeyPair, names: string[]): KeyPair {
  return createCertificate({ commonName: names[0]!, usage: 'server', altNames: names }, issuerFrom(ca, CA_NAME));
}

/** REST configuration for a component on the control-plane node, talking to the apiserver on loopback as `user`. */
export function localApiConfig(ca: KeyPair, user: string, groups: string[], userAgent: string): RestConfig {
  const client = mintClientCert(ca, user, groups);
  return { server: `https://127.0.0.1:${APISERVER_PORT}`, ca: ca.cert, cert: client.cert, key: client.key, userAgent };
}

/** Serves GET /healthz (and /livez, /readyz) over HTTPS on `port`: "ok" while `healthy()` says so. */
export function serveHealth(ca: KeyPair, port: number, healthy: () => boolean, say: (line: string) => void): Server {
  const tls = mintServingCert(ca, ['localhost', '127.0.0.1']);
  return createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/healthz' && path !== '/livez' && path !== '/readyz') {
      res.writeHead(404).end();
      return;
    }
    const ok = healthy();
    res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(ok ? 'ok' : 'not healthy');
  })
    .on('error', (err) => say(`health port ${port}: ${err.message}`))
    .listen(port, '127.0.0.1');
}
