/**
 * The app's one piece of global state: which clinic is on this computer, who is signed in, and the
 * objects that exist only while someone is (record store, patient index). Screens read it through
 * `useAppState`; everything else reaches data through feature hooks.
 */
import { notifications } from '@mantine/notifications';
import { useSyncExternalStore } from 'react';
import { KatDatabase } from '../db/database';
import { type ClinicMeta, readClinic, signIn as openSession } from '../db/auth';
import type { FactorProof } from '../db/second-factor';
import { PatientIndex } from '../db/patient-index';
import { RecordStore } from '../db/record-store';
import { requestPersistentStorage, storageFailureMessage } from '../db/storage-health';
import type { Session } from '../db/session';
import { watchUpgrades } from '../db/upgrade-watch';
import { runBeforeLock } from './before-lock';
import { startReseal, stopReseal } from './reseal-runtime';
import { homeRoute } from './home-route';

export type AppPhase = 'loading' | 'first-run' | 'signed-out' | 'locked' | 'ready';

export type AppState = {
  phase: AppPhase;
  clinic?: ClinicMeta;
  /** The user whose session was locked (the lock screen asks only for their passphrase). */
  lockedUser?: { username: string; displayName: string };
  session?: Session;
  store?: RecordStore;
  patients?: PatientIndex;
  error?: string;
};

let state: AppState = { phase: 'loading' };
const listeners = new Set<() => void>();
export const db = new KatDatabase();
// Another window opening a newer version: keep what is typed, let go, say why (issue 7).
watchUpgrades(db, {
  flush: runBeforeLock,
  notify: (n) => notifications.show({ ...n, color: 'red', autoClose: false }),
});

function set(next: Partial<AppState>) {
  state = { ...state, ...next };
  for (const l of listeners) l();
}

export const getAppState = () => state;

export function useAppState(): AppState {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => state,
  );
}

/** The signed-in store; screens under the signed-in shell may rely on it. */
export function useStore(): RecordStore {
  const s = useAppState();
  if (!s.store) throw new Error('No one is signed in');
  return s.store;
}

export async function loadApp() {
  try {
    await db.open();
    void requestPersistentStorage(); // keep charts under disk pressure (Settings → Storage)
    const clinic = await readClinic(db);
    set({ phase: clinic ? 'signed-out' : 'first-run', clinic });
  } catch (e) {
    set({ phase: 'signed-out', error: storageMessage(e) });
  }
}

export async function startSession(session: Session) {
  startOnOwnScreen(session.user.id, homeRoute(session.user.roles));
  const store = new RecordStore(db, session);
  const patients = await PatientIndex.build(store);
  // After a rotation, older rows move to the newest clinic key version in the background.
  startReseal(store);
  set({
    phase: 'ready',
    clinic: await readClinic(db),
    session,
    store,
    patients,
    lockedUser: undefined,
    error: undefined,
  });
}

export async function signIn(username: string, passphrase: string, proof?: FactorProof) {
  await startSession(await openSession(db, username, passphrase, proof));
}

/** Lock: flush unsaved input (encrypted), then drop the key and everything decrypted. */
export async function lock(reason: 'button' | 'idle' = 'button') {
  if (state.phase !== 'ready' || !state.store) return;
  stopReseal(); // between batches; the next sign-in continues
  await runBeforeLock();
  await state.store.audit('lock', {
    detail: reason === 'idle' ? 'Locked after inactivity' : undefined,
  });
  const user = state.session!.user;
  set({
    phase: 'locked',
    lockedUser: { username: user.username, displayName: user.displayName },
    session: undefined,
    store: undefined,
    patients: undefined,
  });
}

/**
 * Whose screen the address shows (kept on this computer, across a reload and in new windows). The same person
 * coming back (unlock, or signing in again after a reload) returns to where they were; anyone
 * else starts on their own home screen, never on the chart the previous person left open, which
 * would log a view in their name (issue 18 point 3).
 */
const ROUTE_OWNER = 'kat:route-owner';
function startOnOwnScreen(userId: string, home: string) {
  let owner: string | null = null;
  try {
    owner = localStorage.getItem(ROUTE_OWNER);
    localStorage.setItem(ROUTE_OWNER, userId);
  } catch {
    // No session storage (a locked-down profile): start at home every time.
  }
  if (owner !== userId) window.location.hash = home;
}

export async function signOut() {
  stopReseal();
  if (state.phase === 'ready' && state.store) {
    await runBeforeLock();
    await state.store.audit('sign-out');
  }
  set({
    phase: 'signed-out',
    session: undefined,
    store: undefined,
    patients: undefined,
    lockedUser: undefined,
  });
}

function storageMessage(e: unknown): string {
  const known = storageFailureMessage(e);
  if (known) return known;
  const name = (e as { name?: string })?.name;
  if (name === 'VersionError' || name === 'BlockedError' || name === 'DatabaseClosedError')
    return 'KAT Chart is open in another window with an older version. Close the other windows, then reload.';
  if (name === 'QuotaExceededError')
    return 'This computer is out of storage space for KAT Chart. Free some disk space, then reload. Nothing saved was lost.';
  return 'The local chart store could not be opened. Reload the app; if it happens again, contact support.';
}
