import { z } from 'zod';
import { Instant, RecordId, recordBase } from './common';

/**
 * Supervisor co-signature, as signed records appended to a note (never a change to it: signed is
 * final, like an addendum). `requested`: signed by a supervised author with the note, naming
 * their supervisor; `co-signed` or `returned` (with a comment the author answers in an
 * addendum): signed by that supervisor.
 */
export const CO_SIGNATURE_DECISIONS = ['requested', 'co-signed', 'returned'] as const;
export const CoSignatureDecision = z.enum(CO_SIGNATURE_DECISIONS);
export type CoSignatureDecision = z.infer<typeof CoSignatureDecision>;

export const CoSignatureBody = z.object({
  patientId: RecordId,
  noteId: RecordId,
  decision: CoSignatureDecision,
  /** The supervisor asked (on a request) or answering (on a co-signature or return). */
  supervisorId: RecordId,
  /** Why it was returned (required then); a co-signature may carry a remark. */
  comment: z.string().trim().max(4000).default(''),
  writtenAt: Instant,
});
export type CoSignatureBody = z.infer<typeof CoSignatureBody>;

export const CoSignature = z.object({
  kind: z.literal('co-signature'),
  ...recordBase,
  ...CoSignatureBody.shape,
});
export type CoSignature = z.infer<typeof CoSignature>;
