/**
 * A clinic for adversary tests: computers running the app's own code (fake-indexeddb databases,
 * in-memory keychains) that sync through a hostile server (hostile-server.ts). Written against
 * the app's public functions only (clinic setup, adding users, joining, key refresh, a sync round),
 * so the same tests run on the code before the issue-13 fixes and show the attacks succeeding
 * there — see shared/crypto/SECURITY.md for how each was seen to fail.
 */
import { addUser, signIn } from '../../renderer/db/auth';
import { KatDatabase } from '../../renderer/db/database';
import { RecordStore } from '../../renderer/db/record-store';
import type { Session } from '../../renderer/db/session';
import { readSyncConfig } from '../../renderer/db/sync-state';
import { freshClinic } from '../../renderer/db/test-support';
import { connectFirstDevice, createEnrollmentCode, joinClinic } from '../../renderer/sync/connect';
import {
  type Keychain,
  loadDeviceSecrets,
  memoryKeychain,
} from '../../renderer/sync/device-credentials';
import { keyringInputs, refreshKeys } from '../../renderer/sync/key-refresh';
import { ServerClient } from '../../renderer/sync/server-client';
import { SyncEngine } from '../../renderer/sync/sync-engine';
import type { AnyRecord } from '../../shared/model';
import { encodeBundle } from '../../shared/sync/bundle';
import { uuidv7 } from '../../shared/util/ids';
import { afterEach, beforeEach } from 'vitest';
import { syncTables } from '../../renderer/db/sync-state';
import type { DoseBody } from '../../shared/model/dose';
import { type HostileServer, startHostileServer } from './hostile-server';

export type Computer = {
  name: string;
  db: KatDatabase;
  store: RecordStore;
  keychain: Keychain;
};

export const DANA = {
  displayName: 'Dana Reyes',
  username: 'dana',
  roles: ['therapist' as const],
  passphrase: 'dana walks the pier at dawn',
};

export const PAT = {
  displayName: 'Pat Moreno',
  username: 'pat',
  roles: ['prescriber' as const],
  credentials: 'MD',
  passphrase: 'pat rides the early ferry',
};

/**
 * Each test's world: a hostile server started before it, and every computer it made (pushed on
 * `computers`) closed after it, then the server.
 */
export function hostileWorld() {
  const world = { server: undefined as unknown as HostileServer, computers: [] as Computer[] };
  beforeEach(async () => {
    world.server = await startHostileServer();
  });
  afterEach(async () => {
    await dispose(...world.computers);
    world.computers = [];
    await world.server.close();
  });
  return world;
}

/** What devtools make of the session signed in on `c`: any name, any role, the same keys. */
export function tampered(c: Computer, user: Partial<Session['user']>) {
  const s = c.store.session;
  return new RecordStore(c.db, { ...s, user: { ...s.user, ...user } });
}

/** A ketamine IM dose draft's body, as the dose screen fills it, with no vitals or events yet. */
export function doseBody(patientId: string, prescriberId: string, doseMg: number): DoseBody {
  return {
    patientId,
    encounterId: '01938a1c-0000-7000-8000-000000000001',
    medication: 'ketamine-hcl',
    route: 'im',
    doseMg,
    prescriberId,
    administeredBy: prescriberId,
    setting: 'in-office',
    rateChanges: [],
    boluses: [],
    vitals: [],
    observations: [],
    adverseEvents: [],
    overrides: [],
  };
}

/** The sync panel's list on a computer: every change refused, in its words. */
export async function refusals(c: Computer) {
  const issues = await syncTables(c.db).issues.toArray();
  return issues.filter((i) => i.kind === 'rejected-change').map((i) => i.message);
}

let n = 0;

/** The clinic's first computer, its administrator (alex) signed in, connected through `via`. */
export async function adminComputer(
  server: HostileServer,
): Promise<Computer & { passphrase: string }> {
  const c = await freshClinic();
  const keychain = memoryKeychain();
  await connectFirstDevice(c.db, keychain, c.session, {
    serverUrl: server.url,
    setupToken: server.setupToken,
  });
  return { name: 'A', db: c.db, store: c.store, keychain, passphrase: c.passphrase };
}

export async function addDana(admin: Computer) {
  return addUser(admin.store, DANA);
}

export async function clientOf(c: Computer): Promise<ServerClient> {
  const config = (await readSyncConfig(c.db))!;
  const secrets = (await loadDeviceSecrets(c.keychain))!;
  return new ServerClient(config.serverUrl, secrets.token);
}

/**
 * A bundle sealed by hand on `c` (its computer key, its clinic key) carrying `records` as they
 * are, as devtools allow: the app's own push keeps back a change without its writer's signature.
 */
export async function pushSealedByHand(c: Computer, ...records: AnyRecord[]) {
  const config = (await readSyncConfig(c.db))!;
  const secrets = (await loadDeviceSecrets(c.keychain))!;
  const { dataKey, keyVersion } = c.store.session;
  const { bytes } = await encodeBundle({
    clinicId: config.clinicId,
    deviceId: config.deviceId,
    keyVersion,
    dataKey,
    signingKey: secrets.signingKey,
    changes: records.map((record) => ({ changeId: uuidv7(), record, hlc: record.updatedAt })),
  });
  await (await clientOf(c)).push(bytes);
}

/** One background-sync round as the app runs it: keys first, then pull and push. */
export async function round(c: Computer) {
  const client = await clientOf(c);
  await refreshKeys(c.store, client);
  const config = (await readSyncConfig(c.db))!;
  const secrets = (await loadDeviceSecrets(c.keychain))!;
  const keyRefresh = (await import('../../renderer/sync/key-refresh')) as {
    newerVersionAnnounced?: (db: KatDatabase, k: Session['keyring']) => Promise<number | undefined>;
  };
  const engine = new SyncEngine({
    db: c.db,
    context: c.store.session,
    config,
    secrets,
    ...keyringInputs(c.store.session.keyring),
    holdPush: keyRefresh.newerVersionAnnounced
      ? async () => !!(await keyRefresh.newerVersionAnnounced!(c.db, c.store.session.keyring))
      : undefined,
  } as ConstructorParameters<typeof SyncEngine>[0]);
  return engine.syncOnce();
}

/**
 * A second computer joins for `username`. Where the app asks an administrator to confirm the
 * fingerprint (since issue 13), the administrator's computer does so (tests/sync/harness.ts).
 */
export async function joinComputer(
  admin: Computer,
  server: HostileServer,
  who: { username: string; passphrase: string },
): Promise<Computer> {
  const db = new KatDatabase(`adversary-${Date.now()}-${n++}`);
  const keychain = memoryKeychain();
  const token = (await loadDeviceSecrets(admin.keychain))!.token;
  const { code } = await createEnrollmentCode(admin.db, token);
  const harness = (await import('../sync/harness')) as {
    confirmJoinOn?: (a: Computer, username: string) => unknown;
  };
  const confirm = harness.confirmJoinOn?.(admin, who.username);
  await (joinClinic as (...a: unknown[]) => Promise<unknown>)(
    db,
    keychain,
    { serverUrl: server.url, code, username: who.username, passphrase: who.passphrase },
    undefined,
    confirm,
  );
  const session = await signIn(db, who.username, who.passphrase);
  return { name: who.username, db, store: new RecordStore(db, session), keychain };
}

/** Signs in again on a computer (a new session, as after sign-out). */
export async function signInOn(c: Computer, username: string, passphrase: string) {
  c.store = new RecordStore(c.db, await signIn(c.db, username, passphrase));
  return c.store;
}

/** The key blob that holds this user's row, whatever it is named (names changed in issue 13). */
export function blobOfUser(
  blobs: { userKey: string; blob: string; revision: number }[],
  userId: string,
) {
  return blobs.find((b) => {
    try {
      return (JSON.parse(b.blob) as { userId?: string }).userId === userId;
    } catch {
      return false;
    }
  });
}

export async function dispose(...computers: (Computer | undefined)[]) {
  for (const c of computers) {
    if (!c) continue;
    c.db.close();
    await c.db.delete();
  }
}
