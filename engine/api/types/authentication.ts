// authentication.k8s.io/v1: TokenReview and SelfSubjectReview (created and answered, never
// stored), and TokenRequest, the body of the serviceaccounts/token subresource.
import { invalidValue, type FieldError } from '../field-error.js';
import { ageColumn, nameColumn, type ApiObject, type TypeGroup } from '../resource-type.js';
import { def, f, metadataField } from '../schema.js';

const AU = 'io.k8s.api.authentication.v1.';

/** Token lifetime when a TokenRequest names none: one hour. */
export const DEFAULT_TOKEN_SECONDS = 3600;

/** Fills a TokenRequest's defaults: a one-hour lifetime. */
export function defaultTokenRequest(obj: ApiObject): void {
  const spec = (obj.spec ??= {}) as { expirationSeconds?: number };
  spec.expirationSeconds ??= DEFAULT_TOKEN_SECONDS;
}

/** Errors of a TokenRequest: a lifetime between ten minutes and 2^32 seconds. */
export function tokenRequestErrors(obj: ApiObject): FieldError[] {
  const s = (obj.spec as { expirationSeconds?: number } | undefined)?.expirationSeconds;
  if (s === undefined) return [];
  if (s < 600) return [invalidValue('spec.expirationSeconds', s, 'may not specify a duration less than 10 minutes')];
  if (s > 2 ** 32) return [invalidValue('spec.expirationSeconds', s, 'may not specify a duration larger than 2^32 seconds')];
  return [];
}

/** The authentication.k8s.io/v1 kinds. */
export const AUTHENTICATION: TypeGroup = {
  resources: [
    {
      group: 'authentication.k8s.io', version: 'v1', kind: 'TokenReview', resource: 'tokenreviews', singular: 'tokenreview', namespaced: false,
      shortNames: [], categories: [], schemaName: `${AU}TokenReview`, verbs: ['create'],
      description: 'Asks who a bearer token belongs to; the server answers in status.',
      columns: [nameColumn, ageColumn],
    },
    {
      group: 'authentication.k8s.io', version: 'v1', kind: 'SelfSubjectReview', resource: 'selfsubjectreviews', singular: 'selfsubjectreview', namespaced: false,
      shortNames: [], categories: [], schemaName: `${AU}SelfSubjectReview`, verbs: ['create'],
      description: 'Asks who the caller is; the server answers in status (kubectl auth whoami).',
      columns: [nameColumn, ageColumn],
    },
  ],
  bodyKinds: [{ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', schemaName: `${AU}TokenRequest` }],
  definitions: {
    [`${AU}TokenReview`]: def('Asks who a bearer token belongs to; the server answers in status.', {
      metadata: metadataField(),
      spec: f.ref(2, `${AU}TokenReviewSpec`, 'The token to check.'),
      status: f.ref(3, `${AU}TokenReviewStatus`, 'Who the token belongs to, filled in by the server.'),
    }),
    [`${AU}TokenReviewSpec`]: def('A token to check.', {
      token: f.str(1, 'The bearer token.'),
      audiences: f.list(2, 'Audiences the token must be valid for; the apiserver audiences when empty.', 'string', { listType: 'atomic' }),
    }),
    [`${AU}TokenReviewStatus`]: def('Who a token belongs to.', {
      authenticated: f.bool(1, 'Whether the token belongs to a known user.'),
      user: f.ref(2, `${AU}UserInfo`, 'The user the token belongs to.'),
      audiences: f.list(4, 'Audiences the token is valid for, among those asked.', 'string', { listType: 'atomic' }),
      error: f.str(3, 'Why the token could not be checked.'),
    }),
    [`${AU}UserInfo`]: def('A user as the authenticator knows it.', {
      username: f.str(1, 'Name of the user, unique among current users.'),
      uid: f.str(2, 'Identifier of the user, unique over time.'),
      groups: f.list(3, 'Groups the user belongs to.', 'string', { listType: 'atomic' }),
      extra: f.map(0, 'Extra attributes the authenticator gives.', { type: 'array', description: '', items: { type: 'string', description: '' } }),
    }),
    [`${AU}SelfSubjectReview`]: def('Asks who the caller is; the server answers in status (kubectl auth whoami).', {
      metadata: metadataField(),
      status: f.ref(2, `${AU}SelfSubjectReviewStatus`, 'Who the caller is, filled in by the server.'),
    }),
    [`${AU}SelfSubjectReviewStatus`]: def('Who the caller of a SelfSubjectReview is.', {
      userInfo: f.ref(1, `${AU}UserInfo`, 'The caller as the server authenticated it.'),
    }),
    [`${AU}TokenRequest`]: def('Asks for a token of a service account; the server answers in status.', {
      metadata: metadataField(),
      spec: f.ref(2, `${AU}TokenRequestSpec`, 'What token is wanted.'),
      status: f.ref(3, `${AU}TokenRequestStatus`, 'The token, filled in by the server.'),
    }),
    [`${AU}TokenRequestSpec`]: def('What service account token is wanted.', {
      audiences: f.list(1, 'Audiences the token is for; the apiserver audiences when empty.', 'string', { listType: 'atomic' }),
      expirationSeconds: f.int64(4, 'Wanted lifetime in seconds (at least 600; one hour by default); the issuer may shorten it.', { keepZero: true }),
      boundObjectRef: f.ref(3, `${AU}BoundObjectReference`, 'An object the token lives only as long as.'),
    }),
    [`${AU}TokenRequestStatus`]: def('An issued token.', {
      token: f.str(1, 'The bearer token.'),
      expirationTimestamp: f.time(2, 'When the token expires.'),
    }),
    [`${AU}BoundObjectReference`]: def('An object a token is bound to: a Pod, Secret or Node.', {
      kind: f.str(1, 'Kind of the object: Pod, Secret or Node.'),
      apiVersion: f.str(2, 'API version of the object.'),
      name: f.str(3, 'Name of the object.'),
      uid: f.str(4, 'UID of the object.'),
    }),
  },
};
