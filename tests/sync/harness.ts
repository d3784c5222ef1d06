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
import { KatDatabase } from '../../renderer/db/database';
import { decryptRecord } from '../../renderer/db/record-crypto';
import { RecordStore } from '../../renderer/db/record-store';
import type { Session } from '../../renderer/db/session';
import { readPosition, writePosition, writeSyncConfig } from '../../renderer/db/sync-state';
import { newDeviceKeys } from '../../renderer/sync/device-credentials';
import { ServerClient } from '../../renderer/sync/server-client';
import { SyncEngine } from '../../renderer/sync/sync-engine';

export const SETUP_TOKEN = 'test-setup-token-0123456789';

/** A real server on loopback. `dir` and `port` let a test stop it and start it again in place. */
export async function startServer(opts: { dir?: string; port?: number; restored?: boolean } = {}) {
  const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), 'kat-sync-')));
  const store = await EmbeddedStore.open({ dir, restored: opts.restored, log: () => undefined });
  const app: FastifyInstance = buildApp({ store, setupToken: SETUP_TOKEN });
  await app.listen({ port: opts.port ?? 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
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
  /**
   * Fault injection: when set, each request goes through it; it may send the request itself (with
   * `send`), answer instead of the server, or throw as a broken connection would.
   */
  intercept?: (
    url: string,
    init: RequestInit | undefined,
    send: () => Promise<Response>,
  ) => Promise<Response>;
  /** Passed to the engine as onApplied (records written from other devices). */
  onApplied?: (records: AnyRecord[]) => void;
  engine!: SyncEngine;
  store!: RecordStore;

  private constructor(
    readonly name: string,
    readonly db: KatDatabase,
    private session: Session,
    private readonly secrets: { token: string; signingKey: CryptoKey },
    private readonly config: Parameters<typeof writeSyncConfig>[1],
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
        Date.now,
        latestHlc ?? this.session.clock.latest,
      ),
    };
    this.store = new RecordStore(this.db, this.session);
    this.engine = new SyncEngine({
      db: this.db,
      context: this.session,
      config: this.config,
      secrets: this.secrets,
      fetch: (input, init) => this.fetch(input, init),
      onApplied: (records) => this.onApplied?.(records),
      split: { maxChanges: 3 },
    });
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
  const enroll = async (publicKey: string) => {
    const anon = new ServerClient(serverUrl);
    if (!adminToken) {
      const creds = await anon.bootstrapClinic({ setupToken: SETUP_TOKEN, clinicId, publicKey });
      adminToken = creds.token;
      return creds;
    }
    const { code } = await new ServerClient(serverUrl, adminToken).createEnrollmentCode(false);
    return anon.enroll({ code, publicKey });
  };
  return { clinic: { clinicId, dataKey, user }, enroll };
}
