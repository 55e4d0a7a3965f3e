import { X509Certificate, createPrivateKey } from 'node:crypto';
import { once } from 'node:events';
import { request, createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { int, oid, time, tlv, uint } from './asn1.js';
import { createCertificate, issuerFrom } from './x509.js';

describe('DER encoding', () => {
  it('encodes lengths in short and long form', () => {
    expect(tlv(0x04, Buffer.alloc(3)).subarray(0, 2)).toEqual(Buffer.from([0x04, 0x03]));
    expect(tlv(0x04, Buffer.alloc(200)).subarray(0, 3)).toEqual(Buffer.from([0x04, 0x81, 200]));
    expect(tlv(0x04, Buffer.alloc(300)).subarray(0, 4)).toEqual(Buffer.from([0x04, 0x82, 0x01, 0x2c]));
  });

  it('encodes integers minimally and positive', () => {
    expect(int(2)).toEqual(Buffer.from([0x02, 0x01, 0x02]));
    expect(int(256)).toEqual(Buffer.from([0x02, 0x02, 0x01, 0x00]));
    expect(uint(Buffer.from([0x80]))).toEqual(Buffer.from([0x02, 0x02, 0x00, 0x80]));
    expect(uint(Buffer.from([0x00, 0x00, 0x05]))).toEqual(Buffer.from([0x02, 0x01, 0x05]));
  });

  it('encodes object identifiers', () => {
    // 1.2.840.10045.4.3.2 (ecdsa-with-SHA256)
    expect(oid('1.2.840.10045.4.3.2').toString('hex')).toBe('06082a8648ce3d040302');
  });

  it('uses UTCTime before 2050 and GeneralizedTime after', () => {
    expect(time(new Date('2026-11-22T03:04:05Z')).toString('latin1').slice(2)).toBe('261122030405Z');
    expect(time(new Date('2051-01-02T03:04:05Z'))[0]).toBe(0x18);
  });
});

describe('certificates', () => {
  const ca = createCertificate({ commonName: 'kubelab-ca', usage: 'ca' });
  const issuer = issuerFrom(ca, 'kubelab-ca');
  const server = createCertificate({ commonName: 'kube-apiserver', usage: 'server', altNames: ['localhost', 'kubernetes.default.svc', '127.0.0.1', '10.96.0.1', '::1'] }, issuer);
  const client = createCertificate({ commonName: 'kubelab-admin', organizations: ['system:masters'], usage: 'client' }, issuer);

  it('makes a self-signed CA that OpenSSL reads as a CA', () => {
    const x = new X509Certificate(ca.cert);
    expect(x.ca).toBe(true);
    expect(x.subject).toBe('CN=kubelab-ca');
    expect(x.verify(x.publicKey)).toBe(true);
    expect(createPrivateKey(ca.key).asymmetricKeyType).toBe('ec');
  });

  it('signs leaf certificates with names and groups', () => {
    const s = new X509Certificate(server.cert);
    const caCert = new X509Certificate(ca.cert);
    expect(s.ca).toBe(false);
    expect(s.verify(caCert.publicKey)).toBe(true);
    expect(s.checkIssued(caCert)).toBe(true);
    expect(s.checkHost('kubernetes.default.svc')).toBe('kubernetes.default.svc');
    expect(s.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(s.checkIP('::1')).toBe('::1');
    expect(s.checkHost('example.com')).toBeUndefined();
    const c = new X509Certificate(client.cert);
    expect(c.subject.split('\n')).toEqual(['O=system:masters', 'CN=kubelab-admin']);
    expect(c.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
  });

  it('works for a real mutual-TLS handshake on 127.0.0.1', async () => {
    const srv = createServer({ key: server.key, cert: server.cert, ca: ca.cert, requestCert: true, rejectUnauthorized: true }, (req, res) => {
      const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
      res.end(`hello ${peer.subject.CN} of ${String(peer.subject.O)}`);
    });
    srv.listen(0, '127.0.0.1');
    await once(srv, 'listening');
    const { port } = srv.address() as AddressInfo;
    const get = (opts: { key?: string; cert?: string }) =>
      new Promise<string>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/', ca: ca.cert, servername: 'localhost', ...opts }, (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => resolve(body));
        });
        req.on('error', reject);
        req.end();
      });
    try {
      expect(await get({ key: client.key, cert: client.cert })).toBe('hello kubelab-admin of system:masters');
      await expect(get({})).rejects.toThrow();
      const stranger = createCertificate({ commonName: 'mallory', usage: 'client' });
      await expect(get({ key: stranger.key, cert: stranger.cert })).rejects.toThrow();
    } finally {
      srv.close();
    }
  });
});
