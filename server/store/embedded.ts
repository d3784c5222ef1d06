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
import { ClinicState } from './embedded-state';
import { type DataMeta, acquireLock, fsyncDir, loadMeta } from './embedded-meta';
import { Journal, type JournalEvent } from './journal';
import {
  type BundleToStore,
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

const JOURNAL = /^([0-9a-f-]{36})\.journal$/;

export class EmbeddedStore implements Store {
  readonly kind = 'embedded';
  private readonly clinics = new Map<string, Clinic>();
  private readonly creating = new Set<string>();
  private readonly deviceClinic = new Map<string, string>();
  private readonly codeClinic = new Map<string, string>();

  private constructor(
    private readonly meta: DataMeta,
    private readonly clinicDir: string,
    private readonly unlock: () => Promise<void>,
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
      const store = new EmbeddedStore(meta, clinicDir, unlock);
      for (const name of await readdir(clinicDir)) {
        const match = JOURNAL.exec(name);
        if (match) await store.load(match[1]!, log);
        else if (name.endsWith('.new')) await unlink(join(clinicDir, name)); // an unfinished create
      }
      return store;
    } catch (e) {
      await unlock();
      throw e;
    }
  }

  private async load(clinicId: string, log: (m: string) => void) {
    const state = new ClinicState(clinicId);
    const journal = await Journal.open(
      join(this.clinicDir, `${clinicId}.journal`),
      (event, ref) => state.apply(event, ref),
      (bytes, savedAs) =>
        log(
          `Clinic ${clinicId}: cut ${bytes} unacknowledged bytes after a crash (kept in ${savedAs}).`,
        ),
    );
    state.committedSeq = state.bundles.length;
    this.clinics.set(clinicId, { state, journal });
    for (const id of state.devices.keys()) this.deviceClinic.set(id, clinicId);
    for (const hash of state.codes.keys()) this.codeClinic.set(hash, clinicId);
  }

  private clinic(clinicId: string): Clinic {
    const clinic = this.clinics.get(clinicId);
    if (!clinic) throw new Error(`Clinic ${clinicId} is not on this server.`);
    return clinic;
  }

  async identity(): Promise<ServerIdentity> {
    const { epoch, epochSince, setupToken } = this.meta;
    return { epoch, epochSince, setupToken };
  }

  async createClinic(clinicId: string, firstDevice: NewDevice): Promise<'created' | 'exists'> {
    if (this.clinics.has(clinicId) || this.creating.has(clinicId)) return 'exists';
    this.creating.add(clinicId);
    try {
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
    } finally {
      this.creating.delete(clinicId);
    }
  }

  async getDevice(deviceId: string): Promise<DeviceRecord | undefined> {
    const clinicId = this.deviceClinic.get(deviceId);
    const device = clinicId && this.clinics.get(clinicId)?.state.devices.get(deviceId);
    return device ? { ...device } : undefined;
  }

  async listDevices(clinicId: string): Promise<DeviceRecord[]> {
    const devices = this.clinics.get(clinicId)?.state.devices.values() ?? [];
    return [...devices].map((d) => ({ ...d }));
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
      const added: NewDevice = {
        ...device,
        clinicId,
        admin: code.admin,
        enrolledBy: code.createdBy,
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
        const storedBy = state.bundles[existing - 1]!.deviceId;
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
    const candidates = state.bundles.slice(after, Math.min(head, after + limits.maxCount));
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

  async close(): Promise<void> {
    await Promise.all([...this.clinics.values()].map((c) => c.journal.close()));
    this.clinics.clear();
    await this.unlock();
  }
}
