/** Shared fakes for the handler tests: every Electron piece a spy, so a test can see what ran. */
import { vi } from 'vitest';
import type { BackupDeps } from './backup';
import type { SaveDeps } from './files';
import type { KeychainDeps } from './keychain';
import type { PrintDeps } from './print';

export const PDF = new TextEncoder().encode('%PDF-1.7\n% consent packet for J. Doe\n');

export function fakePrint(attempt: 'printed' | 'cancelled' | 'failed' = 'printed') {
  return {
    writeTempPdf: vi.fn(async () => '/userData/print/1.pdf'),
    printPdfFile: vi.fn(async () => attempt),
    openWithSystemViewer: vi.fn(async () => true),
    removeFile: vi.fn(async () => undefined),
  } satisfies PrintDeps;
}

export function fakeSave(chosen: string | null = '/home/ann/Documents/packet.pdf') {
  return {
    askWhereToSave: vi.fn(async () => chosen),
    writeFile: vi.fn(async () => undefined),
  } satisfies SaveDeps;
}

export function fakeKeychain(backend: ReturnType<KeychainDeps['backend']> = 'gnome_libsecret') {
  const files = new Map<string, Uint8Array>();
  return {
    files,
    isAvailable: vi.fn(async () => true),
    backend: vi.fn(() => backend),
    // A stand-in cipher: reversible, and visibly not the plain text.
    encrypt: vi.fn(async (text: string) =>
      new TextEncoder().encode(`sealed:${[...text].reverse().join('')}`),
    ),
    decrypt: vi.fn(async (sealed: Uint8Array) => {
      const text = new TextDecoder().decode(sealed);
      if (!text.startsWith('sealed:')) throw new Error('bad ciphertext');
      return { result: [...text.slice(7)].reverse().join(''), shouldReEncrypt: false };
    }),
    store: {
      read: vi.fn(async (name: string) => files.get(name) ?? null),
      write: vi.fn(async (name: string, sealed: Uint8Array) => void files.set(name, sealed)),
      remove: vi.fn(async (name: string) => files.delete(name)),
    },
    warn: vi.fn(),
  } satisfies KeychainDeps & { files: Map<string, Uint8Array> };
}

export function fakeBackup(folder: string | null = '/media/usb/kat-backups') {
  let remembered = folder;
  return {
    askForFolder: vi.fn(async (): Promise<string | null> => '/media/usb/new-folder'),
    readChosenFolder: vi.fn(async () => remembered),
    rememberFolder: vi.fn(async (f: string) => void (remembered = f)),
    folderIsWritable: vi.fn(async () => true),
    writeFileAtomically: vi.fn(async () => undefined),
    listFolder: vi.fn(async (): Promise<string[]> => []),
    removeFile: vi.fn(async () => undefined),
  } satisfies BackupDeps;
}
