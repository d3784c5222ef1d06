/**
 * What a backup holds: every table of the local store, row for row. Rows are checked here before
 * anything is restored; record bodies stay AES-GCM ciphertext under the clinic data key, so this
 * checks their shape, not their content (that needs a user's passphrase, after restore).
 */
import { z } from 'zod';
import { AUDIT_ACTIONS, AUDIT_EVENT_KIND, RECORD_KINDS, RecordStatus } from '../model';
import { HeldAuthor } from '../trust/change-author';

const isBytes = (v: unknown): v is Uint8Array =>
  ArrayBuffer.isView(v) && Object.prototype.toString.call(v) === '[object Uint8Array]';
const Bytes = z.custom<Uint8Array>(isBytes, { error: 'binary data expected' });
const Sealed = { keyVersion: z.number().int().positive(), iv: Bytes, ct: Bytes };

export const BackupRecordRow = z.object({
  id: z.string().min(1),
  kind: z.enum(RECORD_KINDS),
  patientId: z.string(),
  date: z.string(),
  status: RecordStatus,
  updatedAt: z.string().min(1),
  /** The writer's signature over this version (issue 13): a restore that dropped it would leave
   *  every change made before the backup unauthored, and refused by the other computers. */
  author: HeldAuthor.optional(),
  ...Sealed,
});

export const BackupOutboxRow = z.object({
  seq: z.number().int().positive(),
  changeId: z.string().min(1),
  recordId: z.string().min(1),
  /** A record kind, or an audit event waiting to sync (issue 7). */
  kind: z.union([z.enum(RECORD_KINDS), z.literal(AUDIT_EVENT_KIND)]),
  hlc: z.string().min(1),
  author: HeldAuthor.optional(),
});

export const BackupAuditRow = z.object({
  id: z.string().min(1),
  at: z.string().min(1),
  userId: z.string(),
  deviceId: z.string(),
  action: z.enum(AUDIT_ACTIONS),
  recordKind: z.string(),
  recordId: z.string(),
  patientId: z.string(),
  detail: z.object(Sealed).optional(),
  seq: z.number().int().positive().optional(),
  prevHash: z.string().optional(),
  hash: z.string().optional(),
});

/** Kept whole (passthrough): key material gains fields over time and a restore must not drop any. */
export const BackupKeyringRow = z
  .object({
    userId: z.string().min(1),
    username: z.string().min(1),
    kdf: z.object({}).passthrough(),
    wrapped: z.array(z.object({}).passthrough()).min(1),
  })
  .passthrough();

export const BackupDraftRow = z.object({
  key: z.string().min(1),
  userId: z.string(),
  savedAt: z.string(),
  ...Sealed,
});

export const BackupMetaRow = z.object({ key: z.string().min(1), value: z.unknown() });

export const BackupTables = z.object({
  records: z.array(BackupRecordRow),
  outbox: z.array(BackupOutboxRow),
  audit: z.array(BackupAuditRow),
  keyring: z.array(BackupKeyringRow).min(1, 'no user can sign in'),
  drafts: z.array(BackupDraftRow),
  /**
   * What each record's version has seen (renderer/db/sync-state.ts SeenRow.vv: per device, a
   * clock; in the clear like `updatedAt`), so a restored computer still recognises the versions its
   * records were built from. Absent in backups made before it (restored, those start without).
   */
  seen: z
    .array(z.object({ recordId: z.string().min(1), vv: z.record(z.string(), z.string()) }))
    .optional(),
  meta: z.array(BackupMetaRow).refine((rows) => rows.some((r) => r.key === 'clinic'), {
    error: 'the clinic itself is missing',
  }),
});
export type BackupTables = z.infer<typeof BackupTables>;
