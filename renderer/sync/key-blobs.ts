/**
 * Each user's keyring row (their passphrase wraps, sealed identity and the clinic key versions
 * granted to it) and the clinic recovery key's holder, kept on the server as opaque blobs so a user
 * can sign in on a newly enrolled device and rotations reach every computer (SYNC.md rules 2, 13,
 * 14). The server cannot open a blob; a user's blob is named by a hash of clinic and user name, so
 * the server learns no names.
 *
 * Merging: a blob whose `changedAt` is newer (a passphrase was set or reset) wins for the
 * passphrase parts and identity; grants for the same identity are pooled (a grant is never taken
 * back, only made useless by a new identity). Writes use the server's revision, so a computer never
 * overwrites a blob changed elsewhere that it has not seen; it merges on the next round instead.
 */
import { z } from 'zod';
import { Grant, SealedIdentity } from '../../shared/crypto/keyring';
import {
  KdfParams,
  WrappedKey,
  WrongPassphraseError,
  deriveKek,
} from '../../shared/crypto/passphrase';
import { sha256Hex } from '../../shared/crypto/hash';
import { canonicalJson } from '../../shared/crypto/hash';
import type { KeyBlob } from '../../shared/sync/protocol';
import type { ClinicKeyring } from '../../shared/crypto/keyring';
import type { KatDatabase } from '../db/database';
import { decryptRecord } from '../db/record-crypto';
import {
  type RecoveryHolder,
  type UserKeys,
  openHolder,
  readRecoveryHolder,
  writeRecoveryHolder,
} from './clinic-keys';
import { type ServerClient, SyncHttpError } from './server-client';

/** Container version 1; `identity`, `grants` and `changedAt` were added (older readers drop them). */
const KeyBlobBody = z.object({
  v: z.literal(1),
  userId: z.string(),
  kdf: KdfParams,
  wrapped: z.array(WrappedKey).min(1),
  identity: SealedIdentity.optional(),
  grants: z.array(Grant).optional(),
  changedAt: z.string().optional(),
});

const RecoveryBlobBody = z.object({
  v: z.literal(1),
  identity: SealedIdentity,
  grants: z.array(Grant),
  createdAt: z.string(),
  createdBy: z.string(),
  printedAt: z.string().optional(),
});

export const RECOVERY_BLOB = 'clinic-recovery';

export async function keyBlobName(clinicId: string, username: string): Promise<string> {
  return `login-${(await sha256Hex(`kat:login|${clinicId}|${username.toLowerCase()}`)).slice(0, 40)}`;
}

const userBlob = (row: UserKeys) =>
  canonicalJson({
    v: 1,
    userId: row.userId,
    kdf: row.kdf,
    wrapped: row.wrapped,
    identity: row.identity,
    grants: row.grants,
    changedAt: row.changedAt,
  });

const recoveryBlob = (h: RecoveryHolder) => canonicalJson({ v: 1, ...h });

function poolGrants(base: Grant[] | undefined, extra: Grant[] | undefined): Grant[] | undefined {
  if (!base && !extra) return undefined;
  const out = [...(base ?? [])];
  for (const g of extra ?? []) if (!out.some((o) => o.version === g.version)) out.push(g);
  return out.sort((a, b) => a.version - b.version);
}

/** Two copies of one holder → one: the newer passphrase wins, grants to that identity are pooled. */
export function mergeHolders<T extends { identity?: SealedIdentity; grants?: Grant[] }>(
  local: T,
  remote: T,
  newer: (a: T, b: T) => boolean,
): T {
  const [base, other] = newer(remote, local) ? [remote, local] : [local, remote];
  const same = base.identity?.publicKey === other.identity?.publicKey;
  return { ...base, grants: same ? poolGrants(base.grants, other.grants) : base.grants };
}

const newerUser = (a: UserKeys, b: UserKeys) => (a.changedAt ?? '') > (b.changedAt ?? '');
const newerRecovery = (a: RecoveryHolder, b: RecoveryHolder) => a.createdAt > b.createdAt;

async function put(client: ServerClient, name: string, blob: string, remote?: KeyBlob) {
  try {
    await client.putKeyBlob(name, blob, remote?.revision ?? 0);
  } catch (e) {
    // Changed elsewhere since we listed: merge it on the next round rather than overwrite it.
    if (e instanceof SyncHttpError && e.status === 409) return;
    throw e;
  }
}

/**
 * Bring this computer's keyring rows and the server's blobs to the same merged state. Returns the
 * server's listing as read before the uploads (callers reuse it: one request a round).
 */
export async function uploadKeyBlobs(db: KatDatabase, client: ServerClient, clinicId: string) {
  const { blobs } = await client.listKeyBlobs();
  const byName = new Map(blobs.map((b) => [b.userKey, b]));
  for (const row of (await db.keyring.toArray()) as UserKeys[]) {
    const name = await keyBlobName(clinicId, row.username);
    const remote = byName.get(name);
    const parsed = remote && KeyBlobBody.safeParse(JSON.parse(remote.blob));
    let merged = row;
    if (parsed?.success && parsed.data.userId === row.userId)
      merged = mergeHolders(row, { ...parsed.data, username: row.username }, newerUser);
    const blob = userBlob(merged);
    if (userBlob(row) !== blob) await db.keyring.put(merged);
    if (
      !remote ||
      !parsed?.success ||
      userBlob({ ...parsed.data, username: row.username }) !== blob
    )
      await put(client, name, blob, remote);
  }
  const local = await readRecoveryHolder(db);
  const remote = byName.get(RECOVERY_BLOB);
  const parsed = remote && RecoveryBlobBody.safeParse(JSON.parse(remote.blob));
  const theirs = parsed?.success ? (({ v: _v, ...h }) => h)(parsed.data) : undefined;
  const merged = local && theirs ? mergeHolders(local, theirs, newerRecovery) : (local ?? theirs);
  if (!merged) return blobs;
  if (!local || recoveryBlob(local) !== recoveryBlob(merged)) await writeRecoveryHolder(db, merged);
  if (!theirs || recoveryBlob(theirs) !== recoveryBlob(merged))
    await put(client, RECOVERY_BLOB, recoveryBlob(merged), remote);
  return blobs;
}

/**
 * Colleagues added on other computers get a keyring row here (so they can sign in); rows of users
 * who were removed are dropped (and, from an administrator's computer, their blob too). A blob is
 * accepted only for a user record we hold, under that user's id: the wraps are bound to the id as
 * well, so a swapped blob could not open anyway.
 */
export async function downloadKeyBlobs(
  db: KatDatabase,
  client: ServerClient,
  clinicId: string,
  dataKey: CryptoKey,
  options: { admin?: boolean; listing?: KeyBlob[] } = {},
) {
  const have = new Map(((await db.keyring.toArray()) as UserKeys[]).map((k) => [k.userId, k]));
  // A listing the caller just read (uploadKeyBlobs) saves a request; uploads only touch our rows.
  let listed = options.listing && new Map(options.listing.map((b) => [b.userKey, b]));
  for (const row of await db.records.where('kind').equals('user').toArray()) {
    const user = await decryptRecord(row, dataKey, clinicId);
    if (user.kind !== 'user') continue;
    const name = await keyBlobName(clinicId, user.username);
    listed ??= new Map((await client.listKeyBlobs()).blobs.map((b) => [b.userKey, b]));
    if (!user.active) {
      if (have.has(user.id)) await db.keyring.delete(user.id);
      if (options.admin && listed.has(name))
        await client.deleteKeyBlob(name).catch(() => undefined);
      continue;
    }
    if (have.has(user.id)) continue;
    const blob = listed.get(name);
    const body = blob && KeyBlobBody.safeParse(JSON.parse(blob.blob));
    if (!body?.success || body.data.userId !== user.id) continue;
    const { v: _v, ...keys } = body.data;
    await db.keyring.put({ ...keys, username: user.username });
  }
}

/** Fetch this user's blob and open it with their passphrase: the keyring row and every version. */
export async function fetchKeyring(
  client: ServerClient,
  clinicId: string,
  username: string,
  passphrase: string,
): Promise<{ keyring: UserKeys; clinicKeys: ClinicKeyring; recovery?: RecoveryHolder }> {
  const { blobs } = await client.listKeyBlobs();
  const name = await keyBlobName(clinicId, username);
  const blob = blobs.find((b) => b.userKey === name);
  if (!blob)
    throw new SyncHttpError(
      `The clinic server has no sign-in for “${username}”. Check the user name, or sign in ` +
        'once on a device that already syncs so your key is uploaded.',
      404,
    );
  const { v: _v, ...body } = KeyBlobBody.parse(JSON.parse(blob.blob));
  // deriveKek refuses weak parameters even though the server handed them over (SYNC.md rule 2).
  const kek = await deriveKek(passphrase, body.kdf);
  const earliest =
    body.grants?.find((g) => g.version === 1)?.createdAt ?? new Date(0).toISOString();
  const { keyring: clinicKeys } = await openHolder(body, kek, body.userId, earliest);
  if (clinicKeys.activeVersion === 0) throw new WrongPassphraseError();
  const recoveryBlob = blobs.find((b) => b.userKey === RECOVERY_BLOB);
  const recovery = recoveryBlob && RecoveryBlobBody.safeParse(JSON.parse(recoveryBlob.blob));
  return {
    keyring: { ...body, username },
    clinicKeys,
    recovery: recovery?.success ? (({ v: _r, ...h }) => h)(recovery.data) : undefined,
  };
}
