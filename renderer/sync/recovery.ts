/**
 * The clinic recovery key (SYNC.md rule 14; Bitwarden's account recovery): an administrator
 * creates it, it is shown once and printed on the recovery sheet, and it opens every clinic key
 * version so a user who forgot their passphrase can set a new one and read everything again.
 * Creating a new one replaces the old: the old sheet stops working on this computer at once, and
 * on the others after their next sync.
 */
import {
  RecoveryKeyFormatError,
  newRecoveryKey,
  parseRecoveryKey,
  recoveryKek,
} from '../../shared/crypto/keyring-recovery';
import { WrongPassphraseError, deriveKek } from '../../shared/crypto/passphrase';
import { Passphrase, Username } from '../../shared/model';
import { checkPassphraseStrength } from '../../shared/rules/passphrase-strength';
import { RuleError } from '../../shared/rules/errors';
import { type ClinicMeta, failuresKey, keyringFor, readClinic, signIn } from '../db/auth';
import type { KatDatabase } from '../db/database';
import { decryptRecord } from '../db/record-crypto';
import { RecordStore } from '../db/record-store';
import type { Session } from '../db/session';
import { appendStatements } from '../trust/chain-client';
import { chainStateOf } from '../trust/chain-store';
import { signerOf } from '../trust/signer';
import { sealedHash } from './key-blobs';
import {
  RECOVERY_OWNER,
  type RecoveryHolder,
  type UserKeys,
  newIdentityWithGrants,
  openHolder,
  readRecoveryHolder,
  writeRecoveryHolder,
} from './clinic-keys';

export class RecoveryError extends RuleError {}

/** A new recovery key for the clinic; returns it for showing and printing (it is kept nowhere). */
export async function createRecoveryKey(store: RecordStore, now = new Date()): Promise<string> {
  const { session, db } = store;
  if (!session.user.roles.includes('administrator'))
    throw new RuleError('keys.admin-only', 'Only an administrator can create the recovery key.');
  if (!session.keyring)
    throw new RuleError('keys.not-open', 'Sign in again to open the clinic keys, then try again.');
  const printed = await newRecoveryKey();
  const kek = await recoveryKek(await parseRecoveryKey(printed), session.clinicId);
  const made = await newIdentityWithGrants(kek, RECOVERY_OWNER, session.keyring);
  const { signing: _unused, ...identity } = made.identity; // the recovery key never signs
  const holder: RecoveryHolder = {
    identity,
    grants: made.grants,
    createdAt: now.toISOString(),
    createdBy: session.user.displayName,
  };
  // The chain names this holder (its public key and sealed half): the server cannot swap it.
  const hash = await sealedHash(holder);
  await appendStatements(db, signerOf(session), () => [
    { kind: 'set-recovery', agreementKey: identity.publicKey, sealedHash: hash },
  ]);
  await writeRecoveryHolder(db, holder);
  await store.audit('recovery-key-created');
  return printed;
}

export async function markRecoveryPrinted(db: KatDatabase, now = new Date()) {
  const holder = await readRecoveryHolder(db);
  if (holder) await writeRecoveryHolder(db, { ...holder, printedAt: now.toISOString() });
}

const unchanged = 'Nothing was changed.';

/**
 * Forgotten passphrase: user name + recovery key → a new passphrase for that user, then signed in.
 * Every check happens before anything is written; any failure leaves the computer as it was.
 */
export async function recoverWithKey(
  db: KatDatabase,
  input: { username: string; recoveryKey: string; newPassphrase: string },
  now = new Date(),
): Promise<Session> {
  const clinic = (await readClinic(db)) as ClinicMeta | undefined;
  if (!clinic)
    throw new RecoveryError('recovery.no-clinic', 'No clinic is set up on this computer.');
  const name = Username.safeParse(input.username.trim());
  const row = name.success
    ? ((await db.keyring.where('username').equals(name.data).first()) as UserKeys | undefined)
    : undefined;
  if (!row)
    throw new RecoveryError(
      'recovery.no-user',
      `There is no user “${input.username.trim()}” on this computer. Check the user name. ${unchanged}`,
    );
  const passphrase = Passphrase.safeParse(input.newPassphrase);
  if (!passphrase.success)
    throw new RecoveryError(
      'recovery.weak-passphrase',
      `${passphrase.error.issues[0]?.message ?? 'Choose a longer passphrase.'} ${unchanged}`,
    );
  const strength = await checkPassphraseStrength(passphrase.data, [input.username]);
  if (!strength.ok)
    throw new RecoveryError('recovery.weak-passphrase', `${strength.message} ${unchanged}`);
  const holder = await readRecoveryHolder(db);
  if (!holder)
    throw new RecoveryError(
      'recovery.none',
      'This computer has no recovery key for the clinic yet. An administrator creates one in ' +
        `Settings → Clinic server, or sync this computer with one that has it. ${unchanged}`,
    );
  let bytes: Uint8Array;
  try {
    bytes = await parseRecoveryKey(input.recoveryKey);
  } catch (e) {
    if (e instanceof RecoveryKeyFormatError)
      throw new RecoveryError('recovery.format', `${e.message} ${unchanged}`);
    throw e;
  }
  let opened;
  try {
    opened = await openHolder(
      holder,
      await recoveryKek(bytes, clinic.clinicId),
      RECOVERY_OWNER,
      clinic.createdAt,
      await chainStateOf(db),
    );
  } catch (e) {
    if (e instanceof WrongPassphraseError)
      throw new RecoveryError(
        'recovery.wrong-key',
        'That recovery key does not open this clinic’s keys. It may be from an older sheet: ' +
          `use the most recent recovery sheet. ${unchanged}`,
      );
    throw e;
  }
  const userRow = await db.records.get(row.userId);
  // The profile opens with the version it is sealed under (rows move to newer ones, reseal.ts).
  const rowKey = userRow && opened.keyring.keyFor(userRow.keyVersion);
  const user = rowKey && userRow && (await decryptRecord(userRow, rowKey, clinic.clinicId));
  if (!user || user.kind !== 'user' || !user.active)
    throw new RecoveryError(
      'recovery.inactive',
      `“${row.username}” cannot sign in here: the account is deactivated or its profile has not ` +
        `synced to this computer. ${unchanged}`,
    );
  const next = await keyringFor(
    { id: row.userId, username: row.username },
    passphrase.data,
    opened.keyring,
    now,
  );
  // The new row must open with the new passphrase before it replaces the old one.
  await openHolder(next, await deriveKek(passphrase.data, next.kdf), row.userId, clinic.createdAt);
  await db.transaction('rw', [db.keyring, db.meta], async () => {
    await db.keyring.put(next);
    await db.meta.delete(failuresKey(row.username));
  });
  const session = await signIn(db, row.username, passphrase.data);
  await new RecordStore(db, session).audit('passphrase-recovered');
  return session;
}

export type KeyStatus = {
  versions: { version: number; status: 'active' | 'retired'; createdAt: string; reason: string }[];
  storageVersion: number;
  recovery?: { createdAt: string; createdBy: string; printedAt?: string };
  /** Active users not yet holding the active version (they get it after their next sign-in). */
  waiting: string[];
};

export async function readKeyStatus(store: RecordStore): Promise<KeyStatus> {
  const { db, session } = store;
  const versions = session.keyring?.versions() ?? [];
  const active = session.keyring?.activeVersion ?? session.keyVersion;
  const activeUsers = new Set(
    (await store.listKind('user')).filter((u) => u.active).map((u) => u.id),
  );
  const waiting = ((await db.keyring.toArray()) as UserKeys[])
    .filter(
      (r) =>
        activeUsers.has(r.userId) &&
        !r.wrapped.some((w) => w.keyVersion === active) &&
        !(r.grants ?? []).some((g) => g.version === active),
    )
    .map((r) => r.username)
    .sort();
  const holder = await readRecoveryHolder(db);
  return {
    versions,
    storageVersion: session.keyVersion,
    recovery: holder && {
      createdAt: holder.createdAt,
      createdBy: holder.createdBy,
      printedAt: holder.printedAt,
    },
    waiting,
  };
}
