/**
 * Nothing a user typed is ever lost: unsaved form input is kept, encrypted like records, in the
 * `drafts` table — 300 ms after the last keystroke, and before lock or sign-out — and offered back
 * when the form opens again (after a reload, a crash or an auto-lock).
 */
import { useEffect, useRef, useState } from 'react';
import type { FieldValues, UseFormReturn } from 'react-hook-form';
import { decryptText, draftAad, encryptText, keyForVersion } from '../db/record-crypto';
import { useStore } from './app-state';
import { saveOnLeave } from './before-lock';

const DEBOUNCE_MS = 300;

export function useFormDraft<T extends FieldValues>(key: string, form: UseFormReturn<T>) {
  const store = useStore();
  const { db, session } = store;
  const draftKey = `${session.user.id}:${key}`;
  const aad = draftAad(session.clinicId, draftKey);
  const [restoredAt, setRestoredAt] = useState<string>();
  const dirty = useRef(false);
  const timer = useRef<number | undefined>(undefined);

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const row = await db.drafts.get(draftKey);
      if (!row || cancelled) return;
      const values = JSON.parse(
        await decryptText(row, keyForVersion(session, row.keyVersion), aad),
      ) as T;
      form.reset(values, { keepDefaultValues: true });
      setRestoredAt(row.savedAt);
    })();
    return () => {
      cancelled = true;
    };
  }, [draftKey]); // restore once per form

  useEffect(() => {
    const save = async () => {
      if (!dirty.current) return;
      dirty.current = false;
      const blob = await encryptText(
        JSON.stringify(form.getValues()),
        session.dataKey,
        session.keyVersion,
        aad,
      );
      await db.drafts.put({
        key: draftKey,
        userId: session.user.id,
        savedAt: new Date().toISOString(),
        ...blob,
      });
    };
    const sub = form.watch(() => {
      dirty.current = true;
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(() => void save(), DEBOUNCE_MS);
    });
    const leave = saveOnLeave(save);
    return () => {
      sub.unsubscribe();
      window.clearTimeout(timer.current);
      leave();
    };
  }, [db, draftKey, aad, form, session]);

  return {
    restoredAt,
    /** Forget the scratch copy once the real record is saved (or the user discards it). */
    clear: async () => {
      dirty.current = false;
      window.clearTimeout(timer.current);
      await db.drafts.delete(draftKey);
      setRestoredAt(undefined);
    },
  };
}
