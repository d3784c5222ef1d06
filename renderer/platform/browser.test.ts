// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { BROWSER_KEYCHAIN_WARNING, createBrowserPlatform } from './browser';
import { createBrowserKeychain } from './browser-keychain';

const PDF = new TextEncoder().encode('%PDF-1.7\n% consent packet\n');

function platformWithSpies() {
  const env = {
    openPdfTab: vi.fn((_bytes: Uint8Array) => true),
    openLink: vi.fn((_url: string) => undefined),
    download: vi.fn((_bytes: Uint8Array, _name: string, _type: string) => undefined),
    keychain: createBrowserKeychain(indexedDB, `kat-keychain-${crypto.randomUUID()}`),
  };
  return { env, platform: createBrowserPlatform(env) };
}

describe('browser mode: links', () => {
  it('opens a web link in a new tab', async () => {
    const { env, platform } = platformWithSpies();
    expect(await platform.openExternal({ url: 'https://www.fda.gov/drugs' })).toEqual({
      ok: true,
      value: { opened: true },
    });
    expect(env.openLink).toHaveBeenCalledWith('https://www.fda.gov/drugs');
  });

  it.each([
    'javascript:alert(document.cookie)',
    'file:///etc/passwd',
    'data:text/html,<script>alert(1)</script>',
    'https://www.fda.gov@evil.example/',
  ])('refuses %j with the same check as the desktop app', async (url) => {
    const { env, platform } = platformWithSpies();
    const result = await platform.openExternal({ url });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(env.openLink).not.toHaveBeenCalled();
  });
});

describe('browser mode: keychain', () => {
  it('keeps a secret across platform instances and warns about the browser profile', async () => {
    const dbName = `kat-keychain-${crypto.randomUUID()}`;
    const first = createBrowserPlatform({ keychain: createBrowserKeychain(indexedDB, dbName) });
    expect(await first.setSecret({ name: 'device-key', secret: 'k3y-m4terial' })).toEqual({
      ok: true,
      value: { backend: 'browser-profile', warning: BROWSER_KEYCHAIN_WARNING },
    });
    // A reload: a new platform object, the same IndexedDB.
    const second = createBrowserPlatform({ keychain: createBrowserKeychain(indexedDB, dbName) });
    expect(await second.getSecret({ name: 'device-key' })).toMatchObject({
      ok: true,
      value: { secret: 'k3y-m4terial', backend: 'browser-profile' },
    });
    expect(await second.deleteSecret({ name: 'device-key' })).toEqual({
      ok: true,
      value: { deleted: true },
    });
    expect(await second.getSecret({ name: 'device-key' })).toMatchObject({
      ok: true,
      value: { secret: null },
    });
  });

  it('stores the secret only sealed, under a key that cannot be exported', async () => {
    const dbName = `kat-keychain-${crypto.randomUUID()}`;
    await createBrowserKeychain(indexedDB, dbName).set('device-key', 'k3y-m4terial');
    const db = await new Promise<IDBDatabase>((resolve) => {
      const request = indexedDB.open(dbName);
      request.onsuccess = () => resolve(request.result);
    });
    const read = <T>(store: string, key: string) =>
      new Promise<T>((resolve) => {
        const request = db.transaction(store).objectStore(store).get(key);
        request.onsuccess = () => resolve(request.result as T);
      });
    const entry = await read<{ sealed: ArrayBuffer }>('secrets', 'device-key');
    expect(new TextDecoder().decode(entry.sealed)).not.toContain('k3y-m4terial');
    const key = await read<CryptoKey>('keys', 'sealing-key');
    expect(key.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('raw', key)).rejects.toThrow();
    db.close();
  });

  it('will not open a sealed secret copied under another name', async () => {
    const dbName = `kat-keychain-${crypto.randomUUID()}`;
    const keychain = createBrowserKeychain(indexedDB, dbName);
    await keychain.set('sync-token', 'token-for-clinic-a');
    const db = await new Promise<IDBDatabase>((resolve) => {
      const request = indexedDB.open(dbName);
      request.onsuccess = () => resolve(request.result);
    });
    const entry = await new Promise<unknown>((resolve) => {
      const request = db.transaction('secrets').objectStore('secrets').get('sync-token');
      request.onsuccess = () => resolve(request.result);
    });
    await new Promise<void>((resolve) => {
      const tx = db.transaction('secrets', 'readwrite');
      tx.objectStore('secrets').put(entry, 'device-key');
      tx.oncomplete = () => resolve();
    });
    db.close();
    const result = await createBrowserPlatform({ keychain }).getSecret({ name: 'device-key' });
    expect(result).toMatchObject({ ok: false, error: { code: 'keychain-unreadable' } });
  });

  it('refuses a bad name before touching storage', async () => {
    const { env, platform } = platformWithSpies();
    const set = vi.spyOn(env.keychain, 'set');
    const result = await platform.setSecret({ name: '../Device Key', secret: 'x' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(set).not.toHaveBeenCalled();
  });
});

describe('browser mode: print, save and backups', () => {
  it('shows the PDF in a new tab and says so when pop-ups are blocked', async () => {
    const { env, platform } = platformWithSpies();
    expect(await platform.printPdf({ bytes: PDF, title: 'Consent packet' })).toEqual({
      ok: true,
      value: { outcome: 'opened' },
    });
    env.openPdfTab.mockReturnValue(false);
    const blocked = await platform.printPdf({ bytes: PDF, title: 'Consent packet' });
    expect(blocked).toMatchObject({ ok: false, error: { code: 'print-failed' } });
    if (!blocked.ok) expect(blocked.error.message).toMatch(/Allow pop-ups/);
  });

  it('downloads a PDF under its safe name', async () => {
    const { env, platform } = platformWithSpies();
    const result = await platform.savePdf({ bytes: PDF, suggestedName: 'Consent: Doe/Jane' });
    expect(result).toEqual({
      ok: true,
      value: { outcome: 'downloaded', fileName: 'Consent- Doe-Jane.pdf' },
    });
    expect(env.download).toHaveBeenCalledWith(PDF, 'Consent- Doe-Jane.pdf', 'application/pdf');
  });

  it('explains that folder backups need the desktop app', async () => {
    const { platform } = platformWithSpies();
    const info = await platform.appInfo();
    expect(info).toMatchObject({
      ok: true,
      value: { platform: 'browser', features: { backupFolder: false } },
    });
    const result = await platform.writeScheduledBackup({
      bytes: new Uint8Array([1]),
      fileName: 'kat.katbackup',
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'not-available' } });
    if (!result.ok) expect(result.error.message).toMatch(/desktop app/);
  });

  it('downloads through a hidden link in the real DOM', async () => {
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicked.push(this.download);
    });
    URL.createObjectURL = vi.fn(() => 'blob:kat/1');
    URL.revokeObjectURL = vi.fn();
    const platform = createBrowserPlatform();
    await platform.saveFile({
      bytes: new TextEncoder().encode('{}'),
      suggestedName: 'clinic export',
      fileType: { label: 'Export', extension: 'json', mimeType: 'application/json' },
    });
    expect(clicked).toEqual(['clinic export.json']);
    expect(document.querySelectorAll('a[download]')).toHaveLength(0);
  });
});
