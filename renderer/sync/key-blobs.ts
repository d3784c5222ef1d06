/**
 * Each member's keyring row (their passphrase wraps, sealed identity and the clinic key versions
 * granted to it) and the clinic recovery key's holder, kept on the server as opaque blobs so a
 * member can sign in on a newly enrolled computer and rotations reach every computer (SYNC.md rules
 * 2, 13, 14). The server cannot open a blob, and — since the membership chain — cannot change one
 * in a way a computer accepts (shared/crypto/SECURITY.md):
 *
 * - A row is taken from the server only when it **stands** under the verified chain: its identity
 *   is the one the chain names for that member and the row is signed by that identity's signing
 *   key. Between two standing rows of one member the later `changedAt` wins (it is inside the
 *   signature). A row that does not stand never replaces one that does, and a local row is never
 *   replaced by one that does not: `changedAt` alone decides nothing.
 * - A row with keys the chain does not name yet but signed by them (a passphrase recovered with
 *   the recovery key on some computer) is **pending**: kept where it was made, shown to
 *   administrators for confirmation (blob `pending-<userId>`), taken elsewhere once the chain names
 *   its keys.
 * - Grants are pooled (a few per version); each proves itself when opened, by matching the key
 *   commitment in the chain, so a junk or foreign grant is simply never used.
 * - The recovery holder stands when the chain names its public key and the hash of its sealed
 *   private half.
 *
 * Blob names are `member-<userId>` (user ids are random; no name is derivable), `pending-<userId>`
 * and `clinic-recovery`. Clinics from before the chain used `login-<hash of clinic and user
 * name>`; those are still read (never written) until an administrator's computer removes them.
 * Writes always carry the revision last read (compare-and-swap).
 */
import { z } from 'zod';
import { canonicalJson, sha256Hex } from '../../shared/crypto/hash';
import { Grant, SealedIdentity, memberKeysOf } from '../../shared/crypto/keyring';
import type { ClinicKeyring } from '../../shared/crypto/keyring';
import { KdfParams, WrappedKey, WrongPassphraseError } from '../../shared/crypto/passphrase';
import { type FactorProof, kekForJoin } from '../db/second-factor';
import { SecondFactor } from '../../shared/crypto/second-factor';
import type { KeyBlob } from '../../shared/sync/protocol';
import { type ChainState, currentMember } from '../../shared/trust/chain-state';
import { rowSignatureHolds } from '../../shared/trust/rows';
import { notePendingKeys } from '../trust/pending-keys';
import type { KatDatabase } from '../db/database';
import { type RestKeys, openRecordRow } from '../db/record-crypto';
import { chainStateOf } from '../trust/chain-store';
import {
  type RecoveryHolder,
  type UserKeys,
  openHolder,
  readRecoveryHolder,
  writeRecoveryHolder,
} from './clinic-keys';
import { type ServerClient, SyncHttpError } from './server-client';

/** Container version 1; `identity`, `grants`, `changedAt` and `rowSig` were added over time. */
const KeyBlobBody = z.object({
  v: z.literal(1),
  userId: z.string(),
  kdf: KdfParams,
  wrapped: z.array(WrappedKey).min(1).max(8),
  identity: SealedIdentity.optional(),
  grants: z.array(Grant).max(512).optional(),
  changedAt: z.string().optional(),
  rowSig: z.string().optional(),
  keysMac: z.object({ version: z.number().int().min(1), mac: z.string().max(100) }).optional(),
  factor: SecondFactor.optional(),
});

const RecoveryBlobBody = z.object({
  v: z.literal(1),
  identity: SealedIdentity,
  grants: z.array(Grant).max(512),
  createdAt: z.string(),
  createdBy: z.string(),
  printedAt: z.string().optional(),
});

export const RECOVERY_BLOB = 'clinic-recovery';
export const memberBlobName = (userId: string) => `member-${userId}`;
export const pendingBlobName = (userId: string) => `pending-${userId}`;

/** The name clinics used before the chain (a hash of clinic and user name): read, never written. */
export async function legacyBlobName(clinicId: string, username: string): Promise<string> {
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
    rowSig: row.rowSig,
    keysMac: row.keysMac,
    factor: row.factor,
  });

const recoveryBlob = (h: RecoveryHolder) => canonicalJson({ v: 1, ...h });

function parseUser(blob: KeyBlob | undefined, username: string): UserKeys | undefined {
  if (!blob) return undefined;
  try {
    const parsed = KeyBlobBody.safeParse(JSON.parse(blob.blob));
    if (!parsed.success) return undefined;
    const { v: _v, ...row } = parsed.data;
    return { ...row, username };
  } catch {
    return undefined;
  }
}

function parseRecovery(blob: KeyBlob | undefined): RecoveryHolder | undefined {
  if (!blob) return undefined;
  try {
    const parsed = RecoveryBlobBody.safeParse(JSON.parse(blob.blob));
    return parsed.success ? (({ v: _v, ...h }) => h)(parsed.data) : undefined;
  } catch {
    return undefined;
  }
}

export type Standing = 'stands' | 'pending' | 'none';

/** Where a row stands under the chain (see top). */
export async function rowStanding(row: UserKeys, chain: ChainState): Promise<Standing> {
  const member = currentMember(chain, row.userId);
  const keys = memberKeysOf(row.identity);
  if (!member?.active || !keys) return 'none';
  const same =
    keys.signingKey === member.keys.signingKey && keys.agreementKey === member.keys.agreementKey;
  if (!(await rowSignatureHolds(row, row.rowSig, keys.signingKey))) return 'none';
  return same ? 'stands' : 'pending';
}

/** The recovery holder's identity is the one the chain names, sealed part included. */
export async function recoveryStands(holder: RecoveryHolder, chain: ChainState) {
  const r = chain.recovery;
  return (
    !!r &&
    holder.identity.publicKey === r.agreementKey &&
    (await sealedHash(holder)) === r.sealedHash
  );
}

export const sealedHash = (h: { identity: SealedIdentity }) =>
  sha256Hex(
    canonicalJson({ publicKey: h.identity.publicKey, iv: h.identity.iv, ct: h.identity.ct }),
  );

const GRANTS_PER_VERSION = 4;

/** Grants of both copies, each distinct grant once, a few per version (junk cannot crowd out). */
function poolGrants(base: Grant[] | undefined, extra: Grant[] | undefined): Grant[] | undefined {
  if (!base && !extra) return undefined;
  const out: Grant[] = [];
  const count = new Map<number, number>();
  for (const g of [...(base ?? []), ...(extra ?? [])]) {
    if (out.some((o) => o.version === g.version && o.epk === g.epk)) continue;
    const n = count.get(g.version) ?? 0;
    if (n >= GRANTS_PER_VERSION) continue;
    count.set(g.version, n + 1);
    out.push(g);
  }
  return out.sort((a, b) => a.version - b.version);
}

/**
 * One member's row from this computer's copy and the server's copies: the standing (or, for the
 * local copy, pending) row with the latest signed `changedAt`, with the grants of all pooled.
 * Without a chain (a clinic from before it, until an administrator sets it up) a server copy
 * never replaces the local row.
 */
export async function mergeUserRows(
  local: UserKeys | undefined,
  remotes: (UserKeys | undefined)[],
  chain: ChainState | undefined,
): Promise<UserKeys | undefined> {
  const candidates = remotes.filter(
    (r): r is UserKeys => !!r && r.userId === (local?.userId ?? r.userId),
  );
  if (!chain) {
    if (!local) return undefined;
    const same = candidates.filter((r) => r.identity?.publicKey === local.identity?.publicKey);
    return {
      ...local,
      grants: poolGrants(
        local.grants,
        same.flatMap((r) => r.grants ?? []),
      ),
    };
  }
  let best: UserKeys | undefined;
  if (local && (await rowStanding(local, chain)) !== 'none') best = local;
  for (const r of candidates) {
    if ((await rowStanding(r, chain)) !== 'stands') continue;
    if (!best || (r.changedAt ?? '') > (best.changedAt ?? '')) best = r;
  }
  best ??= local;
  if (!best) return undefined;
  const all = [local, ...candidates].filter((r): r is UserKeys => !!r);
  return {
    ...best,
    grants: poolGrants(
      best.grants,
      all.flatMap((r) => r.grants ?? []),
    ),
  };
}

async function put(client: ServerClient, name: string, blob: string, remote?: KeyBlob) {
  try {
    await client.putKeyBlob(name, blob, remote?.revision ?? 0);
  } catch (e) {
    // Changed elsewhere since we listed (merge it next round), or not ours to write: the server
    // lets only the member's own computers and administrators' write a member's blob.
    if (e instanceof SyncHttpError && (e.status === 409 || e.status === 403)) return;
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
  const chain = await chainStateOf(db);
  for (const row of (await db.keyring.toArray()) as UserKeys[]) {
    const memberName = memberBlobName(row.userId);
    const pendingName = pendingBlobName(row.userId);
    const remotes = [
      parseUser(byName.get(memberName), row.username),
      parseUser(byName.get(pendingName), row.username),
      parseUser(byName.get(await legacyBlobName(clinicId, row.username)), row.username),
    ];
    const merged = (await mergeUserRows(row, remotes, chain))!;
    const blob = userBlob(merged);
    if (userBlob(row) !== blob) await db.keyring.put(merged);
    if (!chain) continue; // nothing is written to the server before the chain exists
    // New keys they made on another computer, signed with them, waiting for an administrator
    // to compare digits (renderer/trust/pending-keys.ts): kept aside, never taken as the row.
    const theirs = remotes[1];
    await notePendingKeys(
      db,
      row.userId,
      theirs?.userId === row.userId && (await rowStanding(theirs, chain)) === 'pending'
        ? memberKeysOf(theirs.identity)
        : undefined,
    );
    const standing = await rowStanding(merged, chain);
    const name =
      standing === 'stands' ? memberName : standing === 'pending' ? pendingName : undefined;
    const remote = name ? byName.get(name) : undefined;
    if (name && (!remote || remote.blob !== blob)) await put(client, name, blob, remote);
  }
  await mergeRecovery(db, client, byName.get(RECOVERY_BLOB), chain);
  return blobs;
}

async function mergeRecovery(
  db: KatDatabase,
  client: ServerClient,
  remoteBlob: KeyBlob | undefined,
  chain: ChainState | undefined,
) {
  const local = await readRecoveryHolder(db);
  const theirs = parseRecovery(remoteBlob);
  let merged = local;
  if (chain) {
    const localOk = !!local && (await recoveryStands(local, chain));
    const theirsOk = !!theirs && (await recoveryStands(theirs, chain));
    if (theirsOk && !localOk) merged = theirs;
    else if (!localOk && local && chain.recovery) merged = undefined; // replaced by an administrator
  } else if (!local) {
    merged = undefined; // before the chain, a recovery holder is never taken from the server
  }
  if (merged && theirs && merged.identity.publicKey === theirs.identity.publicKey)
    merged = { ...merged, grants: poolGrants(merged.grants, theirs.grants) ?? [] };
  if (!merged) return;
  if (!local || recoveryBlob(local) !== recoveryBlob(merged)) await writeRecoveryHolder(db, merged);
  if (
    chain &&
    (await recoveryStands(merged, chain)) &&
    (!theirs || recoveryBlob(theirs) !== recoveryBlob(merged))
  )
    await put(client, RECOVERY_BLOB, recoveryBlob(merged), remoteBlob);
}

/**
 * Colleagues added on other computers get a keyring row here (so they can sign in); rows of users
 * who were removed are dropped (and, from an administrator's computer, their blobs too). Under a
 * chain a row is taken only when it stands; before the chain, only under the user's own id.
 */
export async function downloadKeyBlobs(
  db: KatDatabase,
  client: ServerClient,
  clinicId: string,
  restKeys: RestKeys,
  options: { admin?: boolean; listing?: KeyBlob[] } = {},
) {
  const have = new Map(((await db.keyring.toArray()) as UserKeys[]).map((k) => [k.userId, k]));
  // A listing the caller just read (uploadKeyBlobs) saves a request; uploads only touch our rows.
  let listed = options.listing && new Map(options.listing.map((b) => [b.userKey, b]));
  const chain = await chainStateOf(db);
  for (const row of await db.records.where('kind').equals('user').toArray()) {
    const user = await openRecordRow(row, restKeys, clinicId);
    if (user.kind !== 'user') continue;
    listed ??= new Map((await client.listKeyBlobs()).blobs.map((b) => [b.userKey, b]));
    const legacy = await legacyBlobName(clinicId, user.username);
    const removed = chain ? currentMember(chain, user.id)?.active === false : !user.active;
    if (removed || !user.active) {
      if (have.has(user.id)) await db.keyring.delete(user.id);
      if (options.admin)
        for (const name of [memberBlobName(user.id), pendingBlobName(user.id), legacy])
          if (listed.has(name)) await client.deleteKeyBlob(name).catch(() => undefined);
      continue;
    }
    if (have.has(user.id)) continue;
    const remotes = [memberBlobName(user.id), legacy].map((n) =>
      parseUser(listed!.get(n), user.username),
    );
    const taken = await mergeUserRows(undefined, remotes, chain);
    const fallback = !chain ? remotes.find((r) => r?.userId === user.id) : undefined;
    const keys = taken ?? fallback;
    if (keys && keys.userId === user.id) await db.keyring.put({ ...keys, username: user.username });
  }
}

/**
 * A joining computer fetches its member's row and opens it with their passphrase. Under a chain
 * (`owner` = the member the administrator confirmed this computer for) the row must stand and
 * only announced versions open; before the chain, the row is found by user name.
 */
export async function fetchKeyring(
  client: ServerClient,
  clinicId: string,
  who: { username: string; owner?: string },
  passphrase: string,
  chain: ChainState | undefined,
  factor: { proof?: FactorProof; origin: string } = { origin: globalThis.location?.origin ?? '' },
): Promise<{ keyring: UserKeys; clinicKeys: ClinicKeyring; recovery?: RecoveryHolder }> {
  const { blobs } = await client.listKeyBlobs();
  const byName = new Map(blobs.map((b) => [b.userKey, b]));
  const name =
    chain && who.owner ? memberBlobName(who.owner) : await legacyBlobName(clinicId, who.username);
  const body = parseUser(byName.get(name), who.username);
  const stands = body && (!chain || (await rowStanding(body, chain)) === 'stands');
  if (!body || !stands)
    throw new SyncHttpError(
      `The clinic server has no usable sign-in for “${who.username}”. Check the user name, or ` +
        'sign in once on a computer that already syncs so your key is uploaded.',
      404,
    );
  // The passphrase, and the member's second factor when the row has one (FactorNeededError says
  // what to ask for); the derivation refuses parameters outside KAT Chart's bounds even when the
  // row is signed.
  const kek = await kekForJoin(body, who.username, passphrase, factor.proof, factor.origin);
  const earliest =
    body.grants?.find((g) => g.version === 1)?.createdAt ?? new Date(0).toISOString();
  const { keyring: clinicKeys } = await openHolder(body, kek, body.userId, earliest, chain);
  if (clinicKeys.activeVersion === 0) throw new WrongPassphraseError();
  const recovery = parseRecovery(byName.get(RECOVERY_BLOB));
  const recoveryOk = recovery && (!chain || (await recoveryStands(recovery, chain)));
  return { keyring: body, clinicKeys, recovery: recoveryOk ? recovery : undefined };
}
