import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { menuTemplate, type MenuOptions } from './menu.js';

/** Every item of a template, depth first. */
function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? items(item.submenu) : [])]);
}

const roles = (opts: MenuOptions) => items(menuTemplate(opts)).flatMap((i) => (i.role ? [i.role] : []));

describe('menuTemplate', () => {
  it.each<[NodeJS.Platform, boolean]>([
    ['linux', false],
    ['linux', true],
    ['win32', false],
    ['darwin', false],
    ['darwin', true],
  ])('%s (dev %s): Quit, Reload, zoom and About; DevTools only in development', (platform, dev) => {
    const r = roles({ platform, dev, appName: 'kubelab' });
    for (const role of ['quit', 'reload', 'zoomIn', 'zoomOut', 'resetZoom', 'about', 'copy', 'paste']) expect(r).toContain(role);
    expect(r.includes('toggleDevTools')).toBe(dev);
    expect(r.filter((x) => x === 'quit')).toHaveLength(1);
  });

  it('has only built-in roles: no item of its own that could act on a cluster', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      for (const item of items(menuTemplate({ platform, dev: true, appName: 'kubelab' }))) {
        expect(item.click).toBeUndefined();
        expect(item.role !== undefined || item.type === 'separator' || Array.isArray(item.submenu)).toBe(true);
      }
    }
  });

  it('puts About and Quit in the app menu on macOS, in Help and File elsewhere', () => {
    const mac = menuTemplate({ platform: 'darwin', dev: false, appName: 'kubelab' });
    expect(mac[0]!.label).toBe('kubelab');
    expect(items([mac[0]!]).map((i) => i.role)).toEqual(expect.arrayContaining(['about', 'quit']));
    const linux = menuTemplate({ platform: 'linux', dev: false, appName: 'kubelab' });
    expect(linux.map((m) => m.label)).toEqual(['&File', '&Edit', '&View', '&Help']);
    expect(items([linux[0]!]).map((i) => i.role)).toContain('quit');
    expect(items([linux[3]!]).map((i) => i.role)).toContain('about');
  });
});
