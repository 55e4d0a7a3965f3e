import { describe, expect, it } from 'vitest';
import { KubelabError } from '../errors.js';
import { errorStatus, htmlPage } from './responses.js';

describe('errorStatus', () => {
  it.each([
    ['Docker unreachable', Object.assign(new Error('connect ENOENT /var/run/docker.sock'), { code: 'ENOENT' }), 503],
    ['Docker unreachable (engine error)', new KubelabError('cannot reach a Docker engine at unix:///var/run/docker.sock: no answer', { hint: 'start Docker' }), 503],
    ['missing cluster', new KubelabError('cluster "x" does not exist', { hint: 'see the clusters' }), 404],
    ['usage error', new KubelabError('invalid cluster name "X"', { exitCode: 2, hint: 'use lowercase' }), 400],
    ['busy cluster', new KubelabError('cluster "x" is busy: another kubelab (pid 1) is running `start`'), 409],
    ['unexpected', new TypeError('x is undefined'), 500],
  ])('%s → %i', (_name, err, code) => {
    const out = errorStatus(err);
    expect(out.code).toBe(code);
    expect(out.error).toBe((err as Error).message);
    expect(out.hint).toBe((err as KubelabError).hint);
  });
});

describe('htmlPage', () => {
  it('escapes text and shows `code` as code, with no script', () => {
    const page = htmlPage('A <b>', ['Run `kubelab dashboard` & <script>x</script>']);
    expect(page).toContain('<title>A &#60;b&#62; · kubelab</title>');
    expect(page).toContain('Run <code>kubelab dashboard</code> &#38; &#60;script&#62;x&#60;/script&#62;');
    expect(page).not.toMatch(/<script/i);
  });
});
