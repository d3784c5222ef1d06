/**
 * Record bodies at rest: AES-256-GCM under a clinic key version, bound to clinic, kind and id.
 * Every sealed row names its version (`keyVersion`): new rows go under the newest version the
 * session holds, and each row is opened with the key of its own version, so a computer reads
 * every row while the background re-seal (reseal.ts) moves old rows to the newest version.
 */
import type { ClinicKeyring } from '../../shared/crypto/keyring';
import { type Sealed, open, seal } from '../../shared/crypto/envelope';
import { RuleError } from '../../shared/rules/errors';
import { fromUtf8, utf8 } from '../../shared/util/bytes';
import { AnyRecord, type RecordKind } from '../../shared/model';
import type { RecordRow } from './database';

export const recordAad = (clinicId: string, kind: RecordKind, id: string) =>
  `kat:record:v1|${clinicId}|${kind}|${id}`;

/** A form draft (the `drafts` table), keyed `<user id>:<form>`. */
export const draftAad = (clinicId: string, draftKey: string) =>
  `kat:draft:v1|${clinicId}|${draftKey}`;

/**
 * The keys that open and seal rows at rest: `dataKey` is the newest version held (what new rows
 * are sealed under, `keyVersion`), `keyring` every version held. A Session is one.
 */
export type RestKeys = { dataKey: CryptoKey; keyVersion: number; keyring?: ClinicKeyring };

export class KeyVersionNotHeldError extends RuleError {
  constructor(readonly version: number) {
    super(
      'keys.version-not-held',
      `Part of this computer’s charts is sealed under clinic key version ${version}, which your ` +
        'sign-in does not hold yet. Once this computer has synced and an administrator’s ' +
        'computer has synced after it, sign in again.',
    );
  }
}

/** The key of one clinic key version, or a plain-words error when this session lacks it. */
export function keyForVersion(keys: RestKeys, version: number): CryptoKey {
  const key =
    keys.keyring?.keyFor(version) ?? (version === keys.keyVersion ? keys.dataKey : undefined);
  if (!key) throw new KeyVersionNotHeldError(version);
  return key;
}

/** A stored record, opened with the key of the version it is sealed under. */
export const openRecordRow = (
  row: Pick<RecordRow, 'id' | 'kind' | 'keyVersion' | 'iv' | 'ct'>,
  keys: RestKeys,
  clinicId: string,
) => decryptRecord(row, keyForVersion(keys, row.keyVersion), clinicId);

/**
 * The same plaintext under another key, same associated data: what re-sealing does to one row.
 * Opens and seals bytes only (no parsing), so it moves any row this version of the app stores.
 */
export async function resealBytes(
  sealed: { iv: Uint8Array; ct: Uint8Array },
  from: CryptoKey,
  to: CryptoKey,
  aad: string,
) {
  const plain = await open(from, sealed as Sealed, aad, 'A stored record');
  return seal(to, plain, aad);
}

export async function encryptRecord(
  record: AnyRecord,
  key: CryptoKey,
  keyVersion: number,
  index: { patientId: string; date: string },
): Promise<RecordRow> {
  const { iv, ct } = await seal(
    key,
    utf8(JSON.stringify(record)),
    recordAad(record.clinicId, record.kind, record.id),
  );
  return {
    id: record.id,
    kind: record.kind,
    patientId: index.patientId,
    date: index.date,
    status: record.status,
    updatedAt: record.updatedAt,
    keyVersion,
    iv,
    ct,
  };
}

export async function decryptRecord(
  row: Pick<RecordRow, 'id' | 'kind' | 'iv' | 'ct'>,
  key: CryptoKey,
  clinicId: string,
): Promise<AnyRecord> {
  const plain = await open(
    key,
    { iv: row.iv as never, ct: row.ct as never },
    recordAad(clinicId, row.kind, row.id),
    'A stored record',
  );
  return AnyRecord.parse(JSON.parse(fromUtf8(plain)));
}

export async function encryptText(text: string, key: CryptoKey, keyVersion: number, aad: string) {
  const { iv, ct } = await seal(key, utf8(text), aad);
  return { keyVersion, iv, ct };
}

export async function decryptText(
  blob: { iv: Uint8Array; ct: Uint8Array },
  key: CryptoKey,
  aad: string,
) {
  return fromUtf8(await open(key, { iv: blob.iv as never, ct: blob.ct as never }, aad));
}

/** Which patient a record belongs to and the date it sorts by, read from its (decrypted) body. */
export function indexFields(record: AnyRecord): { patientId: string; date: string } {
  const r = record as Record<string, unknown>;
  const patientId =
    record.kind === 'patient' ? record.id : typeof r.patientId === 'string' ? r.patientId : '';
  const dateField = [
    'start',
    'administeredAt',
    'signedAt',
    'evaluatedAt',
    'occurredAt',
    'writtenAt',
  ].find((f) => typeof r[f] === 'string');
  return { patientId, date: dateField ? (r[dateField] as string) : record.createdAt };
}
