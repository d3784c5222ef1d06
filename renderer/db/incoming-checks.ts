/**
 * Checks every change pulled from another computer passes before it is merged (THREATS.md
 * principle 4: incoming changes are checked like local ones). Each returns a verdict:
 *
 * - `accept`: go on to the next check, then merge;
 * - `hold`: valid perhaps, but not yet (a clock ahead of ours, a membership not verified yet):
 *   the change waits in the held queue below the cursor and is tried again (sync-held.ts);
 * - `quarantine`: can never become valid (malformed, another clinic, a clock pinned to the
 *   future): never applied, listed in the sync panel.
 *
 * The built-in checks are below; more plug in through `ApplyContext.checks` (sync-apply.ts), in
 * order, after these. See renderer/sync/README.md, "Hold and retry".
 */
import { z } from 'zod';
import { AnyRecord, RECORD_KINDS, RecordMeta, SCHEMA_VERSION } from '../../shared/model';
import type { BundleChange } from '../../shared/sync/bundle';
import type { HybridClock } from '../../shared/sync/hlc';
import { compareHlc } from '../../shared/sync/hlc';
import { kindWords } from '../../shared/rules/lifecycle';
import type { HoldWhy } from './sync-held';

export type IncomingBundle = { seq: number; bundleId: string; fromDevice: string };

/** One pulled change, parsed, with what this computer holds of its record. */
export type IncomingChange = {
  record: AnyRecord;
  change: BundleChange;
  bundle: IncomingBundle;
  local: AnyRecord | undefined;
};

export type IncomingVerdict =
  /** `note`: applied, and listed in the sync panel in these words (something worth knowing). */
  | { verdict: 'accept'; note?: string }
  | ({ verdict: 'hold' } & HoldWhy)
  | { verdict: 'quarantine'; message: string };

export type IncomingCheck = (c: IncomingChange) => IncomingVerdict | Promise<IncomingVerdict>;

export const ACCEPT: IncomingVerdict = { verdict: 'accept' };

const NEWER_ENVELOPE = RecordMeta.omit({
  kind: true,
  signature: true,
  enteredInError: true,
}).extend({
  kind: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/),
});

/**
 * Parses the record: a kind or schema version this version of KAT Chart does not know yet waits
 * for the update (held); anything else that fails, or another clinic's record, never applies.
 */
export function parseIncoming(
  raw: unknown,
  clinicId: string,
): { ok: true; record: AnyRecord } | { ok: false; verdict: IncomingVerdict } {
  const parsed = AnyRecord.safeParse(raw);
  if (parsed.success && parsed.data.clinicId === clinicId) return { ok: true, record: parsed.data };
  const r = (raw ?? {}) as { kind?: unknown; schemaVersion?: unknown; clinicId?: unknown };
  if (r.clinicId !== undefined && r.clinicId !== clinicId)
    return {
      ok: false,
      verdict: {
        verdict: 'quarantine',
        message: 'A record from another clinic arrived in a bundle of ours, so it was set aside.',
      },
    };
  // A record of a newer version: the envelope every record has is there and its kind or schema
  // version is one this version does not know. Anything else that fails is not a record at all.
  const envelope = NEWER_ENVELOPE.safeParse(raw).success;
  const newer =
    envelope &&
    ((typeof r.kind === 'string' && !(RECORD_KINDS as readonly string[]).includes(r.kind)) ||
      (typeof r.schemaVersion === 'number' && r.schemaVersion > SCHEMA_VERSION));
  if (newer)
    return {
      ok: false,
      verdict: {
        verdict: 'hold',
        reason: 'needs-update',
        message:
          'A change from another computer was made by a newer version of KAT Chart. It waits ' +
          'here and applies once this computer is updated.',
      },
    };
  return {
    ok: false,
    verdict: {
      verdict: 'quarantine',
      message:
        'A record from another device did not pass the checks of this version of KAT Chart, ' +
        'so it was not applied. Update KAT Chart on every device.',
    },
  };
}

/**
 * Clocks from outside (the record's, every field's, every entry of what it has seen) are checked
 * for drift like the record clock (issue 14 finding 5): one far-future field clock would
 * otherwise win its field forever. A clock too far ahead is held until ours reaches it — the
 * change is not lost, and applies as soon as the clocks agree (finding 1). A field clock newer
 * than its record's clock cannot come from a real edit and is refused.
 */
export function clockCheck(clock: HybridClock): IncomingCheck {
  return ({ record, change }) => {
    const fields = Object.values(change.fields ?? {});
    if (fields.some((c) => compareHlc(c, record.updatedAt) > 0))
      return {
        verdict: 'quarantine',
        message:
          'A change from another computer carried a field time later than the change itself, ' +
          'which no real edit makes, so it was not applied.',
      };
    const all = [record.updatedAt, ...fields, ...(change.seen ?? [])];
    const ahead = Math.max(...all.map((c) => clock.aheadOfWallClock(c)));
    if (ahead <= clock.maxDriftMs) return ACCEPT;
    const minutes = Math.max(1, Math.round(ahead / 60_000));
    const retryAt = clock.wallNow() + ahead - clock.maxDriftMs + 1_000;
    return {
      verdict: 'hold',
      reason: 'clock-ahead',
      retryAt,
      message:
        `The computer that made this change has its clock about ${durationWords(minutes)} ahead ` +
        `of this one. The change waits here and applies by itself at ` +
        `${new Date(retryAt).toLocaleString()}. Check that both computers set their date and ` +
        'time automatically.',
    };
  };
}

export function durationWords(minutes: number): string {
  if (minutes < 90) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} hours`;
  return `${Math.round(hours / 24)} days`;
}

/**
 * What a record is never changes once created (issue 14 finding 5): its kind, who and when it was
 * started, and the patient it is about. A remote version that differs in one of them from what
 * this computer holds is set aside and listed, before any merge could take the field from the
 * newer side. (The id is how the two are matched; the clinic is checked by parseIncoming.)
 */
export const IDENTITY_FIELDS = ['kind', 'patientId', 'createdBy', 'createdAt'] as const;

const IDENTITY_WORDS: Record<(typeof IDENTITY_FIELDS)[number], string> = {
  kind: 'what kind of record it is',
  patientId: 'the patient it is about',
  createdBy: 'who started it',
  createdAt: 'when it was started',
};

export const identityCheck: IncomingCheck = ({ record, local }) => {
  if (!local) return ACCEPT;
  const changed = IDENTITY_FIELDS.filter(
    (f) => (local as Record<string, unknown>)[f] !== (record as Record<string, unknown>)[f],
  );
  if (!changed.length) return ACCEPT;
  return {
    verdict: 'quarantine',
    message:
      `A change from another computer would have changed ${changed.map((f) => IDENTITY_WORDS[f]).join(' and ')} ` +
      `of a ${kindWords(local.kind)} on this computer. That never changes, so the change was ` +
      'set aside and not applied.',
  };
};
