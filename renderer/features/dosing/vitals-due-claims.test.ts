/**
 * Two windows of the app watching the same session: the reading that falls due is notified in one
 * of them, not in both (issue 15 follow-up), even when both ask at the same moment.
 */
import { describe, expect, it } from 'vitest';
import { type WindowLocks, vitalsDueClaims } from './vitals-due-claims';

/** localStorage and navigator.locks as two windows of one origin share them. */
function origin() {
  const items = new Map<string, string>();
  const storage = {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
  };
  let queue: Promise<unknown> = Promise.resolve();
  const locks: WindowLocks = {
    request: (_name, callback) => {
      const run = queue.then(async () => {
        await Promise.resolve(); // another window's turn may come between reading and writing
        return callback();
      });
      queue = run.catch(() => undefined);
      return run;
    },
  };
  let clock = Date.parse('2026-12-07T10:00:00Z');
  return {
    items,
    window: () => vitalsDueClaims({ storage, locks, now: () => clock }),
    advance: (ms: number) => (clock += ms),
  };
}

describe('vitals-due notification across windows', () => {
  it('is claimed by one window only, even when both ask at once', async () => {
    const o = origin();
    const [a, b] = [o.window(), o.window()];
    const key = 'vitals-due:dose-1:2026-12-07T10:15:00.000Z';
    expect(await Promise.all([a(key), b(key)])).toEqual([true, false]);
    expect(await b(key)).toBe(false);
    expect(await a(key)).toBe(false);
  });

  it('tells the next reading and another patient’s reading again', async () => {
    const o = origin();
    const [a, b] = [o.window(), o.window()];
    expect(await a('vitals-due:dose-1:10:15')).toBe(true);
    expect(await b('vitals-due:dose-1:10:30')).toBe(true);
    expect(await b('vitals-due:dose-2:10:15')).toBe(true);
  });

  it('keeps claims for a day only', async () => {
    const o = origin();
    const a = o.window();
    await a('vitals-due:dose-1:10:15');
    o.advance(25 * 60 * 60_000);
    await a('vitals-due:dose-1:next-day');
    expect(Object.keys(JSON.parse(o.items.get('kat:vitals-due-told')!))).toEqual([
      'vitals-due:dose-1:next-day',
    ]);
  });

  it('notifies in every window rather than none when storage is refused', async () => {
    const refusing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => undefined,
    };
    const claim = vitalsDueClaims({ storage: refusing, locks: undefined, now: Date.now });
    expect(await claim('k')).toBe(true);
    expect(await claim('k')).toBe(true);
  });
});
