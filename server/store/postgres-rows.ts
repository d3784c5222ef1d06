/** Row mapping and error translation for the PostgreSQL store. */
import type { AuditCheckpointRecord, DeviceRecord, KeyBlobRecord } from './store';
import { StoreUnavailableError } from './store';

export type Row = Record<string, unknown>;
export type Query = (text: string, values?: unknown[]) => Promise<Row[]>;
export const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : null);

export function device(r: Row): DeviceRecord {
  return {
    deviceId: r.device_id as string,
    clinicId: r.clinic_id as string,
    publicKey: r.public_key as string,
    tokenHash: r.token_hash as string,
    admin: r.admin as boolean,
    enrolledAt: iso(r.enrolled_at)!,
    enrolledBy: (r.enrolled_by as string | null) ?? null,
    revokedAt: iso(r.revoked_at),
    // Only when set, as the embedded store does: both read alike (store-contract.test.ts).
    ...(r.profile ? { profile: r.profile as string } : {}),
    ...(r.last_seen_at ? { lastSeenAt: iso(r.last_seen_at) } : {}),
    ...(r.last_sync_at ? { lastSyncAt: iso(r.last_sync_at) } : {}),
    ...(r.replaces ? { replaces: r.replaces as string } : {}),
    ...(r.audit_checkpoint ? { auditCheckpoint: r.audit_checkpoint as AuditCheckpointRecord } : {}),
  };
}

export function keyBlob(r: Row): KeyBlobRecord {
  return {
    userKey: r.user_key as string,
    blob: r.blob as string,
    revision: r.revision as number,
    updatedAt: iso(r.updated_at)!,
    updatedBy: r.updated_by as string,
  };
}

export function unavailable(e: unknown): Error {
  if (e instanceof StoreUnavailableError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new StoreUnavailableError(
    `The clinic database did not answer as expected (${message}). Nothing was changed; try again, ` +
      'and if it persists check that PostgreSQL is running.',
  );
}
