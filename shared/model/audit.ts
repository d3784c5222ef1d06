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
});
export type AuditEvent = z.infer<typeof AuditEvent>;
