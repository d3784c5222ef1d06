/**
 * The encrypted draft mechanism of renderer/app/use-form-draft.ts (same `drafts` table, key and
 * AAD scheme, flushed before lock) for screens that keep their input in plain React state: the dose
 * record, the eligibility evaluation, the pending live-charting line, the addendum and
 * entered-in-error dialogs, the booking form. What was typed and not yet saved to the record is kept,
 * encrypted, 300 ms after the last change and before lock or sign-out, and offered back when the
 * screen opens again (reload, crash, auto-lock). Saving the record clears it.
 */
import { useEffect, useRef, useState } from 'react';
import { useStore } from './app-state';
import { saveOnLeave } from './before-lock';
import { decryptText, draftAad, encryptText, keyForVersion } from '../db/record-crypto';

const DEBOUNCE_MS = 300;

/**
 * Whose draft it is: the signed-in user's (the default), or `'this-computer'` for what a patient
 * gives in patient mode, which must wait for whichever staff member signs in next (another may
 * unlock, restart the computer or finish the packet) — still sealed under the clinic's key.
 */
export type DraftOwner = 'user' | 'this-computer';

/** The stored key of a draft that belongs to this computer (`owner: 'this-computer'`). */
export const computerDraftKey = (key: string) => `computer:${key}`;

export function useValueDraft<T>(
  key: string,
  value: T,
  restore: (kept: T) => void,
  enabled = true,
  owner: DraftOwner = 'user',
): { restoredAt?: string; ready: boolean; clear: (next?: T) => Promise<void> } {
  const { db, session } = useStore();
  const draftKey = owner === 'user' ? `${session.user.id}:${key}` : computerDraftKey(key);
  // Kept before drafts could belong to this computer: under the user who was signed in then.
  const olderKey = owner === 'user' ? undefined : `${session.user.id}:${key}`;
  const aad = draftAad(session.clinicId, draftKey);
  const [restoredAt, setRestoredAt] = useState<string>();
  const [ready, setReady] = useState(false);
  const latest = useRef(value);
  const dirty = useRef(false);
  const timer = useRef<number | undefined>(undefined);
  const restoreRef = useRef(restore);
  restoreRef.current = restore;

  // Offer back a kept draft once, before any change counts as typing.
  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    void (async () => {
      const row = await db.drafts.get(draftKey);
      const older = !row && olderKey ? await db.drafts.get(olderKey) : undefined;
      if (cancelled) return;
      const found = row ?? older;
      if (found) {
        const at = found === row ? aad : draftAad(session.clinicId, olderKey!);
        restoreRef.current(
          JSON.parse(await decryptText(found, keyForVersion(session, found.keyVersion), at)) as T,
        );
        setRestoredAt(found.savedAt);
        // Counts as typed: the next save (a change, a lock, leaving) moves it to its own key.
        if (older) dirty.current = true;
      }
      setReady(true);
    })();
    return () => {
      cancelled = true;
    };
  }, [draftKey, enabled]); // once per draft

  const save = useRef(async () => {});
  save.current = async () => {
    if (!dirty.current) return;
    dirty.current = false;
    const blob = await encryptText(
      JSON.stringify(latest.current),
      session.dataKey,
      session.keyVersion,
      aad,
    );
    await db.transaction('rw', db.drafts, async () => {
      await db.drafts.put({
        key: draftKey,
        userId: session.user.id,
        savedAt: new Date().toISOString(),
        ...blob,
      });
      if (olderKey) await db.drafts.delete(olderKey);
    });
  };

  const serialized = JSON.stringify(value);
  const baseline = useRef<string | undefined>(undefined);
  useEffect(() => {
    latest.current = value;
    if (!enabled || !ready) return;
    // The first value after loading (or restoring) is what the screen shows, not typing.
    if (baseline.current === undefined) {
      baseline.current = serialized;
      return;
    }
    if (serialized === baseline.current) return;
    dirty.current = true;
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => void save.current(), DEBOUNCE_MS);
  }, [serialized, ready, enabled]); // compared by content

  useEffect(() => {
    const leave = saveOnLeave(() => save.current());
    return () => {
      window.clearTimeout(timer.current);
      leave();
    };
  }, []);

  return {
    restoredAt,
    /** The kept copy, if any, has been offered back (restore ran before this turns true). */
    ready,
    /** Drops the kept copy; `next` is what the screen shows now (an emptied entry row). */
    clear: async (next?: T) => {
      dirty.current = false;
      window.clearTimeout(timer.current);
      baseline.current = JSON.stringify(next ?? latest.current);
      await db.drafts.bulkDelete(olderKey ? [draftKey, olderKey] : [draftKey]);
      setRestoredAt(undefined);
    },
  };
}
