/**
 * Background sync while someone is signed in: a round soon after every local change, every
 * INTERVAL otherwise, and on demand. When the server is unreachable the wait doubles up to a
 * minute (backoff) and a cheap probe resumes sync within seconds of the server answering
 * (sync-scheduler.ts); a round that makes no progress for WATCHDOG is aborted and reported, so a
 * half-open connection cannot stall sync silently (SYNC.md rule 11). Status is a small store the
 * header and the settings panel subscribe to.
 */
import { exchangeAuditCheckpoints } from './audit-checkpoint';
import type { RecordStore } from '../db/record-store';
import { heldCount, listHeld } from '../db/sync-held';
import { waitingChanges } from '../db/waiting-changes';
import {
  type SyncConfig,
  openIssues,
  readSyncConfig,
  readSyncStatus,
  writeSyncStatus,
} from '../db/sync-state';
import { loadDeviceSecrets } from './device-credentials';
import { platformKeychain } from './platform-keychain';
import { version as appVersion } from '../../package.json';
import { formatDateTime } from '../app/format';
import { platform } from '../platform';
import { joinConfirmed, readJoin } from './connect';
import { defaultComputerName, shareDeviceProfile } from './device-profile';
import { type ServerClient, SyncHttpError, probeServer } from './server-client';
import { SyncEngine } from './sync-engine';
import { keyringInputs, newerVersionAnnounced, refreshKeys } from './key-refresh';
import { type RoundOutcome, SyncScheduler, outcomeOf } from './sync-scheduler';

/** `offline`: this computer has no network; `server-unreachable`: it has, the server does not answer. */
export type SyncPhase = 'off' | 'idle' | 'syncing' | 'offline' | 'server-unreachable' | 'error';

export type SyncStatus = {
  phase: SyncPhase;
  serverUrl?: string;
  lastSyncAt?: string;
  /** Records changed here and not yet acknowledged by the server (not outbox rows). */
  waiting: number;
  error?: string;
  /** Quarantined bundles, rejected changes and clock problems not yet dismissed. */
  issues: number;
  /** Changes from other computers held for a retry (renderer/db/sync-held.ts). */
  held: number;
  /**
   * When an administrator removed this computer (the server refuses it): it can only join again,
   * so the panel offers nothing else.
   */
  removedAt?: string;
  /**
   * This computer's sync key cannot be read from its keychain (unreadable after a reinstall, or a
   * backup restored onto another computer): it can only connect again with a new code.
   */
  credentialsLost?: boolean;
};

const AFTER_CHANGE_MS = 400;
const WATCHDOG_MS = 60_000;

let status: SyncStatus = { phase: 'off', waiting: 0, issues: 0, held: 0 };
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

type Running = { store: RecordStore; scheduler: SyncScheduler; stop: () => void };
let running: Running | undefined;

/** Start background sync for this signed-in store (no-op when the device is not connected). */
export function startSync(store: RecordStore) {
  if (running?.store === store) return;
  stopSync();
  const off = store.onChange(() => schedule(AFTER_CHANGE_MS));
  const online = () => schedule(0);
  globalThis.addEventListener?.('online', online);
  let serverUrl: string | undefined;
  const scheduler = new SyncScheduler({
    round: async () => {
      const { outcome, url } = await round();
      serverUrl = url;
      return outcome;
    },
    probe: async () => !!serverUrl && (await probeServer(serverUrl)),
  });
  running = {
    store,
    scheduler,
    stop: () => {
      scheduler.stop();
      off();
      globalThis.removeEventListener?.('online', online);
    },
  };
  void refreshCounts();
  schedule(0);
}

export function stopSync() {
  if (!running) return;
  running.stop();
  running = undefined;
  set({ phase: 'off' });
}

function schedule(ms: number) {
  running?.scheduler.schedule(ms);
}

/** One round now (or join the one under way). Resolves when it is over; never throws. */
export function syncNow(): Promise<void> {
  return running?.scheduler.runNow() ?? Promise.resolve();
}

async function round(): Promise<{ outcome: RoundOutcome; url?: string }> {
  const r = running;
  if (!r) return { outcome: 'ok' };
  const { db, session } = r.store;
  const config = await readSyncConfig(db);
  if (!config) {
    set({ phase: 'off', serverUrl: undefined });
    await refreshCounts();
    return { outcome: 'ok' };
  }
  const secrets = await loadDeviceSecrets(platformKeychain).catch(() => undefined);
  if (!secrets) {
    set({
      phase: 'error',
      serverUrl: config.serverUrl,
      credentialsLost: true,
      error: CREDENTIALS_LOST,
    });
    return { outcome: 'failed', url: config.serverUrl };
  }
  if (status.credentialsLost) set({ credentialsLost: false });
  // Joined again (rejoin.ts): nothing goes out until an administrator confirms the new key.
  if (await readJoin(db)) {
    const confirmed = await joinConfirmed(db, platformKeychain).catch(() => false);
    if (!confirmed) {
      set({
        phase: 'error',
        serverUrl: config.serverUrl,
        removedAt: undefined,
        error: WAITING_FOR_CONFIRMATION,
      });
      return { outcome: 'ok', url: config.serverUrl };
    }
    await db.meta.delete('join-pending');
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
    holdPush: async () => !!(await newerVersionAnnounced(db, session.keyring)),
  });
  const abort = new AbortController();
  const watchdog = setTimeout(() => abort.abort(), WATCHDOG_MS);
  let outcome: RoundOutcome = 'ok';
  try {
    // Key blobs first: a rotation made elsewhere opens here before its bundles are pulled.
    await refreshKeys(r.store, engine.client(abort.signal));
    await engine.syncOnce(abort.signal);
    await shareProfile(r.store, config, engine.client(abort.signal));
    await exchangeAuditCheckpoints(db, session.deviceId, engine.client(abort.signal));
    const lastSyncAt = new Date().toISOString();
    await writeSyncStatus(db, { lastSyncAt });
    set({ phase: 'idle', lastSyncAt, error: undefined, removedAt: undefined });
  } catch (e) {
    if (e instanceof SyncHttpError && e.code === 'device-revoked') {
      // Nothing more will go through until it joins again: the panel offers only that.
      const removedAt = e.revokedAt ?? new Date().toISOString();
      const error = removedWords(removedAt);
      await writeSyncStatus(db, { lastSyncAt: status.lastSyncAt, lastError: error, removedAt });
      set({ phase: 'error', error, removedAt });
      await refreshCounts();
      return { outcome: 'failed', url: config.serverUrl };
    }
    outcome = abort.signal.aborted ? 'failed' : outcomeOf(e);
    const message = abort.signal.aborted
      ? 'The clinic server is connected but sync made no progress for a minute. It will try again; if this keeps happening, restart the server.'
      : e instanceof Error
        ? e.message
        : 'Sync stopped for an unknown reason. It will try again.';
    await writeSyncStatus(db, { lastSyncAt: status.lastSyncAt, lastError: message });
    set({ phase: outcome === 'unreachable' ? unreachablePhase() : 'error', error: message });
  } finally {
    clearTimeout(watchdog);
  }
  await refreshCounts();
  return { outcome, url: config.serverUrl };
}

/** Whether this computer has no network at all, or only the clinic server does not answer. */
export function unreachablePhase(online = globalThis.navigator?.onLine): SyncPhase {
  return online === false ? 'offline' : 'server-unreachable';
}

export const CREDENTIALS_LOST =
  'This computer’s sync key cannot be read from its keychain, so it cannot sync. Nothing charted ' +
  'here is lost. Connect it again with a new enrollment code (Settings → Clinic server).';

export const WAITING_FOR_CONFIRMATION =
  'Waiting for an administrator to confirm this computer: they compare the numbers shown here ' +
  'with their screen (Settings → Clinic server). Sync starts by itself once they confirm.';

/** The removal as the app says it: the computer's own date format, what to do next. */
export function removedWords(removedAt: string): string {
  return (
    `An administrator removed this computer from the clinic on ${formatDateTime(removedAt)}. ` +
    'It no longer syncs; what is charted here stays here. To sync again, ask an administrator ' +
    'for a join code and choose “Join again”.'
  );
}

/** The profile (name, who is signed in, version) when it changed; an older server lacks it. */
async function shareProfile(store: RecordStore, config: SyncConfig, client: ServerClient) {
  const { db, session } = store;
  const info = await platform.appInfo().catch(() => undefined);
  const hostName = info?.ok ? info.value.computerName : undefined;
  await shareDeviceProfile(db, (blob) => client.putDeviceProfile(blob), {
    clinicId: config.clinicId,
    deviceId: config.deviceId,
    key: session.dataKey,
    keyVersion: session.keyVersion,
    user: session.user.displayName,
    appVersion,
    fallbackName: defaultComputerName(hostName, globalThis.navigator?.userAgent ?? ''),
  }).catch((e: unknown) => {
    if (e instanceof SyncHttpError && e.status === 404) return; // a server from before profiles
    throw e;
  });
}

async function refreshCounts() {
  const r = running;
  if (!r) return;
  const { db } = r.store;
  const [waiting, issues, held, saved] = await Promise.all([
    waitingChanges(db),
    openIssues(db).then((i) => i.length),
    listHeld(db).then(heldCount),
    readSyncStatus(db),
  ]);
  set({
    waiting,
    issues,
    held,
    lastSyncAt: status.lastSyncAt ?? saved.lastSyncAt,
    removedAt: status.removedAt ?? saved.removedAt,
  });
}
