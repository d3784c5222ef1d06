/**
 * Runs the re-seal at rest (renderer/db/reseal.ts) in the background while someone is signed in:
 * at sign-in when this computer still holds rows under an older clinic key version, and at once
 * when a newer version arrives (a rotation made here, or opened from another computer by sync).
 * Locking or signing out stops it between batches; the next sign-in continues where it stopped.
 * Its progress is a small store that Settings and the header subscribe to.
 */
import type { RecordStore } from '../db/record-store';
import { type ResealState, readReseal, resealAtRest, resealNeeded } from '../db/reseal';

export type ResealStatus = {
  phase: 'off' | 'running' | 'done' | 'error';
  /** The version everything on this computer is moving to (or is under, when done). */
  target?: number;
  /** 0–100. */
  percent: number;
  state?: ResealState;
  error?: string;
};

let status: ResealStatus = { phase: 'off', percent: 0 };
const listeners = new Set<() => void>();

function set(next: ResealStatus) {
  status = next;
  for (const l of listeners) l();
}

export const getResealStatus = () => status;
export function subscribeResealStatus(l: () => void) {
  listeners.add(l);
  return () => void listeners.delete(l);
}

const percentOf = (s: ResealState) =>
  s.step === 'done' ? 100 : Math.min(99, Math.floor((100 * s.seen) / Math.max(1, s.total)));

function show(s: ResealState | undefined, running: boolean) {
  if (!s) return set({ phase: running ? 'running' : 'off', percent: 0 });
  set({
    phase: s.step === 'done' ? 'done' : running ? 'running' : 'off',
    target: s.target,
    percent: percentOf(s),
    state: s,
  });
}

type Running = { store: RecordStore; abort: AbortController; again: boolean; loop?: Promise<void> };
let running: Running | undefined;

async function loop(r: Running) {
  const { db, session } = r.store;
  try {
    do {
      r.again = false;
      if (!(await resealNeeded(db, session))) break;
      const reached = await resealAtRest(db, session, {
        signal: r.abort.signal,
        onProgress: (s) => running === r && show(s, true),
      });
      if (running === r) show(reached, false);
    } while (r.again && !r.abort.signal.aborted);
  } catch (e) {
    if (running !== r) return; // locked or signed out meanwhile: the next sign-in goes on
    set({
      ...status,
      phase: 'error',
      error:
        'Moving this computer’s charts to the newest clinic key stopped: ' +
        `${e instanceof Error ? e.message : 'an unknown problem'} ` +
        'Every chart is still readable. It tries again at the next sign-in.',
    });
  }
}

function kick(r: Running) {
  r.again = true;
  r.loop ??= loop(r).finally(() => {
    r.loop = undefined;
    if (r.again && running === r && !r.abort.signal.aborted) kick(r);
  });
}

/** Start for this signed-in store; returns the stop function (also `stopReseal`). */
export function startReseal(store: RecordStore): () => void {
  if (running?.store === store) return stopReseal;
  stopReseal();
  const r: Running = { store, abort: new AbortController(), again: false };
  running = r;
  const off = store.session.keyring?.onNewerVersion(() => kick(r));
  r.abort.signal.addEventListener('abort', () => off?.());
  void readReseal(store.db).then((s) => {
    if (running === r) show(s, false);
    kick(r);
  });
  return stopReseal;
}

/** Lock or sign-out: stop between batches. What is done stays done. */
export function stopReseal() {
  if (!running) return;
  running.abort.abort();
  running = undefined;
  set({ ...status, phase: status.phase === 'done' ? 'done' : 'off' });
}
