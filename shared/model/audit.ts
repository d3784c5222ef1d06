import { z } from 'zod';
import { Instant, RecordId, RecordKind } from './common';

export const AUDIT_ACTIONS = [
  'create',
  'update',
  'view',
  'sign',
  'addendum',
  'entered-in-error',
  'print',
  'export',
  'sign-in',
  'sign-in-failed',
  'sign-out',
  'lock',
  'unlock',
  'override',
  'device-enrolled',
  'break-glass',
  'demo-data',
  // Key management (issue 6): who changed the clinic's keys, and why, is evidence an auditor asks for.
  'key-rotated',
  'recovery-key-created',
  'passphrase-recovered',
  'device-removed',
  // Access and audit (issue 18): refusals, reviewing the log, reviewing an emergency access.
  'access-refused',
  'audit-viewed',
  'emergency-reviewed',
  // Patient mode (issue 17): the device handed to one patient, and who took it back.
  'patient-mode-started',
  'patient-mode-ended',
  // Supervision (issue 16 point 6): a supervised clinician's note asked, co-signed or returned.
  'co-signature-requested',
  'co-signed',
  'co-signature-returned',
  // Second factor (issue 18 deliverable 5): a member's security key or app added or removed.
  'second-factor-changed',
] as const;
export const AuditAction = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof AuditAction>;

/**
 * Who did what to which record, when, on which device. Ids and kinds only, never PHI: the
 * optional `detail` (a reason, a file name) is encrypted at rest like record bodies.
 * `prevHash`/`hash` chain the events of one device (see issue 7).
 */
export const AuditEvent = z.object({
  id: RecordId,
  clinicId: RecordId,
  at: Instant,
  userId: RecordId.optional(),
  deviceId: z.string(),
  action: AuditAction,
  recordKind: RecordKind.optional(),
  recordId: RecordId.optional(),
  patientId: RecordId.optional(),
  detail: z.string().max(2000).optional(),
  /** Place in the device's chain (1, 2, …), the previous event's hash and this event's hash. */
  seq: z.number().int().positive().optional(),
  prevHash: z.string().optional(),
  hash: z.string().optional(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

/** Marks an audit event inside a sync bundle, where every other change is a record. */
export const AUDIT_EVENT_KIND = 'audit-event';
/** A plain link (events from before the chain was keyed) or a keyed one (`hmac:<key version>:…`). */
const ChainHash = z
  .string()
  .regex(/^(sha256:[0-9a-f]{64}|hmac:[1-9][0-9]{0,5}:[0-9a-f]{64})$/, 'Not a chain hash');
/** Empty or an id: events such as a failed sign-in name no user or record. */
const OptionalRef = z.union([z.literal(''), RecordId]);
const Base64 = z
  .string()
  .max(12_000)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'Not base64');

/**
 * An audit event as another device receives it (issue 7: events sync like records). The detail
 * stays sealed exactly as written (AES-GCM under the clinic key, bound to the event id) because the
 * chain hash covers the ciphertext: the receiver checks the same hash the writer computed.
 */
export const SyncedAuditEvent = z
  .object({
    kind: z.literal(AUDIT_EVENT_KIND),
    id: RecordId,
    clinicId: RecordId,
    at: Instant,
    userId: OptionalRef,
    deviceId: z.string().regex(/^[0-9a-z-]{1,64}$/, 'Not a device id'),
    action: AuditAction,
    recordKind: z.union([z.literal(''), RecordKind]),
    recordId: OptionalRef,
    patientId: OptionalRef,
    detail: z
      .object({ keyVersion: z.number().int().positive(), iv: Base64, ct: Base64 })
      .strict()
      .optional(),
    seq: z.number().int().positive(),
    prevHash: ChainHash,
    hash: ChainHash,
  })
  .strict();
export type SyncedAuditEvent = z.infer<typeof SyncedAuditEvent>;
