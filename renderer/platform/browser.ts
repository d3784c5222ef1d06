/**
 * Browser mode's side of the IPC contract (shared/ipc): the same requests, parsed by the same
 * schemas, answered with what a browser can do — a PDF in a new tab, a download, a link in a new
 * tab, secrets in IndexedDB. Folder backups need the desktop app and say so.
 */
import { version } from '../../package.json';
import {
  ipcError,
  ipcOk,
  parseIpcRequest,
  type IpcChannel,
  type IpcRequest,
  type IpcReply,
  type KatApi,
} from '../../shared/ipc';
import { createBrowserKeychain, type BrowserKeychain } from './browser-keychain';

export type BrowserEnv = {
  /** Shows the PDF in a new tab; false when the browser blocked the tab. */
  openPdfTab: (bytes: Uint8Array) => boolean;
  /** A web link in a new tab, with no way back to this page (noopener, noreferrer). */
  openLink: (url: string) => void;
  download: (bytes: Uint8Array, fileName: string, mimeType: string) => void;
  keychain: BrowserKeychain;
  version: string;
};

export const BROWSER_KEYCHAIN_WARNING =
  'In the browser, remembered secrets are protected only by this browser profile: anyone who can ' +
  'copy its files could use them. The desktop app keeps them in the computer’s keychain instead.';

const NO_FOLDER_BACKUPS =
  'Backups into a chosen folder need the KAT Chart desktop app. In the browser, save a backup ' +
  'file instead.';

const keychainStatus = { backend: 'browser-profile', warning: BROWSER_KEYCHAIN_WARNING } as const;

/** Parses the request with the contract's schema, then runs `answer` on the parsed value. */
function handle<C extends IpcChannel>(
  channel: C,
  answer: (request: IpcRequest<C>) => IpcReply<C>,
): (payload?: unknown) => IpcReply<C> {
  return async (payload) => {
    const parsed = parseIpcRequest(channel, payload);
    return parsed.ok ? answer(parsed.request) : parsed.result;
  };
}

export function createBrowserPlatform(overrides: Partial<BrowserEnv> = {}): KatApi {
  const env: BrowserEnv = { ...domEnv(), ...overrides };
  const keychain = async <T>(use: () => Promise<T>, unreadable: string) => {
    try {
      return ipcOk(await use());
    } catch {
      return ipcError<T>('keychain-unreadable', unreadable);
    }
  };

  return Object.freeze({
    appInfo: handle('app:info', async () =>
      ipcOk({
        name: 'KAT Chart',
        version: env.version,
        platform: 'browser',
        features: { backupFolder: false },
      }),
    ),
    printPdf: handle('print:pdf', async ({ bytes }) =>
      env.openPdfTab(bytes)
        ? ipcOk({ outcome: 'opened' as const })
        : ipcError(
            'print-failed',
            'The browser blocked the new tab for the PDF. Allow pop-ups for KAT Chart, or save the PDF and print it from there.',
          ),
    ),
    savePdf: handle('file:save-pdf', async ({ bytes, suggestedName }) => {
      env.download(bytes, suggestedName, 'application/pdf');
      return ipcOk({ outcome: 'downloaded' as const, fileName: suggestedName });
    }),
    saveFile: handle('file:save', async ({ bytes, suggestedName, fileType }) => {
      env.download(bytes, suggestedName, fileType.mimeType);
      return ipcOk({ outcome: 'downloaded' as const, fileName: suggestedName });
    }),
    openExternal: handle('shell:open-external', async ({ url }) => {
      env.openLink(url);
      return ipcOk({ opened: true as const });
    }),
    getSecret: handle('keychain:get', ({ name }) =>
      keychain(
        async () => ({ secret: await env.keychain.get(name), ...keychainStatus }),
        'A remembered secret can no longer be read in this browser. Sign in with your passphrase; KAT Chart will remember it again.',
      ),
    ),
    setSecret: handle('keychain:set', ({ name, secret }) =>
      keychain(async () => {
        await env.keychain.set(name, secret);
        return keychainStatus;
      }, 'This browser would not store the secret (private window or storage full?). Sign in with your passphrase as usual.'),
    ),
    deleteSecret: handle('keychain:delete', ({ name }) =>
      keychain(
        async () => ({ deleted: await env.keychain.remove(name) }),
        'This browser would not forget the secret. Clear this site’s data in the browser settings.',
      ),
    ),
    chooseBackupFolder: handle('backup:choose-folder', async () =>
      ipcError('not-available', NO_FOLDER_BACKUPS),
    ),
    backupFolder: handle('backup:current-folder', async () => ipcOk({ folder: null })),
    writeScheduledBackup: handle('backup:write-scheduled', async () =>
      ipcError('not-available', NO_FOLDER_BACKUPS),
    ),
    // Browser mode has no application menu; the renderer's own shortcuts cover Print and Lock.
    onMenuCommand: () => () => undefined,
  } satisfies KatApi);
}

/** Long enough for a tab or a download to read the blob; then the PDF leaves memory. */
const BLOB_LIFETIME_MS = 60_000;

function blobUrl(bytes: Uint8Array, type: string): string {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
  setTimeout(() => URL.revokeObjectURL(url), BLOB_LIFETIME_MS);
  return url;
}

function domEnv(): BrowserEnv {
  return {
    openPdfTab: (bytes) => {
      const tab = window.open(blobUrl(bytes, 'application/pdf'), '_blank');
      if (tab) tab.opener = null;
      return tab !== null;
    },
    openLink: (url) => void window.open(url, '_blank', 'noopener,noreferrer'),
    download: (bytes, fileName, mimeType) => {
      const link = document.createElement('a');
      link.href = blobUrl(bytes, mimeType);
      link.download = fileName;
      link.rel = 'noopener';
      link.hidden = true;
      document.body.append(link);
      link.click();
      link.remove();
    },
    keychain: createBrowserKeychain(),
    version,
  };
}
