import { BrowserWindow } from 'electron';
import { MAIN_WINDOW_WEB_PREFERENCES } from './security';

export type MainWindowOptions = { preload: string; entryUrl: string; title: string };

export function createMainWindow({ preload, entryUrl, title }: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    title,
    width: 1280,
    height: 860,
    minWidth: 960,
    minHeight: 640,
    show: false,
    // The checked set (security.ts), with the settings that matter most written out here too, so
    // a reader and the electronegativity scan (tests/unit/electronegativity.test.ts) see them.
    webPreferences: {
      ...MAIN_WINDOW_WEB_PREFERENCES,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      disableBlinkFeatures: 'Auxclick',
      preload,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(entryUrl);
  return window;
}
