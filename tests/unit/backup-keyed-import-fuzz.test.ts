/**
 * Automatic (clinic-key) backups at the import boundary, like backup-import-fuzz.test.ts for the
 * passphrase kind: random files, forged headers, truncations and changed bytes are refused with a
 * readable message, and the computer's store stays empty.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utf8 } from '../../shared/util/bytes';
import { RuleError } from '../../shared/rules/errors';
import { createScheduledBackup, restoreBackup } from '../../renderer/db/backup';
import { KatDatabase } from '../../renderer/db/database';
import { addMaya, freshClinic } from '../../renderer/db/test-support';

let source: KatDatabase;
let target: KatDatabase;
let good: Uint8Array;
let passphrase: string;
/** A user not in the file: refused before any key derivation, so many runs stay fast. */
const STRANGER = { username: 'nobody', passphrase: 'not anyone in this clinic' };

beforeAll(async () => {
  const c = await freshClinic();
  source = c.db;
  passphrase = c.passphrase;
  await addMaya(c.store);
  good = (await createScheduledBackup(c.store)).bytes;
  target = new KatDatabase(`keyed-fuzz-target-${Date.now()}`);
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

async function refusedPlainly(bytes: Uint8Array, secret = STRANGER) {
  const error = await restoreBackup(target, bytes, secret).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RuleError);
  expect((error as Error).message).toMatch(/backup|Backup|user name and passphrase/);
  expect(await rowsIn(target)).toBe(0);
}

/** A file in the keyed layout around any header text (ciphertext: the good file's). */
function withHeader(text: string) {
  const header = utf8(text);
  const oldLength = new DataView(good.buffer, good.byteOffset).getUint32(7);
  const body = good.subarray(11 + oldLength);
  const out = new Uint8Array(11 + header.length + body.length);
  out.set(good.subarray(0, 7));
  new DataView(out.buffer).setUint32(7, header.length);
  out.set(header, 11);
  out.set(body, 11 + header.length);
  return out;
}

describe('automatic backup import fuzz', () => {
  it('refuses random bytes after a keyed preamble', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), (tail) => {
        const file = new Uint8Array(7 + tail.length);
        file.set(good.subarray(0, 7));
        file.set(tail, 7);
        return refusedPlainly(file);
      }),
      { numRuns: 100 },
    );
  });

  it('refuses forged headers: garbage, wrong types, holders replaced', async () => {
    const real = JSON.parse(
      new TextDecoder().decode(
        good.subarray(11, 11 + new DataView(good.buffer, good.byteOffset).getUint32(7)),
      ),
    );
    const forged = fc.oneof(
      fc.anything({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'),
      fc
        .tuple(fc.constantFrom(...Object.keys(real)), fc.anything({ maxDepth: 2 }))
        .map(([k, v]) => JSON.stringify({ ...real, [k]: v })),
      fc
        .anything({ maxDepth: 2 })
        .map((v) => JSON.stringify({ ...real, protection: { ...real.protection, holders: v } })),
    );
    await fc.assert(
      fc.asyncProperty(forged, (text) => refusedPlainly(withHeader(text))),
      {
        numRuns: 120,
      },
    );
  });

  it('refuses every cut of the file', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: good.length - 1 }), (cut) =>
        refusedPlainly(good.slice(0, cut)),
      ),
      { numRuns: 60 },
    );
  });

  it('refuses a changed byte in the sealed part even with the right user', async () => {
    const headerEnd = 11 + new DataView(good.buffer, good.byteOffset).getUint32(7);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: headerEnd, max: good.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (at, flip) => {
          const bad = good.slice();
          bad[at]! ^= flip;
          await refusedPlainly(bad, { username: 'alex', passphrase });
        },
      ),
      { numRuns: 4 }, // each run derives an Argon2id key (64 MiB)
    );
  }, 120_000);

  it('still restores the untouched file afterwards', async () => {
    await restoreBackup(target, good, { username: 'alex', passphrase });
    expect(await rowsIn(target)).toBeGreaterThan(0);
  }, 60_000);
});
