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
    webPreferences: { ...MAIN_WINDOW_WEB_PREFERENCES, preload },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(entryUrl);
  return window;
}
