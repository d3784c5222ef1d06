import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { buildMenuTemplate } from './menu';

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [
    item,
    ...(Array.isArray(item.submenu) ? flatten(item.submenu as MenuItemConstructorOptions[]) : []),
  ]);
}

const build = (o: Partial<Parameters<typeof buildMenuTemplate>[0]> = {}) => {
  const send = vi.fn();
  const items = buildMenuTemplate({ appName: 'KAT Chart', isMac: false, isDev: false, send, ...o });
  return { items, all: flatten(items), send };
};

describe('application menu', () => {
  it('has File, Edit, View and Help', () => {
    expect(build().items.map((i) => i.label)).toEqual(['File', 'Edit', 'View', 'Help']);
    expect(build({ isMac: true }).items.map((i) => i.label)).toEqual([
      'KAT Chart',
      'File',
      'Edit',
      'View',
      'Help',
    ]);
  });

  it('asks the app to print or lock, with their shortcuts', () => {
    const { all, send } = build();
    const print = all.find((i) => i.label === 'Print…')!;
    const lock = all.find((i) => i.label === 'Lock')!;
    expect(print.accelerator).toBe('CmdOrCtrl+P');
    expect(lock.accelerator).toBe('Alt+L');
    (print.click as () => void)();
    (lock.click as () => void)();
    expect(send.mock.calls).toEqual([['print'], ['lock']]);
  });

  it('can quit, zoom and show About', () => {
    const roles = build().all.map((i) => i.role);
    expect(roles).toEqual(
      expect.arrayContaining(['quit', 'zoomIn', 'zoomOut', 'resetZoom', 'about']),
    );
  });

  it('offers reload and developer tools only in development', () => {
    const devOnly = ['reload', 'forceReload', 'toggleDevTools'];
    expect(build({ isDev: false }).all.map((i) => i.role)).not.toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`^(${devOnly.join('|')})$`))]),
    );
    expect(build({ isDev: true }).all.map((i) => i.role)).toEqual(expect.arrayContaining(devOnly));
  });
});
