import type { FieldError } from '../api/validation.js';
import { DefaultingError } from '../api/defaults.js';
import { StoreError } from '../store/errors.js';

/** A Kubernetes Status object (the body of every error answer). */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message: string;
  reason: string;
  details?: { name?: string; group?: string; kind?: string; causes?: Array<{ reason: string; message: string; field?: string }>; retryAfterSeconds?: number };
  code: number;
}

/** An error that the apiserver answers with as a Status. */
export class ApiError extends Error {
  constructor(readonly status: Status) {
    super(status.message);
    this.name = 'ApiError';
  }
}

/** Builds a failure Status. */
export function failure(code: number, reason: string, message: string, details?: Status['details']): ApiError {
  return new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code });
}

/** Who the error is about, for messages like `configmaps "x" not found`. */
export interface Subject {
  resource: string;
  kind: string;
  group: string;
  name?: string;
}

export const badRequest = (message: string) => failure(400, 'BadRequest', message);
export const unauthorized = () => failure(401, 'Unauthorized', 'Unauthorized');
export const forbidden = (message: string) => failure(403, 'Forbidden', message);
export const notFound = (s: Subject) => failure(404, 'NotFound', `${qualified(s)} "${s.name}" not found`, { name: s.name, group: s.group, kind: s.resource });
export const pathNotFound = (path: string) => failure(404, 'NotFound', `the server could not find the requested resource (${path})`);
export const methodNotAllowed = (verb: string, s: Subject) => failure(405, 'MethodNotAllowed', `${verb} is not supported on ${qualified(s)}`);
export const alreadyExists = (s: Subject) => failure(409, 'AlreadyExists', `${qualified(s)} "${s.name}" already exists`, { name: s.name, group: s.group, kind: s.resource });
export const conflict = (s: Subject) =>
  failure(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(s)} "${s.name}": the object has been modified; please apply your changes to the latest version and try again`, { name: s.name, group: s.group, kind: s.resource });

/** 422 Invalid with one cause per field error. */
export function invalid(s: Subject, errors: FieldError[]): ApiError {
  const summary = errors.map((e) => `${e.field}: ${e.message}`);
  const message = `${s.kind}${s.group ? `.${s.group}` : ''} "${s.name ?? ''}" is invalid: ${summary.length > 1 ? `[${summary.join(', ')}]` : summary[0]}`;
  return failure(422, 'Invalid', message, { name: s.name, group: s.group, kind: s.kind, causes: errors.map((e) => ({ reason: e.reason, message: e.message, field: e.field })) });
}

function qualified(s: Subject): string {
  return s.group ? `${s.resource}.${s.group}` : s.resource;
}

/** Turns a storage failure into the Status the client should see. */
export function fromStoreError(err: StoreError, s: Subject): ApiError {
  switch (err.reason) {
    case 'NotFound':
      return notFound(s);
    case 'AlreadyExists':
      return alreadyExists(s);
    case 'Conflict':
      return conflict(s);
    case 'Expired':
      return failure(410, 'Expired', err.message);
    case 'TooLarge':
      return failure(413, 'RequestEntityTooLarge', err.message);
    case 'QuotaExceeded':
      return failure(507, 'InternalError', err.message);
    case 'Unavailable':
      return failure(503, 'ServiceUnavailable', err.message, { retryAfterSeconds: 1 });
    case 'Invalid':
      return failure(400, 'BadRequest', err.message);
    default:
      return failure(500, 'InternalError', err.message);
  }
}

/** Any thrown value as an ApiError. */
export function toApiError(err: unknown, s?: Subject): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof StoreError) return fromStoreError(err, s ?? { resource: '', kind: '', group: '' });
  if (err instanceof DefaultingError) return failure(422, 'Invalid', err.message);
  return failure(500, 'InternalError', `an internal error occurred: ${(err as Error)?.message ?? String(err)}`);
}
