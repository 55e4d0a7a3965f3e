// Kinds that are asked, not stored: access reviews (kubectl auth can-i), token reviews, who-am-i,
// and TokenRequest on serviceaccounts/NAME/token (kubectl create token).
import { StoreError } from '../store/errors.js';
import type { Storage } from '../store/storage.js';
import { tokenUser } from './authn.js';
import { sendJson } from './context.js';
import type { Attributes, RbacAuthorizer, UserInfo } from './rbac.js';
import { readJson, type ResourcePath } from './request.js';
import { badRequest, failure, notFound } from './status.js';
import type { ServiceAccountTokens } from './tokens.js';
import type { IncomingMessage, ServerResponse } from 'node:http';

interface ReviewContext {
  storage: Storage;
  rbac: RbacAuthorizer;
  tokens: ServiceAccountTokens;
  user: UserInfo;
}

type Body = { apiVersion?: string; kind?: string; metadata?: Record<string, unknown>; spec?: Record<string, unknown> };

/** Attributes of a SubjectAccessReview spec. */
function attributesOf(spec: Record<string, unknown> | undefined, namespace?: string): Attributes {
  const ra = spec?.resourceAttributes as Record<string, string> | undefined;
  const nra = spec?.nonResourceAttributes as Record<string, string> | undefined;
  if (ra) return { verb: ra.verb ?? '', apiGroup: ra.group ?? '', resource: ra.resource ?? '', subresource: ra.subresource || undefined, namespace: namespace ?? (ra.namespace || undefined), name: ra.name || undefined };
  if (nra) return { verb: nra.verb ?? '', path: nra.path ?? '' };
  throw failure(422, 'Invalid', 'spec: Invalid value: exactly one of nonResourceAttributes or resourceAttributes must be specified');
}

function answer(res: ServerResponse, body: Body, status: Record<string, unknown>): void {
  sendJson(res, 201, { ...body, metadata: { ...(body.metadata ?? {}), creationTimestamp: null }, status });
}

/** The review kinds by group/resource. */
const REVIEWS: Record<string, (c: ReviewContext, body: Body, path: ResourcePath, res: ServerResponse) => Promise<void>> = {
  'authorization.k8s.io/selfsubjectaccessreviews': async (c, body, _p, res) => {
    const a = attributesOf(body.spec);
    answer(res, body, { allowed: c.rbac.authorize(c.user, a) });
  },
  'authorization.k8s.io/subjectaccessreviews': async (c, body, _p, res) => {
    const spec = body.spec ?? {};
    const user: UserInfo = { name: String(spec.user ?? ''), groups: (spec.groups as string[] | undefined) ?? [] };
    answer(res, body, { allowed: c.rbac.authorize(user, attributesOf(spec)) });
  },
  'authorization.k8s.io/localsubjectaccessreviews': async (c, body, p, res) => {
    const spec = body.spec ?? {};
    const user: UserInfo = { name: String(spec.user ?? ''), groups: (spec.groups as string[] | undefined) ?? [] };
    answer(res, body, { allowed: c.rbac.authorize(user, attributesOf(spec, p.namespace)) });
  },
  'authorization.k8s.io/selfsubjectrulesreviews': async (c, body, _p, res) => {
    const namespace = String(body.spec?.namespace ?? '');
    const rules = c.user.groups.includes('system:masters') ? [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, { verbs: ['*'], nonResourceURLs: ['*'] }] : c.rbac.rulesFor(c.user, namespace || undefined);
    answer(res, body, {
      resourceRules: rules.filter((r) => r.resources?.length).map(({ nonResourceURLs: _n, ...r }) => r),
      nonResourceRules: rules.filter((r) => r.nonResourceURLs?.length).map((r) => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs })),
      incomplete: false,
    });
  },
  'authentication.k8s.io/tokenreviews': async (c, body, _p, res) => {
    const token = String(body.spec?.token ?? '');
    const audiences = (body.spec?.audiences as string[] | undefined) ?? [];
    const found = await tokenUser(c.storage, c.tokens, token, audiences[0]);
    if (!found) return answer(res, body, { authenticated: false, error: 'the token is not valid' });
    answer(res, body, { authenticated: true, user: { username: found.user.name, uid: found.user.uid, groups: found.user.groups, ...(found.user.extra ? { extra: found.user.extra } : {}) }, audiences: found.claims.aud });
  },
  'authentication.k8s.io/selfsubjectreviews': async (c, body, _p, res) => {
    answer(res, body, { userInfo: { username: c.user.name, ...(c.user.uid ? { uid: c.user.uid } : {}), groups: c.user.groups, ...(c.user.extra ? { extra: c.user.extra } : {}) } });
  },
};

/** Whether a path is a review kind or a token request, served by this module. */
export function isReview(path: ResourcePath): boolean {
  return Boolean(REVIEWS[`${path.group}/${path.resource}`] && !path.name) || (path.group === '' && path.resource === 'serviceaccounts' && path.subresource === 'token');
}

/** Serves a review or a TokenRequest (POST only). */
export async function serveReview(c: ReviewContext, path: ResourcePath, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') throw failure(405, 'MethodNotAllowed', `only create is supported on ${path.resource}${path.subresource ? `/${path.subresource}` : ''}`);
  const body = (await readJson(req)) as Body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('the request body must be an object');
  if (path.subresource === 'token') return issueToken(c, body, path, res);
  await REVIEWS[`${path.group}/${path.resource}`]!(c, body, path, res);
}

/** TokenRequest: a token for the service account, optionally bound to a pod or secret. */
async function issueToken(c: ReviewContext, body: Body, path: ResourcePath, res: ServerResponse): Promise<void> {
  const ns = path.namespace!;
  const get = async (resource: string, name: string) => {
    try {
      return await c.storage.get({ resource, namespace: ns }, name);
    } catch (err) {
      if (err instanceof StoreError && err.reason === 'NotFound') throw notFound({ resource, kind: resource, group: '', name });
      throw err;
    }
  };
  const sa = await get('serviceaccounts', path.name!);
  const spec = body.spec ?? {};
  const seconds = (spec.expirationSeconds as number | undefined) ?? 3600;
  if (!Number.isInteger(seconds) || seconds < 600) throw failure(422, 'Invalid', 'spec.expirationSeconds: Invalid value: may not specify a duration less than 10 minutes');
  const ref = spec.boundObjectRef as { kind?: string; name?: string; uid?: string } | undefined;
  let bound: { kind: 'Pod' | 'Secret'; name: string; uid: string } | undefined;
  if (ref?.kind) {
    if (ref.kind !== 'Pod' && ref.kind !== 'Secret') throw failure(422, 'Invalid', `spec.boundObjectRef.kind: Unsupported value: "${ref.kind}": supported values: "Pod", "Secret"`);
    const obj = await get(ref.kind === 'Pod' ? 'pods' : 'secrets', String(ref.name ?? ''));
    if (ref.uid && ref.uid !== obj.metadata.uid) throw failure(409, 'Conflict', `the UID in the bound object reference (${ref.uid}) does not match the object's (${String(obj.metadata.uid)})`);
    bound = { kind: ref.kind, name: obj.metadata.name, uid: String(obj.metadata.uid) };
  }
  const { token, expires } = c.tokens.issue({ namespace: ns, name: sa.metadata.name, uid: String(sa.metadata.uid), audiences: spec.audiences as string[] | undefined, expirationSeconds: seconds, bound });
  sendJson(res, 201, {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    metadata: { name: sa.metadata.name, namespace: ns, creationTimestamp: null },
    spec: { ...spec, expirationSeconds: seconds, audiences: (spec.audiences as string[] | undefined)?.length ? spec.audiences : ['https://kubernetes.default.svc.cluster.local'] },
    status: { token, expirationTimestamp: expires.toISOString().replace(/\.\d+Z$/, 'Z') },
  });
}
