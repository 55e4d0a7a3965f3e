// The locked-down window and session of the desktop app: the BrowserWindow options, and the
// decisions (pure functions) and handlers that keep the renderer on the dashboard's origin.
// Electron security checklist: contextIsolation, sandbox, no Node in the renderer, webSecurity,
// a CSP, no navigation away, no new windows, shell.openExternal only for parsed http(s) URLs,
// permission requests denied (but the dashboard's own clipboard writes, for its copy buttons).
import type { BrowserWindowConstructorOptions, Session, WebContents } from 'electron';

/** Options of every window the main process creates: a sandboxed renderer with no Node access. */
export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1360,
    height: 860,
    minWidth: 800,
    minHeight: 500,
    title: 'kubelab',
    // Shown on 'ready-to-show', so the user never sees an empty white frame.
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      preload: preloadPath,
    },
  };
}

/** The CSP the window enforces on dashboard documents that arrive without one (the server normally sets its own). */
export const FALLBACK_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // Inline styles only, for the terminal (see engine/dashboard/security.ts); never inline scripts.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  // 'self' covers ws://<same host:port> for the /ws socket (CSP level 3).
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The origin (`http://127.0.0.1:PORT`) of a dashboard URL; throws on a URL that is not http(s). */
export function dashboardOrigin(dashboardUrl: string): string {
  const url = new URL(dashboardUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`not a dashboard URL: ${dashboardUrl}`);
  return url.origin;
}

/** Whether `raw` parses as a URL on exactly the dashboard's origin (scheme, host and port). */
export function isDashboardUrl(raw: string, origin: string): boolean {
  const url = parse(raw);
  return url !== undefined && (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === origin;
}

/**
 * The URL `shell.openExternal` may be given for `raw`, normalized (`URL.href`), or undefined:
 * only http: and https: URLs with a host and no embedded credentials. Anything else (file:,
 * javascript:, custom schemes, smb://, unparsable text) never reaches the OS.
 */
export function externalUrl(raw: string): string | undefined {
  const url = parse(raw);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return undefined;
  if (!url.hostname || url.username || url.password) return undefined;
  return url.href;
}

/** What to do with a navigation or a window.open: stay, hand an http(s) URL to the OS browser, or refuse. */
export type LinkDecision = { action: 'allow' } | { action: 'external'; url: string } | { action: 'deny' };

/**
 * A main-frame navigation to `raw`: allowed on the dashboard origin (and to the dashboard's own
 * blob: URLs, as a log download may be); an http(s) URL elsewhere (e.g. a NodePort Service link)
 * opens in the user's browser instead; anything else is refused.
 */
export function navigationDecision(raw: string, origin: string): LinkDecision {
  if (isDashboardUrl(raw, origin)) return { action: 'allow' };
  const url = parse(raw);
  if (url?.protocol === 'blob:' && url.origin === origin) return { action: 'allow' };
  return externalOrDeny(raw);
}

/**
 * A window.open / target=_blank to `raw`: never a new app window. An http(s) URL off the dashboard
 * origin opens in the user's browser; the dashboard's own URLs are refused (the browser has no
 * session cookie for them); anything else is refused.
 */
export function windowOpenDecision(raw: string, origin: string): LinkDecision {
  if (isDashboardUrl(raw, origin)) return { action: 'deny' };
  return externalOrDeny(raw);
}

/**
 * Whether a permission (request or check) is granted: only `clipboard-sanitized-write` (what
 * `navigator.clipboard.writeText` asks for, used by the copy buttons) and only for the dashboard's
 * origin. Everything else — camera, notifications, geolocation, openExternal, … — is denied.
 */
export function permissionDecision(permission: string, requestingUrlOrOrigin: string, origin: string): boolean {
  return permission === 'clipboard-sanitized-write' && isDashboardUrl(requestingUrlOrOrigin, origin);
}

/**
 * Response headers with `csp` added when the response has no Content-Security-Policy header
 * (any letter case); returns undefined when nothing needs to change.
 */
export function withFallbackCsp(
  headers: Record<string, string[]> | undefined,
  csp: string = FALLBACK_CSP,
): Record<string, string[]> | undefined {
  const current = headers ?? {};
  if (Object.keys(current).some((name) => name.toLowerCase() === 'content-security-policy')) return undefined;
  return { ...current, 'Content-Security-Policy': [csp] };
}

/** Opens a URL in the OS; in Electron, `shell.openExternal`. */
export type OpenExternal = (url: string) => Promise<void>;

/** The parts of a WebContents the hardening touches. */
export type HardenableContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/**
 * Keeps a webContents on the dashboard: navigations away are cancelled (http(s) ones open in the
 * user's browser), redirects off the origin are cancelled, new windows are refused (http(s) ones
 * open in the user's browser), <webview> attachment is refused.
 */
export function hardenContents(contents: HardenableContents, origin: string, openExternal: OpenExternal): void {
  const follow = (decision: LinkDecision): void => {
    if (decision.action === 'external') void openExternal(decision.url).catch(() => undefined);
  };
  contents.on('will-navigate', (event) => {
    const decision = navigationDecision(event.url, origin);
    if (decision.action === 'allow') return;
    event.preventDefault();
    follow(decision);
  });
  contents.on('will-redirect', (event) => {
    if (event.isMainFrame && !isDashboardUrl(event.url, origin)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    follow(windowOpenDecision(url, origin));
    return { action: 'deny' };
  });
}

/** The parts of a Session the hardening touches. */
export type HardenableSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'webRequest'>;

/**
 * Locks a session down for the dashboard at `origin`: permission requests and checks go through
 * permissionDecision, and dashboard documents without a CSP get FALLBACK_CSP.
 */
export function hardenSession(session: HardenableSession, origin: string): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(permissionDecision(permission, details.requestingUrl, origin));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => permissionDecision(permission, requestingOrigin, origin));
  session.webRequest.onHeadersReceived({ urls: [`${origin}/*`] }, (details, callback) => {
    const isDocument = details.resourceType === 'mainFrame' || details.resourceType === 'subFrame';
    const headers = isDocument ? withFallbackCsp(details.responseHeaders) : undefined;
    callback(headers ? { responseHeaders: headers } : {});
  });
}

function externalOrDeny(raw: string): LinkDecision {
  const url = externalUrl(raw);
  return url ? { action: 'external', url } : { action: 'deny' };
}

function parse(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}
