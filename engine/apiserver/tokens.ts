// ServiceAccount tokens: JWTs (ES256) signed with the cluster's service-account key, bound to a
// service account (and optionally a pod or secret) and an expiry, as TokenRequest issues them.
import { createPrivateKey, createPublicKey, randomUUID, sign, verify, type KeyObject } from 'node:crypto';

/** The claims kubelab puts in a service-account token. */
export interface TokenClaims {
  iss: string;
  sub: string;
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
  'kubernetes.io': {
    namespace: string;
    serviceaccount: { name: string; uid: string };
    pod?: { name: string; uid: string };
    secret?: { name: string; uid: string };
    node?: { name: string; uid: string };
  };
}

/** The issuer every kubelab cluster uses, and the default audience. */
export const ISSUER = 'https://kubernetes.default.svc.cluster.local';

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/** Signs and verifies service-account tokens with one EC P-256 key pair. */
export class ServiceAccountTokens {
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  private readonly kid: string;

  constructor(privateKeyPem: string) {
    this.privateKey = createPrivateKey(privateKeyPem);
    this.publicKey = createPublicKey(this.privateKey);
    this.kid = b64url(this.publicKey.export({ type: 'spki', format: 'der' }).subarray(-16));
  }

  /** A signed token for a service account. */
  issue(opts: { namespace: string; name: string; uid: string; audiences?: string[]; expirationSeconds?: number; bound?: { kind: 'Pod' | 'Secret' | 'Node'; name: string; uid: string } }): { token: string; expires: Date } {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + (opts.expirationSeconds ?? 3600);
    const claims: TokenClaims = {
      iss: ISSUER,
      sub: `system:serviceaccount:${opts.namespace}:${opts.name}`,
      aud: opts.audiences?.length ? opts.audiences : [ISSUER],
      exp,
      iat: now,
      nbf: now,
      jti: randomUUID(),
      'kubernetes.io': {
        namespace: opts.namespace,
        serviceaccount: { name: opts.name, uid: opts.uid },
        ...(opts.bound ? { [opts.bound.kind.toLowerCase()]: { name: opts.bound.name, uid: opts.bound.uid } } : {}),
      },
    };
    const head = b64url(JSON.stringify({ alg: 'ES256', kid: this.kid }));
    const body = b64url(JSON.stringify(claims));
    const sig = sign('sha256', Buffer.from(`${head}.${body}`), { key: this.privateKey, dsaEncoding: 'ieee-p1363' });
    return { token: `${head}.${body}.${b64url(sig)}`, expires: new Date(exp * 1000) };
  }

  /** The claims of a token this cluster signed that is valid now; undefined otherwise. */
  verify(token: string, audience = ISSUER): TokenClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [head, body, sig] = parts as [string, string, string];
    try {
      const header = JSON.parse(Buffer.from(head, 'base64url').toString()) as { alg?: string };
      if (header.alg !== 'ES256') return undefined;
      const ok = verify('sha256', Buffer.from(`${head}.${body}`), { key: this.publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url'));
      if (!ok) return undefined;
      const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as TokenClaims;
      const now = Math.floor(Date.now() / 1000);
      if (claims.iss !== ISSUER || claims.exp < now || claims.nbf > now + 60) return undefined;
      if (!claims.aud?.includes(audience)) return undefined;
      if (!claims['kubernetes.io']?.serviceaccount?.name) return undefined;
      return claims;
    } catch {
      return undefined;
    }
  }
}
