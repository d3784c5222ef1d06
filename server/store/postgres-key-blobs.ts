/**
 * Wrapped-key blobs in PostgreSQL. Optimistic revisions are single statements (insert-or-update,
 * insert-if-absent, update-if-revision), so two devices writing at once cannot both win.
 */
import { type Query, type Row, keyBlob } from './postgres-rows';
import type { KeyBlobRecord, PutKeyBlob, PutKeyBlobResult } from './store';

export async function list(
  query: Query,
  table: string,
  clinicId: string,
): Promise<KeyBlobRecord[]> {
  const rows = await query(`SELECT * FROM ${table} WHERE clinic_id = $1 ORDER BY user_key`, [
    clinicId,
  ]);
  return rows.map(keyBlob);
}

export async function get(
  query: Query,
  table: string,
  clinicId: string,
  userKey: string,
): Promise<KeyBlobRecord | undefined> {
  const rows = await query(`SELECT * FROM ${table} WHERE clinic_id = $1 AND user_key = $2`, [
    clinicId,
    userKey,
  ]);
  return rows[0] ? keyBlob(rows[0]) : undefined;
}

export async function put(
  query: Query,
  table: string,
  clinicId: string,
  put: PutKeyBlob,
): Promise<PutKeyBlobResult> {
  const values = [clinicId, put.userKey, put.blob, put.updatedAt, put.updatedBy];
  const insert = `INSERT INTO ${table} (clinic_id, user_key, blob, revision, updated_at, updated_by)
                    VALUES ($1, $2, $3, 1, $4, $5)`;
  let rows: Row[];
  if (put.ifRevision === undefined) {
    rows = await query(
      `${insert} ON CONFLICT (clinic_id, user_key) DO UPDATE SET blob = EXCLUDED.blob,
           revision = key_blobs.revision + 1, updated_at = EXCLUDED.updated_at,
           updated_by = EXCLUDED.updated_by RETURNING *`,
      values,
    );
  } else if (put.ifRevision === 0) {
    rows = await query(`${insert} ON CONFLICT DO NOTHING RETURNING *`, values);
  } else {
    rows = await query(
      `UPDATE ${table} SET blob = $3, revision = revision + 1, updated_at = $4,
           updated_by = $5 WHERE clinic_id = $1 AND user_key = $2 AND revision = $6 RETURNING *`,
      [...values, put.ifRevision],
    );
  }
  if (rows[0]) return { ok: true, record: keyBlob(rows[0]) };
  const current = (await get(query, table, clinicId, put.userKey))?.revision ?? 0;
  return { ok: false, reason: 'revision-mismatch', current };
}

export async function remove(
  query: Query,
  table: string,
  clinicId: string,
  userKey: string,
): Promise<boolean> {
  const rows = await query(
    `DELETE FROM ${table} WHERE clinic_id = $1 AND user_key = $2 RETURNING user_key`,
    [clinicId, userKey],
  );
  return rows.length > 0;
}
