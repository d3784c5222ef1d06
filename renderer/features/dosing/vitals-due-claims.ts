/**
 * One "vitals due" notification per reading across every window of the app (issue 15, item 3 of
 * the bedside follow-up): each open window watches the same sessions, and without this each one
 * notified. A window claims the reading before it notifies; the claim is a check-and-set on a
 * list shared by the app's windows (localStorage, one origin), made atomic across windows with a
 * Web Lock. Only opaque keys are kept there (dose id and due time, no name or value), and only for
 * a day.
 */

/** The part of the Web Locks API used here (navigator.locks in every window of one origin). */
export type WindowLocks = {
  request<T>(name: string, callback: () => T | Promise<T>): Promise<T>;
};

export type ClaimDeps = {
  storage: Pick<Storage, 'getItem' | 'setItem'> | undefined;
  locks: WindowLocks | undefined;
  now: () => number;
};

const TOLD = 'kat:vitals-due-told';
const LOCK = 'kat:vitals-due-claim';
/** Long past any session: a claim older than this is dropped from the list. */
const KEEP_MS = 24 * 60 * 60_000;

/**
 * `claim(key)` resolves true in exactly one window for a given reading (the first to ask), false
 * in every other. Without storage (a locked-down profile) every window is told: a reminder shown
 * twice is better than one shown nowhere.
 */
export function vitalsDueClaims(deps: ClaimDeps = browserDeps()) {
  const claimNow = (key: string): boolean => {
    const { storage } = deps;
    if (!storage) return true;
    try {
      const told = JSON.parse(storage.getItem(TOLD) ?? '{}') as Record<string, number>;
      if (told[key] !== undefined) return false;
      const now = deps.now();
      const kept = Object.fromEntries(Object.entries(told).filter(([, at]) => now - at < KEEP_MS));
      storage.setItem(TOLD, JSON.stringify({ ...kept, [key]: now }));
      return true;
    } catch {
      return true;
    }
  };
  return (key: string): Promise<boolean> =>
    deps.locks ? deps.locks.request(LOCK, () => claimNow(key)) : Promise.resolve(claimNow(key));
}

function browserDeps(): ClaimDeps {
  let storage: Storage | undefined;
  try {
    storage = window.localStorage;
  } catch {
    storage = undefined;
  }
  return {
    storage,
    locks: typeof navigator !== 'undefined' ? navigator.locks : undefined,
    now: () => Date.now(),
  };
}
