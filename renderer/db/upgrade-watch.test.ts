import Dexie from 'dexie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { storageFailureMessage } from './storage-health';
import {
  type StorageNotice,
  UPGRADED_ELSEWHERE,
  WAITING_FOR_OLD_WINDOW,
  watchUpgrades,
} from './upgrade-watch';

const names: string[] = [];
afterEach(async () => {
  for (const name of names.splice(0)) await Dexie.delete(name);
});

function open(name: string, version: number) {
  const db = new Dexie(name);
  db.version(1).stores({ drafts: 'key' });
  if (version >= 2) db.version(2).stores({ drafts: 'key, userId' });
  return db;
}

const waitFor = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
};

describe('another window opens a newer version of the store', () => {
  it('the old window saves what is typed, closes, and says why; the new one opens', async () => {
    const name = `upgrade-watch-${Date.now()}`;
    names.push(name);
    const old = open(name, 1);
    const notices: StorageNotice[] = [];
    const order: string[] = [];
    watchUpgrades(old, {
      flush: async () => {
        // The flush writes through the old connection, which must still be open.
        await old.table('drafts').put({ key: 'note-1', text: 'half a sentence' });
        order.push('flushed');
      },
      notify: (n) => {
        order.push('notified');
        notices.push(n);
      },
    });
    await old.open();

    const newer = open(name, 2);
    await newer.open();
    expect(newer.verno).toBe(2);
    await waitFor(() => notices.length === 1);
    expect(order).toEqual(['flushed', 'notified']);
    expect(notices[0]).toEqual(UPGRADED_ELSEWHERE);
    expect(old.isOpen()).toBe(false);
    expect(await newer.table('drafts').get('note-1')).toMatchObject({ text: 'half a sentence' });
    // The old window does not reopen behind the person's back; its next write says what happened.
    const refused = await old
      .table('drafts')
      .put({ key: 'note-2' })
      .catch((e: unknown) => e);
    expect(storageFailureMessage(refused)).toMatch(/Reload the app; nothing saved was lost/);
    newer.close();
  });

  it('a flush that hangs does not keep the newer window waiting for ever', async () => {
    const name = `upgrade-watch-hang-${Date.now()}`;
    names.push(name);
    const old = open(name, 1);
    const notify = vi.fn();
    watchUpgrades(old, { flush: () => new Promise(() => undefined), notify, flushTimeoutMs: 50 });
    await old.open();
    const newer = open(name, 2);
    await newer.open();
    expect(notify).toHaveBeenCalledWith(UPGRADED_ELSEWHERE);
    newer.close();
  });

  it('the newer window says it waits for an old one that does not let go', async () => {
    const name = `upgrade-watch-blocked-${Date.now()}`;
    names.push(name);
    const stubborn = open(name, 1);
    stubborn.on('versionchange', () => false); // an old release that ignores the request
    await stubborn.open();
    const newer = open(name, 2);
    const notify = vi.fn();
    watchUpgrades(newer, { flush: async () => undefined, notify });
    const opening = newer.open();
    await waitFor(() => notify.mock.calls.length > 0);
    expect(notify).toHaveBeenCalledWith(WAITING_FOR_OLD_WINDOW);
    stubborn.close();
    await opening;
    expect(newer.verno).toBe(2);
    newer.close();
  });
});

describe('what a failed save says', () => {
  it('names store failures in plain words and leaves other errors alone', async () => {
    const { chartStoreFailureMessage } = await import('./storage-health');
    const quota = new Dexie.AbortError('aborted', new DOMException('full', 'QuotaExceededError'));
    expect(chartStoreFailureMessage(quota)).toMatch(
      /out of storage space .* Everything saved before is safe/,
    );
    expect(chartStoreFailureMessage(new Dexie.AbortError('Transaction aborted'))).toMatch(
      /was not saved\. Everything saved before is safe/,
    );
    // A cancelled network request is not a failed save.
    expect(chartStoreFailureMessage(new DOMException('cancelled', 'AbortError'))).toBeUndefined();
    expect(chartStoreFailureMessage(new Error('Please check: name'))).toBeUndefined();
  });
});
