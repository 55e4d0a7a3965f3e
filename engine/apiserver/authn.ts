// Authentication: client certificates signed by the cluster CA (CN = user, O = groups), and
// service-account bearer tokens. Anything else is anonymous.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { StoreError } from '../store/errors.js';
import type { Storage } from '../store/storage.js';
import { forbiddenMessage, type Attributes, type RbacAuthorizer, type UserInfo } from './rbac.js';
import { forbidden } from './status.js';
import type { ServiceAccountTokens, TokenClaims } from './tokens.js';

/** The result of authenticating a request: a user, nobody (no credentials), or bad credentials. */
export type Authentication = { user: UserInfo } | { anonymous: true } | { invalid: string };

/** Certificate users by connection: a connection's peer certificate never changes, and reading it costs more than a request. */
const socketUsers = new WeakMap<TLSSocket, UserInfo | null>();

/** The user a client certificate names, or undefined when there is no valid one. */
export function certificateUser(req: IncomingMessage): UserInfo | undefined {
  const socket = req.socket as TLSSocket;
  if (!socket.authorized) return undefined;
  const known = socketUsers.get(socket);
  if (known !== undefined) return known ? { name: known.name, groups: [...known.groups] } : undefined;
  const subject = socket.getPeerCertificate()?.subject as { CN?: string; O?: string | string[] } | undefined;
  const o = subject?.O;
  const user = subject?.CN ? { name: subject.CN, groups: [...(Array.isArray(o) ? o : o ? [o] : []), 'system:authenticated'] } : null;
  socketUsers.set(socket, user);
  return user ? { name: user.name, groups: [...user.groups] } : undefined;
}

/** The user of a service-account token, after checking the account (and the object it is bound to) still exist with the same uid. */
export async function tokenUser(storage: Storage, tokens: ServiceAccountTokens, token: string, audience?: string): Promise<{ user: UserInfo; claims: TokenClaims } | undefined> {
  const claims = tokens.verify(token, audience);
  if (!claims) return undefined;
  const k = claims['kubernetes.io'];
  const alive = async (resource: string, name: string, uid: string) => {
    try {
      return (await storage.get({ resource, namespace: k.namespace }, name)).metadata.uid === uid;
    } catch (err) {
      if (err instanceof StoreError && err.reason === 'NotFound') return false;
      throw err;
    }
  };
  if (!(await alive('serviceaccounts', k.serviceaccount.name, k.serviceaccount.uid))) return undefined;
  if (k.pod && !(await alive('pods', k.pod.name, k.pod.uid))) return undefined;
  if (k.secret && !(await alive('secrets', k.secret.name, k.secret.uid))) return undefined;
  return {
    claims,
    user: {
      name: claims.sub,
      uid: k.serviceaccount.uid,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${k.namespace}`, 'system:authenticated'],
      ...(k.pod ? { extra: { 'authentication.kubernetes.io/pod-name': [k.pod.name], 'authentication.kubernetes.io/pod-uid': [k.pod.uid] } } : {}),
    },
  };
}

/** Authenticates a request by certificate, then by bearer token. */
export async function authenticate(req: IncomingMessage, storage: Storage, tokens: ServiceAccountTokens): Promise<Authentication> {
  const cert = certificateUser(req);
  if (cert) return { user: cert };
  const auth = req.headers.authorization;
  if (!auth) return { anonymous: true };
  const m = /^Bearer\s+(\S+)$/i.exec(auth);
  if (!m) return { invalid: 'only Bearer tokens are accepted' };
  const found = await tokenUser(storage, tokens, m[1]!);
  return found ? { user: found.user } : { invalid: 'the token is not valid, has expired, or its service account is gone' };
}

/** The user of anonymous requests (for authorization of public paths). */
export const ANONYMOUS: UserInfo = { name: 'system:anonymous', groups: ['system:unauthenticated'] };

/**
 * The user a request acts as: the authenticated one, or the one named by Impersonate-User /
 * Impersonate-Group headers (kubectl --as / --as-group) when RBAC lets the caller impersonate.
 */
export function impersonated(user: UserInfo, req: IncomingMessage, rbac: RbacAuthorizer): UserInfo {
  const name = req.headers['impersonate-user'];
  const rawGroups = req.headers['impersonate-group'];
  const groups = (Array.isArray(rawGroups) ? rawGroups : rawGroups ? [rawGroups] : []).flatMap((g) => g.split(',').map((x) => x.trim())).filter(Boolean);
  if (typeof name !== 'string' || !name) {
    if (groups.length) throw forbidden('impersonating groups needs a user to impersonate too (Impersonate-User)');
    return user;
  }
  const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(name);
  const checks: Attributes[] = [
    sa ? { verb: 'impersonate', apiGroup: '', resource: 'serviceaccounts', namespace: sa[1], name: sa[2] } : { verb: 'impersonate', apiGroup: '', resource: 'users', name },
    ...groups.map((g) => ({ verb: 'impersonate', apiGroup: '', resource: 'groups', name: g })),
  ];
  for (const a of checks) if (!rbac.authorize(user, a)) throw forbidden(forbiddenMessage(user, a));
  const implied = sa ? ['system:serviceaccounts', `system:serviceaccounts:${sa[1]}`] : [];
  return { name, groups: [...new Set([...groups, ...implied, 'system:authenticated'])] };
}
