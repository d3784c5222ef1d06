/**
 * Record lifecycle: draft → signed → (addenda) / entered-in-error.
 * A signed record is final: the only later change is the entered-in-error mark, which keeps the
 * record readable. Corrections are addenda, their own signed records linked to the original.
 * Nothing clinical is hard-deleted. (Documentation standards in PRODUCT.md; OpenEMR #11492 — a
 * signed encounter still accepting new forms — is the failure this prevents.)
 */
import { contentHash } from '../crypto/hash';
import { signRecordSignature } from '../trust/record-signature';
import type { RecordKind, RecordMeta, Signature } from '../model/common';
import { RuleError } from './errors';

/** Kinds whose records are created already final (nothing to draft). */
const CREATED_SIGNED: ReadonlySet<RecordKind> = new Set([
  'addendum',
  'co-signature',
  'signed-consent',
  'inventory-transaction',
]);

/** Kinds that carry a clinician's signature. */
export const SIGNABLE: ReadonlySet<RecordKind> = new Set([
  'note',
  'addendum',
  'co-signature',
  'dose',
  'eligibility',
  'home-prescription',
  'treatment-plan',
  'integration-summary',
  'measure',
  'signed-consent',
  'inventory-transaction',
]);

const IDENTITY = ['id', 'kind', 'clinicId', 'createdBy', 'createdAt'] as const;
const LIFECYCLE_FIELDS = ['status', 'signature', 'enteredInError', 'updatedAt', 'schemaVersion'];

type Rec = RecordMeta & Record<string, unknown>;

/** The part of a record a signature vouches for: everything but lifecycle bookkeeping. */
export function signableContent(record: Rec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (!LIFECYCLE_FIELDS.includes(k)) out[k] = v;
  return out;
}

export async function signatureHash(record: Rec): Promise<string> {
  return contentHash(signableContent(record));
}

const KIND_WORDS: Partial<Record<RecordKind, string>> = {
  note: 'note',
  dose: 'dose record',
  eligibility: 'eligibility evaluation',
  'integration-summary': 'integration summary',
  measure: 'outcome measure',
  'signed-consent': 'signed consent',
  'consent-template': 'consent form',
  'consent-packet': 'consent packet',
  'inventory-transaction': 'controlled-substance log entry',
  addendum: 'addendum',
  'co-signature': 'co-signature',
  'home-prescription': 'prescription',
  'treatment-plan': 'treatment plan',
};
export const kindWords = (kind: RecordKind) => KIND_WORDS[kind] ?? kind.replace(/-/g, ' ');

/**
 * May `after` be written over `before` (undefined: a new record)? Throws RuleError if not.
 * Signature validity (the content hash matching) is checked here too, so a remote change cannot
 * slip a different body under an existing signature.
 */
export async function assertLifecycleWrite(before: Rec | undefined, after: Rec): Promise<void> {
  if (!before) {
    if (after.status === 'entered-in-error')
      throw new RuleError(
        'lifecycle.create-in-error',
        'A new record cannot start as entered in error.',
      );
    if (after.status === 'signed') {
      if (!CREATED_SIGNED.has(after.kind) && !SIGNABLE.has(after.kind))
        throw new RuleError('lifecycle.not-signable', `A ${kindWords(after.kind)} is not signed.`);
      await assertSignatureMatches(after);
    }
    return;
  }
  for (const f of IDENTITY)
    if (before[f] !== after[f])
      throw new RuleError('lifecycle.identity', `A record's ${f} never changes once created.`);

  if (before.status === 'entered-in-error')
    throw new RuleError(
      'lifecycle.in-error-final',
      `This ${kindWords(before.kind)} was marked entered in error and can no longer change.`,
    );

  if (before.status === 'signed') {
    if (after.status !== 'entered-in-error' || !after.enteredInError)
      throw new RuleError(
        'lifecycle.signed-final',
        `This ${kindWords(before.kind)} is signed and can no longer be changed. Add an addendum instead.`,
      );
    if (
      JSON.stringify(signableContent(before)) !== JSON.stringify(signableContent(after)) ||
      JSON.stringify(before.signature) !== JSON.stringify(after.signature)
    )
      throw new RuleError(
        'lifecycle.signed-final',
        `Marking a signed ${kindWords(before.kind)} in error cannot change its content.`,
      );
    return;
  }

  // before is a draft
  if (CREATED_SIGNED.has(before.kind))
    throw new RuleError(
      'lifecycle.created-signed',
      `A ${kindWords(before.kind)} cannot be edited.`,
    );
  if (after.status === 'signed') {
    if (!SIGNABLE.has(after.kind))
      throw new RuleError('lifecycle.not-signable', `A ${kindWords(after.kind)} is not signed.`);
    await assertSignatureMatches(after);
  }
  if (after.status === 'entered-in-error' && !after.enteredInError)
    throw new RuleError('lifecycle.reason-required', 'Say why this entry is in error.');
}

async function assertSignatureMatches(record: Rec): Promise<void> {
  const sig = record.signature as Signature | undefined;
  if (!sig) throw new RuleError('lifecycle.unsigned', 'A signed record needs a signature.');
  if (sig.contentHash !== (await signatureHash(record)))
    throw new RuleError(
      'lifecycle.hash-mismatch',
      'The signature does not match this content: it was changed after signing.',
    );
}

/** Nothing clinical is ever hard-deleted; mark it entered in error instead. */
export function assertNotDeleted(kind: RecordKind): never {
  throw new RuleError(
    'lifecycle.no-delete',
    `A ${kindWords(kind)} is never deleted. Mark it entered in error, with a reason, instead.`,
  );
}

/**
 * Sign a draft: returns the signed copy with author, time and content hash, and — given the
 * signer's identity signing key — a signature other computers verify against the membership chain
 * (`chain`: its length here; shared/trust/record-signature.ts).
 */
export async function signRecord<T extends Rec>(
  draft: T,
  signer: { id: string; name: string; signingKey?: CryptoKey; chain?: number },
  at: Date,
): Promise<T> {
  if (draft.status !== 'draft')
    throw new RuleError(
      'lifecycle.not-draft',
      `This ${kindWords(draft.kind)} is already ${draft.status}.`,
    );
  if (!SIGNABLE.has(draft.kind))
    throw new RuleError('lifecycle.not-signable', `A ${kindWords(draft.kind)} is not signed.`);
  const signature: Signature = {
    by: signer.id,
    byName: signer.name,
    at: at.toISOString(),
    contentHash: await signatureHash(draft),
  };
  if (signer.signingKey) {
    signature.chain = signer.chain ?? 0;
    signature.sig = await signRecordSignature({ ...draft, signature }, signer.signingKey);
  }
  return { ...draft, status: 'signed', signature };
}

/** Mark a record entered in error: it stays readable, flagged, with who, when and why. */
export function markEnteredInError<T extends Rec>(
  record: T,
  by: string,
  at: Date,
  reason: string,
): T {
  const trimmed = reason.trim();
  if (trimmed.length < 3)
    throw new RuleError('lifecycle.reason-required', 'Say why this entry is in error.');
  if (record.status === 'entered-in-error')
    throw new RuleError(
      'lifecycle.in-error-final',
      'This entry is already marked entered in error.',
    );
  return {
    ...record,
    status: 'entered-in-error',
    enteredInError: { by, at: at.toISOString(), reason: trimmed },
  };
}
