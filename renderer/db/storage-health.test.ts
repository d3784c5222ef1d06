import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  requestPersistentStorage,
  storageFailureMessage,
  storageStatus,
} from './storage-health';

describe('storage health', () => {
  it('reports usage and persistence, and asks for persistence once', async () => {
    let asked = 0;
    const storage = {
      persisted: async () => asked > 0,
      persist: async () => ++asked > 0,
      estimate: async () => ({ usage: 5 * 1024 * 1024, quota: 2 * 1024 ** 3 }),
    };
    expect(await storageStatus(storage)).toEqual({
      supported: true,
      persisted: false,
      usageBytes: 5 * 1024 * 1024,
      quotaBytes: 2 * 1024 ** 3,
    });
    expect(await requestPersistentStorage(storage)).toBe(true);
    expect(await requestPersistentStorage(storage)).toBe(true);
    expect(asked).toBe(1);
    expect((await storageStatus(storage)).persisted).toBe(true);
  });

  it('says so when the browser has no storage manager or refuses', async () => {
    expect(await storageStatus({})).toEqual({ supported: false, persisted: false });
    expect(
      await requestPersistentStorage({
        persisted: async () => false,
        persist: () => Promise.reject(new Error('denied')),
      }),
    ).toBe(false);
  });

  it('formats sizes for people', () => {
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MB');
    expect(formatBytes(2 * 1024 ** 3)).toBe('2.0 GB');
    expect(formatBytes(300 * 1024)).toBe('300 KB');
  });

  it('turns quota, blocked-upgrade and failed-transaction errors into plain words', () => {
    const quota = new Dexie.AbortError('Transaction aborted', new Dexie.QuotaExceededError('full'));
    expect(storageFailureMessage(quota)).toMatch(/out of storage space.*saved before is safe/);
    expect(storageFailureMessage(new Dexie.VersionError('old'))).toMatch(/another window/);
    expect(storageFailureMessage(new Dexie.AbortError('aborted'))).toMatch(
      /could not be written.*not saved/,
    );
    expect(storageFailureMessage(new Error('Please check: name'))).toBeUndefined();
  });

  it('loses nothing already saved when a write is refused for lack of space', async () => {
    const db = new Dexie(`quota-${Date.now()}`);
    db.version(1).stores({ notes: 'id' });
    await db.table('notes').add({ id: 'a', text: 'saved before' });
    await expect(
      db.transaction('rw', db.table('notes'), async () => {
        await db.table('notes').put({ id: 'a', text: 'half-written' });
        throw new Dexie.QuotaExceededError('The quota has been exceeded.');
      }),
    ).rejects.toSatisfy((e) => /out of storage space/.test(storageFailureMessage(e) ?? ''));
    expect(await db.table('notes').get('a')).toEqual({ id: 'a', text: 'saved before' });
    await db.delete();
  });
});
