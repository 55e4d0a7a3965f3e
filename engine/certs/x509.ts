import { createHash, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import { bits, bool, explicit, implicit, int, octets, oid, seq, set, time, uint, utf8 } from './asn1.js';

/** A private key and certificate, both PEM. */
export interface KeyPair {
  key: string;
  cert: string;
}

/** What a certificate says about its subject. */
export interface CertRequest {
  commonName: string;
  /** Organisations: Kubernetes reads them as the user's groups. */
  organizations?: string[];
  /** DNS names and IP addresses the certificate is valid for (servers). */
  altNames?: string[];
  usage: 'ca' | 'server' | 'client' | 'server+client';
  /** Validity in days from now (default 3650). */
  days?: number;
}

const OID = {
  ecdsaSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyId: '2.5.29.14',
  authorityKeyId: '2.5.29.35',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
};

function name(commonName: string, organizations: string[] = []): Buffer {
  const rdn = (type: string, value: string) => set(seq(oid(type), utf8(value)));
  return seq(...organizations.map((o) => rdn(OID.organization, o)), rdn(OID.commonName, commonName));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
}

/** keyUsage bits: digitalSignature(0), keyEncipherment(2), keyCertSign(5), cRLSign(6). */
function keyUsage(ca: boolean): Buffer {
  const v = ca ? 0b10000110 : 0b10100000;
  return Buffer.concat([Buffer.from([0x03, 0x02, ca ? 1 : 5, v])]);
}

function altName(entry: string): Buffer {
  if (isIP(entry) === 4) return implicit(7, Buffer.from(entry.split('.').map(Number)));
  if (isIP(entry) === 6) {
    const full = new URL(`http://[${entry}]`).hostname.slice(1, -1);
    const groups = full.includes('::')
      ? (() => {
          const [l = '', r = ''] = full.split('::');
          const left = l ? l.split(':') : [];
          const right = r ? r.split(':') : [];
          return [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
        })()
      : full.split(':');
    return implicit(7, Buffer.from(groups.map((g) => g.padStart(4, '0')).join(''), 'hex'));
  }
  return implicit(2, Buffer.from(entry, 'ascii'));
}

function keyId(spki: Buffer): Buffer {
  return createHash('sha1').update(spki).digest();
}

/** Creates a new ECDSA P-256 key and a certificate for it, signed by `issuer` (self-signed when absent). */
export function createCertificate(req: CertRequest, issuer?: { key: KeyObject | string; cert: string; commonName: string; spki: Buffer }): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const now = Date.now();
  const ca = req.usage === 'ca';
  const eku = { ca: [], server: [OID.serverAuth], client: [OID.clientAuth], 'server+client': [OID.serverAuth, OID.clientAuth] }[req.usage];
  const extensions = [
    extension(OID.basicConstraints, true, ca ? seq(bool(true)) : seq()),
    extension(OID.keyUsage, true, keyUsage(ca)),
    ...(eku.length ? [extension(OID.extKeyUsage, false, seq(...eku.map(oid)))] : []),
    ...(req.altNames?.length ? [extension(OID.subjectAltName, false, seq(...req.altNames.map(altName)))] : []),
    extension(OID.subjectKeyId, false, octets(keyId(spki))),
    ...(issuer ? [extension(OID.authorityKeyId, false, seq(implicit(0, keyId(issuer.spki))))] : []),
  ];
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const algorithm = seq(oid(OID.ecdsaSha256));
  const tbs = seq(
    explicit(0, int(2)),
    uint(serial),
    algorithm,
    issuer ? name(issuer.commonName) : name(req.commonName, req.organizations),
    seq(time(new Date(now - 3600_000)), time(new Date(now + (req.days ?? 3650) * 86_400_000))),
    name(req.commonName, req.organizations),
    spki,
    explicit(3, seq(...extensions)),
  );
  const signature = sign('sha256', tbs, issuer ? issuer.key : privateKey);
  const der = seq(tbs, algorithm, bits(signature));
  return {
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    cert: pem('CERTIFICATE', der),
  };
}

/** What createCertificate needs to sign with a CA's key pair (kubelab's CAs carry only a common name). */
export function issuerFrom(ca: KeyPair, commonName: string) {
  const spki = createPublicKey(ca.cert).export({ type: 'spki', format: 'der' });
  return { key: ca.key, cert: ca.cert, commonName, spki };
}

function pem(label: string, der: Buffer): string {
  const b64 = der.toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64}-----END ${label}-----\n`;
}
