/**
 * The audit seal (issue 18 finding 2): a short text naming this computer's newest audit event and
 * the first 64 bits of its keyed link, e.g.
 *
 *   KAT audit seal · computer 3F9A2C1B · event 1234 · 7D2E-91AC-04B3-F6E8 · 2026-12-06
 *
 * The chain and its head live in the same database, so whoever can edit one can edit both: deleting
 * the newest events and moving the head back leaves a chain that checks out on its own. A seal kept
 * outside the database (printed and filed by the practice, and written into the header of every
 * backup) anchors it: checking a seal finds that event in the log as it was, or says which events
 * are gone. Forging a different event with the same 64-bit code is out of reach, and the events up
 * to the sealed one are linked to it.
 */
import type { ChainHead, StoredAuditRow } from './audit-chain';

export type AuditSeal = { computer: string; seq: number; code: string };

const computerOf = (deviceId: string) =>
  deviceId
    .replace(/[^0-9a-z]/gi, '')
    .slice(-8)
    .toUpperCase();
const codeOf = (hash: string) => {
  const hex = hash
    .slice(hash.lastIndexOf(':') + 1, hash.lastIndexOf(':') + 17)
    .padEnd(16, '0')
    .toUpperCase();
  return hex.match(/.{4}/g)!.join('-');
};

export function auditSealText(deviceId: string, head: ChainHead, at: Date): string {
  return `KAT audit seal · computer ${computerOf(deviceId)} · event ${head.seq} · ${codeOf(head.hash)} · ${at.toISOString().slice(0, 10)}`;
}

const SEAL =
  /computer\s*([0-9a-f]{8})\b.*?event\s*(\d{1,9})\b.*?\b([0-9a-f]{4})[-\s]?([0-9a-f]{4})[-\s]?([0-9a-f]{4})[-\s]?([0-9a-f]{4})\b/is;

/** Reads a seal as printed (case, spaces and separators as people type them). */
export function parseAuditSeal(text: string): AuditSeal | undefined {
  const m = SEAL.exec(text);
  if (!m) return undefined;
  return {
    computer: m[1]!.toUpperCase(),
    seq: Number(m[2]),
    code: [m[3], m[4], m[5], m[6]].join('-').toUpperCase(),
  };
}

export type SealCheck = { ok: boolean; message: string };

/** Is the sealed event still in the log, exactly as it was when the seal was made? */
export function checkAuditSeal(rows: StoredAuditRow[], seal: AuditSeal): SealCheck {
  const events = rows.filter(
    (r) => computerOf(r.deviceId) === seal.computer && r.seq !== undefined,
  );
  const who = `computer ${seal.computer}`;
  if (events.length === 0)
    return {
      ok: false,
      message: `This computer holds no audit events of ${who}: check the seal on the computer it names, or after syncing.`,
    };
  const sealed = events.find((e) => e.seq === seal.seq);
  if (sealed)
    return codeOf(sealed.hash!) === seal.code
      ? {
          ok: true,
          message: `Event ${seal.seq} of ${who} is in the log exactly as sealed, and the log goes on to event ${Math.max(...events.map((e) => e.seq!))}.`,
        }
      : {
          ok: false,
          message: `Event ${seal.seq} of ${who} is not the event that was sealed: the log was rewritten after the seal was made.`,
        };
  const last = Math.max(...events.map((e) => e.seq!));
  if (last < seal.seq)
    return {
      ok: false,
      message:
        last + 1 === seal.seq
          ? `Event ${seal.seq} of ${who} is missing: the log here ends at event ${last}, but the seal names event ${seal.seq}. It was deleted after the seal was made.`
          : `Events ${last + 1} to ${seal.seq} of ${who} are missing: the log here ends at event ${last}, but the seal names event ${seal.seq}. They were deleted after the seal was made.`,
    };
  return {
    ok: false,
    message: `Event ${seal.seq} of ${who} is missing: it was deleted after the seal was made.`,
  };
}
