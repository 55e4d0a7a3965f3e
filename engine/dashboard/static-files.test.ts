import { describe, expect, it } from 'vitest';
import { staticTarget } from './static-files.js';

describe('staticTarget', () => {
  it.each([
    ['/', '/srv/r/index.html'],
    ['/pods', '/srv/r/index.html'],
    ['/clusters/dev', '/srv/r/index.html'],
    ['/app.js', '/srv/r/app.js'],
    ['/assets/logo.svg', '/srv/r/assets/logo.svg'],
    ['/assets/a%20b.png', '/srv/r/assets/a b.png'],
    ['/../secret.txt', undefined],
    ['/assets/../../etc/passwd.txt', undefined],
    ['/%2e%2e/secret.txt', undefined],
    ['/..%2fsecret.txt', undefined],
    ['/a%00.js', undefined],
    ['/%E0%A4%A.js', undefined],
  ])('%s → %s', (path, file) => {
    expect(staticTarget('/srv/r', path)).toBe(file);
  });
});
