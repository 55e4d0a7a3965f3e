import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  cookieName,
  hostAllowed,
  LaunchGate,
  originAllowed,
  originCheck,
  randomSecret,
  readCookie,
  sameSecret,
  sessionCookie,
} from './security.js';

describe('hostAllowed', () => {
  it.each([
    ['127.0.0.1:8080', true],
    ['localhost:8080', true],
    ['LOCALHOST:8080', true],
    [undefined, false],
    ['', false],
    ['127.0.0.1', false],
    ['localhost', false],
    ['127.0.0.1:8081', false],
    ['evil.example:8080', false],
    ['127.0.0.1.nip.io:8080', false],
    ['[::1]:8080', false],
    ['0.0.0.0:8080', false],
    ['localhost:8080.evil.example', false],
  ])('Host %s → %s', (host, ok) => {
    expect(hostAllowed(host, 8080)).toBe(ok);
  });
});

describe('originAllowed / originCheck', () => {
  it.each([
    ['http://127.0.0.1:8080', true],
    ['http://localhost:8080', true],
    ['https://127.0.0.1:8080', false],
    ['http://127.0.0.1:8081', false],
    ['http://127.0.0.1:8080/', false],
    ['null', false],
    ['http://evil.example', false],
    [undefined, false],
  ])('Origin %s → %s', (origin, ok) => {
    expect(originAllowed(origin, 8080)).toBe(ok);
  });

  it.each([
    // method, origin, upgrade, allowed
    ['GET', undefined, false, true],
    ['HEAD', undefined, false, true],
    ['GET', 'http://127.0.0.1:8080', false, true],
    ['GET', 'http://evil.example', false, false],
    ['POST', undefined, false, false],
    ['DELETE', undefined, false, false],
    ['PATCH', 'http://localhost:8080', false, true],
    ['PUT', 'http://localhost:9999', false, false],
    ['GET', undefined, true, false],
    ['GET', 'http://127.0.0.1:8080', true, true],
    ['GET', 'http://evil.example', true, false],
  ] as const)('%s with Origin %s (upgrade %s) → %s', (method, origin, upgrade, ok) => {
    expect(originCheck(method, origin, upgrade, 8080)).toBe(ok);
  });
});

describe('cookies', () => {
  it('names the cookie after the port and sets the flags', () => {
    expect(cookieName(8080)).toBe('kubelab_dashboard_8080');
    const c = sessionCookie(8080, 'abc');
    expect(c.split('; ')).toEqual(['kubelab_dashboard_8080=abc', 'HttpOnly', 'SameSite=Strict', 'Path=/']);
  });

  it.each([
    [undefined, undefined],
    ['', undefined],
    ['a=1', undefined],
    ['kubelab_dashboard_8080=s1', 's1'],
    ['a=1; kubelab_dashboard_8080=s2; b=2', 's2'],
    ['kubelab_dashboard_80801=no; kubelab_dashboard_8080=yes', 'yes'],
    ['x_kubelab_dashboard_8080=no', undefined],
  ])('reads cookie from %s', (header, value) => {
    expect(readCookie(header, 'kubelab_dashboard_8080')).toBe(value);
  });
});

describe('secrets', () => {
  it('makes 32 random bytes, url-safe', () => {
    const a = randomSecret();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(randomSecret()).not.toBe(a);
  });

  it.each([
    ['abc', 'abc', true],
    ['abc', 'abd', false],
    ['abc', 'abcd', false],
    ['', 'a', false],
  ])('sameSecret(%s, %s) → %s', (a, b, same) => {
    expect(sameSecret(a, b)).toBe(same);
  });
});

describe('LaunchGate', () => {
  it('exchanges the token once for a session that is valid afterwards', () => {
    let n = 0;
    const gate = new LaunchGate('tok', () => `session-${++n}`);
    expect(gate.valid('session-1')).toBe(false);
    expect(gate.exchange('tok')).toEqual({ outcome: 'granted', session: 'session-1' });
    expect(gate.valid('session-1')).toBe(true);
    expect(gate.exchange('tok')).toEqual({ outcome: 'used' });
    expect(gate.valid('session-2')).toBe(false);
  });

  it('refuses other tokens without using up the real one', () => {
    const gate = new LaunchGate('tok', () => 's');
    expect(gate.exchange('tok2').outcome).toBe('invalid');
    expect(gate.exchange('').outcome).toBe('invalid');
    expect(gate.exchange('tok').outcome).toBe('granted');
  });

  it('never takes the token itself, or nothing, as a session', () => {
    const gate = new LaunchGate('tok', () => 's');
    gate.exchange('tok');
    expect(gate.valid('tok')).toBe(false);
    expect(gate.valid(undefined)).toBe(false);
    expect(gate.valid('')).toBe(false);
  });

  it('makes a random token and a session distinct from it by default', () => {
    const gate = new LaunchGate();
    const { session } = gate.exchange(gate.token);
    expect(session).toBeDefined();
    expect(session).not.toBe(gate.token);
    expect(gate.token).not.toBe(new LaunchGate().token);
  });
});

describe('contentSecurityPolicy', () => {
  it('allows scripts only from the dashboard and no framing', () => {
    const csp = contentSecurityPolicy(8080).split('; ');
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp.find((d) => d.startsWith('connect-src'))).toBe("connect-src 'self' ws://127.0.0.1:8080 ws://localhost:8080");
    // Inline styles are allowed (the terminal needs them); inline or eval'd scripts never.
    expect(csp.filter((d) => !d.startsWith('style-src')).join(';')).not.toContain('unsafe-inline');
    expect(csp.join(';')).not.toContain('unsafe-eval');
    expect(csp.find((d) => d.startsWith('img-src'))).not.toMatch(/\*|http/);
  });
});
