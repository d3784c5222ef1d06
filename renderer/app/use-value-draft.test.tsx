/**
 * What a patient gives in patient mode is this computer's draft (`'this-computer'`), so whichever
 * staff member signs in next finds it. Drafts kept before that change sit under the user who was
 * signed in then: they are still offered back, and move to this computer's key at the next save.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installNodeDom } from './node-dom.test-support';
import { draftAad, encryptText } from '../db/record-crypto';
import type { RecordStore } from '../db/record-store';
import { freshClinic } from '../db/test-support';

await installNodeDom();
const { act, cleanup, renderHook, waitFor } = await import('@testing-library/react');

let store: RecordStore;
vi.mock('./app-state', () => ({ useStore: () => store }));
const { computerDraftKey, useValueDraft } = await import('./use-value-draft');

afterEach(cleanup);

const KEY = 'patient-packet:maya:in-office-iv';
type Packet = { signedForms: number };

/** A draft as the app kept it before patient-mode drafts belonged to the computer. */
async function keptUnderUser(value: Packet) {
  const { session, db } = store;
  const olderKey = `${session.user.id}:${KEY}`;
  const blob = await encryptText(
    JSON.stringify(value),
    session.dataKey,
    session.keyVersion,
    draftAad(session.clinicId, olderKey),
  );
  await db.drafts.put({
    key: olderKey,
    userId: session.user.id,
    savedAt: '2026-12-01T10:00:00.000Z',
    ...blob,
  });
  return olderKey;
}

describe("a patient's draft kept under the signed-in user before it belonged to this computer", () => {
  it('is offered back, and the next save moves it to this computer', async () => {
    ({ store } = await freshClinic());
    const olderKey = await keptUnderUser({ signedForms: 2 });
    const restored: Packet[] = [];
    const hook = renderHook(
      ({ value }: { value: Packet }) =>
        useValueDraft(KEY, value, (kept) => restored.push(kept), true, 'this-computer'),
      { initialProps: { value: { signedForms: 0 } } },
    );
    await waitFor(() => expect(hook.result.current.ready).toBe(true));
    expect(restored).toEqual([{ signedForms: 2 }]);
    expect(hook.result.current.restoredAt).toBe('2026-12-01T10:00:00.000Z');

    // The screen shows what was restored; leaving saves it under this computer's key.
    hook.rerender({ value: { signedForms: 2 } });
    await act(async () => hook.unmount());
    await waitFor(async () => expect(await store.db.drafts.get(olderKey)).toBeUndefined());
    expect(await store.db.drafts.get(computerDraftKey(KEY))).toBeDefined();

    // Opened again (another staff member, or after a restart), it is found under the new key.
    const again: Packet[] = [];
    const second = renderHook(() =>
      useValueDraft(KEY, { signedForms: 0 }, (kept) => again.push(kept), true, 'this-computer'),
    );
    await waitFor(() => expect(second.result.current.ready).toBe(true));
    expect(again).toEqual([{ signedForms: 2 }]);
  });

  it('a draft already under this computer wins over an older one', async () => {
    ({ store } = await freshClinic());
    await keptUnderUser({ signedForms: 1 });
    const first = renderHook(
      ({ value }: { value: Packet }) => useValueDraft(KEY, value, () => {}, true, 'this-computer'),
      { initialProps: { value: { signedForms: 0 } } },
    );
    await waitFor(() => expect(first.result.current.ready).toBe(true));
    first.rerender({ value: { signedForms: 3 } });
    await act(async () => first.unmount());
    await waitFor(async () =>
      expect(await store.db.drafts.get(computerDraftKey(KEY))).toBeDefined(),
    );
    await keptUnderUser({ signedForms: 1 }); // e.g. an older window of the app wrote one since

    const restored: Packet[] = [];
    const second = renderHook(() =>
      useValueDraft(KEY, { signedForms: 0 }, (kept) => restored.push(kept), true, 'this-computer'),
    );
    await waitFor(() => expect(second.result.current.ready).toBe(true));
    expect(restored).toEqual([{ signedForms: 3 }]);
  });
});
