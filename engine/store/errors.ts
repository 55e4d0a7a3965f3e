/** Why a storage operation failed, in the terms the apiserver answers with. */
export type StoreErrorReason = 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Expired' | 'TooLarge' | 'QuotaExceeded' | 'Unavailable' | 'Invalid' | 'Internal';

/** A storage failure the apiserver turns into a Status (404, 409, 410, 413, 507, 503, 400, 500). */
export class StoreError extends Error {
  constructor(
    readonly reason: StoreErrorReason,
    message: string,
    opts: { cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'StoreError';
  }
}

/** Classifies an error message from etcd (gRPC gateway) into a StoreError. */
export function fromEtcdMessage(message: string, code?: number): StoreError {
  if (/database space exceeded|NOSPACE/i.test(message)) {
    return new StoreError('QuotaExceeded', `the cluster's storage is full (etcd: ${message}); delete objects you no longer need, then etcd can be defragmented`);
  }
  if (/request is too large|message larger than max/i.test(message)) {
    return new StoreError('TooLarge', `the object is too large to store (etcd: ${message})`);
  }
  if (/required revision has been compacted/i.test(message)) return new StoreError('Expired', 'the requested resourceVersion is too old (compacted)');
  if (/future rev/i.test(message)) return new StoreError('Internal', `the requested resourceVersion is newer than the store's: ${message}`);
  if (code === 14 || /unavailable|connection refused|ECONNREFUSED|leader/i.test(message)) return new StoreError('Unavailable', `etcd is not available: ${message}`);
  return new StoreError('Internal', `etcd: ${message}`);
}
