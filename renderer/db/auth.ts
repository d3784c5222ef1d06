/**
 * Clinic setup, users and sign-in. The clinic data key is generated once, wrapped per user under a
 * key derived from that user's passphrase (Argon2id), and exists unwrapped only in memory while
 * someone is signed in. Repeated wrong passphrases slow down (HIPAA 164.312(d), person
 * authentication; NIST SP 800-63B §5.2.2 rate limiting).
 */
import { generateDataKey } from '../../shared/crypto/envelope';
import {
  ClinicKeyring,
  type Identity,
  memberKeysOf,
  sealIdentity,
  withSigningKey,
} from '../../shared/crypto/keyring';
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
import { currentMember } from '../../shared/trust/chain-state';
import { keyCommitment, memberKeysMac, memberKeysMacHolds } from '../../shared/trust/commitment';
import { signRow } from '../../shared/trust/rows';
import { toHex } from '../../shared/util/bytes';
import { uuidv7 } from '../../shared/util/ids';
import { assertStrongPassphrase } from '../../shared/rules/passphrase-strength';
import { factorSealsKeys, passphraseCheckHolds } from '../../shared/crypto/second-factor';
import { appendAuditEvents } from './audit-chain';
import { type FactorProof, factorProblem, kekForSignIn } from './second-factor';
import { ensureDefaultTemplates } from './consent-repository';
import type { KatDatabase } from './database';
import { RecordStore } from './record-store';
import { decryptRecord, encryptRecord, indexFields } from './record-crypto';
import { type Session, followNewestVersion } from './session';
import {
  type UserKeys,
  firstVersion,
  grantMissingVersions,
  newIdentityWithGrants,
  openHolder,
  requireChain,
} from '../sync/clinic-keys';
import { appendStatements } from '../trust/chain-client';
import { chainStateOf } from '../trust/chain-store';
import { migrateToChain } from '../trust/migrate';
import { authorSignature, requireAuthors } from '../trust/authors';
import { signerOf } from '../trust/signer';

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

/** A computer's local id: its clock node and the name of its audit chain. */
export const newDeviceId = () => toHex(crypto.getRandomValues(new Uint8Array(8)));

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
  await assertStrongPassphrase(passphrase, [
    input.clinicName,
    input.admin.displayName,
    input.admin.username,
  ]);
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
  followNewestVersion(session);
  // Signed by its writer like every version (renderer/trust/authors.ts).
  const author = await authorSignature(db, session, admin);
  const adminRow = { ...(await encryptRecord(admin, dataKey, 1, indexFields(admin))), author };
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
      author,
    });
  });
  // The clinic's root of trust: its founding administrator and key version 1 (shared/trust).
  const keys = memberKeysOf(keyring.identity)!;
  const commitment = await keyCommitment(dataKey, clinic.clinicId, 1);
  await appendStatements(
    db,
    signerOf(session),
    () => [
      { kind: 'root', userId: admin.id, roles: admin.roles, keys },
      { kind: 'new-key-version', ...firstVersion(clinic.createdAt), commitment },
      // Every change names its writer from the first day (renderer/trust/authors.ts).
      { kind: 'require-authors', upTo: 0 },
    ],
    { client: null, now },
  );
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
  // Only the member's own identity key may change this row from now on (shared/trust/rows.ts).
  keys.rowSig = await signRow(keys, opened.signing!.privateKey);
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
  await assertStrongPassphrase(passphrase, [
    body.displayName,
    body.username,
    (await readClinic(store.db))?.clinicName,
  ]);
  if (await store.db.keyring.where('username').equals(body.username).first())
    throw new RuleError('user.exists', `The user name “${body.username}” is already taken.`);
  const keyring = store.session.keyring;
  if (!keyring)
    throw new RuleError('keys.not-open', 'Sign in again to open the clinic keys, then try again.');
  await requireChain(store.db);
  // The member's keys are made here, then the chain names them (signed by this administrator)
  // before anything is written: a change the chain refuses leaves no user behind.
  const id = uuidv7();
  const row = await keyringFor({ id, username: body.username }, passphrase, keyring);
  const keys = memberKeysOf(row.identity)!;
  await appendStatements(store.db, signerOf(store.session), () => [
    { kind: 'add-user', userId: id, roles: body.roles, keys },
  ]);
  const user = await store.create('user', body, 'create', id);
  await store.db.keyring.put(row);
  return user;
}

const FAILURE_FREE_TRIES = 3;
/** Doubling waits after three wrong tries, up to 15 minutes (OWASP Authentication Cheat Sheet). */
const MAX_DELAY_S = 15 * 60;

type Failures = { count: number; lastAt: number };

/**
 * Wrong tries are counted per user name typed (issue 18 finding 5), never per computer: one
 * person's typos do not hold up a colleague at the same desk. A name that belongs to nobody is
 * counted the same way, so the wait says nothing about who has an account.
 */
export const failuresKey = (username: string) =>
  `signin-failures:${username.trim().toLowerCase().slice(0, 64)}`;

/** Seconds this user name must still wait before another try (0: go ahead). */
export async function signInDelay(
  db: KatDatabase,
  username: string,
  nowMs = Date.now(),
): Promise<number> {
  const f = (await db.meta.get(failuresKey(username)))?.value as Failures | undefined;
  if (!f || f.count < FAILURE_FREE_TRIES) return 0;
  const wait = Math.min(MAX_DELAY_S, 2 ** (f.count - FAILURE_FREE_TRIES + 1));
  return Math.max(0, Math.ceil((f.lastAt + wait * 1000 - nowMs) / 1000));
}

/** "Wait 1 second", "Wait 40 seconds", "Wait 1 minute", "Wait 3 minutes". */
export function waitWords(seconds: number): string {
  if (seconds < 60) return `Wait ${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `Wait ${minutes} minute${minutes === 1 ? '' : 's'}`;
}

export class SignInError extends RuleError {}

export async function signIn(
  db: KatDatabase,
  username: string,
  passphrase: string,
  proof?: FactorProof,
  origin = globalThis.location?.origin ?? '',
): Promise<Session> {
  const clinic = await readClinic(db);
  if (!clinic)
    throw new SignInError('signin.no-clinic', 'No clinic is set up on this computer yet.');
  const wait = await signInDelay(db, username);
  if (wait > 0)
    throw new SignInError(
      'signin.wait',
      `Too many wrong tries for this user name. ${waitWords(wait)}, then try again.`,
    );
  const name = Username.safeParse(username);
  const ring = name.success
    ? await db.keyring.where('username').equals(name.data).first()
    : undefined;
  const fail = async (
    words = 'That user name and passphrase do not match. Check them and try again.',
  ) => {
    const prev = ((await db.meta.get(failuresKey(username)))?.value as Failures | undefined) ?? {
      count: 0,
      lastAt: 0,
    };
    await db.meta.put({
      key: failuresKey(username),
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
    return new SignInError('signin.wrong', words);
  };
  // One message for a wrong passphrase and a wrong factor: a try never tells which half was right.
  const factorWords =
    'That passphrase and second factor do not match. Check the passphrase, use the security ' +
    'key or app you added in Settings, and try again.';
  if (!ring) throw await fail();
  const keys = ring as UserKeys;
  // Key versions are taken only as the verified membership chain announced them (shared/trust).
  const chain = await chainStateOf(db);
  let opened: Awaited<ReturnType<typeof openHolder>>;
  let kek: CryptoKey;
  try {
    // Timed for the render bench (issue 20), which reports the key derivation apart.
    const kdfStart = performance.now();
    kek = await kekForSignIn(keys, passphrase, proof);
    performance.measure('kat:sign-in:kdf', { start: kdfStart, end: performance.now() });
    opened = await openHolder(keys, kek, ring.userId, clinic.createdAt, chain);
  } catch (e) {
    if (e instanceof WrongPassphraseError) throw await fail(keys.factor ? factorWords : undefined);
    throw e;
  }
  // A factor that seals no keys is checked here, before any session exists (a gate at the
  // screen only: shared/crypto/README.md, "Second factor").
  if (await factorProblem(db, keys, kek, username, proof, origin)) throw await fail(factorWords);
  const member = chain && currentMember(chain, ring.userId);
  if (member && !member.active)
    throw new SignInError(
      'signin.inactive',
      'This account has been removed from the clinic. Ask an administrator.',
    );
  if (chain && !member && !chain.legacyBefore)
    throw new SignInError(
      'signin.not-member',
      'This account is not in the clinic’s membership record, so it cannot sign in here. ' +
        'Ask an administrator.',
    );
  // Users from before key rotation existed get their identity now, and identities from before
  // the membership chain a signing key (before anything else can fail): an administrator's
  // computer then names the new keys in the chain.
  const identity = await ensureIdentity(db, keys, kek, opened);
  // A colleague from before the chain attests their keys under a clinic key, which the server
  // never holds, so the upgrading administrator adds these keys and no others (migrate.ts).
  if (!member && (!chain || chain.legacyBefore))
    await attestOwnKeys(db, ring.userId, clinic.clinicId, opened.keyring);
  // Rows at rest name their version; `keyVersion` in meta is the newest any of them is sealed
  // under (renderer/db/reseal.ts moves them there). Reading this computer needs that version.
  const storedUnder = ((await db.meta.get('keyVersion'))?.value as number | undefined) ?? 1;
  const noKey = (version: number) =>
    new SignInError(
      'signin.no-key',
      `This computer’s records are sealed under clinic key version ${version}, which your ` +
        'sign-in does not hold yet. Once this computer has synced (any colleague signing in here ' +
        'does that) and an administrator’s computer has synced after it, try again.',
    );
  if (!opened.keyring.has(storedUnder)) throw noKey(storedUnder);
  const row = await db.records.get(ring.userId);
  if (!row)
    throw new SignInError(
      'signin.no-user',
      'This user’s profile is missing on this computer. Sync, then try again.',
    );
  const rowKey = opened.keyring.keyFor(row.keyVersion);
  if (!rowKey) throw noKey(row.keyVersion);
  const stored = User.parse(await decryptRecord(row, rowKey, clinic.clinicId));
  // Roles come from the chain, which only administrators sign: a user record edited elsewhere
  // to say "administrator" gives no one that role (THREATS.md, a user beyond their role).
  const user = member ? { ...stored, roles: member.roles } : stored;
  if (!user.active)
    throw new SignInError(
      'signin.inactive',
      'This account has been deactivated. Ask an administrator.',
    );
  await db.meta.delete(failuresKey(username));
  const session: Session = {
    clinicId: clinic.clinicId,
    deviceId: clinic.deviceId,
    user,
    dataKey: opened.keyring.activeKey,
    keyVersion: opened.keyring.activeVersion,
    clock: await clockFor(db, clinic.deviceId),
    keyring: opened.keyring,
    identity,
  };
  followNewestVersion(session); // new writes go under the newest version held, now and later
  const store = new RecordStore(db, session);
  // A clinic from before the membership chain: its administrator signs the first links now.
  if (!chain || chain.legacyBefore)
    await migrateToChain(store).catch((e) => console.warn('Chain set-up deferred', e));
  // A clinic whose chain does not require changes to name their writer yet: an administrator's
  // sign-in turns that on (renderer/trust/authors.ts); offline, at a later sign-in.
  if (!chain?.authorsRequired)
    await requireAuthors(db, session).catch((e) => console.warn('Author rule deferred', e));
  await store.audit('sign-in');
  // An administrator hands versions to colleagues an earlier rotation could not reach yet.
  await grantMissingVersions(store);
  return session;
}

async function ensureIdentity(
  db: KatDatabase,
  keys: UserKeys,
  kek: CryptoKey,
  opened: Awaited<ReturnType<typeof openHolder>>,
): Promise<Identity> {
  if (opened.identity?.signing) return opened.identity;
  let next: UserKeys;
  let identity: Identity;
  if (!opened.identity) {
    const made = await newIdentityWithGrants(kek, keys.userId, opened.keyring);
    next = { ...keys, identity: made.identity, grants: made.grants };
    identity = made.opened;
  } else {
    identity = await withSigningKey(opened.identity);
    const sealed = await sealIdentity(identity, kek, keys.userId);
    next = { ...keys, identity: { ...sealed, endorsement: keys.identity?.endorsement } };
  }
  next.changedAt = new Date().toISOString();
  next.rowSig = await signRow(next, identity.signing!.privateKey);
  await db.keyring.put(next);
  return identity;
}

async function attestOwnKeys(
  db: KatDatabase,
  userId: string,
  clinicId: string,
  keyring: ClinicKeyring,
) {
  const row = (await db.keyring.get(userId)) as UserKeys | undefined;
  const keys = memberKeysOf(row?.identity);
  const [first] = keyring.entries();
  if (!row || !keys || !first) return;
  const held = row.keysMac && keyring.keyFor(row.keysMac.version);
  if (await memberKeysMacHolds(held, clinicId, userId, keys, row.keysMac)) return;
  const keysMac = await memberKeysMac(first.key, clinicId, first.info.version, userId, keys);
  await db.keyring.put({ ...row, keysMac } as UserKeys);
}

/** Re-check the signed-in user's passphrase (before signing a record, confirming a waste, …). */
export async function verifyPassphrase(
  db: KatDatabase,
  userId: string,
  passphrase: string,
): Promise<boolean> {
  const ring = await db.keyring.get(userId);
  if (!ring) return false;
  const factor = (ring as UserKeys).factor;
  if (factorSealsKeys(factor)) {
    // The passphrase alone opens nothing here: its check envelope proves it (second-factor.ts).
    const check = factor.passphraseCheck;
    return !!check && passphraseCheckHolds(check, await deriveKek(passphrase, ring.kdf), userId);
  }
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
