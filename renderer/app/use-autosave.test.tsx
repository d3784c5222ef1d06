// @vitest-environment jsdom
/**
 * The editor autosave when what is stored changes under it (issue 14 finding 0 and point 7): sync
 * merged another computer's text into the open draft, possibly under the same clock. With nothing
 * unsaved the editor shows what is stored at once; with unsaved typing it stops and asks, so that
 * saving cannot overwrite the other text unseen.
 */
import { act, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type AutosaveTarget, useAutosave } from './use-autosave';

type Draft = { text: string };

function editor(first: { value: Draft; at: string }) {
  const saves: { value: Draft; basedOn: string | undefined }[] = [];
  let stored = first;
  const target: AutosaveTarget<Draft> = {
    save: async (value, basedOn) => {
      saves.push({ value, basedOn });
      stored = { value, at: `${stored.at}+` };
      return { updatedAt: stored.at };
    },
    reload: async () => ({ value: stored.value, updatedAt: stored.at }),
  };
  const hook = renderHook(
    (props: { value: Draft; at: string }) =>
      useAutosave({ initial: first.value, stored: props.value, basedOn: props.at, target }),
    { initialProps: first },
  );
  /** Sync wrote a new version of the record: the screen re-renders with it. */
  const storedBecomes = (value: Draft, at: string) => {
    stored = { value, at };
    hook.rerender({ value, at });
  };
  return { hook, saves, storedBecomes };
}

const T1 = '000001764990000000:00000:laptop';
const T2 = '000001764990005000:00000:tablet';

afterEach(() => vi.useRealTimers());

describe('an open editor when the stored draft changes under it', () => {
  it('shows what is stored at once when nothing is unsaved', async () => {
    const { hook, saves, storedBecomes } = editor({ value: { text: 'Mine' }, at: T1 });
    act(() => storedBecomes({ text: 'Merged from the tablet' }, T2));
    expect(hook.result.current.value).toEqual({ text: 'Merged from the tablet' });
    expect(hook.result.current.state).toBe('saved');
    expect(hook.result.current.updatedElsewhere).toBe(true);
    await act(() => hook.result.current.flush());
    expect(saves).toEqual([]); // nothing to save: the editor holds what is stored
  });

  it('notices a merge that changed the text under the same clock', () => {
    const { hook, storedBecomes } = editor({ value: { text: 'Mine' }, at: T1 });
    act(() => storedBecomes({ text: 'Mine, with the title merged in' }, T1));
    expect(hook.result.current.value).toEqual({ text: 'Mine, with the title merged in' });
  });

  it('stops and asks when there is unsaved typing, and saves nothing over the other text', async () => {
    vi.useFakeTimers();
    const { hook, saves, storedBecomes } = editor({ value: { text: 'Mine' }, at: T1 });
    act(() => hook.result.current.change(() => ({ text: 'Mine, typed on' })));
    act(() => storedBecomes({ text: 'From the tablet' }, T2));
    expect(hook.result.current.state).toBe('conflict');
    expect(hook.result.current.value).toEqual({ text: 'Mine, typed on' }); // still on screen
    await act(async () => {
      vi.advanceTimersByTime(1_000);
      await hook.result.current.flush();
    });
    expect(saves).toEqual([]);
    // The user keeps theirs: saved over the version they were shown, not blindly.
    await act(() => hook.result.current.keepMine());
    expect(saves).toEqual([{ value: { text: 'Mine, typed on' }, basedOn: T2 }]);
  });

  it('takes its own save coming back for what it is', async () => {
    const { hook, saves, storedBecomes } = editor({ value: { text: 'Mine' }, at: T1 });
    act(() => hook.result.current.change(() => ({ text: 'Mine, typed on' })));
    await act(() => hook.result.current.flush());
    expect(saves).toHaveLength(1);
    act(() => storedBecomes({ text: 'Mine, typed on' }, `${T1}+`));
    expect(hook.result.current.state).toBe('saved');
    expect(hook.result.current.updatedElsewhere).toBe(false);
  });
});
