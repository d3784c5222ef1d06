/**
 * Sync bundles: outbox changes → JSON → deflate (fflate level 1: compression dominated push time in
 * the prototype, SYNC.md) → AES-256-GCM under the clinic data key of `keyVersion`, with the clear
 * header bytes as associated data → ECDSA P-256 signature of the device over everything before it.
 * The byte layout is documented in shared/sync/README.md; keep the two in step.
 * Decoding checks, in order: layout and header (malformed), clinic (wrong-clinic), sender key
 * (unknown-device), signature (bad-signature), data key (unknown-key-version), tag (bad-tag), then
 * the payload (malformed). Every failure is a BundleRejectedError, never anything else, so the sync
 * worker can quarantine the bundle and keep moving (SYNC.md rules 9 and 11).
 */
import { deflateSync, inflateSync } from 'fflate';
import { z } from 'zod';
import { TamperedError, IV_BYTES, open, seal } from '../crypto/envelope';
import { canonicalJson } from '../crypto/hash';
import { type Bytes, concatBytes, fromUtf8, utf8 } from '../util/bytes';
import { uuidv7 } from '../util/ids';
import { signBytes, verifyBytes } from './device-keys';
import { ChangeAuthor } from '../trust/change-author';
import { HLC_PATTERN } from './hlc';
import { BundleHeader, LIMITS, PROTOCOL_VERSION, Uuid7 } from './protocol';

/** "KATB" */
const MAGIC = [0x4b, 0x41, 0x54, 0x42] as const;
export const CONTAINER_VERSION = 1;
/** ECDSA P-256 with SHA-256, IEEE P1363 signature (r ‖ s). */
export const SIG_ECDSA_P256_SHA256 = 1;
const MAX_HEADER_BYTES = 4096;
const GCM_TAG_BYTES = 16;

export const BundleChange = z.object({
  changeId: Uuid7,
  /** The record as JSON; the receiver parses it with shared/model's AnyRecord. */
  record: z.custom<unknown>((v) => v !== undefined, 'A change has no record'),
  hlc: z.string().regex(HLC_PATTERN, 'Not a clock timestamp'),
  /**
   * Per-field clocks of a draft (field → HLC of the write that last set it), for the per-field
   * merge; optional, so a bundle without them still reads (every field then takes `hlc`).
   */
  fields: z.record(z.string(), z.string().regex(HLC_PATTERN, 'Not a clock timestamp')).optional(),
  /**
   * What this version has seen (version-vector.ts): per device that wrote the record, the clock of
   * its latest write the version incorporates. Optional: a receiver without it takes the version
   * to have seen only its own clocks (`hlc` and `fields`), which can only add conflict copies.
   */
  seen: z.array(z.string().regex(HLC_PATTERN, 'Not a clock timestamp')).max(4096).optional(),
  /**
   * Who wrote this version, signed with their identity key (shared/trust/change-author.ts).
   * Optional: bundles from before it still read; whether an unauthored change is taken is the
   * membership chain's rule (`require-authors`, renderer/trust/incoming.ts).
   */
  author: ChangeAuthor.optional(),
});
export type BundleChange = z.infer<typeof BundleChange>;

const BundlePayload = z.object({ changes: z.array(BundleChange) });

export type BundleRejectReason =
  | 'malformed'
  | 'wrong-clinic'
  | 'unknown-device'
  | 'bad-signature'
  | 'unknown-key-version'
  | 'bad-tag';

const REASON_TEXT: Record<BundleRejectReason, string> = {
  malformed:
    'A sync bundle is damaged or in a format this version of KAT Chart cannot read. It was set ' +
    'aside and nothing was changed; updating KAT Chart on every device usually fixes this.',
  'wrong-clinic': 'A sync bundle belongs to a different clinic, so it was refused.',
  'unknown-device':
    'A sync bundle came from a device this computer does not know yet. It was set aside; ' +
    'refreshing the list of clinic devices lets it through if that device is enrolled.',
  'bad-signature':
    'A sync bundle does not carry a valid signature of the device it names, so it was set aside ' +
    'and not applied. Tell your administrator: a device may be misconfigured or sync tampered with.',
  'unknown-key-version':
    'A sync bundle is locked with a clinic key this device does not have yet. It was set aside; ' +
    'sign out and in again to fetch the current clinic keys.',
  'bad-tag':
    'A sync bundle could not be decrypted: it was changed or damaged after it was written. It was ' +
    'set aside and not applied.',
};

export class BundleRejectedError extends Error {
  constructor(
    readonly reason: BundleRejectReason,
    /** The header when it could be read, so the quarantine can say which bundle and device. */
    readonly header?: BundleHeader,
    /** A technical hint for logs; never shown instead of the message. */
    readonly hint?: string,
  ) {
    super(REASON_TEXT[reason]);
    this.name = 'BundleRejectedError';
  }
}

/** The parts of a bundle as laid out on the wire. `signed` is every byte the signature covers. */
export type BundleParts = {
  header: BundleHeader;
  headerBytes: Bytes;
  iv: Bytes;
  ciphertext: Bytes;
  signed: Bytes;
  signature: Bytes;
};

function u16(n: number): Bytes {
  return new Uint8Array([n >>> 8, n & 0xff]);
}

function u32(n: number): Bytes {
  return new Uint8Array([n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
}

/** Magic, version, algorithm, header, IV and ciphertext: the bytes the signature covers. */
export function signedPrefix(headerBytes: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array) {
  const out = new Uint8Array(prefixLength(headerBytes, ciphertext));
  writePrefix(out, headerBytes, iv, ciphertext);
  return out;
}

const prefixLength = (headerBytes: Uint8Array, ciphertext: Uint8Array) =>
  8 + headerBytes.length + IV_BYTES + 4 + ciphertext.length;

function writePrefix(out: Uint8Array, headerBytes: Uint8Array, iv: Uint8Array, ct: Uint8Array) {
  out.set([...MAGIC, CONTAINER_VERSION, SIG_ECDSA_P256_SHA256], 0);
  out.set(u16(headerBytes.length), 6);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  out.set(iv, at);
  out.set(u32(ct.length), (at += IV_BYTES));
  out.set(ct, at + 4);
}

export function packBundle(signed: Uint8Array, signature: Uint8Array): Bytes {
  return concatBytes(signed, u16(signature.length), signature);
}

const malformed = (hint: string, header?: BundleHeader) =>
  new BundleRejectedError('malformed', header, hint);

/** Reads the layout and the clear header without any key. Throws BundleRejectedError. */
export function unpackBundle(bytes: Uint8Array): BundleParts {
  if (!(bytes instanceof Uint8Array)) throw malformed('not bytes');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (end: number, what: string) => {
    if (end > bytes.length) throw malformed(`truncated in ${what}`);
  };
  need(8, 'preamble');
  if (MAGIC.some((b, i) => bytes[i] !== b)) throw malformed('not a KAT Chart bundle');
  if (bytes[4] !== CONTAINER_VERSION) throw malformed(`container version ${bytes[4]}`);
  if (bytes[5] !== SIG_ECDSA_P256_SHA256) throw malformed(`signature algorithm ${bytes[5]}`);
  const headerLength = view.getUint16(6);
  if (headerLength === 0 || headerLength > MAX_HEADER_BYTES) throw malformed('header length');
  const headerEnd = 8 + headerLength;
  need(headerEnd + IV_BYTES + 4, 'header');
  const headerBytes = bytes.slice(8, headerEnd);
  const header = parseHeader(headerBytes);
  const ivEnd = headerEnd + IV_BYTES;
  const ctLength = view.getUint32(ivEnd);
  const ctEnd = ivEnd + 4 + ctLength;
  if (ctLength < GCM_TAG_BYTES) throw malformed('ciphertext too short', header);
  need(ctEnd + 2, 'ciphertext');
  const sigLength = view.getUint16(ctEnd);
  const end = ctEnd + 2 + sigLength;
  need(end, 'signature');
  if (end !== bytes.length) throw malformed('trailing bytes', header);
  // Views into `bytes`, not copies: a bundle's parts are only ever read.
  return {
    header,
    headerBytes,
    iv: (bytes as Bytes).subarray(headerEnd, ivEnd),
    ciphertext: (bytes as Bytes).subarray(ivEnd + 4, ctEnd),
    signed: (bytes as Bytes).subarray(0, ctEnd),
    signature: (bytes as Bytes).subarray(ctEnd + 2, end),
  };
}

function parseHeader(headerBytes: Uint8Array): BundleHeader {
  let text: string;
  let json: unknown;
  try {
    text = fromUtf8(headerBytes);
    json = JSON.parse(text);
  } catch {
    throw malformed('header is not JSON');
  }
  const parsed = BundleHeader.safeParse(json);
  if (!parsed.success) throw malformed(`header: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  // One header, one byte string: AAD and signature never depend on how JSON was spelled.
  if (canonicalJson(parsed.data) !== text) throw malformed('header is not canonical JSON');
  return parsed.data;
}

/** Throws bad-signature unless `publicKey` signed these bytes. The server calls this on push. */
export async function verifyBundleSignature(parts: BundleParts, publicKey: CryptoKey) {
  if (!(await verifyBytes(publicKey, parts.signature, parts.signed)))
    throw new BundleRejectedError('bad-signature', parts.header);
}

export type EncodeBundleInput = {
  clinicId: string;
  deviceId: string;
  keyVersion: number;
  dataKey: CryptoKey;
  signingKey: CryptoKey;
  changes: readonly BundleChange[];
  /** Keep the id (and ideally the bytes) of a bundle across retries: the server dedupes by it. */
  bundleId?: string;
  createdAt?: string;
};

export type EncodedBundle = { header: BundleHeader; bytes: Bytes };

/** ECDSA P-256 in IEEE P1363 form: r ‖ s, 32 bytes each. */
const SIGNATURE_BYTES = 64;

/**
 * The encrypt path of a bundle once its payload bytes exist (compressed or not): seal them under
 * the data key with the canonical header as associated data, lay the frame out in the one buffer
 * the bundle will be, and sign the frame in place. No whole-bundle copy besides WebCrypto's own.
 */
export async function sealAndSign(
  header: BundleHeader,
  body: Uint8Array,
  dataKey: CryptoKey,
  signingKey: CryptoKey,
): Promise<Bytes> {
  const headerText = canonicalJson(header);
  const headerBytes = utf8(headerText);
  const sealed = await seal(dataKey, body, headerText);
  const end = prefixLength(headerBytes, sealed.ct);
  const out = new Uint8Array(end + 2 + SIGNATURE_BYTES);
  writePrefix(out, headerBytes, sealed.iv, sealed.ct);
  const signature = await signBytes(signingKey, out.subarray(0, end));
  if (signature.length !== SIGNATURE_BYTES)
    throw new Error('ECDSA P-256 signature is not 64 bytes');
  out.set(u16(SIGNATURE_BYTES), end);
  out.set(signature, end + 2);
  return out;
}

export async function encodeBundle(input: EncodeBundleInput): Promise<EncodedBundle> {
  const payload = utf8(JSON.stringify({ changes: input.changes }));
  const header = BundleHeader.parse({
    protocol: PROTOCOL_VERSION,
    clinicId: input.clinicId,
    deviceId: input.deviceId,
    bundleId: input.bundleId ?? uuidv7(),
    keyVersion: input.keyVersion,
    createdAt: input.createdAt ?? new Date().toISOString(),
    changeCount: input.changes.length,
    byteLength: payload.length,
  });
  const body = deflateSync(payload, { level: 1 });
  const bytes = await sealAndSign(header, body, input.dataKey, input.signingKey);
  if (bytes.length > LIMITS.maxBundleBytes)
    throw new RangeError('This bundle is larger than the server accepts; split it into more.');
  return { header, bytes };
}

type MaybePromise<T> = T | Promise<T>;

export type DecodeBundleContext = {
  /** The clinic this device belongs to; bundles of any other clinic are refused. */
  clinicId: string;
  /** The clinic data key for a key version, or undefined when this device does not hold it. */
  dataKeyFor: (keyVersion: number) => MaybePromise<CryptoKey | undefined>;
  /** The sender's public signing key (see importPublicKey), or undefined when unknown. */
  publicKeyFor: (deviceId: string) => MaybePromise<CryptoKey | undefined>;
};

export type DecodedBundle = { header: BundleHeader; changes: BundleChange[] };

export async function decodeBundle(
  bytes: Uint8Array,
  context: DecodeBundleContext,
): Promise<DecodedBundle> {
  const parts = unpackBundle(bytes);
  const { header } = parts;
  if (header.clinicId !== context.clinicId) throw new BundleRejectedError('wrong-clinic', header);
  const publicKey = await lookup(() => context.publicKeyFor(header.deviceId));
  if (!publicKey) throw new BundleRejectedError('unknown-device', header);
  await verifyBundleSignature(parts, publicKey);
  const dataKey = await lookup(() => context.dataKeyFor(header.keyVersion));
  if (!dataKey) throw new BundleRejectedError('unknown-key-version', header);
  let compressed: Bytes;
  try {
    compressed = await open(
      dataKey,
      { iv: parts.iv, ct: parts.ciphertext },
      fromUtf8(parts.headerBytes),
    );
  } catch (e) {
    if (e instanceof TamperedError) throw new BundleRejectedError('bad-tag', header);
    throw malformed('decryption failed', header);
  }
  return { header, changes: readPayload(compressed, header) };
}

async function lookup<T>(get: () => MaybePromise<T | undefined>): Promise<T | undefined> {
  try {
    return await get();
  } catch {
    return undefined;
  }
}

function readPayload(compressed: Uint8Array, header: BundleHeader): BundleChange[] {
  let json: unknown;
  try {
    // One spare byte: output longer than the header promised is caught, never allocated.
    const out = inflateSync(compressed, { out: new Uint8Array(header.byteLength + 1) });
    if (out.length !== header.byteLength) throw new Error('length differs from header');
    json = JSON.parse(fromUtf8(out));
  } catch (e) {
    throw malformed(`payload: ${e instanceof Error ? e.message : 'unreadable'}`, header);
  }
  const parsed = BundlePayload.safeParse(json);
  if (!parsed.success) throw malformed('payload does not match the change schema', header);
  if (parsed.data.changes.length !== header.changeCount)
    throw malformed('change count differs from header', header);
  return parsed.data.changes;
}

export type SplitLimits = { maxChanges?: number; maxBytes?: number };

const PAYLOAD_OVERHEAD = utf8('{"changes":[]}').length;

/**
 * Splits an outbox into bundle-sized groups in order, bounded by change count and payload bytes.
 * A single change larger than maxBytes travels alone; one beyond the hard limit cannot sync at all.
 */
export function splitChanges<T extends BundleChange>(
  changes: readonly T[],
  {
    maxChanges = LIMITS.defaultBundleChanges,
    maxBytes = LIMITS.defaultBundleBytes,
  }: SplitLimits = {},
): T[][] {
  const groups: T[][] = [];
  let group: T[] = [];
  let bytes = PAYLOAD_OVERHEAD;
  for (const change of changes) {
    const size = utf8(JSON.stringify(change)).length + 1;
    if (size + PAYLOAD_OVERHEAD > LIMITS.maxBundlePlaintextBytes) {
      const mb = Math.ceil(size / (1024 * 1024));
      throw new RangeError(
        `One record is too large to sync (about ${mb} MB; the limit is 16 MB). ` +
          'Remove large attachments from it and save again.',
      );
    }
    if (group.length > 0 && (group.length >= maxChanges || bytes + size > maxBytes)) {
      groups.push(group);
      group = [];
      bytes = PAYLOAD_OVERHEAD;
    }
    group.push(change);
    bytes += size;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}
