// The dashboard's gatekeeping, as pure decisions: which Host and Origin headers are ours, the
// one-time launch token and the session cookie it is exchanged for, and the headers every answer
// carries. The server (server.ts) applies them to each request before routing it.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh random secret: 32 bytes, base64url (URL- and cookie-safe, no padding). */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Equality of two secrets in time independent of where they differ. */
export function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

/** The origins the dashboard on `port` answers as: `http://127.0.0.1:PORT` and `http://localhost:PORT`. */
export function ownOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

/** True when a Host header names the dashboard itself (127.0.0.1:PORT or localhost:PORT); anything else may be DNS rebinding. */
export function hostAllowed(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const h = host.toLowerCase();
  return h === `127.0.0.1:${port}` || h === `localhost:${port}`;
}

/** True when an Origin header is exactly one of the dashboard's own origins. */
export function originAllowed(origin: string | undefined, port: number): boolean {
  return origin !== undefined && ownOrigins(port).includes(origin);
}

/**
 * Whether a request's Origin passes: upgrades and methods other than GET/HEAD must carry one of our
 * origins; other requests may omit it (navigations do), but a foreign one is refused everywhere.
 */
export function originCheck(method: string, origin: string | undefined, upgrade: boolean, port: number): boolean {
  const needsOrigin = upgrade || (method !== 'GET' && method !== 'HEAD');
  if (origin === undefined) return !needsOrigin;
  return originAllowed(origin, port);
}

/** Name of the session cookie; the port is part of it because browsers share cookies across ports of one host. */
export function cookieName(port: number): string {
  return `kubelab_dashboard_${port}`;
}

/** The Set-Cookie value that hands the browser its session: HttpOnly, SameSite=Strict, Path=/, no expiry (a browser-session cookie). */
export function sessionCookie(port: number, session: string): string {
  return `${cookieName(port)}=${session}; HttpOnly; SameSite=Strict; Path=/`;
}

/** The value of cookie `name` in a Cookie header, if present. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** What GET /?token=T leads to. */
export type TokenOutcome = 'granted' | 'used' | 'invalid';

/**
 * The launch token and the sessions it opened. The token is exchanged once for a session (a
 * separate random value, kept in a cookie); a second exchange, or any other token, is refused.
 */
export class LaunchGate {
  private used = false;
  private readonly sessions = new Set<string>();

  constructor(
    readonly token: string = randomSecret(),
    private readonly newSession: () => string = randomSecret,
  ) {}

  /** Exchanges `token` for a new session value; the token works once. */
  exchange(token: string): { outcome: TokenOutcome; session?: string } {
    if (!sameSecret(token, this.token)) return { outcome: 'invalid' };
    if (this.used) return { outcome: 'used' };
    this.used = true;
    const session = this.newSession();
    this.sessions.add(session);
    return { outcome: 'granted', session };
  }

  /** True when `session` (a cookie value) was handed out by exchange(). */
  valid(session: string | undefined): boolean {
    if (!session) return false;
    for (const s of this.sessions) if (sameSecret(session, s)) return true;
    return false;
  }
}

/** The Content-Security-Policy of dashboard documents: scripts, styles and connections only from the dashboard itself. */
export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Inline styles only (never scripts): the terminal's xterm.js writes its cell metrics and theme
    // into <style> elements and true-colour cells into style attributes. Styles cannot run code,
    // and img-src/connect-src/font-src 'self' leave injected CSS nowhere to send anything.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    // 'self' covers ws:// to the same host:port in CSP 3; the explicit sources are for older engines.
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers on every answer: no sniffing, no referrer, no caching of anything the cookie unlocks. Never any CORS header. */
export const BASE_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/** Extra headers on HTML documents: the CSP, and no framing. */
export function documentHeaders(port: number): Record<string, string> {
  return { 'content-security-policy': contentSecurityPolicy(port), 'x-frame-options': 'DENY' };
}
