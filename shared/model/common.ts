/**
 * What every stored record has. Types elsewhere are `z.infer` of these schemas: one schema serves
 * form validation, storage, IPC and the sync wire.
 */
import './error-map';
import { z } from 'zod';
import { HLC_PATTERN } from '../sync/hlc';
import { UUID_V7 } from '../util/ids';

export const RecordId = z.string().regex(UUID_V7, 'Not a record id');
export type RecordId = z.infer<typeof RecordId>;

export const HlcStamp = z.string().regex(HLC_PATTERN, 'Not a clock timestamp');

/** An instant, ISO 8601 with offset (`2026-11-21T14:05:00.000Z`). */
export const Instant = z.iso.datetime({ offset: true });
/** A calendar date without time (`1984-03-07`). */
export const CalendarDate = z.iso.date();

/**
 * draft: editable (for reference data such as patients and users, simply "current").
 * signed: final; only addenda and an entered-in-error mark may follow.
 * entered-in-error: kept and readable, flagged as not to be relied on, with a reason.
 */
export const RecordStatus = z.enum(['draft', 'signed', 'entered-in-error']);
export type RecordStatus = z.infer<typeof RecordStatus>;

export const RECORD_KINDS = [
  'patient',
  'user',
  'appointment',
  'encounter',
  'note',
  'addendum',
  'dose',
  'eligibility',
  'home-prescription',
  'treatment-plan',
  'integration-summary',
  'measure',
  'consent-template',
  'signed-consent',
  'inventory-lot',
  'inventory-transaction',
  'note-template',
  'clinic-settings',
  'consent-packet',
  'co-signature',
] as const;
export const RecordKind = z.enum(RECORD_KINDS);
export type RecordKind = z.infer<typeof RecordKind>;

export const Signature = z.object({
  by: RecordId,
  byName: z.string(),
  at: Instant,
  /** sha256 of the canonical JSON of the signed content (see shared/rules/lifecycle). */
  contentHash: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  /**
   * The membership chain's length on the signer's computer when it signed: their role and key
   * are looked up there (shared/trust/record-signature.ts). Absent on records signed before.
   */
  chain: z.number().int().nonnegative().optional(),
  /** ECDSA signature by the signer's identity key (shared/trust/record-signature.ts). */
  sig: z.string().max(200).optional(),
});
export type Signature = z.infer<typeof Signature>;

export const EnteredInError = z.object({
  by: RecordId,
  at: Instant,
  reason: z.string().trim().min(3, 'Say why this entry is in error'),
});
export type EnteredInError = z.infer<typeof EnteredInError>;

export const SCHEMA_VERSION = 1;

export const recordBase = {
  id: RecordId,
  clinicId: RecordId,
  createdBy: RecordId,
  createdAt: Instant,
  updatedAt: HlcStamp,
  status: RecordStatus,
  schemaVersion: z.number().int().positive(),
  signature: Signature.optional(),
  enteredInError: EnteredInError.optional(),
};

/** The envelope fields every record has, whatever its kind. */
export const RecordMeta = z.object({ kind: RecordKind, ...recordBase });
export type RecordMeta = z.infer<typeof RecordMeta>;

/** Fields the store fills; forms never supply them. */
export type MetaKeys = keyof typeof recordBase | 'kind';

export const nonEmpty = (label: string) => z.string().trim().min(1, `${label} is required`);
