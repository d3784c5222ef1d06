/**
 * Who holds which clinic key version on this computer, and how versions reach people: opening a
 * holder's keys with their secret, giving a user an identity key pair (new users at once, existing
 * users at their next sign-in), handing new versions to every remaining holder (rotation), and
 * catching up holders an earlier rotation could not reach. The hierarchy is described in
 * shared/crypto/README.md.
 */
import type { SecondFactor } from '../../shared/crypto/second-factor';
import { TamperedError, generateDataKey } from '../../shared/crypto/envelope';
import {
  ClinicKeyring,
  type Grant,
  KeyGrantError,
  type KeyReason,
  type KeyVersionInfo,
  type SealedIdentity,
  endorseIdentity,
  generateIdentity,
  grantKey,
  openGrant,
  openIdentity,
  sealIdentity,
} from '../../shared/crypto/keyring';
import { WrongPassphraseError, unwrapDataKey } from '../../shared/crypto/passphrase';
import { RuleError } from '../../shared/rules/errors';
import { type ChainState, currentMember, newestKeyVersion } from '../../shared/trust/chain-state';
import { keyCommitment, matchesCommitment } from '../../shared/trust/commitment';
import type { StatementBody } from '../../shared/trust/statement';
import type { KatDatabase, KeyringRow } from '../db/database';
import type { RecordStore } from '../db/record-store';
import type { Session } from '../db/session';
import type { KeysMac } from '../../shared/trust/commitment';
import { appendStatements } from '../trust/chain-client';
import { chainStateOf } from '../trust/chain-store';
import { signerOf } from '../trust/signer';

/** A user's keyring row: the passphrase wraps, plus their identity and the versions granted to it. */
export type UserKeys = KeyringRow & {
  identity?: SealedIdentity;
  grants?: Grant[];
  /**
   * When the passphrase (and so kdf, wraps and identity) last changed. Covered by `rowSig`, so
   * between two rows signed by the member's key the later one wins; alone it decides nothing.
   */
  changedAt?: string;
  /** The row signed with the member's own identity signing key (shared/trust/rows.ts). */
  rowSig?: string;
  /**
   * Clinics from before the chain: the member's attestation of their identity keys under a clinic
   * key (shared/trust/commitment.ts), made at their own sign-in, so the upgrade adds them with
   * keys the server could not have made (renderer/trust/migrate.ts).
   */
  keysMac?: KeysMac;
  /** The member's second factor (shared/crypto/second-factor.ts), covered by `rowSig`. */
  factor?: SecondFactor;
};

/** The clinic recovery key's holder: an identity sealed under the recovery key, and its grants. */
export type RecoveryHolder = {
  identity: SealedIdentity;
  grants: Grant[];
  createdAt: string;
  createdBy: string;
  printedAt?: string;
};

export const RECOVERY_OWNER = 'recovery';
const RECOVERY_META = 'recovery-holder';

export async function readRecoveryHolder(db: KatDatabase) {
  return (await db.meta.get(RECOVERY_META))?.value as RecoveryHolder | undefined;
}

export async function writeRecoveryHolder(db: KatDatabase, holder: RecoveryHolder) {
  await db.meta.put({ key: RECOVERY_META, value: holder });
}

/** The first version predates grants: what it is comes from the clinic's creation. */
export const firstVersion = (clinicCreatedAt: string): KeyVersionInfo => ({
  version: 1,
  createdAt: clinicCreatedAt,
  reason: 'clinic-created',
});

/**
 * Open every version a holder can reach with their key-encryption key. A wrong secret throws
 * WrongPassphraseError and changes nothing. A grant that does not open (damaged, or meant for an
 * identity they no longer have) is skipped: it must not lock anyone out of the versions they hold.
 */
export async function openHolder(
  holder: { wrapped?: KeyringRow['wrapped']; identity?: SealedIdentity; grants?: Grant[] },
  kek: CryptoKey,
  owner: string,
  clinicCreatedAt: string,
  chain?: ChainState,
) {
  const keyring = new ClinicKeyring();
  const infoOf = (version: number): KeyVersionInfo => {
    const announced = chain?.keys.get(version);
    if (announced) return { version, createdAt: announced.createdAt, reason: announced.reason };
    return (
      holder.grants?.find((g) => g.version === version) ??
      (version === 1
        ? firstVersion(clinicCreatedAt)
        : { version, createdAt: clinicCreatedAt, reason: 'manual' })
    );
  };
  // Under a chain, a version is taken only when it was announced and the key is the one announced
  // (its commitment matches): a grant of "version 99" or of a key someone chose opens nothing.
  const take = async (key: CryptoKey, version: number) => {
    if (keyring.has(version)) return;
    if (
      chain &&
      !(await matchesCommitment(key, chain.clinicId, version, chain.keys.get(version)?.commitment))
    )
      return;
    keyring.add(key, infoOf(version));
  };
  for (const w of holder.wrapped ?? [])
    await take(await unwrapDataKey(w, kek, owner), w.keyVersion);
  if (!holder.identity) return { keyring, identity: undefined };
  let identity;
  try {
    identity = await openIdentity(holder.identity, kek, owner);
  } catch (e) {
    if (e instanceof TamperedError) throw new WrongPassphraseError();
    throw e;
  }
  for (const g of holder.grants ?? []) {
    if (keyring.has(g.version)) continue;
    try {
      await take(await openGrant(g, identity, owner), g.version);
    } catch (e) {
      if (!(e instanceof KeyGrantError)) throw e;
    }
  }
  return { keyring, identity };
}

/** A fresh identity sealed under `kek`, with every version of `keyring` granted to it. */
export async function newIdentityWithGrants(kek: CryptoKey, owner: string, keyring: ClinicKeyring) {
  const opened = await generateIdentity();
  const sealed = await sealIdentity(opened, kek, owner);
  const endorsement = await endorseIdentity(
    keyring.activeKey,
    keyring.activeVersion,
    owner,
    sealed.publicKey,
  );
  const identity: SealedIdentity = { ...sealed, endorsement };
  const grants: Grant[] = [];
  for (const { key, info } of keyring.entries())
    grants.push(await grantKey(key, info, identity.publicKey, owner));
  return { identity, grants, opened };
}

/**
 * The versions a row already gives the identity with `agreementKey`: its passphrase wraps when the
 * row is that identity's, and the grants made to that key (grants from before `to` existed were
 * made to the row's identity of their time).
 */
function versionsHeldBy(row: UserKeys, agreementKey: string): Set<number> {
  const own = row.identity?.publicKey === agreementKey;
  return new Set([
    ...(own ? row.wrapped.map((w) => w.keyVersion) : []),
    ...(row.grants ?? [])
      .filter((g) => (g.to ?? (own ? agreementKey : undefined)) === agreementKey)
      .map((g) => g.version),
  ]);
}

/** Versions the holder has neither as a passphrase wrap nor as a grant. */
function missingVersions(
  holder: { wrapped?: KeyringRow['wrapped']; grants?: Grant[] },
  keyring: ClinicKeyring,
) {
  const held = new Set([
    ...(holder.wrapped ?? []).map((w) => w.keyVersion),
    ...(holder.grants ?? []).map((g) => g.version),
  ]);
  return keyring.entries().filter((e) => !held.has(e.info.version));
}

function assertAdminWithKeys(session: Session): ClinicKeyring {
  if (!session.user.roles.includes('administrator'))
    throw new RuleError('keys.admin-only', 'Only an administrator can change the clinic keys.');
  if (!session.keyring)
    throw new RuleError('keys.not-open', 'Sign in again to open the clinic keys, then try again.');
  return session.keyring;
}

export async function requireChain(db: KatDatabase): Promise<ChainState> {
  const state = await chainStateOf(db);
  if (!state)
    throw new RuleError(
      'trust.no-chain',
      'The clinic’s membership record is not set up on this computer yet. An administrator ' +
        'signing in sets it up (Settings → Clinic server says what is pending). Nothing was changed.',
    );
  return state;
}

/**
 * Who receives clinic keys: the active members of the verified chain, each at the agreement key
 * the chain gives them — never a key read from a key blob, which the server could have swapped
 * (identity substitution). The row is where the grant is kept; a member without a row here yet is
 * "waiting" (their row arrives with the next sync, and grantMissingVersions catches them up).
 */
async function grantees(db: KatDatabase, chain: ChainState, without?: string) {
  const rows = new Map(((await db.keyring.toArray()) as UserKeys[]).map((r) => [r.userId, r]));
  const ready: { row: UserKeys; agreementKey: string }[] = [];
  const waiting: string[] = [];
  for (const [userId] of chain.members) {
    const m = currentMember(chain, userId);
    if (!m?.active || userId === without) continue;
    const row = rows.get(userId);
    if (row) ready.push({ row, agreementKey: m.keys.agreementKey });
    else waiting.push(userId);
  }
  return { ready, waiting };
}

/** The recovery holder, when it is the one the chain names. */
async function chainRecovery(db: KatDatabase, chain: ChainState) {
  const holder = await readRecoveryHolder(db);
  if (!holder || !chain.recovery) return undefined;
  return holder.identity.publicKey === chain.recovery.agreementKey ? holder : undefined;
}

export type RotationResult = {
  version: number;
  /** Members whose keys have not reached this computer yet: they receive the version once they
   * have (an administrator's computer catches them up at its next sync). */
  waiting: string[];
};

/**
 * A new clinic key version becomes active: announced in the chain with its commitment (together
 * with the removal or revocation that caused it, in one append), then sealed to each remaining
 * member's chain agreement key and to the recovery key's — never under an older version, which
 * the person who left knew. New bundles use it; old versions stay for reading.
 */
export async function rotateClinicKey(
  store: RecordStore,
  reason: KeyReason,
  cause: StatementBody[] = [],
  removedUserId?: string,
  now = new Date(),
): Promise<RotationResult> {
  const keyring = assertAdminWithKeys(store.session);
  const { db, session } = store;
  await requireChain(db);
  const key = await generateDataKey(true);
  let info: KeyVersionInfo | undefined;
  const chain = await appendStatements(db, signerOf(session), async (state) => {
    info = { version: newestKeyVersion(state!) + 1, createdAt: now.toISOString(), reason };
    const commitment = await keyCommitment(key, session.clinicId, info.version);
    return [...cause, { kind: 'new-key-version', ...info, commitment }];
  });
  const removed = removedUserId;
  const { ready, waiting } = await grantees(db, chain, removed);
  const updated: UserKeys[] = [];
  for (const { row, agreementKey } of ready) {
    const grant = await grantKey(key, info!, agreementKey, row.userId);
    updated.push({ ...row, grants: [...(row.grants ?? []), grant] });
  }
  const recovery = await chainRecovery(db, chain);
  const recoveryGrant =
    recovery && (await grantKey(key, info!, recovery.identity.publicKey, RECOVERY_OWNER));
  await db.transaction('rw', [db.keyring, db.meta], async () => {
    await db.keyring.bulkPut(updated);
    if (removed) await db.keyring.delete(removed);
    if (recovery && recoveryGrant)
      await writeRecoveryHolder(db, { ...recovery, grants: [...recovery.grants, recoveryGrant] });
  });
  keyring.add(key, info!);
  await store.audit('key-rotated', {
    detail: `Clinic key version ${info!.version} (${reason.replace(/-/g, ' ')})`,
  });
  return { version: info!.version, waiting: await usernames(store, waiting) };
}

async function usernames(store: RecordStore, ids: string[]) {
  if (!ids.length) return [];
  const users = await store.listKind('user');
  return ids.map((id) => users.find((u) => u.id === id)?.username ?? id);
}

/**
 * Hand every version this administrator holds to active members (and the recovery key) who lack
 * it — members whose row arrived after a rotation, or whose keys were replaced. Always to the
 * agreement key the chain names. Returns how many holders were brought up to date.
 */
export async function grantMissingVersions(store: RecordStore): Promise<number> {
  const session = store.session;
  if (!session.user.roles.includes('administrator') || !session.keyring) return 0;
  const keyring = session.keyring;
  const { db } = store;
  const chain = await chainStateOf(db);
  if (!chain) return 0;
  const updated: UserKeys[] = [];
  for (const { row, agreementKey } of (await grantees(db, chain)).ready) {
    const held = versionsHeldBy(row, agreementKey);
    const missing = keyring.entries().filter((e) => !held.has(e.info.version));
    if (!missing.length) continue;
    const grants = [...(row.grants ?? [])];
    for (const { key, info } of missing)
      grants.push(await grantKey(key, info, agreementKey, row.userId));
    updated.push({ ...row, grants });
  }
  const recovery = await chainRecovery(db, chain);
  let recoveryUpdate: RecoveryHolder | undefined;
  if (recovery) {
    const missing = missingVersions(recovery, keyring);
    if (missing.length) {
      const grants = [...recovery.grants];
      for (const { key, info } of missing)
        grants.push(await grantKey(key, info, recovery.identity.publicKey, RECOVERY_OWNER));
      recoveryUpdate = { ...recovery, grants };
    }
  }
  if (!updated.length && !recoveryUpdate) return 0;
  await db.transaction('rw', [db.keyring, db.meta], async () => {
    await db.keyring.bulkPut(updated);
    if (recoveryUpdate) await writeRecoveryHolder(db, recoveryUpdate);
  });
  return updated.length + (recoveryUpdate ? 1 : 0);
}

/**
 * An administrator removes a colleague: the chain says so (which revokes every computer they own,
 * their bundles after server sequence `upTo` refused) together with a new clinic key version they
 * never receive; then their account is deactivated (their records and signatures stay) and their
 * keyring row goes. Nothing changes when the chain cannot be appended to.
 */
export async function removeUser(
  store: RecordStore,
  userId: string,
  upTo = 0,
): Promise<RotationResult> {
  const session = store.session;
  assertAdminWithKeys(session);
  if (userId === session.user.id)
    throw new RuleError(
      'user.remove-self',
      'You cannot remove your own account. Ask another administrator.',
    );
  const users = await store.listKind('user');
  const target = users.find((u) => u.id === userId);
  if (!target || !target.active)
    throw new RuleError('user.unknown', 'That user is not an active member of this clinic.');
  const chain = await requireChain(store.db);
  const member = currentMember(chain, userId)?.active;
  const cause: StatementBody[] = member ? [{ kind: 'remove-user', userId, upTo }] : [];
  const result = await rotateClinicKey(store, 'user-removed', cause, userId);
  await store.update('user', userId, () => ({ active: false }));
  return result;
}
