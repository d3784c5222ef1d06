/**
 * What the sync server keeps, behind one interface with two implementations: the embedded
 * append-only journal (zero setup, one process) and PostgreSQL (several stateless servers).
 * tests/server/store-contract.test.ts holds both to the same behaviour.
 * Everything here is metadata the server may see (SYNC.md rule 1) plus opaque bytes.
 */

export type DeviceRecord = {
  deviceId: string;
  clinicId: string;
  /** SPKI base64 of the device's ECDSA P-256 signing key. */
  publicKey: string;
  /** SHA-256 (hex) of the device token's secret; the secret itself is never stored. */
  tokenHash: string;
  admin: boolean;
  enrolledAt: string;
  enrolledBy: string | null;
  revokedAt: string | null;
  /** The computer's own sealed profile (opaque), when it sent one. */
  profile?: string | null;
  lastSeenAt?: string | null;
  lastSyncAt?: string | null;
  /**
   * Re-enrollment (issue 14 point 4): the device of the same clinic this one replaces (revoked as
   * this one enrolled). An administrator's computer revokes it in the membership chain when it
   * confirms this one (renderer/trust/devices.ts).
   */
  replaces?: string | null;
  /** The highest audit checkpoint the computer sent (issue 18): it never goes back. */
  auditCheckpoint?: AuditCheckpointRecord | null;
};

export type AuditCheckpointRecord = { chain: string; seq: number; hash: string; at: string };
/** stored (or already held), or why not: an earlier event, or another link at the same event. */
export type CheckpointResult = 'stored' | 'behind' | 'forked' | 'other-chain';

/** Whether a new checkpoint may replace the one held: both stores decide with this. */
export function checkpointOutcome(
  held: AuditCheckpointRecord | null | undefined,
  next: AuditCheckpointRecord,
): CheckpointResult {
  if (!held) return 'stored';
  // A new chain on the same enrolled computer starts again at 1 (a restore from backup): refused,
  // since letting it replace the old one would let anyone forget the old chain's checkpoint.
  if (next.chain !== held.chain) return 'other-chain';
  if (next.seq > held.seq) return 'stored';
  if (next.seq < held.seq) return 'behind';
  return next.hash === held.hash ? 'stored' : 'forked';
}

export type NewDevice = Omit<
  DeviceRecord,
  'revokedAt' | 'profile' | 'lastSeenAt' | 'lastSyncAt' | 'auditCheckpoint'
>;

/** When the server last answered a device, and last served it a pull (server/activity.ts). */
export type DeviceActivity = { deviceId: string; lastSeenAt: string; lastSyncAt: string | null };

export type EnrollmentCodeRecord = {
  /** SHA-256 (hex) of the normalized code. */
  codeHash: string;
  clinicId: string;
  admin: boolean;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
};

export type RedeemResult =
  | { ok: true; device: DeviceRecord }
  | { ok: false; reason: 'unknown' | 'expired' | 'used' | 'clinic-gone' };

export type RevokeResult =
  { ok: true; device: DeviceRecord } | { ok: false; reason: 'unknown' | 'last-admin' };

export type BundleToStore = {
  clinicId: string;
  bundleId: string;
  deviceId: string;
  keyVersion: number;
  protocol: number;
  bytes: Uint8Array;
};

export type PutBundleResult = {
  seq: number;
  /** True when the bundle id was already stored; the first copy stays. */
  duplicate: boolean;
  /** The device that stored the first copy (a different device means a forged reuse of the id). */
  storedBy: string;
};

export type StoredBundle = {
  seq: number;
  bundleId: string;
  deviceId: string;
  keyVersion: number;
  protocol: number;
  size: number;
  bytes: Uint8Array;
};

export type PullLimits = { maxCount: number; maxBytes: number };

/** `head` is the highest committed sequence of the clinic. */
export type PullResult = { bundles: StoredBundle[]; head: number };

export type KeyBlobRecord = {
  userKey: string;
  blob: string;
  revision: number;
  updatedAt: string;
  updatedBy: string;
};

export type PutKeyBlob = {
  userKey: string;
  blob: string;
  updatedAt: string;
  updatedBy: string;
  /** Replace only if the current revision is this (0: only if none exists). */
  ifRevision?: number;
};

export type PutKeyBlobResult =
  { ok: true; record: KeyBlobRecord } | { ok: false; reason: 'revision-mismatch'; current: number };

/** Appending to the membership chain: only onto the length the caller verified against. */
export type AppendChainResult = { ok: true; length: number } | { ok: false; length: number };

export type ServerIdentity = {
  /** Random id of this data; a new one after a restore, so clients re-offer (SYNC.md rule 8). */
  epoch: string;
  epochSince: string;
  /** Operator secret that allows registering a new clinic (one clinic per token). */
  setupToken: string;
  /** When the current setup token registered a clinic; a spent token opens nothing. */
  setupSpentAt: string | null;
  /**
   * When an operator last made a new token (--new-setup-token). Once a token was ever spent or
   * renewed, a SETUP_TOKEN from the environment no longer counts (server/README.md).
   */
  setupRenewedAt: string | null;
};

/** Counts for /v1/metrics: nothing clinical, nothing per clinic. */
export type StoreStats = {
  clinics: number;
  devicesActive: number;
  devicesRevoked: number;
  bundles: number;
  bundleBytes: number;
};

/** `setup-spent`: asked to spend the setup token, but it was already spent. */
export type CreateClinicOutcome = 'created' | 'exists' | 'setup-spent';

export type Store = {
  readonly kind: 'embedded' | 'postgres';
  identity(): Promise<ServerIdentity>;

  /**
   * With `spendSetupToken`, atomically spends the setup token with the registration: of two
   * concurrent bootstraps with one token, one registers and the other gets `setup-spent`.
   */
  createClinic(
    clinicId: string,
    firstDevice: NewDevice,
    options?: { spendSetupToken?: boolean },
  ): Promise<CreateClinicOutcome>;
  /** A new setup token (the old one stops working); for an operator adding another clinic. */
  renewSetupToken(): Promise<string>;
  getDevice(deviceId: string): Promise<DeviceRecord | undefined>;
  listDevices(clinicId: string): Promise<DeviceRecord[]>;
  createEnrollmentCode(code: EnrollmentCodeRecord): Promise<void>;
  /** Atomically uses a code (once) and adds the device to the code's clinic. */
  redeemEnrollmentCode(
    codeHash: string,
    now: string,
    device: Omit<NewDevice, 'clinicId' | 'admin' | 'enrolledBy'>,
  ): Promise<RedeemResult>;
  /** Replaces the device's sealed profile. */
  setDeviceProfile(deviceId: string, profile: string): Promise<void>;
  /**
   * Keeps the device's audit checkpoint if it is past the one held; refuses one that goes back
   * ('behind'), names another link for the event held ('forked') or another chain ('other-chain').
   * The same one again is fine.
   */
  setAuditCheckpoint(
    deviceId: string,
    checkpoint: AuditCheckpointRecord,
  ): Promise<CheckpointResult>;
  /** Stores when devices were last seen and synced; a later time never goes back. */
  recordActivity(activity: DeviceActivity[]): Promise<void>;
  /** Idempotent; refuses to revoke the clinic's last active admin device. */
  revokeDevice(clinicId: string, deviceId: string, at: string): Promise<RevokeResult>;

  /**
   * Insert-or-ignore by (clinic, bundle id), assigning the next clinic sequence. A sequence
   * becomes visible to pulls only once every lower one is committed, so a cursor never skips.
   */
  putBundle(bundle: BundleToStore): Promise<PutBundleResult>;
  /** Bundles with seq > after, in order; at least one when any exists, however large. */
  pullBundles(clinicId: string, after: number, limits: PullLimits): Promise<PullResult>;

  listKeyBlobs(clinicId: string): Promise<KeyBlobRecord[]>;
  getKeyBlob(clinicId: string, userKey: string): Promise<KeyBlobRecord | undefined>;
  putKeyBlob(clinicId: string, put: PutKeyBlob): Promise<PutKeyBlobResult>;
  deleteKeyBlob(clinicId: string, userKey: string): Promise<boolean>;

  stats(): Promise<StoreStats>;
  /** Damaged data-file entries set aside at start, per clinic (embedded store only). */
  journalDamage?(): { clinicId: string; frames: number }[];

  /** The clinic's membership chain statements (canonical JSON text) from index `from` on. */
  readChain(clinicId: string, from: number): Promise<{ statements: string[]; length: number }>;
  /** Appends when the chain's length is still `expectLength` (compare-and-swap), else refuses. */
  appendChain(
    clinicId: string,
    expectLength: number,
    statements: readonly string[],
  ): Promise<AppendChainResult>;

  close(): Promise<void>;
};

/** A store-level failure an operator must fix (disk full, database down); shown as 503. */
export class StoreUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}

/** Picks how many of `sizes` (in order) fit a page: at least one, then while bytes allow. */
export function pageLength(sizes: readonly number[], { maxCount, maxBytes }: PullLimits): number {
  let total = 0;
  let n = 0;
  for (const size of sizes) {
    if (n >= maxCount || (n > 0 && total + size > maxBytes)) break;
    total += size;
    n++;
  }
  return n;
}
