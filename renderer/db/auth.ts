/**
 * Clinic setup, users and sign-in. The clinic data key is generated once, wrapped per user under a
 * key derived from that user's passphrase (Argon2id), and exists unwrapped only in memory while
 * someone is signed in. Repeated wrong passphrases slow down (HIPAA 164.312(d), person
 * authentication; NIST SP 800-63B §5.2.2 rate limiting).
 */
import { generateDataKey } from '../../shared/crypto/envelope';
import { ClinicKeyring } from '../../shared/crypto/keyring';
import {
  WrongPassphraseError,
  deriveKek,
  newKdfParams,
  unwrapDataKey,
  wrapDataKey,
} from '../../shared/crypto/passphrase';
import {
  ClinicSettingsBody,
  Passphrase,
  SCHEMA_VERSION,
  User,
  UserBody,
  Username,
  type Role,
} from '../../shared/model';
import { RuleError } from '../../shared/rules/errors';
import { assertCan } from '../../shared/rules/permissions';
import { HybridClock } from '../../shared/sync/hlc';
import { toHex } from '../../shared/util/bytes';
import { uuidv7 } from '../../shared/util/ids';
import { appendAuditEvents } from './audit-chain';
import { ensureDefaultTemplates } from './consent-repository';
import type { KatDatabase } from './database';
import { RecordStore } from './record-store';
import { decryptRecord, encryptRecord, indexFields } from './record-crypto';
import type { Session } from './session';
import {
  type UserKeys,
  firstVersion,
  grantMissingVersions,
  newIdentityWithGrants,
  openHolder,
} from '../sync/clinic-keys';

export type ClinicMeta = {
  clinicId: string;
  clinicName: string;
  deviceId: string;
  createdAt: string;
  demo?: boolean;
};

export async function readClinic(db: KatDatabase): Promise<ClinicMeta | undefined> {
  return (await db.meta.get('clinic'))?.value as ClinicMeta | undefined;
}

const newDeviceId = () => toHex(crypto.getRandomValues(new Uint8Array(8)));

async function clockFor(db: KatDatabase, deviceId: string) {
  const latest = (await db.meta.get('hlc'))?.value as string | undefined;
  return new HybridClock(deviceId, Date.now, latest);
}

export type NewClinic = {
  clinicName: string;
  admin: {
    displayName: string;
    username: string;
    passphrase: string;
    credentials?: string;
    roles?: Role[];
  };
  demo?: boolean;
};

/** First run: the clinic, its data key, its administrator and default settings, in one go. */
export async function createClinic(
  db: KatDatabase,
  input: NewClinic,
  now = new Date(),
): Promise<Session> {
  if (await readClinic(db))
    throw new RuleError('setup.exists', 'This computer already has a clinic set up.');
  const passphrase = Passphrase.parse(input.admin.passphrase);
  const clinic: ClinicMeta = {
    clinicId: uuidv7(now.getTime()),
    clinicName: input.clinicName.trim(),
    deviceId: newDeviceId(),
    createdAt: now.toISOString(),
    demo: input.demo ?? false,
  };
  const dataKey = await generateDataKey(true);
  const clock = new HybridClock(clinic.deviceId);
  const adminId = uuidv7(now.getTime());
  const admin = User.parse({
    kind: 'user',
    id: adminId,
    clinicId: clinic.clinicId,
    createdBy: adminId,
    createdAt: now.toISOString(),
    updatedAt: clock.now(),
    status: 'draft',
    schemaVersion: SCHEMA_VERSION,
    ...UserBody.parse({
      displayName: input.admin.displayName,
      username: input.admin.username,
      credentials: input.admin.credentials,
      roles: input.admin.roles ?? ['administrator'],
    }),
  });
  const clinicKeys = new ClinicKeyring();
  clinicKeys.add(dataKey, firstVersion(clinic.createdAt));
  const { keys: keyring, identity } = await userKeysWithIdentity(
    admin,
    passphrase,
    clinicKeys,
    now,
  );
  const session: Session = {
    clinicId: clinic.clinicId,
    deviceId: clinic.deviceId,
    user: admin,
    dataKey,
    keyVersion: 1,
    clock,
    keyring: clinicKeys,
    identity,
  };
  const adminRow = await encryptRecord(admin, dataKey, 1, indexFields(admin));
  await db.transaction('rw', [db.meta, db.keyring, db.records, db.outbox], async () => {
    await db.meta.put({ key: 'clinic', value: clinic });
    await db.meta.put({ key: 'keyVersion', value: 1 });
    await db.keyring.put(keyring);
    await db.records.put(adminRow);
    await db.outbox.add({
      changeId: uuidv7(),
      recordId: admin.id,
      kind: 'user',
      hlc: admin.updatedAt,
    });
  });
  const store = new RecordStore(db, session);
  await store.create(
    'clinic-settings',
    ClinicSettingsBody.parse({ clinicName: clinic.clinicName }),
  );
  // The shipped consent forms exist from the first day: dosing asks for a current consent.
  await ensureDefaultTemplates(store);
  await store.audit('sign-in');
  return session;
}

/**
 * A user's keyring row: the first version wrapped under their passphrase (what verifyPassphrase
 * checks), and an identity key pair whose private half the passphrase seals, with every version
 * granted to it — so later versions can reach them without their passphrase.
 */
export async function keyringFor(
  user: Pick<User, 'id' | 'username'>,
  passphrase: string,
  keyring: ClinicKeyring,
  now = new Date(),
): Promise<UserKeys> {
  return (await userKeysWithIdentity(user, passphrase, keyring, now)).keys;
}

/** keyringFor, plus the open identity for a session that starts right away. */
async function userKeysWithIdentity(
  user: Pick<User, 'id' | 'username'>,
  passphrase: string,
  keyring: ClinicKeyring,
  now: Date,
) {
  const kdf = newKdfParams();
  const kek = await deriveKek(passphrase, kdf);
  const [first] = keyring.entries();
  if (!first) throw new Error('The clinic keyring is empty.');
  const { identity, grants, opened } = await newIdentityWithGrants(kek, user.id, keyring);
  const keys: UserKeys = {
    userId: user.id,
    username: user.username,
    kdf,
    wrapped: [await wrapDataKey(first.key, kek, user.id, first.info.version)],
    identity,
    grants,
    changedAt: now.toISOString(),
  };
  return { keys, identity: opened };
}

/** Administrators add colleagues: the new user's passphrase wraps the same clinic data key. */
export async function addUser(
  store: RecordStore,
  input: {
    displayName: string;
    username: string;
    roles: Role[];
    credentials?: string;
    passphrase: string;
  },
): Promise<User> {
  assertCan(store.roles, 'write', 'user');
  const passphrase = Passphrase.parse(input.passphrase);
  const body = UserBody.parse(input);
  if (await store.db.keyring.where('username').equals(body.username).first())
    throw new RuleError('user.exists', `The user name “${body.username}” is already taken.`);
  const keyring = store.session.keyring;
  if (!keyring)
    throw new RuleError('keys.not-open', 'Sign in again to open the clinic keys, then try again.');
  const user = await store.create('user', body);
  await store.db.keyring.put(await keyringFor(user, passphrase, keyring));
  return user;
}

const FAILURE_FREE_TRIES = 3;
const MAX_DELAY_S = 30;

type Failures = { count: number; lastAt: number };

/** Seconds to wait before another try is accepted (0 when none). */
export async function signInDelay(db: KatDatabase, nowMs = Date.now()): Promise<number> {
  const f = (await db.meta.get('signin-failures'))?.value as Failures | undefined;
  if (!f || f.count < FAILURE_FREE_TRIES) return 0;
  const wait = Math.min(MAX_DELAY_S, 2 ** (f.count - FAILURE_FREE_TRIES + 1));
  return Math.max(0, Math.ceil((f.lastAt + wait * 1000 - nowMs) / 1000));
}

export class SignInError extends RuleError {}

export async function signIn(
  db: KatDatabase,
  username: string,
  passphrase: string,
): Promise<Session> {
  const clinic = await readClinic(db);
  if (!clinic)
    throw new SignInError('signin.no-clinic', 'No clinic is set up on this computer yet.');
  const wait = await signInDelay(db);
  if (wait > 0)
    throw new SignInError(
      'signin.wait',
      `Too many wrong tries. Wait ${wait} seconds, then try again.`,
    );
  const name = Username.safeParse(username);
  const ring = name.success
    ? await db.keyring.where('username').equals(name.data).first()
    : undefined;
  const fail = async () => {
    const prev = ((await db.meta.get('signin-failures'))?.value as Failures | undefined) ?? {
      count: 0,
      lastAt: 0,
    };
    await db.meta.put({
      key: 'signin-failures',
      value: { count: prev.count + 1, lastAt: Date.now() },
    });
    await appendAuditEvents(db, [
      {
        id: uuidv7(),
        at: new Date().toISOString(),
        userId: ring?.userId ?? '',
        deviceId: clinic.deviceId,
        action: 'sign-in-failed',
        recordKind: '',
        recordId: '',
        patientId: '',
      },
    ]);
    // Same words whether the user name or the passphrase was wrong: don't confirm who has an account.
    return new SignInError(
      'signin.wrong',
      'That user name and passphrase do not match. Check them and try again.',
    );
  };
  if (!ring) throw await fail();
  const keys = ring as UserKeys;
  let opened: Awaited<ReturnType<typeof openHolder>>;
  let kek: CryptoKey;
  try {
    kek = await deriveKek(passphrase, ring.kdf);
    opened = await openHolder(keys, kek, ring.userId, clinic.createdAt);
  } catch (e) {
    if (e instanceof WrongPassphraseError) throw await fail();
    throw e;
  }
  // Users from before key rotation existed get their identity now (before anything
  // else can fail), so rotations — and the versions this computer needs — can reach them.
  let identity = opened.identity;
  if (!identity) {
    const made = await newIdentityWithGrants(kek, ring.userId, opened.keyring);
    const migrated: UserKeys = { ...keys, identity: made.identity, grants: made.grants };
    await db.keyring.put(migrated);
    identity = made.opened;
  }
  // This computer's records stay under the version that was current when it was set up.
  const keyVersion = ((await db.meta.get('keyVersion'))?.value as number | undefined) ?? 1;
  const dataKey = opened.keyring.keyFor(keyVersion);
  if (!dataKey)
    throw new SignInError(
      'signin.no-key',
      `This computer’s records are sealed under clinic key version ${keyVersion}, which your ` +
        'sign-in does not hold yet. Once this computer has synced (any colleague signing in here ' +
        'does that) and an administrator’s computer has synced after it, try again.',
    );
  const row = await db.records.get(ring.userId);
  if (!row)
    throw new SignInError(
      'signin.no-user',
      'This user’s profile is missing on this computer. Sync, then try again.',
    );
  const user = User.parse(await decryptRecord(row, dataKey, clinic.clinicId));
  if (!user.active)
    throw new SignInError(
      'signin.inactive',
      'This account has been deactivated. Ask an administrator.',
    );
  await db.meta.put({ key: 'signin-failures', value: { count: 0, lastAt: 0 } });
  const session: Session = {
    clinicId: clinic.clinicId,
    deviceId: clinic.deviceId,
    user,
    dataKey,
    keyVersion,
    clock: await clockFor(db, clinic.deviceId),
    keyring: opened.keyring,
    identity,
  };
  const store = new RecordStore(db, session);
  await store.audit('sign-in');
  // An administrator hands versions to colleagues an earlier rotation could not reach yet.
  await grantMissingVersions(store);
  return session;
}

/** Re-check the signed-in user's passphrase (before signing a record, confirming a waste, …). */
export async function verifyPassphrase(
  db: KatDatabase,
  userId: string,
  passphrase: string,
): Promise<boolean> {
  const ring = await db.keyring.get(userId);
  if (!ring) return false;
  try {
    await unwrapDataKey(ring.wrapped[0]!, await deriveKek(passphrase, ring.kdf), userId);
    return true;
  } catch (e) {
    if (e instanceof WrongPassphraseError) return false;
    throw e;
  }
}

export async function listSignInNames(db: KatDatabase): Promise<string[]> {
  return (await db.keyring.toArray()).map((r) => r.username).sort();
}
