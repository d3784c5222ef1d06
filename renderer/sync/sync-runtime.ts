/**
 * Background sync while someone is signed in: a round soon after every local change, every
 * INTERVAL otherwise, and on demand. When the server is unreachable the wait doubles up to a
 * minute (backoff); a round that makes no progress for WATCHDOG is aborted and reported, so a
 * half-open connection cannot stall sync silently (SYNC.md rule 11). Status is a small store the
 * header and the settings panel subscribe to.
 */
import type { RecordStore } from '../db/record-store';
import { openIssues, readSyncConfig, readSyncStatus, writeSyncStatus } from '../db/sync-state';
import { loadDeviceSecrets } from './device-credentials';
import { platformKeychain } from './platform-keychain';
import { SyncHttpError } from './server-client';
import { SyncEngine } from './sync-engine';
import { keyringInputs, refreshKeys } from './key-refresh';

export type SyncPhase = 'off' | 'idle' | 'syncing' | 'offline' | 'error';

export type SyncStatus = {
  phase: SyncPhase;
  serverUrl?: string;
  lastSyncAt?: string;
  /** Local changes not yet acknowledged by the server. */
  waiting: number;
  error?: string;
  /** Quarantined bundles, rejected changes and clock problems not yet dismissed. */
  issues: number;
};

const INTERVAL_MS = 5_000;
const AFTER_CHANGE_MS = 400;
const MAX_BACKOFF_MS = 60_000;
const WATCHDOG_MS = 60_000;

let status: SyncStatus = { phase: 'off', waiting: 0, issues: 0 };
const listeners = new Set<() => void>();

function set(next: Partial<SyncStatus>) {
  status = { ...status, ...next };
  for (const l of listeners) l();
}

export const getSyncStatus = () => status;
export function subscribeSyncStatus(l: () => void) {
  listeners.add(l);
  return () => void listeners.delete(l);
}

type Running = { store: RecordStore; timer?: ReturnType<typeof setTimeout>; stop: () => void };
let running: Running | undefined;
let inRound: Promise<void> | undefined;
let failures = 0;

/** Start background sync for this signed-in store (no-op when the device is not connected). */
export function startSync(store: RecordStore) {
  if (running?.store === store) return;
  stopSync();
  const off = store.onChange(() => schedule(AFTER_CHANGE_MS));
  const online = () => schedule(0);
  globalThis.addEventListener?.('online', online);
  running = {
    store,
    stop: () => {
      off();
      globalThis.removeEventListener?.('online', online);
    },
  };
  void refreshCounts();
  schedule(0);
}

export function stopSync() {
  if (!running) return;
  clearTimeout(running.timer);
  running.stop();
  running = undefined;
  set({ phase: 'off' });
}

function schedule(ms: number) {
  if (!running) return;
  clearTimeout(running.timer);
  running.timer = setTimeout(() => void syncNow(), ms);
}

/** One round now (or join the one under way). Resolves when it is over; never throws. */
export function syncNow(): Promise<void> {
  inRound ??= round().finally(() => (inRound = undefined));
  return inRound;
}

async function round() {
  const r = running;
  if (!r) return;
  const { db, session } = r.store;
  const config = await readSyncConfig(db);
  if (!config) {
    set({ phase: 'off', serverUrl: undefined });
    return void (await refreshCounts());
  }
  const secrets = await loadDeviceSecrets(platformKeychain).catch(() => undefined);
  if (!secrets) {
    set({
      phase: 'error',
      serverUrl: config.serverUrl,
      error:
        'This computer’s sync key is missing from its keychain. Connect it again with a new enrollment code.',
    });
    return;
  }
  set({ phase: 'syncing', serverUrl: config.serverUrl });
  const engine = new SyncEngine({
    db,
    context: session,
    config,
    secrets,
    onApplied: (records) =>
      r.store.announceRemote(records.map((record) => ({ kind: record.kind, record }))),
    ...keyringInputs(session.keyring),
  });
  const abort = new AbortController();
  const watchdog = setTimeout(() => abort.abort(), WATCHDOG_MS);
  let next = INTERVAL_MS;
  try {
    // Key blobs first: a rotation made elsewhere opens here before its bundles are pulled.
    await refreshKeys(r.store, engine.client(abort.signal));
    await engine.syncOnce(abort.signal);
    failures = 0;
    const lastSyncAt = new Date().toISOString();
    await writeSyncStatus(db, { lastSyncAt });
    set({ phase: 'idle', lastSyncAt, error: undefined });
  } catch (e) {
    failures++;
    next = Math.min(MAX_BACKOFF_MS, INTERVAL_MS * 2 ** failures);
    const message = abort.signal.aborted
      ? 'The clinic server is connected but sync made no progress for a minute. It will try again; if this keeps happening, restart the server.'
      : e instanceof Error
        ? e.message
        : 'Sync stopped for an unknown reason. It will try again.';
    const unreachable = e instanceof SyncHttpError && e.unreachable && !abort.signal.aborted;
    await writeSyncStatus(db, { lastSyncAt: status.lastSyncAt, lastError: message });
    set({ phase: unreachable ? 'offline' : 'error', error: message });
  } finally {
    clearTimeout(watchdog);
  }
  await refreshCounts();
  if (running === r) schedule(next);
}

async function refreshCounts() {
  const r = running;
  if (!r) return;
  const { db } = r.store;
  const [waiting, issues, saved] = await Promise.all([
    db.outbox.count(),
    openIssues(db).then((i) => i.length),
    readSyncStatus(db),
  ]);
  set({ waiting, issues, lastSyncAt: status.lastSyncAt ?? saved.lastSyncAt });
}
