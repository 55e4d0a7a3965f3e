import { describe, expect, it } from 'vitest';
import { describeErrorBody, errorText, HttpError } from './http';

describe('describeErrorBody', () => {
  it.each([
    {
      name: 'Kubernetes Status',
      status: 409,
      body: '{"kind":"Status","status":"Failure","message":"Operation cannot be fulfilled on deployments.apps \\"web\\": the object has been modified","reason":"Conflict","code":409}',
      want: { message: 'Operation cannot be fulfilled on deployments.apps "web": the object has been modified', reason: 'Conflict' },
    },
    {
      name: 'dashboard error with hint',
      status: 503,
      body: '{"error":"cluster dev is stopped","hint":"start it with kubelab start --name dev"}',
      want: { message: 'cluster dev is stopped', hint: 'start it with kubelab start --name dev' },
    },
    { name: 'plain text', status: 500, body: 'boom\n', want: { message: 'boom' } },
    { name: 'HTML page falls back to the status line', status: 502, body: '<html>bad gateway</html>', want: { message: '502 Bad Gateway' } },
    { name: 'empty body', status: 404, body: '', want: { message: '404 Bad Gateway' } },
  ])('$name', ({ status, body, want }) => {
    expect(describeErrorBody(status, 'Bad Gateway', body)).toEqual(want);
  });
});

describe('errorText', () => {
  it('adds the hint', () => {
    expect(errorText(new HttpError('down', 503, undefined, 'start Docker'))).toBe('down (start Docker)');
  });
  it('reads plain errors and other values', () => {
    expect(errorText(new Error('x'))).toBe('x');
    expect(errorText('y')).toBe('y');
  });
});
