/**
 * Zero-setup store in a data folder (./clinic-data or CLINIC_DATA_DIR), for one server process:
 *   meta.json, epoch-anchor, server.lock   identity and the single-writer lock (embedded-meta.ts)
 *   clinics/<clinicId>.journal              one append-only, checksummed log per clinic
 * Every change is an event appended and fdatasync'd before it is acknowledged (journal.ts); the
 * state is rebuilt by replaying the logs at start. Sequences are assigned in append order and
 * published only after their batch is durable, so pulls only ever see a gap-free prefix.
 */
import { mkdir, readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ActivityFile } from './embedded-activity';
import { type BundleEntry, ClinicState } from './embedded-state';
import {
  type DataMeta,
  acquireLock,
  fsyncDir,
  loadMeta,
  newSetupToken,
  saveMeta,
  withNewEpoch,
} from './embedded-meta';
import { type FrameDamage, Journal, type JournalEvent } from './journal';
import {
  type AppendChainResult,
  type AuditCheckpointRecord,
  type CheckpointResult,
  type BundleToStore,
  type CreateClinicOutcome,
  type DeviceActivity,
  type DeviceRecord,
  type EnrollmentCodeRecord,
  type KeyBlobRecord,
  type NewDevice,
  type PullLimits,
  type PullResult,
  type PutBundleResult,
  type PutKeyBlob,
  type PutKeyBlobResult,
  type RedeemResult,
  type RevokeResult,
  type ServerIdentity,
  type Store,
  type StoreStats,
  checkpointOutcome,
  pageLength,
} from './store';

export type EmbeddedStoreOptions = {
  dir: string;
  /** Start a new epoch: the operator restored this folder from a backup. */
  restored?: boolean;
  now?: () => Date;
  log?: (message: string) => void;
};

type Clinic = { state: ClinicState; journal: Journal };

/** A clinic journal's damaged frames, set aside at start (journal.ts). */
export type JournalDamage = {
  clinicId: string;
  frames: number;
  bytes: number;
  lostBundles: number;
  chainStatementsSetAside: number;
  savedAs: string[];
};

const JOURNAL = /^([0-9a-f-]{36})\.journal$/;

export class EmbeddedStore implements Store {
  readonly kind = 'embedded';
  private readonly clinics = new Map<string, Clinic>();
  private readonly creating = new Set<string>();
  /** A registration that spends the setup token is under way. */
  private spending = false;
  private readonly deviceClinic = new Map<string, string>();
  private readonly codeClinic = new Map<string, string>();
  private readonly damage: JournalDamage[] = [];

  private constructor(
    private meta: DataMeta,
    private readonly dir: string,
    private readonly clinicDir: string,
    private readonly unlock: () => Promise<void>,
    private readonly activity: ActivityFile,
  ) {}

  static async open(options: EmbeddedStoreOptions): Promise<EmbeddedStore> {
    const log = options.log ?? ((m: string) => console.warn(m));
    const clinicDir = join(options.dir, 'clinics');
    await mkdir(clinicDir, { recursive: true, mode: 0o700 });
    const unlock = await acquireLock(options.dir);
    try {
      const meta = await loadMeta(
        options.dir,
        !!options.restored,
        options.now ?? (() => new Date()),
        log,
      );
      const activity = await ActivityFile.open(options.dir);
      const store = new EmbeddedStore(meta, options.dir, clinicDir, unlock, activity);
      let newDamage = false;
      for (const name of await readdir(clinicDir)) {
        const match = JOURNAL.exec(name);
        if (match) newDamage = (await store.load(match[1]!, log)) || newDamage;
        else if (name.endsWith('.new')) await unlink(join(clinicDir, name)); // an unfinished create
      }
      if (newDamage) {
        // Acknowledged changes were in the damaged frames. Every computer re-offers what it holds
        // after an epoch change (SYNC.md rule 8), so whatever any of them still has comes back.
        const reason = 'damaged clinic data file (frames set aside)';
        await store.writeMeta(
          withNewEpoch(store.meta, reason, (options.now?.() ?? new Date()).toISOString()),
        );
        log(`New server epoch: ${reason}. Devices will re-offer what they hold.`);
      }
      // Data from before setup tokens were one-use: a registered clinic spent the token.
      if (meta.setupSpentAt === undefined) {
        const at = store.clinics.size > 0 ? (options.now?.() ?? new Date()).toISOString() : null;
        await store.writeMeta({ ...meta, setupSpentAt: at, setupRenewedAt: null });
      }
      return store;
    } catch (e) {
      await unlock();
      throw e;
    }
  }

  /** Replays one clinic's journal; true when damage was found that no earlier start had seen. */
  private async load(clinicId: string, log: (m: string) => void): Promise<boolean> {
    const state = new ClinicState(clinicId);
    const damaged: FrameDamage[] = [];
    const journal = await Journal.open(
      join(this.clinicDir, `${clinicId}.journal`),
      (event, ref) => state.apply(event, ref),
      (bytes, savedAs) =>
        log(
          `Clinic ${clinicId}: cut ${bytes} unacknowledged bytes after a crash (kept in ${savedAs}).`,
        ),
      (damage) => damaged.push(damage),
    );
    state.committedSeq = state.bundles.length;
    if (damaged.length > 0) {
      const report: JournalDamage = {
        clinicId,
        frames: damaged.length,
        bytes: damaged.reduce((n, d) => n + d.bytes, 0),
        lostBundles: state.lostBundles,
        chainStatementsSetAside: state.chainSetAside,
        savedAs: damaged.map((d) => d.savedAs),
      };
      this.damage.push(report);
      log(
        `Clinic ${clinicId}: ${damaged.length === 1 ? 'a damaged entry' : `${damaged.length} damaged entries`} ` +
          `(${report.bytes} bytes) in its data file set aside; everything after ${damaged.length === 1 ? 'it' : 'them'} is served. ` +
          `Lost: ${report.lostBundles} stored ${report.lostBundles === 1 ? 'bundle' : 'bundles'}` +
          (report.chainStatementsSetAside > 0
            ? `, and ${report.chainStatementsSetAside} membership ${report.chainStatementsSetAside === 1 ? 'statement' : 'statements'} after a gap`
            : '') +
          `. Copies: ${report.savedAs.join(', ')}. Check the disk.`,
      );
    }
    this.clinics.set(clinicId, { state, journal });
    for (const id of state.devices.keys()) this.deviceClinic.set(id, clinicId);
    for (const hash of state.codes.keys()) this.codeClinic.set(hash, clinicId);
    return damaged.some((d) => d.firstSeen);
  }

  /** Damaged journal frames set aside at start (reported in the log and by /v1/health). */
  journalDamage(): JournalDamage[] {
    return this.damage.map((d) => ({ ...d, savedAs: [...d.savedAs] }));
  }

  private clinic(clinicId: string): Clinic {
    const clinic = this.clinics.get(clinicId);
    if (!clinic) throw new Error(`Clinic ${clinicId} is not on this server.`);
    return clinic;
  }

  private async writeMeta(meta: DataMeta) {
    await saveMeta(this.dir, meta);
    this.meta = meta;
  }

  async identity(): Promise<ServerIdentity> {
    const { epoch, epochSince, setupToken } = this.meta;
    const setupSpentAt = this.meta.setupSpentAt ?? null;
    return {
      epoch,
      epochSince,
      setupToken,
      setupSpentAt,
      setupRenewedAt: this.meta.setupRenewedAt ?? null,
    };
  }

  async renewSetupToken(): Promise<string> {
    const setupToken = newSetupToken();
    const at = new Date().toISOString();
    await this.writeMeta({ ...this.meta, setupToken, setupSpentAt: null, setupRenewedAt: at });
    return setupToken;
  }

  async createClinic(
    clinicId: string,
    firstDevice: NewDevice,
    options: { spendSetupToken?: boolean } = {},
  ): Promise<CreateClinicOutcome> {
    if (this.clinics.has(clinicId) || this.creating.has(clinicId)) return 'exists';
    if (options.spendSetupToken && (this.meta.setupSpentAt || this.spending)) return 'setup-spent';
    this.creating.add(clinicId);
    if (options.spendSetupToken) this.spending = true;
    try {
      // Spent before the clinic exists: a crash in between leaves a spent token and no clinic
      // (the operator makes a new token), never a clinic and a token that still works.
      if (options.spendSetupToken)
        await this.writeMeta({ ...this.meta, setupSpentAt: firstDevice.enrolledAt });
      // Written whole under a temporary name, then renamed: a clinic exists completely or not at all.
      const path = join(this.clinicDir, `${clinicId}.journal`);
      await unlink(`${path}.new`).catch(() => {});
      const journal = await Journal.open(`${path}.new`, () => {});
      const events: JournalEvent[] = [
        { t: 'clinic', clinicId, createdAt: firstDevice.enrolledAt },
        { t: 'device', device: firstDevice },
      ];
      await journal.submit((tx) => events.forEach((e) => tx.append(e)));
      await journal.close();
      await rename(`${path}.new`, path);
      await fsyncDir(this.clinicDir);
      await this.load(clinicId, () => {});
      return 'created';
    } catch (e) {
      if (options.spendSetupToken)
        await this.writeMeta({ ...this.meta, setupSpentAt: null }).catch(() => {});
      throw e;
    } finally {
      this.creating.delete(clinicId);
      if (options.spendSetupToken) this.spending = false;
    }
  }

  async getDevice(deviceId: string): Promise<DeviceRecord | undefined> {
    const clinicId = this.deviceClinic.get(deviceId);
    const device = clinicId && this.clinics.get(clinicId)?.state.devices.get(deviceId);
    return device ? this.activity.with({ ...device }) : undefined;
  }

  async listDevices(clinicId: string): Promise<DeviceRecord[]> {
    const devices = this.clinics.get(clinicId)?.state.devices.values() ?? [];
    return [...devices].map((d) => this.activity.with({ ...d }));
  }

  async setDeviceProfile(deviceId: string, profile: string): Promise<void> {
    const clinicId = this.deviceClinic.get(deviceId);
    if (!clinicId) return;
    const { state, journal } = this.clinic(clinicId);
    await journal.submit((tx) => {
      const event = { t: 'device-profile', deviceId, profile } as const;
      state.apply(event, tx.append(event));
    });
  }

  async setAuditCheckpoint(
    deviceId: string,
    checkpoint: AuditCheckpointRecord,
  ): Promise<CheckpointResult> {
    const clinicId = this.deviceClinic.get(deviceId);
    if (!clinicId) return 'behind';
    const { state, journal } = this.clinic(clinicId);
    // Decided inside the journal's turn, so two reports from one computer cannot both pass.
    return journal.submit((tx) => {
      const held = state.devices.get(deviceId)?.auditCheckpoint;
      const result = checkpointOutcome(held, checkpoint);
      if (result === 'stored' && held?.seq !== checkpoint.seq) {
        const event = { t: 'audit-checkpoint', deviceId, checkpoint } as const;
        state.apply(event, tx.append(event));
      }
      return result;
    });
  }

  recordActivity(activity: DeviceActivity[]): Promise<void> {
    return this.activity.record(activity);
  }

  async createEnrollmentCode(code: EnrollmentCodeRecord): Promise<void> {
    const { state, journal } = this.clinic(code.clinicId);
    await journal.submit((tx) => {
      const event = { t: 'code', code } as const;
      state.apply(event, tx.append(event));
      this.codeClinic.set(code.codeHash, code.clinicId);
    });
  }

  async redeemEnrollmentCode(
    codeHash: string,
    now: string,
    device: Omit<NewDevice, 'clinicId' | 'admin' | 'enrolledBy'>,
  ): Promise<RedeemResult> {
    const clinicId = this.codeClinic.get(codeHash);
    const clinic = clinicId && this.clinics.get(clinicId);
    if (!clinicId || !clinic) return { ok: false, reason: 'unknown' };
    const { state, journal } = clinic;
    return journal.submit((tx): RedeemResult => {
      const code = state.codes.get(codeHash);
      if (!code) return { ok: false, reason: 'unknown' };
      if (code.usedAt) return { ok: false, reason: 'used' };
      if (Date.parse(now) >= Date.parse(code.expiresAt)) return { ok: false, reason: 'expired' };
      const { replaces, ...rest } = device;
      const added: NewDevice = {
        ...rest,
        clinicId,
        admin: code.admin,
        enrolledBy: code.createdBy,
        // Only a device of this clinic is ever named as replaced.
        ...(replaces && state.devices.has(replaces) ? { replaces } : {}),
      };
      const used = { t: 'code-used', codeHash, at: now, deviceId: device.deviceId } as const;
      const enrolled = { t: 'device', device: added } as const;
      state.apply(used, tx.append(used));
      state.apply(enrolled, tx.append(enrolled));
      this.deviceClinic.set(device.deviceId, clinicId);
      return { ok: true, device: { ...added, revokedAt: null } };
    });
  }

  async revokeDevice(clinicId: string, deviceId: string, at: string): Promise<RevokeResult> {
    const { state, journal } = this.clinic(clinicId);
    return journal.submit((tx): RevokeResult => {
      const device = state.devices.get(deviceId);
      if (!device) return { ok: false, reason: 'unknown' };
      if (device.revokedAt) return { ok: true, device: { ...device } };
      if (device.admin && state.activeAdmins() <= 1) return { ok: false, reason: 'last-admin' };
      const event = { t: 'revoke', deviceId, at } as const;
      state.apply(event, tx.append(event));
      return { ok: true, device: { ...device } };
    });
  }

  async putBundle(bundle: BundleToStore): Promise<PutBundleResult> {
    const { state, journal } = this.clinic(bundle.clinicId);
    return journal.submit((tx): PutBundleResult => {
      const existing = state.bundleIds.get(bundle.bundleId);
      if (existing !== undefined) {
        const storedBy = state.bundles[existing - 1]!.deviceId; // ids of holes are unknown
        return { seq: existing, duplicate: true, storedBy };
      }
      const seq = state.bundles.length + 1;
      const { bytes, clinicId: _clinic, ...meta } = bundle;
      const event = { t: 'bundle', seq, ...meta } as const;
      state.apply(event, tx.append(event, bytes));
      tx.afterCommit(() => {
        state.committedSeq = Math.max(state.committedSeq, seq);
      });
      return { seq, duplicate: false, storedBy: bundle.deviceId };
    });
  }

  async pullBundles(clinicId: string, after: number, limits: PullLimits): Promise<PullResult> {
    const clinic = this.clinics.get(clinicId);
    if (!clinic) return { bundles: [], head: 0 };
    const { state, journal } = clinic;
    const head = state.committedSeq;
    // Holes (bundles lost to a damaged journal frame) are passed over, not counted.
    const candidates: BundleEntry[] = [];
    for (let seq = after + 1; seq <= head && candidates.length < limits.maxCount; seq++) {
      const entry = state.bundles[seq - 1];
      if (entry) candidates.push(entry);
    }
    const page = candidates.slice(
      0,
      pageLength(
        candidates.map((b) => b.size),
        limits,
      ),
    );
    const bundles = await Promise.all(
      page.map(async ({ ref, ...meta }) => ({ ...meta, bytes: await journal.read(ref) })),
    );
    return { bundles, head };
  }

  async listKeyBlobs(clinicId: string): Promise<KeyBlobRecord[]> {
    const blobs = this.clinics.get(clinicId)?.state.keyBlobs.values() ?? [];
    return [...blobs].map((r) => ({ ...r }));
  }

  async getKeyBlob(clinicId: string, userKey: string): Promise<KeyBlobRecord | undefined> {
    const record = this.clinics.get(clinicId)?.state.keyBlobs.get(userKey);
    return record ? { ...record } : undefined;
  }

  async putKeyBlob(clinicId: string, put: PutKeyBlob): Promise<PutKeyBlobResult> {
    const { state, journal } = this.clinic(clinicId);
    return journal.submit((tx): PutKeyBlobResult => {
      const current = state.keyBlobs.get(put.userKey)?.revision ?? 0;
      if (put.ifRevision !== undefined && put.ifRevision !== current)
        return { ok: false, reason: 'revision-mismatch', current };
      const record: KeyBlobRecord = {
        userKey: put.userKey,
        blob: put.blob,
        revision: current + 1,
        updatedAt: put.updatedAt,
        updatedBy: put.updatedBy,
      };
      const event = { t: 'key-blob', record } as const;
      state.apply(event, tx.append(event));
      return { ok: true, record: { ...record } };
    });
  }

  async deleteKeyBlob(clinicId: string, userKey: string): Promise<boolean> {
    const { state, journal } = this.clinic(clinicId);
    return journal.submit((tx) => {
      if (!state.keyBlobs.has(userKey)) return false;
      const event = { t: 'key-blob-delete', userKey } as const;
      state.apply(event, tx.append(event));
      return true;
    });
  }

  async stats(): Promise<StoreStats> {
    const stats = { clinics: 0, devicesActive: 0, devicesRevoked: 0, bundles: 0, bundleBytes: 0 };
    for (const { state } of this.clinics.values()) {
      stats.clinics++;
      for (const d of state.devices.values()) {
        if (d.revokedAt) stats.devicesRevoked++;
        else stats.devicesActive++;
      }
      for (let i = 0; i < state.committedSeq; i++) {
        const entry = state.bundles[i];
        if (!entry) continue;
        stats.bundles++;
        stats.bundleBytes += entry.size;
      }
    }
    return stats;
  }

  async readChain(clinicId: string, from: number) {
    const chain = this.clinics.get(clinicId)?.state.chain ?? [];
    return { statements: chain.slice(from), length: chain.length };
  }

  async appendChain(
    clinicId: string,
    expectLength: number,
    statements: readonly string[],
  ): Promise<AppendChainResult> {
    const { state, journal } = this.clinic(clinicId);
    return journal.submit((tx): AppendChainResult => {
      if (state.chain.length !== expectLength) return { ok: false, length: state.chain.length };
      for (const text of statements) {
        const event = { t: 'chain', seq: state.chain.length, text } as const;
        state.apply(event, tx.append(event));
      }
      return { ok: true, length: state.chain.length };
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.clinics.values()].map((c) => c.journal.close()));
    this.clinics.clear();
    await this.unlock();
  }
}
