/**
 * The removed-user adversary of THREATS.md, for tests: given the clinic key versions someone once
 * held (an old session object kept around) and a computer's disk or a backup's tables, count
 * every sealed thing those keys open. The adversary ignores the version a row claims and simply
 * tries each key it has. Not used by the app.
 */
import type { ClinicKeyring } from '../../shared/crypto/keyring';
import type { AuditRow, DraftRow, KatDatabase, RecordRow } from './database';
import { decryptRecord, decryptText } from './record-crypto';
import { auditAad } from './record-store';
import type { SeenRow } from './sync-state';

export type AtRest = {
  records: RecordRow[];
  drafts: DraftRow[];
  audit: AuditRow[];
  seen?: SeenRow[];
};

export type Opened = { records: number; drafts: number; audit: number; seen: number };

export const keysOf = (keyring: ClinicKeyring) => keyring.entries().map((e) => e.key);

async function opens(tryOpen: (key: CryptoKey) => Promise<unknown>, keys: CryptoKey[]) {
  for (const key of keys) {
    try {
      await tryOpen(key);
      return true;
    } catch {
      // not this key
    }
  }
  return false;
}

/** How many sealed rows `keys` open; audit details only for events at or after `since`. */
export async function openedBy(
  keys: CryptoKey[],
  clinicId: string,
  rest: AtRest,
  since = '',
): Promise<Opened> {
  const out: Opened = { records: 0, drafts: 0, audit: 0, seen: 0 };
  for (const row of rest.records)
    if (await opens((k) => decryptRecord(row, k, clinicId), keys)) out.records++;
  for (const row of rest.drafts)
    if (await opens((k) => decryptText(row, k, `kat:draft:v1|${clinicId}|${row.key}`), keys))
      out.drafts++;
  for (const row of rest.audit)
    if (
      row.detail &&
      row.at >= since &&
      (await opens((k) => decryptText(row.detail!, k, auditAad(clinicId, row.id)), keys))
    )
      out.audit++;
  for (const s of rest.seen ?? []) {
    const base = s.base?.row;
    if (!base) continue;
    const row = {
      ...base,
      id: s.recordId,
      patientId: '',
      date: '',
      status: 'draft' as const,
      updatedAt: '',
    };
    if (await opens((k) => decryptRecord(row, k, clinicId), keys)) out.seen++;
  }
  return out;
}

/** Everything sealed on a computer's disk. */
export async function diskOf(db: KatDatabase): Promise<AtRest> {
  return {
    records: await db.records.toArray(),
    drafts: await db.drafts.toArray(),
    audit: await db.audit.toArray(),
    seen: await db.syncSeen.toArray(),
  };
}
