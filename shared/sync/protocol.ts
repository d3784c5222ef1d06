/**
 * The sync wire: every request and response between a device and the clinic server, parsed with
 * these schemas on both sides (ARCHITECTURE.md: one schema, every boundary). The server sees only
 * what is here: ids, sizes, key and protocol versions, its own sequence, and opaque bytes
 * (SYNC.md rule 1). Byte layout of a bundle: shared/sync/README.md.
 */
import { z } from 'zod';
import { UUID_V7 } from '../util/ids';

export const PROTOCOL_VERSION = 1 as const;

/** Bounds every reader enforces (SYNC.md rule 12). The splitter's defaults stay well inside. */
export const LIMITS = {
  /** Changes one bundle may carry, whoever wrote it. */
  maxBundleChanges: 5_000,
  /** Uncompressed payload JSON of one bundle, in bytes: also bounds decompression. */
  maxBundlePlaintextBytes: 16 * 1024 * 1024,
  /** The whole binary bundle (header, ciphertext, signature): the server's push body limit. */
  maxBundleBytes: 16 * 1024 * 1024 + 64 * 1024,
  /** Default split of an outbox into bundles: fast to compress, small enough to retry. */
  defaultBundleChanges: 500,
  defaultBundleBytes: 4 * 1024 * 1024,
  /** One pull page. A single bundle larger than maxBytes still comes alone, so nothing wedges. */
  defaultPageCount: 500,
  maxPageCount: 1_000,
  defaultPageBytes: 8 * 1024 * 1024,
  maxPageBytes: 32 * 1024 * 1024,
  /** Opaque per-user wrapped-key blob. */
  maxKeyBlobChars: 64 * 1024,
  /** Every JSON request body. */
  maxJsonBodyBytes: 256 * 1024,
  /** A computer's sealed profile (its name, user, app version): opaque to the server. */
  maxDeviceProfileChars: 4096,
  /** How long an enrollment code can be used. */
  enrollmentCodeTtlMs: 15 * 60_000,
} as const;

export const Uuid7 = z.string().regex(UUID_V7, 'Not a UUIDv7 id');
const Instant = z.iso.datetime({ offset: true });
const Seq = z.number().int().min(0);
const KeyVersion = z.number().int().positive().max(2_147_483_647);

/** Random id of the server's data; it changes when the data is restored (SYNC.md rule 8). */
export const Epoch = z.string().regex(/^[0-9a-f]{32}$/, 'Not a server epoch');

/** A device's public ECDSA P-256 signing key, SPKI DER in standard base64. */
export const PublicKeySpki = z
  .string()
  .min(80)
  .max(400)
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'Not a base64 public key');

/** `<deviceId>.<secret>`; sent as `Authorization: Bearer <token>`. The server keeps a hash only. */
export const DeviceToken = z
  .string()
  .regex(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/, 'Not a device token');

/** The clear-text header of every bundle: bound into the AES-GCM tag and the signature. */
export const BundleHeader = z.strictObject({
  protocol: z.literal(PROTOCOL_VERSION),
  clinicId: Uuid7,
  deviceId: Uuid7,
  bundleId: Uuid7,
  keyVersion: KeyVersion,
  createdAt: Instant,
  changeCount: z.number().int().min(1).max(LIMITS.maxBundleChanges),
  /** Bytes of the uncompressed payload JSON; the decoder refuses to inflate beyond it. */
  byteLength: z.number().int().min(2).max(LIMITS.maxBundlePlaintextBytes),
});
export type BundleHeader = z.infer<typeof BundleHeader>;

// ---- problems ----

/** RFC 9457 problem details; `detail` is written for the person at the keyboard. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  /** With `device-revoked`: when, so the app can say it in the computer's own date format. */
  revokedAt: Instant.optional(),
});
export type Problem = z.infer<typeof Problem>;

// ---- health ----

/**
 * 200 only when the server can serve: the store answered (503 problem otherwise, and while the
 * server is stopping), so a load balancer needs nothing more than the status code.
 */
export const Health = z.object({
  status: z.literal('ok'),
  protocol: z.literal(PROTOCOL_VERSION),
  epoch: Epoch,
  time: Instant,
  /** Added with issue 19; absent from older servers. */
  store: z.enum(['embedded', 'postgres']).optional(),
  version: z.string().max(40).optional(),
  /**
   * Damaged entries the server found in its data files at start and set aside (embedded store;
   * issue 14 finding 6): the server runs, but the operator should check the disk. Absent when none.
   */
  damagedEntries: z.number().int().nonnegative().optional(),
});
export type Health = z.infer<typeof Health>;

// ---- clinics, devices, enrollment ----

export const DeviceCredentials = z.object({
  clinicId: Uuid7,
  deviceId: Uuid7,
  token: DeviceToken,
  admin: z.boolean(),
  epoch: Epoch,
});
export type DeviceCredentials = z.infer<typeof DeviceCredentials>;

/** First device of a new clinic. The setup token is printed by the server operator's console. */
export const BootstrapClinicRequest = z.strictObject({
  setupToken: z.string().min(16).max(200),
  clinicId: Uuid7,
  publicKey: PublicKeySpki,
});
export type BootstrapClinicRequest = z.infer<typeof BootstrapClinicRequest>;

export const CreateEnrollmentCodeRequest = z.strictObject({
  /** Whether the device that uses the code may enroll and revoke others. */
  admin: z.boolean().default(false),
});
export type CreateEnrollmentCodeRequest = z.input<typeof CreateEnrollmentCodeRequest>;

/** Twelve Crockford base32 characters, shown as XXXX-XXXX-XXXX; dashes and case are ignored. */
export const EnrollmentCode = z.object({
  code: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/),
  admin: z.boolean(),
  expiresAt: Instant,
});
export type EnrollmentCode = z.infer<typeof EnrollmentCode>;

export const EnrollRequest = z.strictObject({
  code: z.string().min(12).max(40),
  publicKey: PublicKeySpki,
  /**
   * Re-enrollment (issue 14 point 4): the device id this computer had before it lost its
   * credentials (keychain unreadable, backup restored onto a replacement). When it belongs to the
   * code's clinic it is revoked as the new device is enrolled. Absent from older clients.
   */
  replaces: z.uuid().optional(),
});
export type EnrollRequest = z.infer<typeof EnrollRequest>;

/**
 * An administrator's computer re-enrolling itself without a code (shared/trust/self-reenroll.ts):
 * the fields, signed by the administrator's identity key (ECDSA P-256, P1363, base64).
 */
export const SelfReenrollRequest = z.strictObject({
  clinicId: Uuid7,
  userId: z.string().min(1).max(100),
  publicKey: PublicKeySpki,
  replaces: z.uuid(),
  at: Instant,
  sig: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/),
});
export type SelfReenrollRequest = z.infer<typeof SelfReenrollRequest>;

/**
 * A computer's name, last user and app version, sealed by the computer under the clinic key
 * (renderer/sync/device-profile.ts), so the server keeps names it cannot read.
 */
export const DeviceProfileBlob = z.string().min(1).max(LIMITS.maxDeviceProfileChars);

export const PutDeviceProfileRequest = z.strictObject({ profile: DeviceProfileBlob });
export type PutDeviceProfileRequest = z.infer<typeof PutDeviceProfileRequest>;

/**
 * The newest event of a computer's audit chain, as the computer last reported it (issue 18 point
 * 2). The server keeps the highest one per computer and never lets it go back, so an insider who
 * deletes the newest events and moves the head back is caught: the chain no longer reaches the
 * checkpoint. The link is the keyed chain hash (HMAC under the clinic key): it tells the server
 * nothing about the events.
 */
export const AuditCheckpoint = z.strictObject({
  /** The computer's audit-chain id (the events' deviceId), which is not its sync device id. */
  chain: z.string().regex(/^[0-9a-z-]{1,64}$/),
  seq: z
    .number()
    .int()
    .positive()
    .max(2 ** 40),
  hash: z.string().regex(/^(sha256:[0-9a-f]{64}|hmac:[1-9][0-9]{0,5}:[0-9a-f]{64})$/),
  at: Instant,
});
export type AuditCheckpoint = z.infer<typeof AuditCheckpoint>;

export const DeviceInfo = z.object({
  deviceId: Uuid7,
  publicKey: PublicKeySpki,
  admin: z.boolean(),
  enrolledAt: Instant,
  enrolledBy: Uuid7.nullable(),
  revokedAt: Instant.nullable(),
  /** Added with issue 19 (absent from older servers): the sealed profile, if it sent one. */
  profile: DeviceProfileBlob.nullable().optional(),
  /** When the server last answered this computer, and last gave it a page of bundles. */
  lastSeenAt: Instant.nullable().optional(),
  lastSyncAt: Instant.nullable().optional(),
  /** Re-enrollment (issue 14): the device of this clinic this computer replaced (absent before). */
  replaces: Uuid7.nullable().optional(),
  /** Issue 18 (absent from older servers): the highest audit checkpoint this computer sent. */
  auditCheckpoint: AuditCheckpoint.nullable().optional(),
});
export type DeviceInfo = z.infer<typeof DeviceInfo>;

export const DeviceList = z.object({ devices: z.array(DeviceInfo) });
export type DeviceList = z.infer<typeof DeviceList>;

export const DeviceIdParams = z.object({ deviceId: Uuid7 });

// ---- bundles ----

/** Answer to a push (body: the binary bundle as application/octet-stream). */
export const PushResult = z.object({
  bundleId: Uuid7,
  seq: Seq,
  /** True when this bundle id was already stored: nothing new was written. */
  duplicate: z.boolean(),
});
export type PushResult = z.infer<typeof PushResult>;

export const PullQuery = z.strictObject({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(LIMITS.maxPageCount).default(LIMITS.defaultPageCount),
  maxBytes: z.coerce
    .number()
    .int()
    .min(1024)
    .max(LIMITS.maxPageBytes)
    .default(LIMITS.defaultPageBytes),
});
export type PullQuery = z.input<typeof PullQuery>;

export const PulledBundle = z.object({
  seq: Seq,
  bundleId: Uuid7,
  deviceId: Uuid7,
  keyVersion: KeyVersion,
  protocol: z.number().int().positive(),
  size: z.number().int().positive(),
  /** The bundle bytes exactly as pushed, standard base64. */
  bytes: z.string(),
});
export type PulledBundle = z.infer<typeof PulledBundle>;

export const PullPage = z.object({
  epoch: Epoch,
  bundles: z.array(PulledBundle),
  /** Pass as `after` next time. Equals the request's `after` when the page is empty. */
  cursor: Seq,
  /** Highest sequence the server has committed. A cursor above it means the server went back. */
  head: Seq,
  hasMore: z.boolean(),
  /** The server's clock when it answered, so a device learns its own clock is off (optional). */
  time: Instant.optional(),
});
export type PullPage = z.infer<typeof PullPage>;

// ---- wrapped-key blobs ----

/** Chosen by the client (a user id, `recovery`, …); the server never learns what it names. */
export const UserKey = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'Not a key-blob name');
export const UserKeyParams = z.object({ userKey: UserKey });

export const PutKeyBlobRequest = z.strictObject({
  blob: z.string().min(1).max(LIMITS.maxKeyBlobChars),
  /**
   * Compare-and-swap, required (issue 13): the revision last read; 0 means "must not exist yet".
   * A write that does not say what it replaces could silently overwrite a colleague's change.
   */
  ifRevision: z.number().int().min(0),
});
export type PutKeyBlobRequest = z.infer<typeof PutKeyBlobRequest>;

export const KeyBlob = z.object({
  userKey: UserKey,
  blob: z.string(),
  revision: z.number().int().positive(),
  updatedAt: Instant,
  updatedBy: Uuid7,
});
export type KeyBlob = z.infer<typeof KeyBlob>;

export const KeyBlobList = z.object({ blobs: z.array(KeyBlob) });
export type KeyBlobList = z.infer<typeof KeyBlobList>;

// ---- the clinic membership chain (shared/trust) ----

/** Statements are canonical JSON text; clients verify them, the server checks appends too. */
const StatementText = z.string().min(2).max(8_192);

export const ChainQuery = z.strictObject({
  from: z.coerce.number().int().min(0).default(0),
});

export const ChainPage = z.object({
  statements: z.array(StatementText),
  /** How many statements the chain holds; `statements` are those from `from` on. */
  length: z.number().int().min(0),
});
export type ChainPage = z.infer<typeof ChainPage>;

/** Compare-and-swap: appended only if the chain still has `expectLength` statements. */
export const AppendChainRequest = z.strictObject({
  expectLength: z.number().int().min(0),
  statements: z.array(StatementText).min(1).max(64),
});
export type AppendChainRequest = z.infer<typeof AppendChainRequest>;

export const AppendChainResult = z.object({ length: z.number().int().min(1) });

// ---- the endpoint table (server routes, client calls and the OpenAPI document) ----

export type Endpoint = {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  summary: string;
  /** none: anyone; device: an enrolled, unrevoked device; admin: an admin device. */
  auth: 'none' | 'device' | 'admin';
  params?: z.ZodType;
  query?: z.ZodType;
  /** A zod schema for JSON bodies, or 'bundle' for the binary bundle. */
  body?: z.ZodType | 'bundle';
  status: number;
  response?: z.ZodType;
};

export const ENDPOINTS = {
  health: {
    method: 'GET',
    path: '/v1/health',
    summary: 'Liveness and the server epoch',
    auth: 'none',
    status: 200,
    response: Health,
  },
  bootstrapClinic: {
    method: 'POST',
    path: '/v1/clinics',
    summary: 'Register a new clinic and its first (admin) device with the setup token',
    auth: 'none',
    body: BootstrapClinicRequest,
    status: 201,
    response: DeviceCredentials,
  },
  createEnrollmentCode: {
    method: 'POST',
    path: '/v1/enrollment-codes',
    summary: 'Create a one-time enrollment code valid for 15 minutes',
    auth: 'admin',
    body: CreateEnrollmentCodeRequest,
    status: 201,
    response: EnrollmentCode,
  },
  enroll: {
    method: 'POST',
    path: '/v1/devices/enroll',
    summary: 'Enroll a device with a code and register its public signing key',
    auth: 'none',
    body: EnrollRequest,
    status: 201,
    response: DeviceCredentials,
  },
  selfReenroll: {
    method: 'POST',
    path: '/v1/devices/reenroll-self',
    summary:
      "An administrator's computer that lost its credentials re-enrolls with a request signed by the administrator's identity key",
    auth: 'none',
    body: SelfReenrollRequest,
    status: 201,
    response: DeviceCredentials,
  },
  listDevices: {
    method: 'GET',
    path: '/v1/devices',
    summary: "The clinic's devices and their public signing keys",
    auth: 'device',
    status: 200,
    response: DeviceList,
  },
  putDeviceProfile: {
    method: 'PUT',
    path: '/v1/devices/me/profile',
    summary: "This computer's sealed profile (name, last user, app version), opaque to the server",
    auth: 'device',
    body: PutDeviceProfileRequest,
    status: 204,
  },
  putAuditCheckpoint: {
    method: 'PUT',
    path: '/v1/devices/me/audit-checkpoint',
    summary:
      "This computer's newest audit event (its keyed link), kept so the log cannot be trimmed unseen",
    auth: 'device',
    body: AuditCheckpoint,
    status: 204,
  },
  revokeDevice: {
    method: 'POST',
    path: '/v1/devices/:deviceId/revoke',
    summary: 'Revoke a device; it is refused from the next request on',
    auth: 'admin',
    params: DeviceIdParams,
    status: 200,
    response: DeviceInfo,
  },
  pushBundle: {
    method: 'POST',
    path: '/v1/bundles',
    summary: 'Upload one signed, encrypted bundle (idempotent by bundle id)',
    auth: 'device',
    body: 'bundle',
    status: 201,
    response: PushResult,
  },
  pullBundles: {
    method: 'GET',
    path: '/v1/bundles',
    summary: 'Bundles after a cursor, bounded by count and bytes',
    auth: 'device',
    query: PullQuery,
    status: 200,
    response: PullPage,
  },
  listKeyBlobs: {
    method: 'GET',
    path: '/v1/key-blobs',
    summary: "All of the clinic's wrapped-key blobs",
    auth: 'device',
    status: 200,
    response: KeyBlobList,
  },
  getKeyBlob: {
    method: 'GET',
    path: '/v1/key-blobs/:userKey',
    summary: 'One wrapped-key blob',
    auth: 'device',
    params: UserKeyParams,
    status: 200,
    response: KeyBlob,
  },
  putKeyBlob: {
    method: 'PUT',
    path: '/v1/key-blobs/:userKey',
    summary: 'Store or replace a wrapped-key blob',
    auth: 'device',
    params: UserKeyParams,
    body: PutKeyBlobRequest,
    status: 200,
    response: KeyBlob,
  },
  readChain: {
    method: 'GET',
    path: '/v1/chain',
    summary: "The clinic's membership chain from a position on",
    auth: 'device',
    query: ChainQuery,
    status: 200,
    response: ChainPage,
  },
  appendChain: {
    method: 'POST',
    path: '/v1/chain',
    summary: 'Append signed membership statements (compare-and-swap on the length)',
    auth: 'device',
    body: AppendChainRequest,
    status: 200,
    response: AppendChainResult,
  },
  deleteKeyBlob: {
    method: 'DELETE',
    path: '/v1/key-blobs/:userKey',
    summary: 'Remove a wrapped-key blob (a user left the clinic)',
    auth: 'admin',
    params: UserKeyParams,
    status: 204,
  },
} as const satisfies Record<string, Endpoint>;

export type EndpointName = keyof typeof ENDPOINTS;

export function authorizationHeader(token: string): string {
  return `Bearer ${token}`;
}
