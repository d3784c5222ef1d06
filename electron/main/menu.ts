/**
 * The application menu. Print and Lock are the renderer's to carry out (it knows what is on screen
 * and holds the keys), so the menu only tells it which was chosen. Reload and developer tools exist
 * only in development: a reload in the clinic would be a surprise lock at best.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../shared/ipc';

export type MenuOptions = {
  appName: string;
  isMac: boolean;
  isDev: boolean;
  send: (command: MenuCommand) => void;
};

export const PRINT_ACCELERATOR = 'CmdOrCtrl+P';
// The renderer shows and handles Alt+L itself (SignedInShell); the menu item shares the key.
export const LOCK_ACCELERATOR = 'Alt+L';

export function buildMenuTemplate({
  appName,
  isMac,
  isDev,
  send,
}: MenuOptions): MenuItemConstructorOptions[] {
  const appMenu: MenuItemConstructorOptions = {
    label: appName,
    submenu: [
      { role: 'about' },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { role: 'quit' },
    ],
  };
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: 'Print…', accelerator: PRINT_ACCELERATOR, click: () => send('print') },
      { label: 'Lock', accelerator: LOCK_ACCELERATOR, click: () => send('lock') },
      ...(isMac ? [] : [{ type: 'separator' } as const, { role: 'quit' } as const]),
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: 'Edit',
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
  const developer: MenuItemConstructorOptions[] = isDev
    ? [
        { role: 'reload' },
        { role: 'forceReload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
      ]
    : [];
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      ...developer,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const help: MenuItemConstructorOptions = {
    label: 'Help',
    submenu: [{ role: 'about', label: `About ${appName}` }],
  };
  return [...(isMac ? [appMenu] : []), file, edit, view, help];
}
