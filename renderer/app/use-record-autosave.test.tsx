// @vitest-environment jsdom
/**
 * The dose record's autosave wiring (issue 15, deliverable 5): a change reaches the record with no
 * Save click shortly after it is typed and at once on lock; a refused value stays on screen with
 * the refusal and is tried again when edited; a field changed elsewhere shows, and a field typed
 * here and not yet saved is not overwritten by it.
 */
import { act, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runBeforeLock } from './before-lock';
import { useRecordAutosave } from './use-record-autosave';

type Fields = { weightKg?: number; escort: string };

function editor(first: Fields, refuse?: (f: Fields) => string | undefined) {
  let record = first;
  const saves: Fields[] = [];
  const hook = renderHook(
    (props: { stored: Fields }) =>
      useRecordAutosave<Fields>({
        stored: props.stored,
        save: async (f) => {
          const refused = refuse?.(f);
          if (refused) throw new Error(refused);
          saves.push(f);
          record = f;
          return f;
        },
      }),
    { initialProps: { stored: first } },
  );
  /** The record as the live query brings it back (after a save, or from elsewhere). */
  const reload = (next = record) => {
    record = next;
    hook.rerender({ stored: next });
  };
  return { hook, saves, reload };
}

afterEach(() => vi.useRealTimers());

describe('the dose record autosave', () => {
  it('saves what was typed shortly after, with no Save click', async () => {
    vi.useFakeTimers();
    const { hook, saves } = editor({ escort: '' });
    act(() => hook.result.current.change((f) => ({ ...f, weightKg: 70 })));
    expect(hook.result.current.state).toBe('unsaved');
    expect(saves).toEqual([]);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(200);
    });
    expect(saves).toEqual([{ weightKg: 70, escort: '' }]);
    expect(hook.result.current.state).toBe('saved');
  });

  it('saves at once when the app locks', async () => {
    const { hook, saves } = editor({ escort: '' });
    act(() => hook.result.current.change((f) => ({ ...f, escort: 'Daniel' })));
    await act(() => runBeforeLock());
    expect(saves).toEqual([{ escort: 'Daniel' }]);
  });

  it('keeps a refused value on screen with the reason, and saves it once corrected', async () => {
    const { hook, saves } = editor({ escort: '' }, (f) =>
      (f.weightKg ?? 0) > 400 ? 'Weight 700 kg is not plausible' : undefined,
    );
    act(() => hook.result.current.change((f) => ({ ...f, weightKg: 700 })));
    await act(() => hook.result.current.flush());
    expect(hook.result.current.state).toBe('failed');
    expect(hook.result.current.failure).toBe('Weight 700 kg is not plausible');
    expect(hook.result.current.value.weightKg).toBe(700); // not dropped
    act(() => hook.result.current.change((f) => ({ ...f, weightKg: 70 })));
    await act(() => hook.result.current.flush());
    expect(hook.result.current.state).toBe('saved');
    expect(hook.result.current.failure).toBeUndefined();
    expect(saves).toEqual([{ weightKg: 70, escort: '' }]);
  });

  it('shows a field changed elsewhere, but not over a field typed here and unsaved', () => {
    const { hook, reload } = editor({ weightKg: 70, escort: '' });
    act(() => hook.result.current.change((f) => ({ ...f, escort: 'Dan' })));
    act(() => reload({ weightKg: 72, escort: 'Someone else' }));
    expect(hook.result.current.value).toEqual({ weightKg: 72, escort: 'Dan' });
  });

  it('takes its own save coming back as saved', async () => {
    const { hook, reload } = editor({ escort: '' });
    act(() => hook.result.current.change((f) => ({ ...f, escort: 'Daniel' })));
    await act(() => hook.result.current.flush());
    act(() => reload());
    expect(hook.result.current.value).toEqual({ escort: 'Daniel' });
    expect(hook.result.current.state).toBe('saved');
  });
});
