/** Record bodies at rest: AES-256-GCM under the clinic data key, bound to clinic, kind and id. */
import { open, seal } from '../../shared/crypto/envelope';
import { fromUtf8, utf8 } from '../../shared/util/bytes';
import { AnyRecord, type RecordKind } from '../../shared/model';
import type { RecordRow } from './database';

const recordAad = (clinicId: string, kind: RecordKind, id: string) =>
  `kat:record:v1|${clinicId}|${kind}|${id}`;

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
  row: RecordRow,
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
