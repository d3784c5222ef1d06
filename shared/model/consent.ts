import { z } from 'zod';
import { Instant, RecordId, nonEmpty, recordBase } from './common';

export const SIGNER_ROLES = ['patient', 'witness', 'clinician'] as const;
export const SignerRole = z.enum(SIGNER_ROLES);

export const Validity = z.enum(['never-expires', '6-months', '12-months', 'per-program']);

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
  programs: z.array(z.string().max(60)).default([]),
  retired: z.boolean().default(false),
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
});

/** What the patient signed, exactly: immutable once created; revocation is a new record. */
export const SignedConsentBody = z.object({
  patientId: RecordId,
  templateId: RecordId,
  templateKey: z.string(),
  templateVersion: z.number().int().positive(),
  title: z.string(),
  renderedText: z.string(),
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
