import type { HandlerDetails, PermissionRequest } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import {
  dashboardOrigin,
  externalUrl,
  FALLBACK_CSP,
  hardenContents,
  hardenSession,
  isDashboardUrl,
  navigationDecision,
  permissionDecision,
  windowOpenDecision,
  windowOptions,
  withFallbackCsp,
  type HardenableContents,
  type HardenableSession,
} from './window.js';

const ORIGIN = 'http://127.0.0.1:41234';

describe('windowOptions', () => {
  it('locks the renderer down and loads only the given preload', () => {
    const opts = windowOptions('/app/dist/electron/preload.cjs');
    expect(opts.webPreferences).toEqual({
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
      preload: '/app/dist/electron/preload.cjs',
    });
    expect(opts.show).toBe(false);
  });

  it('returns a fresh object each call, so no caller can weaken the next window', () => {
    const a = windowOptions('/p.cjs');
    a.webPreferences!.nodeIntegration = true;
    expect(windowOptions('/p.cjs').webPreferences!.nodeIntegration).toBe(false);
  });
});

describe('dashboardOrigin and isDashboardUrl', () => {
  it('takes the origin of the launch URL', () => {
    expect(dashboardOrigin('http://127.0.0.1:41234/?token=abc')).toBe(ORIGIN);
    expect(() => dashboardOrigin('file:///etc/passwd')).toThrow(/not a dashboard URL/);
  });

  it.each([
    ['http://127.0.0.1:41234/', true],
    ['http://127.0.0.1:41234/k8s/kubelab/api/v1/pods?watch=1', true],
    ['http://127.0.0.1:41234/#/pods', true],
    ['http://127.0.0.1:41235/', false],
    ['http://localhost:41234/', false],
    ['https://127.0.0.1:41234/', false],
    ['http://127.0.0.1:41234.evil.example/', false],
    ['http://127.0.0.1@evil.example:41234/', false],
    ['ws://127.0.0.1:41234/ws', false],
    ['blob:http://127.0.0.1:41234/0b5c', false],
    ['not a url', false],
  ])('%s → %s', (url, expected) => {
    expect(isDashboardUrl(url, ORIGIN)).toBe(expected);
  });
});

describe('externalUrl (what shell.openExternal may receive)', () => {
  it.each([
    ['http://127.0.0.1:30080', 'http://127.0.0.1:30080/'],
    ['https://kubernetes.io/docs/concepts/', 'https://kubernetes.io/docs/concepts/'],
    ['HTTPS://Example.COM/a b', 'https://example.com/a%20b'],
    ['file:///etc/passwd', undefined],
    ['javascript:alert(1)', undefined],
    ['smb://server/share', undefined],
    ['vscode://file/etc/hosts', undefined],
    ['mailto:a@example.com', undefined],
    ['data:text/html,<script>1</script>', undefined],
    ['https://user:secret@example.com/', undefined],
    ['http:///nohost', 'http://nohost/'],
    ['//example.com/relative', undefined],
    ['', undefined],
    ['   ', undefined],
  ])('%j → %j', (raw, expected) => {
    expect(externalUrl(raw)).toBe(expected);
  });
});

describe('navigationDecision', () => {
  it.each([
    ['http://127.0.0.1:41234/', { action: 'allow' }],
    ['http://127.0.0.1:41234/?token=t', { action: 'allow' }],
    ['blob:http://127.0.0.1:41234/0b5c-11', { action: 'allow' }],
    ['blob:https://evil.example/0b5c-11', { action: 'deny' }],
    ['http://127.0.0.1:30080/', { action: 'external', url: 'http://127.0.0.1:30080/' }],
    ['https://kubernetes.io/', { action: 'external', url: 'https://kubernetes.io/' }],
    ['file:///home/me/.kube/config', { action: 'deny' }],
    ['javascript:alert(1)', { action: 'deny' }],
    ['about:blank', { action: 'deny' }],
    ['chrome://gpu', { action: 'deny' }],
  ])('%s', (url, expected) => {
    expect(navigationDecision(url, ORIGIN)).toEqual(expected);
  });
});

describe('windowOpenDecision', () => {
  it.each([
    ['http://127.0.0.1:41234/', { action: 'deny' }],
    ['http://127.0.0.1:30080/', { action: 'external', url: 'http://127.0.0.1:30080/' }],
    ['https://github.com/', { action: 'external', url: 'https://github.com/' }],
    ['file:///etc/hosts', { action: 'deny' }],
    ['about:blank', { action: 'deny' }],
    ['', { action: 'deny' }],
  ])('%j', (url, expected) => {
    expect(windowOpenDecision(url, ORIGIN)).toEqual(expected);
  });
});

describe('permissionDecision', () => {
  it('grants only clipboard writes, and only to the dashboard', () => {
    expect(permissionDecision('clipboard-sanitized-write', `${ORIGIN}/`, ORIGIN)).toBe(true);
    expect(permissionDecision('clipboard-sanitized-write', ORIGIN, ORIGIN)).toBe(true);
    expect(permissionDecision('clipboard-sanitized-write', 'https://evil.example/', ORIGIN)).toBe(false);
    expect(permissionDecision('clipboard-sanitized-write', '', ORIGIN)).toBe(false);
  });

  it.each(['clipboard-read', 'media', 'geolocation', 'notifications', 'openExternal', 'fullscreen', 'pointerLock', 'usb', 'serial', 'hid', 'fileSystem', 'unknown'])(
    'denies %s even to the dashboard',
    (permission) => {
      expect(permissionDecision(permission, `${ORIGIN}/`, ORIGIN)).toBe(false);
    },
  );
});

describe('withFallbackCsp', () => {
  it('adds the CSP when the response has none', () => {
    expect(withFallbackCsp({ 'content-type': ['text/html'] })).toEqual({ 'content-type': ['text/html'], 'Content-Security-Policy': [FALLBACK_CSP] });
    expect(withFallbackCsp(undefined)).toEqual({ 'Content-Security-Policy': [FALLBACK_CSP] });
  });

  it("keeps the server's own CSP, whatever its letter case", () => {
    expect(withFallbackCsp({ 'content-security-policy': ["default-src 'self'"] })).toBeUndefined();
    expect(withFallbackCsp({ 'Content-Security-Policy': ["default-src 'self'"] })).toBeUndefined();
  });

  it('allows scripts only from the dashboard itself', () => {
    const directives = FALLBACK_CSP.split('; ');
    expect(directives).toContain("script-src 'self'");
    expect(directives).toContain("object-src 'none'");
    expect(directives).toContain("frame-ancestors 'none'");
    expect(directives.filter((d) => !d.startsWith('style-src')).join('; ')).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(FALLBACK_CSP).not.toMatch(/unsafe-eval|\*/);
  });
});

/** A fake WebContents that records the handlers hardenContents installs. */
function fakeContents() {
  const listeners = new Map<string, (event: { url: string; isMainFrame?: boolean; preventDefault: () => void }) => void>();
  let openHandler: ((details: HandlerDetails) => { action: string }) | undefined;
  const contents = {
    on(name: string, listener: never) {
      listeners.set(name, listener);
      return contents;
    },
    setWindowOpenHandler(handler: never) {
      openHandler = handler;
    },
  };
  const fire = (name: string, url: string, isMainFrame = true) => {
    const preventDefault = vi.fn();
    listeners.get(name)!({ url, isMainFrame, preventDefault });
    return preventDefault.mock.calls.length > 0;
  };
  return { contents: contents as unknown as HardenableContents, listeners, fire, open: (url: string) => openHandler!({ url } as HandlerDetails) };
}

describe('hardenContents', () => {
  it('cancels navigation off the dashboard and sends http(s) links to the browser', async () => {
    const opened: string[] = [];
    const f = fakeContents();
    hardenContents(f.contents, ORIGIN, async (url) => void opened.push(url));
    expect(f.fire('will-navigate', `${ORIGIN}/pods`)).toBe(false);
    expect(f.fire('will-navigate', 'http://127.0.0.1:30080/')).toBe(true);
    expect(f.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    await Promise.resolve();
    expect(opened).toEqual(['http://127.0.0.1:30080/']);
  });

  it('cancels main-frame redirects off the dashboard and refuses <webview>', () => {
    const f = fakeContents();
    hardenContents(f.contents, ORIGIN, async () => undefined);
    expect(f.fire('will-redirect', `${ORIGIN}/`)).toBe(false);
    expect(f.fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(f.fire('will-attach-webview', `${ORIGIN}/`)).toBe(true);
  });

  it('never opens a window; http(s) URLs go to the browser, others nowhere', async () => {
    const opened: string[] = [];
    const f = fakeContents();
    hardenContents(f.contents, ORIGIN, async (url) => void opened.push(url));
    for (const url of ['https://kubernetes.io/', `${ORIGIN}/`, 'file:///etc/hosts', 'javascript:alert(1)']) {
      expect(f.open(url)).toEqual({ action: 'deny' });
    }
    await Promise.resolve();
    expect(opened).toEqual(['https://kubernetes.io/']);
  });

  it('survives openExternal failing', async () => {
    const f = fakeContents();
    hardenContents(f.contents, ORIGIN, () => Promise.reject(new Error('no browser')));
    expect(f.open('https://kubernetes.io/')).toEqual({ action: 'deny' });
    await new Promise((r) => setTimeout(r, 0));
  });
});

describe('hardenSession', () => {
  function fakeSession() {
    const calls: { request?: Function; check?: Function; headers?: { filter: unknown; listener: Function } } = {};
    const s = {
      setPermissionRequestHandler: (h: Function) => void (calls.request = h),
      setPermissionCheckHandler: (h: Function) => void (calls.check = h),
      webRequest: { onHeadersReceived: (filter: unknown, listener: Function) => void (calls.headers = { filter, listener }) },
    };
    return { session: s as unknown as HardenableSession, calls };
  }

  it('answers permission requests and checks with permissionDecision', () => {
    const { session, calls } = fakeSession();
    hardenSession(session, ORIGIN);
    const answer = (permission: string, requestingUrl: string) => {
      const callback = vi.fn();
      calls.request!({}, permission, callback, { requestingUrl, isMainFrame: true } satisfies PermissionRequest);
      return callback.mock.calls[0]![0];
    };
    expect(answer('media', `${ORIGIN}/`)).toBe(false);
    expect(answer('notifications', `${ORIGIN}/`)).toBe(false);
    expect(answer('clipboard-sanitized-write', `${ORIGIN}/`)).toBe(true);
    expect(answer('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(calls.check!({}, 'geolocation', ORIGIN, {})).toBe(false);
    expect(calls.check!({}, 'clipboard-sanitized-write', ORIGIN, {})).toBe(true);
  });

  it('adds the fallback CSP to dashboard documents only, and only when missing', () => {
    const { session, calls } = fakeSession();
    hardenSession(session, ORIGIN);
    expect(calls.headers!.filter).toEqual({ urls: [`${ORIGIN}/*`] });
    const respond = (resourceType: string, responseHeaders: Record<string, string[]>) => {
      const callback = vi.fn();
      calls.headers!.listener({ url: `${ORIGIN}/`, resourceType, responseHeaders }, callback);
      return callback.mock.calls[0]![0];
    };
    expect(respond('mainFrame', { 'content-type': ['text/html'] })).toEqual({
      responseHeaders: { 'content-type': ['text/html'], 'Content-Security-Policy': [FALLBACK_CSP] },
    });
    expect(respond('mainFrame', { 'content-security-policy': ["default-src 'none'"] })).toEqual({});
    expect(respond('xhr', { 'content-type': ['application/json'] })).toEqual({});
  });
});
