/**
 * Whole-store encrypted backup and restore (HIPAA 45 CFR 164.308(a)(7)(ii)(A) data backup plan,
 * (B) disaster recovery). A backup is read in one read transaction (a consistent snapshot); a
 * restore checks the whole file first — passphrase, every row's shape, the audit chains — and then
 * writes every table in ONE transaction, so it either all lands or nothing does.
 */
import { version as appVersion } from '../../package.json';
import {
  BackupFileError,
  type ClinicKeyProtection,
  type KeyHolder,
  decodeBackup,
  decodeKeyedBackup,
  encodeBackup,
  encodeKeyedBackup,
  readBackupHeader,
} from '../../shared/backup/format';
import type { BackupTables } from '../../shared/backup/contents';
import { WrongPassphraseError, newKdfParams } from '../../shared/crypto/passphrase';
import { Passphrase, Username } from '../../shared/model';
import { assertStrongPassphrase } from '../../shared/rules/passphrase-strength';
import { RuleError } from '../../shared/rules/errors';
import { type ChainHead, chainHeadKey, verifyAuditRows } from './audit-chain';
import { auditSealText } from './audit-seal';
import { type ClinicMeta, newDeviceId, readClinic } from './auth';
import { CURRENT_DB_VERSION, type KatDatabase } from './database';
import { seenVector } from './sync-state';
import { vvJoin, vvOf } from '../../shared/sync/version-vector';
import { draftAad, keyForVersion, recordAad, resealBytes } from './record-crypto';
import type { RecordStore } from './record-store';
import { RECOVERY_OWNER, type UserKeys, openHolder, readRecoveryHolder } from '../sync/clinic-keys';
import {
  RecoveryKeyFormatError,
  parseRecoveryKey,
  recoveryKek,
} from '../../shared/crypto/keyring-recovery';
import { type FactorProof, kekForJoin } from './second-factor';

export const BACKUP_FILE_TYPE = {
  label: 'KAT Chart encrypted backup',
  extension: 'katbackup',
  mimeType: 'application/octet-stream',
} as const;

/** Everything on this computer, as one table-by-table snapshot. */
async function snapshot(db: KatDatabase): Promise<BackupTables> {
  return db.transaction(
    'r',
    [db.records, db.outbox, db.audit, db.keyring, db.drafts, db.meta, db.syncSeen],
    async () => ({
      records: await db.records.toArray(),
      outbox: (await db.outbox.toArray()) as BackupTables['outbox'],
      audit: await db.audit.toArray(),
      keyring: await db.keyring.toArray(),
      drafts: await db.drafts.toArray(),
      // The vectors only: a base row is ciphertext under the key version it was stored with.
      seen: (await db.syncSeen.toArray()).map((r) => ({
        recordId: r.recordId,
        vv: seenVector(r),
      })),
      meta: await db.meta.toArray(),
    }),
  );
}

/**
 * The snapshot with every record and form draft under the newest clinic key version this session
 * holds, whatever the background re-seal (reseal.ts) has reached: a backup made after a rotation
 * holds nothing a person who left can open, even if they know its backup passphrase. Audit
 * details stay as written (their chain hashes them; see reseal.ts). The rows on disk are not
 * changed here.
 */
async function snapshotUnderNewest(store: RecordStore): Promise<BackupTables> {
  const tables = await snapshot(store.db);
  const { session } = store;
  const target = session.keyVersion;
  const to = session.dataKey;
  const move = async <R extends { keyVersion: number; iv: Uint8Array; ct: Uint8Array }>(
    row: R,
    aad: string,
  ): Promise<R> => {
    if (row.keyVersion >= target) return row;
    const from = keyForVersion(session, row.keyVersion);
    return { ...row, keyVersion: target, ...(await resealBytes(row, from, to, aad)) };
  };
  const { clinicId } = session;
  return {
    ...tables,
    records: await Promise.all(
      tables.records.map((r) => move(r, recordAad(clinicId, r.kind, r.id))),
    ),
    drafts: await Promise.all(tables.drafts.map((d) => move(d, draftAad(clinicId, d.key)))),
  };
}

/** The seal of this computer's chain as the backup holds it: every backup is a checkpoint. */
function backupSeal(tables: BackupTables, deviceId: string, now: Date): string | undefined {
  const head = tables.meta.find((m) => m.key === chainHeadKey(deviceId))?.value as
    ChainHead | undefined;
  return head ? auditSealText(deviceId, head, now) : undefined;
}

export function backupFileName(clinicName: string, at: Date) {
  const safe = clinicName.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'clinic';
  const stamp = at.toISOString().slice(0, 16).replace(/[T:]/g, '-');
  return `${safe}-backup-${stamp}.katbackup`;
}

/** An administrator makes an encrypted backup under its own passphrase; the export is audited. */
export async function createBackup(
  store: RecordStore,
  backupPassphrase: string,
  now = new Date(),
): Promise<{ bytes: Uint8Array; fileName: string }> {
  if (!store.roles.includes('administrator'))
    throw new RuleError('permission.denied', 'Only an administrator can make a backup.');
  const passphrase = Passphrase.parse(backupPassphrase);
  const clinic = (await readClinic(store.db))!;
  // Issue 18 finding 5: the backup passphrase guards a copy of everything; checked like a user's.
  await assertStrongPassphrase(passphrase, [clinic.clinicName, store.session.user.username]);
  // Audited first, so the backup itself holds the record that it was made.
  await store.audit('export', { detail: 'Encrypted backup of the whole clinic store' });
  const tables = await snapshotUnderNewest(store);
  const bytes = await encodeBackup(
    {
      createdAt: now.toISOString(),
      clinicId: clinic.clinicId,
      dbVersion: CURRENT_DB_VERSION,
      appVersion,
      auditSeal: backupSeal(tables, clinic.deviceId, now),
      kdf: newKdfParams(),
    },
    tables,
    passphrase,
  );
  return { bytes, fileName: backupFileName(clinic.clinicName, now) };
}

export function scheduledBackupFileName(clinicName: string, at: Date) {
  return backupFileName(clinicName, at).replace(/-backup-/, '-auto-backup-');
}

/**
 * A scheduled backup (desktop): sealed under the newest clinic key version open while someone is
 * signed in, so no passphrase is stored anywhere. The header carries each user's keyring row
 * (wrapped keys, as stored on disk already), so any user of the clinic can restore it with their
 * own user name and passphrase. Audited like a manual backup, under the signed-in user.
 */
export async function createScheduledBackup(
  store: RecordStore,
  now = new Date(),
): Promise<{ bytes: Uint8Array; fileName: string }> {
  // An administrator's schedule (backup-schedule.ts) runs whoever is signed in: the file opens
  // only with a clinic user's passphrase, so it gives nobody more than they already have.
  const clinic = (await readClinic(store.db))!;
  await store.audit('export', { detail: 'Scheduled encrypted backup (clinic key)' });
  const tables = await snapshotUnderNewest(store);
  // Only people still in the clinic can open it: a removed user's entry (should a computer
  // still hold one) is left out, and the file is sealed under the newest version, which no one
  // removed before it was made ever held.
  const active = new Set((await store.listKind('user')).filter((u) => u.active).map((u) => u.id));
  const holders = (tables.keyring as unknown as KeyHolder[]).filter((h) => active.has(h.userId));
  const recovery = await readRecoveryHolder(store.db);
  const bytes = await encodeKeyedBackup(
    {
      createdAt: now.toISOString(),
      clinicId: clinic.clinicId,
      dbVersion: CURRENT_DB_VERSION,
      appVersion,
      auditSeal: backupSeal(tables, clinic.deviceId, now),
      protection: {
        kind: 'clinic-key',
        keyVersion: store.session.keyVersion,
        clinicCreatedAt: clinic.createdAt,
        holders,
        ...(recovery ? { recovery: { identity: recovery.identity, grants: recovery.grants } } : {}),
      },
    },
    tables,
    store.session.dataKey,
  );
  return { bytes, fileName: scheduledBackupFileName(clinic.clinicName, now) };
}

/**
 * A user's name and passphrase, for a backup sealed under the clinic key; with their second
 * factor's answer when their row has one (FactorNeededError says what to ask for).
 */
export type UserSecret = {
  username: string;
  passphrase: string;
  proof?: FactorProof;
  /** Where the security key was used (tests); the page's own origin otherwise. */
  origin?: string;
};

const WRONG_USER =
  'That user name and passphrase do not open this backup. Use the user name and passphrase of someone in this clinic as they were when the backup was made.';

/** The data key of a keyed backup, opened the way sign-in opens it. */
async function keyFromHolder(p: ClinicKeyProtection, secret: UserSecret): Promise<CryptoKey> {
  const name = Username.safeParse(secret.username);
  const holder = name.success ? p.holders.find((h) => h.username === name.data) : undefined;
  if (!holder) throw new BackupFileError(WRONG_USER);
  try {
    // A member whose keys are sealed under passphrase + PRF security key needs the key here too
    // (issue 18 deliverable 5): the same check a joining computer makes.
    const kek = await kekForJoin(
      holder as unknown as UserKeys,
      name.data!,
      secret.passphrase,
      secret.proof,
      secret.origin ?? globalThis.location?.origin ?? '',
    );
    const { keyring } = await openHolder(holder as never, kek, holder.userId, p.clinicCreatedAt);
    const key = keyring.keyFor(p.keyVersion);
    if (!key)
      throw new BackupFileError(
        `This user does not hold clinic key version ${p.keyVersion}, which the backup is sealed under. Try another user of the clinic.`,
      );
    return key;
  } catch (e) {
    if (e instanceof WrongPassphraseError) throw new BackupFileError(WRONG_USER);
    throw e;
  }
}

/** The data key of a keyed backup, opened with the clinic recovery key. */
async function keyFromRecovery(
  p: ClinicKeyProtection,
  clinicId: string,
  typed: string,
): Promise<CryptoKey> {
  if (!p.recovery)
    throw new BackupFileError(
      'This backup was made before the clinic had a recovery key, so the recovery key cannot ' +
        'open it. Use the user name and passphrase of someone in this clinic.',
    );
  let bytes: Uint8Array;
  try {
    bytes = await parseRecoveryKey(typed);
  } catch (e) {
    if (e instanceof RecoveryKeyFormatError) throw new BackupFileError(e.message);
    throw e;
  }
  try {
    const { keyring } = await openHolder(
      p.recovery as never,
      await recoveryKek(bytes, clinicId),
      RECOVERY_OWNER,
      p.clinicCreatedAt,
    );
    const key = keyring.keyFor(p.keyVersion);
    if (key) return key;
  } catch (e) {
    if (!(e instanceof WrongPassphraseError)) throw e;
  }
  throw new BackupFileError(
    'That recovery key does not open this backup. It may be from an older or newer sheet: use ' +
      'the sheet that was current when the backup was made.',
  );
}

/** Which secret a backup file needs: its own backup passphrase, or a user's name and passphrase. */
export function backupProtection(file: Uint8Array): 'backup-passphrase' | 'user-passphrase' {
  return readBackupHeader(file).header.version === 1 ? 'backup-passphrase' : 'user-passphrase';
}

/** Checks a decoded backup as a whole; returns what it would restore. */
export function checkBackup(header: { dbVersion: number }, tables: BackupTables): ClinicMeta {
  if (header.dbVersion > CURRENT_DB_VERSION)
    throw new BackupFileError(
      'This backup was made by a newer KAT Chart. Update KAT Chart on this computer, then restore it.',
    );
  const clinic = checkClinicMeta(tables);
  const heads: Record<string, ChainHead> = {};
  for (const m of tables.meta)
    if (m.key.startsWith('audit-head:'))
      heads[m.key.slice('audit-head:'.length)] = m.value as ChainHead;
  const chain = verifyAuditRows(tables.audit, heads);
  if (!chain.ok) {
    const broken = chain.devices.find((d) => d.firstBreak)!;
    throw new BackupFileError(
      `The audit log inside this backup does not verify (${broken.firstBreak!.problem}) Nothing was restored; use another backup and tell your security officer.`,
    );
  }
  const ids = new Set(tables.records.map((r) => r.id));
  if (ids.size !== tables.records.length)
    throw new BackupFileError('The backup holds the same record twice. Use another backup.');
  return clinic;
}

/**
 * A restored backup is a fork of the computer that made it, which may have gone on writing and
 * syncing after the backup under the same local id. The restored store takes a new one (its clock
 * node and audit chain name): version vectors count writes per node, so a write here under the old
 * node would claim to include the old computer's later writes it never saw, and the other computers
 * would take it as their successor and drop the old computer's last edit of a draft without a copy
 * (tests/sync/reenroll-backup.test.ts). Its audit chain starts afresh rather than spend sequence
 * numbers the old computer already used; the old chain's events stay as they were.
 */
export function asRestoredCopy(tables: BackupTables): { tables: BackupTables; clinic: ClinicMeta } {
  const old = checkClinicMeta(tables);
  const clinic = { ...old, deviceId: newDeviceId() };
  const meta = tables.meta.map((m) => (m.key === 'clinic' ? { ...m, value: clinic } : m));
  return { tables: { ...tables, meta }, clinic };
}

function checkClinicMeta(tables: BackupTables): ClinicMeta {
  const clinic = tables.meta.find((m) => m.key === 'clinic')?.value as ClinicMeta | undefined;
  if (!clinic || typeof clinic.clinicId !== 'string' || typeof clinic.deviceId !== 'string')
    throw new BackupFileError(
      'The backup does not say which clinic it belongs to. Use another backup.',
    );
  return clinic;
}

/**
 * Restores into a computer with no clinic yet. Nothing is written until the whole file has been
 * decrypted and checked; the write is one transaction over every table.
 */
export async function restoreBackup(
  db: KatDatabase,
  file: Uint8Array,
  secret: string | UserSecret | { recoveryKey: string },
): Promise<ClinicMeta> {
  if (await readClinic(db))
    throw new RuleError(
      'backup.not-empty',
      'This computer already has a clinic. A backup can only be restored into a fresh install, so nothing is overwritten.',
    );
  const { header, tables: decoded } =
    typeof secret === 'string'
      ? await decodeBackup(file, secret)
      : 'recoveryKey' in secret
        ? await decodeKeyedBackup(file, (p, h) =>
            keyFromRecovery(p, h.clinicId, secret.recoveryKey),
          )
        : await decodeKeyedBackup(file, (p) => keyFromHolder(p, secret));
  const checked = checkBackup(header, decoded);
  if (header.clinicId !== checked.clinicId)
    throw new BackupFileError(
      'The backup’s label and contents name different clinics. Use another backup.',
    );
  const { tables, clinic } = asRestoredCopy(decoded);
  const all = [db.records, db.outbox, db.audit, db.keyring, db.drafts, db.meta, db.syncSeen];
  await db.transaction('rw', all, async () => {
    // Settings a fresh install may already keep in meta are overwritten; clinic data must be absent.
    const holdsClinic = [db.records, db.audit, db.keyring].map((t) => t.count());
    if ((await Promise.all(holdsClinic)).some((n) => n > 0) || (await db.meta.get('clinic')))
      throw new RuleError(
        'backup.not-empty',
        'This computer started storing a clinic while the backup was being read. Nothing was restored.',
      );
    await db.records.bulkAdd(tables.records);
    await db.outbox.bulkAdd(tables.outbox);
    await db.audit.bulkAdd(tables.audit);
    await db.keyring.bulkAdd(tables.keyring as never);
    await db.drafts.bulkAdd(tables.drafts);
    await db.meta.bulkPut(tables.meta);
    // Each record has seen at least its own version (what a record without a seen row implies
    // here); under the new local id that must be written down, or a backup without vectors (an
    // older app's) would take the versions a restored draft was built from for concurrent edits.
    const seen = new Map((tables.seen ?? []).map((r) => [r.recordId, r.vv]));
    await db.syncSeen.bulkPut(
      tables.records.map((r) => ({
        recordId: r.id,
        vv: vvJoin(seen.get(r.id), vvOf(r.updatedAt)),
      })),
    );
  });
  return clinic;
}
