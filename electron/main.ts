// The desktop app's main process, kept thin: one instance per user, the engine and the dashboard
// server (engine/dashboard) on 127.0.0.1 with a random port, and one locked-down window on the
// dashboard. Everything the user does goes through the dashboard over HTTP/WebSocket, exactly as
// in a browser under `kubelab dashboard`.
//
// Closing the window or quitting the app NEVER stops a cluster: clusters are Docker containers
// that outlive the app, and nothing here calls the engine's cluster operations. Quitting only
// closes the dashboard server (an operation the user started and that is still running is
// cancelled the way Ctrl-C cancels the CLI; a create cut short is removed, as the CLI does).
import { app, BrowserWindow, dialog, Menu, session, shell } from 'electron';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDashboard, type Dashboard } from '../engine/dashboard/server.js';
import { createEngine, createLogger, KubelabError, type Logger } from '../engine/index.js';
import { menuTemplate } from './menu.js';
import { dashboardOrigin, hardenContents, hardenSession, windowOptions } from './window.js';

/** How long quitting waits for the dashboard to close (running operations to settle) before exiting anyway. */
const QUIT_GRACE_MS = 15_000;

const preloadPath = join(dirname(fileURLToPath(import.meta.url)), 'preload.cjs');
let dashboard: Dashboard | undefined;
let origin: string | undefined;
let mainWindow: BrowserWindow | undefined;
let launched = false;
let log: Logger | undefined;

// Every renderer is sandboxed, whatever a window's options say.
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  // Another kubelab window is open: it gets focus ('second-instance' there); this one leaves.
  app.quit();
} else {
  app.on('second-instance', () => showWindow());
  // Every webContents, whoever creates it, stays on the dashboard and opens no windows.
  app.on('web-contents-created', (_event, contents) => {
    if (origin) hardenContents(contents, origin, (url) => shell.openExternal(url));
    else {
      contents.on('will-navigate', (event) => event.preventDefault());
      contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    }
  });
  app.on('window-all-closed', () => {
    // Closing the last window quits (except on macOS, where apps stay in the dock); clusters keep running.
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => showWindow());
  app.on('will-quit', (event) => {
    if (!dashboard) return;
    const closing = dashboard;
    dashboard = undefined;
    event.preventDefault();
    const grace = new Promise<void>((resolve) => setTimeout(resolve, QUIT_GRACE_MS).unref());
    void Promise.race([closing.close(), grace])
      .catch(() => undefined)
      .finally(() => app.quit());
  });
  app.whenReady().then(launch).catch(fail);
}

async function launch(): Promise<void> {
  const dev = !app.isPackaged;
  app.setAboutPanelOptions({ applicationName: 'kubelab', applicationVersion: app.getVersion() });
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({ platform: process.platform, dev, appName: app.name })));
  log = createLogger(fileSink(), process.argv.includes('--verbose') ? 1 : 0);
  const engine = createEngine({ log });
  dashboard = await startDashboard({ engine, port: 0, log });
  origin = dashboardOrigin(dashboard.url);
  hardenSession(session.defaultSession, origin);
  log.info(`kubelab desktop: dashboard on ${dashboard.url}`);
  showWindow();
}

/** Focuses the window, or opens it: the first time on the one-time launch URL, later on the dashboard (the session cookie is already set). */
function showWindow(): void {
  if (!dashboard) return;
  if (mainWindow) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
    return;
  }
  const win = new BrowserWindow(windowOptions(preloadPath));
  mainWindow = win;
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = undefined;
  });
  const url = launched ? dashboard.url : dashboard.launchUrl;
  launched = true;
  // A failed load leaves Chromium's error page in the window (View → Reload retries); no exit.
  win.loadURL(url).catch((err: unknown) => log?.warn(`kubelab desktop: loading the dashboard failed: ${err instanceof Error ? err.message : String(err)}`));
}

function fail(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  const hint = err instanceof KubelabError && err.hint ? `\n\n${err.hint}` : '';
  dialog.showErrorBox('kubelab could not start', `${message}${hint}`);
  app.exit(1);
}

/** Log lines go to main.log in the app's logs folder (and to stderr when not packaged). */
function fileSink(): (level: 'info' | 'warn' | 'error', message: string) => void {
  const dir = app.getPath('logs');
  mkdirSync(dir, { recursive: true });
  const file = createWriteStream(join(dir, 'main.log'), { flags: 'a' });
  // A log file that cannot be written (disk full, permissions) must not take the app down.
  let fileOk = true;
  file.on('error', () => {
    fileOk = false;
  });
  return (level, message) => {
    const line = `${new Date().toISOString()} ${level} ${message}\n`;
    if (fileOk) file.write(line);
    if (!app.isPackaged || !fileOk) process.stderr.write(line);
  };
}
