import { describe, expect, it } from 'vitest';
import { downstreamHeaders, upstreamHeaders } from './k8s-proxy.js';

describe('upstreamHeaders', () => {
  it('passes the content headers and nothing that carries the browser\'s credentials', () => {
    const out = upstreamHeaders({
      host: '127.0.0.1:8080',
      origin: 'http://127.0.0.1:8080',
      cookie: 'kubelab_dashboard_8080=secret',
      authorization: 'Bearer stolen',
      'impersonate-user': 'system:anonymous',
      'impersonate-group': 'system:masters',
      'content-type': 'application/apply-patch+yaml',
      accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
      'content-length': '12',
      'x-forwarded-for': '1.2.3.4',
    });
    expect(out).toEqual({
      'user-agent': 'kubelab-dashboard',
      'content-type': 'application/apply-patch+yaml',
      accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
      'content-length': '12',
    });
  });

  it('keeps a chunked body chunked', () => {
    expect(upstreamHeaders({ 'transfer-encoding': 'chunked' })['transfer-encoding']).toBe('chunked');
  });
});

describe('downstreamHeaders', () => {
  it('passes the answer\'s content headers, never CORS or cookies, and adds the base headers', () => {
    const out = downstreamHeaders({
      'content-type': 'application/json',
      'transfer-encoding': 'chunked',
      'access-control-allow-origin': '*',
      'access-control-allow-credentials': 'true',
      'set-cookie': ['a=b'],
      'audit-id': 'x',
      warning: '299 - "deprecated"',
    });
    expect(out).toEqual({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
      'content-type': 'application/json',
      'audit-id': 'x',
      warning: '299 - "deprecated"',
    });
  });
});
