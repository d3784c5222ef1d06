/**
 * Simulated clinic devices for multi-client sync tests: each has its own fake-indexeddb database,
 * clock and device key, and syncs through the real server (server/app.ts with the embedded store
 * in a temp dir) over real HTTP on a loopback port. A device can be offline, lose the response to
 * a push after the server committed it, restart (new engine and clock from disk) or re-pull pages
 * it already applied (duplicate delivery).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app';
import { EmbeddedStore } from '../../server/store/embedded';
import { generateDataKey } from '../../shared/crypto/envelope';
import { canonicalJson } from '../../shared/crypto/hash';
import { type AnyRecord, SCHEMA_VERSION, User } from '../../shared/model';
import { HybridClock } from '../../shared/sync/hlc';
import { uuidv7 } from '../../shared/util/ids';
import { KatDatabase, type RecordRow } from '../../renderer/db/database';
import type { IncomingCheck } from '../../renderer/db/incoming-checks';
import { decryptRecord } from '../../renderer/db/record-crypto';
import { RecordStore } from '../../renderer/db/record-store';
import type { Session } from '../../renderer/db/session';
import {
  readPosition,
  readSyncConfig,
  writePosition,
  writeSyncConfig,
} from '../../renderer/db/sync-state';
import type { JoinPending } from '../../renderer/sync/connect';
import {
  type Keychain,
  loadDeviceSecrets,
  memoryKeychain,
  newDeviceKeys,
} from '../../renderer/sync/device-credentials';
import { reenrollComputer } from '../../renderer/sync/reenroll';
import { confirmDevice, pendingDevices } from '../../renderer/trust/devices';
import { ServerClient } from '../../renderer/sync/server-client';
import { SyncEngine } from '../../renderer/sync/sync-engine';

export const SETUP_TOKEN = 'test-setup-token-0123456789';

const serverStores = new Map<string, EmbeddedStore>();

/**
 * A setup token that registers one more clinic on a test server of startServer(): each token
 * registers one clinic only, so every clinic after the first gets a new one, as an operator makes.
 */
export async function setupTokenFor(serverUrl: string): Promise<string> {
  const store = serverStores.get(serverUrl);
  if (!store) return SETUP_TOKEN; // a server process started with SETUP_TOKEN, for its first clinic
  const identity = await store.identity();
  return identity.setupSpentAt || identity.setupRenewedAt ? store.renewSetupToken() : SETUP_TOKEN;
}

/** A real server on loopback. `dir` and `port` let a test stop it and start it again in place. */
export async function startServer(opts: { dir?: string; port?: number; restored?: boolean } = {}) {
  const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), 'kat-sync-')));
  const store = await EmbeddedStore.open({ dir, restored: opts.restored, log: () => undefined });
  const app: FastifyInstance = buildApp({ store, setupToken: SETUP_TOKEN });
  await app.listen({ port: opts.port ?? 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  serverStores.set(`http://127.0.0.1:${port}`, store);
  return {
    url: `http://127.0.0.1:${port}`,
    dir,
    port,
    /** Stop; the data folder stays when `keepData` (to restart or back it up). */
    async close(keepData = false) {
      await app.close();
      await store.close();
      if (!keepData) await rm(dir, { recursive: true, force: true });
    },
  };
}

let dbCount = 0;

export class Device {
  online = true;
  loseNextPushResponse = false;
  /** This computer's clock error: its wall clock reads real time plus this (a skewed clock). */
  wallOffsetMs = 0;
  /**
   * Fault injection: when set, each request goes through it; it may send the request itself (with
   * `send`), answer instead of the server, or throw as a broken connection would.
   */
  intercept?: (
    url: string,
    init: RequestInit | undefined,
    send: () => Promise<Response>,
  ) => Promise<Response>;
  /** Checks of incoming changes plugged into the apply step (ApplyContext.checks); restart() after setting. */
  checks?: IncomingCheck[];
  /** Bundle split limits (three changes a bundle unless set); restart() after setting. */
  split?: { maxChanges?: number; maxBytes?: number };
  /** Passed to the engine as onApplied (records written from other devices). */
  onApplied?: (records: AnyRecord[]) => void;
  engine!: SyncEngine;
  store!: RecordStore;

  private constructor(
    readonly name: string,
    readonly db: KatDatabase,
    private session: Session,
    private secrets: { token: string; signingKey: CryptoKey },
    private config: Parameters<typeof writeSyncConfig>[1],
  ) {}

  static async create(
    name: string,
    clinic: { clinicId: string; dataKey: CryptoKey; user: User },
    server: string,
    enroll: (
      publicKey: string,
    ) => Promise<{ deviceId: string; token: string; epoch: string; admin: boolean }>,
  ) {
    const db = new KatDatabase(`sync-${name}-${Date.now()}-${dbCount++}`);
    const node = name.toLowerCase().replace(/[^a-z0-9]/g, '');
    const session: Session = {
      clinicId: clinic.clinicId,
      deviceId: node,
      user: clinic.user,
      dataKey: clinic.dataKey,
      keyVersion: 1,
      clock: new HybridClock(node),
    };
    const { pair, publicKey } = await newDeviceKeys();
    const creds = await enroll(publicKey);
    const config = {
      serverUrl: server,
      clinicId: clinic.clinicId,
      deviceId: creds.deviceId,
      admin: creds.admin,
    };
    await writeSyncConfig(db, config);
    await writePosition(db, { cursor: 0, epoch: creds.epoch });
    const device = new Device(
      name,
      db,
      session,
      { token: creds.token, signingKey: pair.privateKey },
      config,
    );
    device.restart();
    return device;
  }

  /** As after quitting and reopening the app: a new engine, store and clock read from disk. */
  restart(latestHlc?: string) {
    this.session = {
      ...this.session,
      clock: new HybridClock(
        this.session.deviceId,
        () => Date.now() + this.wallOffsetMs,
        latestHlc ?? this.session.clock.latest,
      ),
    };
    this.store = new RecordStore(this.db, this.session);
    this.engine = new SyncEngine({
      db: this.db,
      context: { ...this.session, checks: this.checks },
      config: this.config,
      secrets: this.secrets,
      fetch: (input, init) => this.fetch(input, init),
      onApplied: (records) => this.onApplied?.(records),
      split: this.split ?? { maxChanges: 3 },
    });
  }

  /** Reads the sync settings and the credentials in `keychain` again (after re-enrollment). */
  async reloadCredentials(keychain: Keychain) {
    this.config = (await readSyncConfig(this.db))!;
    this.secrets = (await loadDeviceSecrets(keychain))!;
    this.restart();
  }

  /**
   * The keychain lost this computer's sync credentials (an OS reinstall, or its backup restored
   * onto a replacement with an empty keychain) and it connects again with `code`
   * (renderer/sync/reenroll.ts): same clinic, records, outbox and clock node; a new device id and
   * token; the old device revoked on the server. Through this device's network (offline: throws,
   * nothing changed). The administrator's confirmation is taken as given (no chain here).
   * Returns the engine still holding the old credentials, as a stale copy of the keychain would.
   */
  async reenroll(code: string) {
    const stale = this.engine;
    if (!(await this.db.meta.get('clinic')))
      await this.db.meta.put({ key: 'clinic', value: { clinicId: this.session.clinicId } });
    const keychain = memoryKeychain();
    const result = await reenrollComputer(this.db, keychain, { code }, (input, init) =>
      this.fetch(input, init),
    );
    await this.db.meta.delete('join-pending');
    this.config = (await readSyncConfig(this.db))!;
    this.secrets = (await loadDeviceSecrets(keychain))!;
    this.restart();
    return { stale, result, token: this.secrets.token };
  }

  async restartFromDisk() {
    const hlc = (await this.db.meta.get('hlc'))?.value as string | undefined;
    this.restart(hlc);
  }

  private async fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    if (!this.online) throw new TypeError('fetch failed (offline)');
    const url = String(input);
    const res = await (this.intercept
      ? this.intercept(url, init, () => fetch(url, init))
      : fetch(input, init));
    if (
      init?.method === 'POST' &&
      String(input).endsWith('/v1/bundles') &&
      this.loseNextPushResponse
    ) {
      this.loseNextPushResponse = false;
      await res.text();
      throw new TypeError('connection reset after the server committed');
    }
    return res;
  }

  /** Sync, tolerating the failures a schedule injects (offline, lost responses). */
  async sync(): Promise<boolean> {
    try {
      await this.engine.syncOnce();
      return true;
    } catch (e) {
      if (e instanceof Error && /cannot be reached/.test(e.message)) return false;
      throw e;
    }
  }

  /** Forget part of what was pulled, so the next sync delivers those bundles again. */
  async rewindCursor(by: number) {
    const p = await readPosition(this.db);
    if (p) await writePosition(this.db, { ...p, cursor: Math.max(0, p.cursor - by) });
  }

  /** Every record as canonical JSON, by id. */
  async snapshot(): Promise<Map<string, string>> {
    const rows = await this.db.records.toArray();
    const out = new Map<string, string>();
    for (const row of rows) {
      const r = await decryptRecord(row, this.session.dataKey, this.session.clinicId);
      out.set(r.id, canonicalJson(r));
    }
    return out;
  }

  /** Opens a row stored encrypted under the clinic key (a record's, or a flagged conflict's). */
  openRow(row: Pick<RecordRow, 'id' | 'kind' | 'keyVersion' | 'iv' | 'ct'>): Promise<AnyRecord> {
    return decryptRecord(row, this.session.dataKey, this.session.clinicId);
  }

  async dispose() {
    this.db.close();
    await this.db.delete();
  }
}

/** A clinic registered on the server, and a way to enroll devices into it. */
export async function newClinic(serverUrl: string) {
  const clinicId = uuidv7();
  const userId = uuidv7();
  const user = User.parse({
    kind: 'user',
    id: userId,
    clinicId,
    createdBy: userId,
    createdAt: new Date().toISOString(),
    updatedAt: new HybridClock('setup').now(),
    status: 'draft',
    schemaVersion: SCHEMA_VERSION,
    displayName: 'Sam Rivera',
    username: 'sam',
    roles: ['administrator', 'prescriber', 'therapist'],
  });
  const dataKey = await generateDataKey(true);
  let adminToken: string | undefined;
  /**
   * An enrollment code made on the administrator's computer; `admin` for one that re-enrolls the
   * administrator's own computer (whose new token then makes the codes: adminReplaced()).
   */
  const code = async (admin = false) =>
    (await new ServerClient(serverUrl, adminToken).createEnrollmentCode(admin)).code;
  const adminReplaced = (token: string) => {
    adminToken = token;
  };
  const enroll = async (publicKey: string) => {
    const anon = new ServerClient(serverUrl);
    if (!adminToken) {
      const setupToken = await setupTokenFor(serverUrl);
      const creds = await anon.bootstrapClinic({ setupToken, clinicId, publicKey });
      adminToken = creds.token;
      return creds;
    }
    const { code } = await new ServerClient(serverUrl, adminToken).createEnrollmentCode(false);
    return anon.enroll({ code, publicKey });
  };
  return { clinic: { clinicId, dataKey, user }, enroll, code, adminReplaced };
}

/**
 * Several devices sync at the same moment, as computers coming back online together do: each
 * pulls, and no device's first push reaches the server before every device has pulled (or given
 * up). So every one of them uploads before it has downloaded any of the others' changes — the
 * order in which issue 14 finding 0 lost a computer's text. The barrier sits in front of the real
 * server, like a slow network; the engines run their ordinary rounds.
 */
export async function syncTogether(devices: Device[]): Promise<boolean[]> {
  let waiting = devices.length;
  let release!: () => void;
  const allPulled = new Promise<void>((r) => (release = r));
  const saved = devices.map((d) => d.intercept);
  return Promise.all(
    devices.map(async (d, i) => {
      let arrived = false;
      const arrive = () => {
        if (arrived) return;
        arrived = true;
        if (--waiting === 0) release();
      };
      const before = saved[i];
      d.intercept = async (url, init, send) => {
        if (init?.method === 'POST' && url.endsWith('/v1/bundles')) {
          arrive();
          await allPulled;
        }
        return before ? before(url, init, send) : send();
      };
      try {
        return await d.sync();
      } finally {
        arrive();
        d.intercept = before;
      }
    }),
  );
}

/**
 * Plays the administrator of a join (renderer/sync/connect.ts joinClinic's `confirm`): on the
 * administrator's computer the pending computer shows the same fingerprint as the joining screen,
 * and the administrator confirms it for the member `username`.
 */
export function confirmJoinOn(
  admin: { store: RecordStore; keychain: Keychain },
  username: string,
  check?: (shownByAdmin: string, shownByJoiner: string) => void,
) {
  return async (pending: JoinPending) => {
    const secrets = (await loadDeviceSecrets(admin.keychain))!;
    const config = (await readSyncConfig(admin.store.db))!;
    const client = new ServerClient(config.serverUrl, secrets.token);
    const listed = await pendingDevices(admin.store, client);
    const mine = listed.find((d) => d.deviceId === pending.deviceId);
    if (!mine) throw new Error('The joining computer is not listed on the administrator’s screen');
    if (check) check(mine.fingerprint, pending.fingerprint!);
    else if (mine.fingerprint !== pending.fingerprint)
      throw new Error('The fingerprints differ: the administrator does not confirm');
    const owner = (await admin.store.listKind('user')).find((u) => u.username === username);
    if (!owner) throw new Error(`No user ${username} on the administrator’s computer`);
    await confirmDevice(admin.store, client, mine, owner.id);
  };
}
