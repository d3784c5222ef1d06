import { z } from 'zod';
import { Instant, RecordId, nonEmpty, recordBase } from './common';
import { Role } from './user';

export const SIGNER_ROLES = ['patient', 'witness', 'clinician'] as const;
export const SignerRole = z.enum(SIGNER_ROLES);
export type SignerRole = z.infer<typeof SignerRole>;

export const Validity = z.enum(['never-expires', '6-months', '12-months', 'per-program']);

/**
 * Something the patient fills in while signing (issue 17 point 4). A template places each field
 * with a line of its own, `[[field-id]]`, where it prints; "initials" fields at the end of a
 * section ask the patient to initial that section.
 */
export const FIELD_TYPES = ['text', 'date', 'phone', 'checkbox', 'initials'] as const;
export const FieldType = z.enum(FIELD_TYPES);
export type FieldType = z.infer<typeof FieldType>;
export const TemplateField = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'Field id: lowercase letters, digits, dashes'),
  type: FieldType,
  label: nonEmpty('Field label').max(120),
  required: z.boolean().default(true),
});
export type TemplateField = z.infer<typeof TemplateField>;

/** A field as filled in and signed: its label kept with the value, so the copy stands alone. */
export const FilledField = z.object({
  id: z.string().max(41),
  type: FieldType,
  label: z.string().max(120),
  /** Checkbox: "yes" or "no"; date: YYYY-MM-DD; others as typed; "" if left empty (optional). */
  value: z.string().max(300),
});
export type FilledField = z.infer<typeof FilledField>;

/** One version of a consent form. Editing makes a new record with version + 1 and the same key. */
export const ConsentTemplateBody = z.object({
  /** Stable identity across versions, e.g. "kat-informed-consent". */
  templateKey: z.string().regex(/^[a-z0-9-]{3,60}$/),
  version: z.number().int().positive(),
  title: nonEmpty('Title').max(200),
  /** Plain text with {{placeholders}} for clinic details; paragraphs separated by blank lines. */
  body: nonEmpty('Text').max(100_000),
  signers: z.array(SignerRole).min(1),
  validity: Validity,
  /**
   * Before packets were records (issue 17), the programs requiring this form. Read only to derive
   * a clinic's first stored packets (shared/rules/consent-packets.ts); packets decide now.
   */
  programs: z.array(z.string().max(60)).default([]),
  retired: z.boolean().default(false),
  /** Published with "ask for re-consent": consents signed under earlier versions stop counting. */
  reconsent: z.boolean().optional(),
  /** Fields the patient fills in while signing, each placed in the text by `[[id]]`. */
  fields: z.array(TemplateField).max(40).optional(),
});
export type ConsentTemplateBody = z.infer<typeof ConsentTemplateBody>;

export const ConsentTemplate = z.object({
  kind: z.literal('consent-template'),
  ...recordBase,
  ...ConsentTemplateBody.shape,
});
export type ConsentTemplate = z.infer<typeof ConsentTemplate>;

export const CapturedSignature = z.object({
  role: SignerRole,
  name: nonEmpty('Name').max(120),
  signedAt: Instant,
  /** PNG data URL from signature_pad. */
  image: z.string().startsWith('data:image/png;base64,').max(500_000),
  /**
   * A witness or clinician signature is a signed-in user's (issue 17): who, confirmed with their
   * own passphrase, and the role they held, as printed. Absent on patient signatures and on
   * consents signed before this was recorded (they still verify and print).
   */
  userId: RecordId.optional(),
  staffRole: Role.optional(),
});

/** What the patient signed, exactly: immutable once created; revocation is a new record. */
export const SignedConsentBody = z.object({
  patientId: RecordId,
  templateId: RecordId,
  templateKey: z.string(),
  templateVersion: z.number().int().positive(),
  title: z.string(),
  renderedText: z.string(),
  /** What the patient filled in, in the template's field order (absent on older consents). */
  fields: z.array(FilledField).max(40).optional(),
  signatures: z.array(CapturedSignature).min(1),
  program: z.string().max(60).optional(),
  signedAt: Instant,
  expiresAt: Instant.optional(),
  deviceId: z.string().max(80),
  contentHash: z.string(),
  revokes: RecordId.optional(),
});
export type SignedConsentBody = z.infer<typeof SignedConsentBody>;

export const SignedConsent = z.object({
  kind: z.literal('signed-consent'),
  ...recordBase,
  ...SignedConsentBody.shape,
});
export type SignedConsent = z.infer<typeof SignedConsent>;
