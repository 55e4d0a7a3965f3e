// The desktop app's menu, as data. Nothing in it touches a cluster: cluster actions live in the
// dashboard itself, and quitting only quits the app (clusters keep running).
import type { MenuItemConstructorOptions } from 'electron';

/** What the menu depends on. */
export interface MenuOptions {
  platform: NodeJS.Platform;
  /** Development build (not packaged): adds Toggle Developer Tools. */
  dev: boolean;
  appName: string;
}

/**
 * The application menu: on macOS the app menu (About, Hide, Quit), elsewhere File (Quit) and
 * Help (About); everywhere Edit (the clipboard shortcuts of the YAML editor need its roles on
 * macOS), View (Reload, zoom, full screen, and Toggle Developer Tools only in development).
 */
export function menuTemplate(opts: MenuOptions): MenuItemConstructorOptions[] {
  const mac = opts.platform === 'darwin';
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      { role: 'reload' },
      ...(opts.dev ? [{ role: 'toggleDevTools' } as const] : []),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  };
  if (mac) {
    return [
      {
        label: opts.appName,
        submenu: [
          { role: 'about' },
          { type: 'separator' },
          { role: 'hide' },
          { role: 'hideOthers' },
          { role: 'unhide' },
          { type: 'separator' },
          { role: 'quit' },
        ],
      },
      edit,
      view,
      { role: 'windowMenu' },
    ];
  }
  return [{ label: '&File', submenu: [{ role: 'quit' }] }, edit, view, { label: '&Help', submenu: [{ role: 'about' }] }];
}
