/**
 * Who holds which clinic key version on this computer, and how versions reach people: opening a
 * holder's keys with their secret, giving a user an identity key pair (new users at once, existing
 * users at their next sign-in), handing new versions to every remaining holder (rotation), and
 * catching up holders an earlier rotation could not reach. The hierarchy is described in
 * shared/crypto/README.md.
 */
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
  isEndorsed,
  openGrant,
  openIdentity,
  sealIdentity,
} from '../../shared/crypto/keyring';
import { WrongPassphraseError, unwrapDataKey } from '../../shared/crypto/passphrase';
import { RuleError } from '../../shared/rules/errors';
import type { KatDatabase, KeyringRow } from '../db/database';
import type { RecordStore } from '../db/record-store';
import type { Session } from '../db/session';

/** A user's keyring row: the passphrase wraps, plus their identity and the versions granted to it. */
export type UserKeys = KeyringRow & {
  identity?: SealedIdentity;
  grants?: Grant[];
  /** When the passphrase (and so kdf, wraps and identity) last changed; newer wins in a merge. */
  changedAt?: string;
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
) {
  const keyring = new ClinicKeyring();
  const infoOf = (version: number): KeyVersionInfo =>
    holder.grants?.find((g) => g.version === version) ??
    (version === 1
      ? firstVersion(clinicCreatedAt)
      : { version, createdAt: clinicCreatedAt, reason: 'manual' });
  for (const w of holder.wrapped ?? [])
    keyring.add(await unwrapDataKey(w, kek, owner), infoOf(w.keyVersion));
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
      keyring.add(await openGrant(g, identity, owner), g);
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

/**
 * Keys are granted only to identities a clinic member vouched for: an identity the server slipped
 * into a blob has no valid endorsement, so it receives nothing.
 */
async function trusted(
  identity: SealedIdentity | undefined,
  keyring: ClinicKeyring,
  owner: string,
) {
  return !!identity && (await isEndorsed(identity.endorsement, keyring, owner, identity.publicKey));
}

async function activeUserIds(store: RecordStore): Promise<Set<string>> {
  return new Set((await store.listKind('user')).filter((u) => u.active).map((u) => u.id));
}

function assertAdminWithKeys(session: Session): ClinicKeyring {
  if (!session.user.roles.includes('administrator'))
    throw new RuleError('keys.admin-only', 'Only an administrator can change the clinic keys.');
  if (!session.keyring)
    throw new RuleError('keys.not-open', 'Sign in again to open the clinic keys, then try again.');
  return session.keyring;
}

export type RotationResult = {
  version: number;
  /** Active users who have not signed in since the update: they receive the key at their next
   * sign-in, once an administrator's computer has synced. */
  waiting: string[];
};

/**
 * A new clinic key version becomes active, sealed to each remaining active user's public key and
 * to the recovery key's — never under an older version, which the person who left knew. New
 * bundles use it; old versions stay for reading. `removedUserId` loses their keyring row here.
 */
export async function rotateClinicKey(
  store: RecordStore,
  reason: KeyReason,
  removedUserId?: string,
  now = new Date(),
): Promise<RotationResult> {
  const keyring = assertAdminWithKeys(store.session);
  const { db } = store;
  const key = await generateDataKey(true);
  const info: KeyVersionInfo = {
    version: keyring.activeVersion + 1,
    createdAt: now.toISOString(),
    reason,
  };
  const active = await activeUserIds(store);
  if (removedUserId) active.delete(removedUserId);
  const rows = (await db.keyring.toArray()) as UserKeys[];
  const updated: UserKeys[] = [];
  const waiting: string[] = [];
  for (const row of rows) {
    if (!active.has(row.userId)) continue;
    if (!row.identity || !(await trusted(row.identity, keyring, row.userId))) {
      waiting.push(row.username);
      continue;
    }
    const grant = await grantKey(key, info, row.identity.publicKey, row.userId);
    updated.push({ ...row, grants: [...(row.grants ?? []), grant] });
  }
  const recovery = await readRecoveryHolder(db);
  const recoveryGrant =
    recovery && (await trusted(recovery.identity, keyring, RECOVERY_OWNER))
      ? await grantKey(key, info, recovery.identity.publicKey, RECOVERY_OWNER)
      : undefined;
  await db.transaction('rw', [db.keyring, db.meta], async () => {
    await db.keyring.bulkPut(updated);
    if (removedUserId) await db.keyring.delete(removedUserId);
    if (recovery && recoveryGrant)
      await writeRecoveryHolder(db, { ...recovery, grants: [...recovery.grants, recoveryGrant] });
  });
  keyring.add(key, info);
  await store.audit('key-rotated', {
    detail: `Clinic key version ${info.version} (${reason.replace(/-/g, ' ')})`,
  });
  return { version: info.version, waiting };
}

/**
 * Hand every version this administrator holds to active users (and the recovery key) who lack
 * it — users who got their identity after a rotation. Users no longer active get nothing.
 * Returns how many holders were brought up to date.
 */
export async function grantMissingVersions(store: RecordStore): Promise<number> {
  const session = store.session;
  if (!session.user.roles.includes('administrator') || !session.keyring) return 0;
  const keyring = session.keyring;
  const { db } = store;
  const active = await activeUserIds(store);
  const updated: UserKeys[] = [];
  for (const row of (await db.keyring.toArray()) as UserKeys[]) {
    if (!active.has(row.userId) || !row.identity) continue;
    if (!(await trusted(row.identity, keyring, row.userId))) continue;
    const missing = missingVersions(row, keyring);
    if (!missing.length) continue;
    const grants = [...(row.grants ?? [])];
    for (const { key, info } of missing)
      grants.push(await grantKey(key, info, row.identity.publicKey, row.userId));
    updated.push({ ...row, grants });
  }
  const recovery = await readRecoveryHolder(db);
  let recoveryUpdate: RecoveryHolder | undefined;
  if (recovery && (await trusted(recovery.identity, keyring, RECOVERY_OWNER))) {
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
 * An administrator removes a colleague: the account is deactivated (their records and signatures
 * stay), their keyring row goes, and a new clinic key version is made that they never receive.
 */
export async function removeUser(store: RecordStore, userId: string): Promise<RotationResult> {
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
  await store.update('user', userId, () => ({ active: false }));
  return rotateClinicKey(store, 'user-removed', userId);
}
