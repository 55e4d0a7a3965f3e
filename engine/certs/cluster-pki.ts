import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCertificate, issuerFrom, type KeyPair } from './x509.js';

/** The certificates of one cluster: its CA, the apiserver's serving pair and the admin's client pair. */
export interface ClusterPki {
  ca: KeyPair;
  apiserver: KeyPair;
  admin: KeyPair;
}

/** Common name of every cluster CA (issuerFrom needs it). */
export const CA_NAME = 'kubelab-ca';

/** Names the apiserver certificate is valid for: loopback, the in-cluster names, and the control-plane node's own. */
export function apiserverAltNames(nodeName: string, nodeIp: string): string[] {
  return [
    'localhost', '127.0.0.1', nodeName, nodeIp, '10.96.0.1',
    'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local',
  ];
}

/** Makes a new CA and the pairs signed by it. */
export function createClusterPki(altNames: string[]): ClusterPki {
  const ca = createCertificate({ commonName: CA_NAME, usage: 'ca' });
  const issuer = issuerFrom(ca, CA_NAME);
  return {
    ca,
    apiserver: createCertificate({ commonName: 'kube-apiserver', usage: 'server', altNames }, issuer),
    admin: createCertificate({ commonName: 'kubelab-admin', organizations: ['system:masters'], usage: 'client' }, issuer),
  };
}

/** The PKI as files (name → content), as they are kept on the host and in the control-plane node. */
export function pkiFiles(pki: ClusterPki): Record<string, string> {
  return {
    'ca.crt': pki.ca.cert,
    'ca.key': pki.ca.key,
    'apiserver.crt': pki.apiserver.cert,
    'apiserver.key': pki.apiserver.key,
    'admin.crt': pki.admin.cert,
    'admin.key': pki.admin.key,
  };
}

/** Saves the PKI into `dir` (keys readable by the owner only). */
export async function savePki(dir: string, pki: ClusterPki): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for (const [name, content] of Object.entries(pkiFiles(pki))) {
    await writeFile(join(dir, name), content, { mode: name.endsWith('.key') ? 0o600 : 0o644 });
  }
}

/** Loads a PKI saved by savePki. */
export async function loadPki(dir: string): Promise<ClusterPki> {
  const read = (n: string) => readFile(join(dir, n), 'utf8');
  return {
    ca: { cert: await read('ca.crt'), key: await read('ca.key') },
    apiserver: { cert: await read('apiserver.crt'), key: await read('apiserver.key') },
    admin: { cert: await read('admin.crt'), key: await read('admin.key') },
  };
}

/**
 * The files every node gets in its PKI folder for its node agent: the CA certificate, a client
 * pair for `system:node:<name>` (group system:nodes) and a serving pair for its node endpoint,
 * valid for the node's name and address.
 */
export function nodeCredentialFiles(ca: KeyPair, node: { name: string; ip: string }): Record<string, string> {
  const issuer = issuerFrom(ca, CA_NAME);
  const client = createCertificate({ commonName: `system:node:${node.name}`, organizations: ['system:nodes'], usage: 'client' }, issuer);
  const serving = createCertificate({ commonName: node.name, usage: 'server', altNames: [node.name, node.ip, 'localhost', '127.0.0.1'] }, issuer);
  return { 'ca.crt': ca.cert, 'node.crt': client.cert, 'node.key': client.key, 'node-serving.crt': serving.cert, 'node-serving.key': serving.key };
}

/** Certificate files with the modes they are written with: keys readable by their owner only. */
export function asFiles(files: Record<string, string>): Record<string, { content: string; mode: number }> {
  return Object.fromEntries(Object.entries(files).map(([name, content]) => [name, { content, mode: name.endsWith('.key') ? 0o600 : 0o644 }]));
}
