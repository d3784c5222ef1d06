/**
 * A save that IndexedDB refuses (disk full, a transaction that aborts) changes nothing: the record,
 * its outbox change and its audit event all stay as they were, the earlier version is intact, and
 * the person reads what happened in plain words.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from './audit-chain';
import { auditMacKeysFor } from './audit-key';
import type { KatDatabase } from './database';
import { chartStoreFailureMessage } from './storage-health';
import { addMaya, freshClinic } from './test-support';

let opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened) await db.delete();
  opened = [];
});

const counts = (db: KatDatabase) =>
  Promise.all([db.records.count(), db.outbox.count(), db.audit.count()]);

describe('a refused save', () => {
  it.each([
    [
      'the disk is full',
      () => new DOMException('The quota has been exceeded.', 'QuotaExceededError'),
      /out of storage space/,
    ],
    [
      'the transaction fails',
      () => new DOMException('The transaction was aborted.', 'AbortError'),
      /could not be written to this computer’s chart store/,
    ],
  ])('when %s, loses nothing already saved and says so', async (_what, failure, words) => {
    const c = await freshClinic();
    opened.push(c.db);
    const maya = await addMaya(c.store);
    const before = await counts(c.db);
    // IndexedDB refuses the next record write inside the edit's transaction.
    const refuse = () => {
      throw failure();
    };
    c.db.records.hook('updating', refuse);
    const error = await c.store
      .update('patient', maya.id, () => ({ phone: '555-0142' }))
      .catch((e: unknown) => e);
    c.db.records.hook('updating').unsubscribe(refuse);

    expect(chartStoreFailureMessage(error)).toMatch(words);
    expect(chartStoreFailureMessage(error)).toMatch(/saved before is safe/);
    expect(await counts(c.db)).toEqual(before);
    expect((await c.store.get('patient', maya.id))?.phone).toBeUndefined();
    expect((await verifyAuditChain(c.db, await auditMacKeysFor(c.session))).ok).toBe(true);
    // And the same edit goes through once storage is back.
    await c.store.update('patient', maya.id, () => ({ phone: '555-0142' }));
    expect((await c.store.get('patient', maya.id))?.phone).toBe('555-0142');
    expect((await verifyAuditChain(c.db, await auditMacKeysFor(c.session))).ok).toBe(true);
  });
});
