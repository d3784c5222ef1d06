/**
 * Backup import at its trust boundary: random files, truncations and changed bytes are refused
 * with a readable message, and the computer's store stays exactly as empty as it was.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBackupHeader } from '../../shared/backup/format';
import { RuleError } from '../../shared/rules/errors';
import { createBackup, restoreBackup } from '../../renderer/db/backup';
import { KatDatabase } from '../../renderer/db/database';
import { addMaya, freshClinic } from '../../renderer/db/test-support';

const PASS = 'offsite copy kept in the safe';
let source: KatDatabase;
let target: KatDatabase;
let good: Uint8Array;

beforeAll(async () => {
  const c = await freshClinic();
  source = c.db;
  await addMaya(c.store);
  good = (await createBackup(c.store, PASS)).bytes;
  target = new KatDatabase(`fuzz-target-${Date.now()}`);
});
afterAll(async () => {
  await source.delete();
  await target.delete();
});

const rowsIn = async (db: KatDatabase) =>
  (
    await Promise.all(
      [db.records, db.outbox, db.audit, db.keyring, db.drafts, db.meta].map((t) => t.count()),
    )
  ).reduce((a, b) => a + b, 0);

async function refusedPlainly(bytes: Uint8Array) {
  const error = await restoreBackup(target, bytes, PASS).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RuleError);
  expect((error as Error).message).toMatch(/backup|Backup/);
  expect(await rowsIn(target)).toBe(0);
}

describe('backup import fuzz', () => {
  it('refuses random files without asking for the key', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), refusedPlainly), {
      numRuns: 100,
    });
  });

  it('refuses every cut inside the header or the first bytes of the ciphertext', async () => {
    const headerEnd = 11 + new DataView(good.buffer, good.byteOffset).getUint32(7) + 28;
    for (let cut = 0; cut < headerEnd; cut += 7) await refusedPlainly(good.slice(0, cut));
  });

  it('refuses a changed byte anywhere (header, IV, ciphertext, tag)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: good.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (at, xor) => {
          const bent = good.slice();
          bent[at]! ^= xor;
          await refusedPlainly(bent);
        },
      ),
      { numRuns: 8 },
    );
  });

  it('a header naming weak key settings is refused before any key is derived', () => {
    const { headerText } = readBackupHeader(good);
    // Lengths in bytes: the header is UTF-8 (its audit seal has a "·").
    const utf8 = (t: string) => new TextEncoder().encode(t);
    const headerBytes = utf8(headerText).length;
    const weak = utf8(headerText.replace(/"memoryKiB":\d+/, '"memoryKiB":8'));
    const bytes = new Uint8Array(11 + weak.length + (good.length - 11 - headerBytes));
    bytes.set(good.subarray(0, 11));
    new DataView(bytes.buffer).setUint32(7, weak.length);
    bytes.set(weak, 11);
    bytes.set(good.subarray(11 + headerBytes), 11 + weak.length);
    return expect(restoreBackup(target, bytes, PASS)).rejects.toThrow(
      /weaker than KAT Chart allows/,
    );
  });

  it('still restores the untouched file afterwards', async () => {
    await restoreBackup(target, good, PASS);
    expect(await rowsIn(target)).toBeGreaterThan(0);
  });
});
