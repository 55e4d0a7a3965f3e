// Runs the real main.ts against a stand-in of the electron module (the Electron binary cannot run
// here) and a stand-in dashboard: which windows it creates and with what options, how it hardens
// the session and every webContents, and that quitting closes the dashboard and touches no cluster.
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { windowOptions } from './window.js';

const PRELOAD = fileURLToPath(new URL('./preload.cjs', import.meta.url));
const LOGS = mkdtempSync(join(tmpdir(), 'kubelab-electron-logs-'));
afterAll(() => rmSync(LOGS, { recursive: true, force: true }));

interface Harness {
  app: ReturnType<typeof fakeApp>;
  windows: FakeWindow[];
  sessionCalls: string[];
  engineTouched: (string | symbol)[];
  dashboard: { port: number; url: string; launchUrl: string; close: ReturnType<typeof vi.fn> };
  startDashboard: ReturnType<typeof vi.fn>;
  openExternal: ReturnType<typeof vi.fn>;
  showErrorBox: ReturnType<typeof vi.fn>;
  lock: boolean;
}

class FakeWindow extends EventEmitter {
  loaded: string[] = [];
  focused = 0;
  constructor(readonly options: unknown) {
    super();
  }
  loadURL(url: string) {
    this.loaded.push(url);
    return Promise.resolve();
  }
  isMinimized() {
    return false;
  }
  restore() {}
  focus() {
    this.focused++;
  }
  show() {}
}

let h: Harness;

/** Stand-in for Electron's `app`: an event emitter with the calls main.ts makes. */
function fakeApp() {
  return Object.assign(new EventEmitter(), {
    enableSandbox: vi.fn(),
    requestSingleInstanceLock: vi.fn(() => h.lock),
    whenReady: vi.fn(() => Promise.resolve()),
    isPackaged: true,
    name: 'kubelab',
    getVersion: () => '0.1.0',
    setAboutPanelOptions: vi.fn(),
    getPath: vi.fn(() => LOGS),
    quit: vi.fn(),
    exit: vi.fn(),
  });
}

beforeEach(() => {
  vi.resetModules();
  const app = fakeApp();
  const engineTouched: (string | symbol)[] = [];
  const port = 41234;
  h = {
    app,
    windows: [],
    sessionCalls: [],
    engineTouched,
    lock: true,
    dashboard: { port, url: `http://127.0.0.1:${port}/`, launchUrl: `http://127.0.0.1:${port}/?token=t0k3n`, close: vi.fn(() => Promise.resolve()) },
    startDashboard: vi.fn(async () => h.dashboard),
    openExternal: vi.fn(() => Promise.resolve()),
    showErrorBox: vi.fn(),
  };
  const engine = new Proxy({}, { get: (_t, key) => void engineTouched.push(key) });
  vi.doMock('electron', () => ({
    app: h.app,
    BrowserWindow: class extends FakeWindow {
      constructor(options: unknown) {
        super(options);
        h.windows.push(this);
      }
    },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: vi.fn() },
    dialog: { showErrorBox: h.showErrorBox },
    shell: { openExternal: h.openExternal },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => h.sessionCalls.push('request'),
        setPermissionCheckHandler: () => h.sessionCalls.push('check'),
        webRequest: { onHeadersReceived: () => h.sessionCalls.push('headers') },
      },
    },
  }));
  vi.doMock('../engine/dashboard/server.js', () => ({ startDashboard: h.startDashboard }));
  vi.doMock('../engine/index.js', async (importOriginal) => ({ ...(await importOriginal<object>()), createEngine: () => engine }));
});

afterEach(() => {
  vi.doUnmock('electron');
  vi.doUnmock('../engine/dashboard/server.js');
  vi.doUnmock('../engine/index.js');
});

async function launched(): Promise<void> {
  await import('./main.js');
  await vi.waitFor(() => expect(h.windows.length).toBe(1), { timeout: 5000 });
}

describe('electron main', () => {
  it('creates every window through windowOptions: sandboxed, isolated, no Node', async () => {
    await launched();
    // Reopen after the window closes (macOS 'activate'), and a second launch of the app.
    h.windows[0]!.emit('closed');
    h.app.emit('activate');
    h.app.emit('second-instance');
    expect(h.windows).toHaveLength(2);
    for (const w of h.windows) {
      expect(w.options).toEqual(windowOptions(PRELOAD));
      expect(w.options).toMatchObject({
        webPreferences: {
          contextIsolation: true,
          sandbox: true,
          nodeIntegration: false,
          nodeIntegrationInWorker: false,
          webSecurity: true,
          allowRunningInsecureContent: false,
          webviewTag: false,
          preload: PRELOAD,
        },
      });
    }
    expect(h.app.enableSandbox).toHaveBeenCalled();
  });

  it('starts the dashboard on a random port and opens the one-time URL once, then the dashboard itself', async () => {
    await launched();
    expect(h.startDashboard).toHaveBeenCalledTimes(1);
    expect(h.startDashboard.mock.calls[0]![0]).toMatchObject({ port: 0 });
    expect(h.windows[0]!.loaded).toEqual([h.dashboard.launchUrl]);
    h.windows[0]!.emit('closed');
    h.app.emit('activate');
    expect(h.windows[1]!.loaded).toEqual([h.dashboard.url]);
  });

  it('focuses the open window on a second launch instead of opening another', async () => {
    await launched();
    h.app.emit('second-instance');
    expect(h.windows).toHaveLength(1);
    expect(h.windows[0]!.focused).toBe(1);
  });

  it('hardens the session and every webContents on the dashboard origin', async () => {
    await launched();
    expect(h.sessionCalls.sort()).toEqual(['check', 'headers', 'request']);
    const contents = Object.assign(new EventEmitter(), { setWindowOpenHandler: vi.fn() });
    h.app.emit('web-contents-created', {}, contents);
    const opener = contents.setWindowOpenHandler.mock.calls[0]![0] as (d: { url: string }) => unknown;
    expect(opener({ url: 'https://kubernetes.io/' })).toEqual({ action: 'deny' });
    expect(h.openExternal).toHaveBeenCalledWith('https://kubernetes.io/');
    const away = { url: 'https://evil.example/', preventDefault: vi.fn() };
    contents.emit('will-navigate', away);
    expect(away.preventDefault).toHaveBeenCalled();
    const home = { url: `${h.dashboard.url}pods`, preventDefault: vi.fn() };
    contents.emit('will-navigate', home);
    expect(home.preventDefault).not.toHaveBeenCalled();
  });

  it('quitting closes the dashboard and never touches the engine (clusters keep running)', async () => {
    await launched();
    const touchedAtLaunch = [...h.engineTouched];
    expect(touchedAtLaunch).toEqual([]);
    h.windows[0]!.emit('closed');
    h.app.emit('window-all-closed');
    if (process.platform !== 'darwin') expect(h.app.quit).toHaveBeenCalledTimes(1);
    const quit = { preventDefault: vi.fn() };
    h.app.emit('will-quit', quit);
    expect(quit.preventDefault).toHaveBeenCalled();
    expect(h.dashboard.close).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(h.app.quit).toHaveBeenCalledTimes(process.platform !== 'darwin' ? 2 : 1));
    // The second will-quit (from that app.quit) lets the app go.
    const again = { preventDefault: vi.fn() };
    h.app.emit('will-quit', again);
    expect(again.preventDefault).not.toHaveBeenCalled();
    expect(h.dashboard.close).toHaveBeenCalledTimes(1);
    expect(h.engineTouched).toEqual([]);
  });

  it('leaves at once, without a dashboard or a window, when another instance holds the lock', async () => {
    h.lock = false;
    await import('./main.js');
    await new Promise((r) => setTimeout(r, 10));
    expect(h.app.quit).toHaveBeenCalled();
    expect(h.startDashboard).not.toHaveBeenCalled();
    expect(h.windows).toHaveLength(0);
  });

  it('says why and exits when the dashboard cannot start', async () => {
    const { KubelabError } = await import('../engine/index.js');
    h.startDashboard.mockRejectedValueOnce(new KubelabError('the dashboard cannot listen on 127.0.0.1:0: EACCES', { hint: 'check the firewall' }));
    await import('./main.js');
    await vi.waitFor(() => expect(h.app.exit).toHaveBeenCalledWith(1), { timeout: 5000 });
    expect(h.showErrorBox).toHaveBeenCalledWith('kubelab could not start', 'the dashboard cannot listen on 127.0.0.1:0: EACCES\n\ncheck the firewall');
    expect(h.windows).toHaveLength(0);
  });
});
