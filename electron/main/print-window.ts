/**
 * Prints one PDF file through the OS print dialog: a hidden window shows it in Chromium's PDF
 * viewer and webContents.print() prints the document (fixed for PDFs in Electron 32, #43309).
 */
import { BrowserWindow, session } from 'electron';
import type { PrintAttempt } from './ipc/print';
import { PRINT_WINDOW_WEB_PREFERENCES, denyAllPermissions } from './security';

let printSessionGuarded = false;

export function printPdfFile(path: string, title: string): Promise<PrintAttempt> {
  if (!printSessionGuarded) {
    denyAllPermissions(session.fromPartition(PRINT_WINDOW_WEB_PREFERENCES.partition));
    printSessionGuarded = true;
  }
  return new Promise((resolve) => {
    const window = new BrowserWindow({
      title,
      show: false,
      // As in window.ts: the checked set, its most important settings written out for the scan.
      webPreferences: {
        ...PRINT_WINDOW_WEB_PREFERENCES,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        disableBlinkFeatures: 'Auxclick',
      },
    });
    let settled = false;
    const finish = (attempt: PrintAttempt) => {
      if (settled) return;
      settled = true;
      if (!window.isDestroyed()) window.destroy();
      resolve(attempt);
    };
    window.webContents.once('did-fail-load', () => finish('failed'));
    window.webContents.once('did-finish-load', () => {
      window.webContents.print({ silent: false, printBackground: true }, (success, reason) =>
        finish(success ? 'printed' : reason === 'cancelled' ? 'cancelled' : 'failed'),
      );
    });
    window.loadFile(path).catch(() => finish('failed'));
  });
}
