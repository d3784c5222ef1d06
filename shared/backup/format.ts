/**
 * The encrypted backup file, version 1 (described for people in README.md next to this file):
 *
 *   "KATBAK" (6 bytes) · format version (1 byte) · header length (uint32 BE) · header (UTF-8 JSON)
 *   · IV (12 bytes) · AES-256-GCM ciphertext of deflate(JSON of every table)
 *
 * The key is Argon2id of a backup passphrase (shared/crypto/passphrase.ts; parameters and salt are
 * in the header, and weak ones are refused). The header travels in the clear but is the GCM
 * associated data, so changing any byte of it makes the file refuse to open.
 */
import { deflateSync, inflateSync } from 'fflate';
import { z } from 'zod';
import { IV_BYTES, TamperedError, open, seal } from '../crypto/envelope';
import { KdfParams, deriveKek } from '../crypto/passphrase';
import { RuleError } from '../rules/errors';
import { type Bytes, concatBytes, fromBase64, fromUtf8, toBase64, utf8 } from '../util/bytes';
import { BackupTables } from './contents';

export const BACKUP_MAGIC = 'KATBAK';
/** Version 1: under a backup passphrase. Version 2: under the clinic data key (scheduled backups). */
export const BACKUP_FORMAT_VERSION = 1;
export const KEYED_BACKUP_FORMAT_VERSION = 2;
const PREFIX = 6 + 1 + 4;
const MAX_HEADER_BYTES = 64 * 1024;
/** A keyed header carries every user's wrapped keys: room for a few hundred users. */
const MAX_KEYED_HEADER_BYTES = 1024 * 1024;

const headerBase = {
  format: z.literal('kat-chart-backup'),
  createdAt: z.iso.datetime({ offset: true }),
  clinicId: z.string().min(1),
  /** The Dexie schema version the tables were read from; a newer one cannot be restored. */
  dbVersion: z.number().int().positive(),
  appVersion: z.string().max(40),
  /**
   * The audit seal of the computer that made it (renderer/db/audit-seal.ts): an anchor of its
   * audit chain outside the database, readable without any passphrase. Absent in older backups.
   */
  auditSeal: z.string().max(200).optional(),
};

export const PassphraseHeader = z.object({
  ...headerBase,
  version: z.literal(BACKUP_FORMAT_VERSION),
  kdf: KdfParams,
});
export type PassphraseHeader = z.infer<typeof PassphraseHeader>;

/**
 * A user's keyring row as it sits on disk (passphrase-wrapped data keys, sealed identity, grants):
 * already safe to store, and what lets a user open a keyed backup with their own passphrase.
 */
export const KeyHolder = z
  .object({ userId: z.string().min(1), username: z.string().min(1), kdf: KdfParams })
  .passthrough();
export type KeyHolder = z.infer<typeof KeyHolder>;

export const ClinicKeyProtection = z.object({
  kind: z.literal('clinic-key'),
  /** The clinic key version the contents are sealed under. */
  keyVersion: z.number().int().positive(),
  clinicCreatedAt: z.string().min(1),
  holders: z.array(KeyHolder).min(1).max(1000),
  /**
   * The clinic recovery key's holder (sealed identity and grants, as the server already holds
   * it), when the clinic has one: the way in for a member whose keys need a second factor that
   * cannot be used where the backup is restored. Absent in files from before it.
   */
  recovery: z
    .object({ identity: z.object({}).passthrough(), grants: z.array(z.unknown()).max(1000) })
    .passthrough()
    .optional(),
});
export type ClinicKeyProtection = z.infer<typeof ClinicKeyProtection>;

export const KeyedHeader = z.object({
  ...headerBase,
  version: z.literal(KEYED_BACKUP_FORMAT_VERSION),
  protection: ClinicKeyProtection,
});
export type KeyedHeader = z.infer<typeof KeyedHeader>;

export const BackupHeader = z.discriminatedUnion('version', [PassphraseHeader, KeyedHeader]);
export type BackupHeader = z.infer<typeof BackupHeader>;

export class BackupFileError extends RuleError {
  constructor(message: string) {
    super('backup.unreadable', message);
  }
}

const NOT_A_BACKUP =
  'This file is not a KAT Chart backup, or it was cut short while copying. Choose the .katbackup file again.';

/** Binary fields survive JSON as {"$b64": "..."}. */
const toJson = (tables: BackupTables) =>
  JSON.stringify(tables, (_k, v: unknown) =>
    ArrayBuffer.isView(v) && Object.prototype.toString.call(v) === '[object Uint8Array]'
      ? { $b64: toBase64(v as Uint8Array) }
      : v,
  );
const fromJson = (text: string): unknown =>
  JSON.parse(text, (_k, v: unknown) =>
    v && typeof v === 'object' && typeof (v as { $b64?: unknown }).$b64 === 'string'
      ? fromBase64((v as { $b64: string }).$b64)
      : v,
  );

export async function encodeBackup(
  header: Omit<PassphraseHeader, 'format' | 'version'>,
  tables: BackupTables,
  passphrase: string,
): Promise<Bytes> {
  const full = PassphraseHeader.parse({
    ...header,
    format: 'kat-chart-backup',
    version: BACKUP_FORMAT_VERSION,
  });
  return assemble(full, tables, await deriveKek(passphrase, full.kdf));
}

/**
 * A scheduled backup: sealed under the clinic data key itself, so no passphrase is stored or
 * asked for while the app runs; restoring it takes a user name and that user's passphrase.
 */
export async function encodeKeyedBackup(
  header: Omit<KeyedHeader, 'format' | 'version'>,
  tables: BackupTables,
  dataKey: CryptoKey,
): Promise<Bytes> {
  const full = KeyedHeader.parse({
    ...header,
    format: 'kat-chart-backup',
    version: KEYED_BACKUP_FORMAT_VERSION,
  });
  return assemble(full, tables, dataKey);
}

async function assemble(header: BackupHeader, tables: BackupTables, key: CryptoKey) {
  const headerText = JSON.stringify(header);
  const headerBytes = utf8(headerText);
  const sealed = await seal(key, deflateSync(utf8(toJson(tables))), headerText);
  const prefix = new Uint8Array(PREFIX);
  prefix.set(utf8(BACKUP_MAGIC));
  prefix[6] = header.version;
  new DataView(prefix.buffer).setUint32(7, headerBytes.length);
  return concatBytes(prefix, headerBytes, sealed.iv, sealed.ct);
}

/** Reads the clear header without the passphrase (to say which clinic and when). */
export function readBackupHeader(file: Uint8Array): { header: BackupHeader; headerText: string } {
  if (!(file instanceof Uint8Array) || file.length < PREFIX)
    throw new BackupFileError(NOT_A_BACKUP);
  if (fromLatin1(file.subarray(0, 6)) !== BACKUP_MAGIC) throw new BackupFileError(NOT_A_BACKUP);
  const version = file[6];
  if (version !== BACKUP_FORMAT_VERSION && version !== KEYED_BACKUP_FORMAT_VERSION)
    throw new BackupFileError(
      `This backup was made by a newer KAT Chart (backup format ${file[6]}). Update KAT Chart, then restore it.`,
    );
  const length = new DataView(file.buffer, file.byteOffset, file.byteLength).getUint32(6 + 1);
  const maxHeader = version === BACKUP_FORMAT_VERSION ? MAX_HEADER_BYTES : MAX_KEYED_HEADER_BYTES;
  if (length === 0 || length > maxHeader || PREFIX + length + IV_BYTES + 16 > file.length)
    throw new BackupFileError(NOT_A_BACKUP);
  let headerText: string;
  let parsed: unknown;
  try {
    headerText = fromUtf8(file.subarray(PREFIX, PREFIX + length));
    parsed = JSON.parse(headerText);
  } catch {
    throw new BackupFileError(NOT_A_BACKUP);
  }
  const header = BackupHeader.safeParse(parsed);
  if (!header.success || header.data.version !== version) throw new BackupFileError(NOT_A_BACKUP);
  return { header: header.data, headerText };
}

/** Decrypts and checks every table; throws a plain-words error and returns nothing on any doubt. */
export async function decodeBackup(
  file: Uint8Array,
  passphrase: string,
): Promise<{ header: BackupHeader; tables: BackupTables }> {
  const { header, headerText } = readBackupHeader(file);
  if (header.version !== BACKUP_FORMAT_VERSION)
    throw new BackupFileError(
      'This is a scheduled backup, locked with the clinic key: open it with your user name and passphrase.',
    );
  const key = await deriveKek(passphrase, header.kdf);
  const tables = await openBody(
    file,
    headerText,
    key,
    'The backup passphrase is not correct, or the file was changed or damaged. Check the passphrase; if it is right, use another backup.',
  );
  return { header, tables };
}

/**
 * Opens a keyed (scheduled) backup with the data key `keyFor` finds for its protection block,
 * typically by unwrapping a holder's keys with their passphrase.
 */
export async function decodeKeyedBackup(
  file: Uint8Array,
  keyFor: (protection: ClinicKeyProtection, header: KeyedHeader) => Promise<CryptoKey>,
): Promise<{ header: KeyedHeader; tables: BackupTables }> {
  const { header, headerText } = readBackupHeader(file);
  if (header.version !== KEYED_BACKUP_FORMAT_VERSION)
    throw new BackupFileError(
      'This backup is locked with a backup passphrase of its own, not with a user’s passphrase. Enter the backup passphrase.',
    );
  const key = await keyFor(header.protection, header);
  const tables = await openBody(
    file,
    headerText,
    key,
    'The backup was changed or damaged after it was written, so it does not open. Use another backup.',
  );
  return { header, tables };
}

async function openBody(
  file: Uint8Array,
  headerText: string,
  key: CryptoKey,
  wrongKey: string,
): Promise<BackupTables> {
  const start = PREFIX + utf8(headerText).length;
  let packed: Uint8Array;
  try {
    packed = await open(
      key,
      { iv: file.slice(start, start + IV_BYTES), ct: file.slice(start + IV_BYTES) },
      headerText,
    );
  } catch (e) {
    if (e instanceof TamperedError) throw new BackupFileError(wrongKey);
    throw e;
  }
  let raw: unknown;
  try {
    raw = fromJson(fromUtf8(inflateSync(packed)));
  } catch {
    throw new BackupFileError(
      'The backup opened but its contents cannot be read. Use another backup.',
    );
  }
  const tables = BackupTables.safeParse(raw);
  if (!tables.success) {
    const issue = tables.error.issues[0]!;
    throw new BackupFileError(
      `The backup is incomplete (${issue.path.join('.')}: ${issue.message}). Nothing was restored; use another backup.`,
    );
  }
  return tables.data;
}

function fromLatin1(bytes: Uint8Array) {
  return String.fromCharCode(...bytes);
}
