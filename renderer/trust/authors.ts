/**
 * Per-change author signatures on this computer (shared/trust/change-author.ts; issue 13
 * deliverable 4). Three moments:
 *
 * - **writing**: the repository signs each version it writes with the signed-in member's identity
 *   key, and keeps the signature beside the record and its outbox change (`authorSignature`);
 * - **pushing**: each change carries the signature that covers the version pushed
 *   (`authorForPush`): the one kept with the record when it still covers it — whoever is signed in
 *   at push time, so a prescriber's dose written at a shared computer goes out as theirs; else,
 *   for a version merged here from a pending edit signed on this computer and a remote version
 *   already checked, the signed-in member signs it if their role may write the kind (otherwise it
 *   waits for one who may); else, before the clinic requires writers, the change goes
 *   unauthored, and after, only its writer signed in on the computer that made it signs it —
 *   otherwise it stays in the outbox, listed as waiting for its writer, never sent unsigned;
 * - **the clinic's rule** (`requireAuthors`): an administrator's computer signs `require-authors`
 *   into the membership chain, at clinic creation or at an administrator's next sign-in; from then
 *   on other computers refuse an unauthored change sealed in a later bundle
 *   (renderer/trust/incoming.ts), so stripping the author field buys nothing.
 */
import { can } from '../../shared/rules/permissions';
import { memberKeysOf } from '../../shared/crypto/keyring';
import type { AnyRecord } from '../../shared/model';
import {
  type ChangeAuthor,
  type HeldAuthor,
  changeAuthorHolds,
  heldAuthorCovers,
  signChange,
  wireAuthor,
} from '../../shared/trust/change-author';
import { type ChainState, currentMember, isActiveAdmin } from '../../shared/trust/chain-state';
import type { KatDatabase, OutboxRow, RecordRow } from '../db/database';
import type { Session } from '../db/session';
import { copyId } from '../sync/merge';
import type { UserKeys } from '../sync/clinic-keys';
import { parseHlc } from '../../shared/sync/hlc';
import { appendStatements, serverClientFor } from './chain-client';
import { chainStateOf } from './chain-store';
import { signerOf } from './signer';

/** The signed-in member's signature over `record` as written now; none without a signing key. */
export async function authorSignature(
  db: KatDatabase,
  session: { user: { id: string }; identity?: { signing?: { privateKey: CryptoKey } } },
  record: AnyRecord,
): Promise<HeldAuthor | undefined> {
  const signingKey = session.identity?.signing?.privateKey;
  if (!signingKey) return undefined;
  const chain = (await chainStateOf(db))?.length ?? 0;
  return signChange(record, { userId: session.user.id, signingKey, chain });
}

/**
 * The key the chain gives `by` for a signature made holding `chain` statements: the period in
 * force at that position; made before this computer held any chain (0), any key they were given.
 */
export function authorKeys(state: ChainState, by: string, chain: number) {
  const periods = state.members.get(by)?.periods ?? [];
  if (chain === 0) return periods;
  const at = chain - 1;
  const p = periods.filter((x) => x.from <= at).at(-1);
  return p ? [p] : [];
}

/** Pushes wait on this for a change the signed-in member may not vouch for (see top). */
export const DEFER = 'defer' as const;
/** Waits for its writer (named when this computer's audit trail knows them) to sign it here. */
export type Deferred = { defer: true; writer?: string; why?: WaitReason };
/** 'unsigned': no signature covers it; 'unconfirmed-keys': made with keys not confirmed yet. */
export type WaitReason = 'unsigned' | 'unconfirmed-keys';

/**
 * The author a pushed change carries (see top). `pending`: this record's outbox rows read for
 * this bundle; `session`: who is signed in (absent: nothing new is signed).
 */
export async function authorForPush(
  db: KatDatabase,
  input: {
    record: AnyRecord;
    row: RecordRow;
    pending: OutboxRow[];
    /** Members' signing keys as this computer's keyring rows hold them, read once per push. */
    rowKeys?: Map<string, string | undefined>;
    /**
     * The verified chain (chainStateOf), read once per bundle by the caller: read here, it was an
     * IndexedDB transaction per change pushed (issue 20).
     */
    chain: ChainState | undefined;
  },
  session: (Pick<Session, 'user' | 'identity'> & { deviceId?: string }) | undefined,
): Promise<ChangeAuthor | typeof DEFER | Deferred | undefined> {
  const { record, row, pending, chain } = input;
  if (await heldAuthorCovers(record, row.author)) {
    const held = row.author!;
    if (await heldAuthorVerifies(db, chain, record, held, input.rowKeys)) return wireAuthor(held);
    // Made with keys the chain does not name for its writer: new keys set with the recovery key,
    // not confirmed yet (other computers would refuse it for good). Once an administrator has
    // confirmed them, the writer signed in here signs it again at the chain's length now.
    const named = chain && currentMember(chain, held.by)?.keys.signingKey;
    if (
      session?.identity?.signing &&
      held.by === session.user.id &&
      named === session.identity.signing.publicKey
    )
      return wireAuthor((await authorSignature(db, session, record))!);
    return { defer: true, writer: held.by, why: 'unconfirmed-keys' };
  }
  // A conflict copy made here by sync (merge.ts: the losing version of a note, kept under an id
  // derived from it) was written by no one: the signed-in member who may write notes vouches for
  // it, as for any version merged here; unauthored, every other computer would refuse it and the
  // text it keeps would be lost there (tests/sync/reenroll-backup.test.ts).
  if (await isConflictCopy(record)) {
    if (!session?.identity?.signing) return undefined;
    if (!can(session.user.roles, 'write', record.kind)) return DEFER;
    return wireAuthor((await authorSignature(db, session, record))!);
  }
  // A version no kept signature covers: merged here from remote versions (checked as they came)
  // and an edit still pending here. Vouched for only when that edit was signed here by a member
  // whose chain keys verify it, and by a signed-in member whose role may write the kind.
  if (session?.identity?.signing && (await someHolds(chain, record, pending))) {
    if (!can(session.user.roles, 'write', record.kind)) return DEFER;
    return wireAuthor((await authorSignature(db, session, record))!);
  }
  // Nothing covers it: an edit queued here before signatures existed, or a version re-offered
  // (after a server restore) that arrived before them. Before the clinic requires writers it
  // goes unauthored, as every computer then takes it. After, every other computer refuses it
  // unauthored, so it never goes so: its writer signs it when they are the one signed in here
  // and this computer made it (its clock stamp and this computer's own audit trail say so);
  // anything else waits in the outbox, listed in Settings → Clinic server (waitingForWriter).
  if (!chain?.authorsRequired) return undefined;
  const writer = await localWriterOf(db, record, session?.deviceId);
  if (
    writer &&
    session?.identity?.signing &&
    writer === session.user.id &&
    can(session.user.roles, 'write', record.kind)
  )
    return wireAuthor((await authorSignature(db, session, record))!);
  return { defer: true, writer, why: 'unsigned' };
}

/**
 * The kept signature holds under a key the chain gave its writer where it says it was made — as
 * the receiver will check it. Without a chain there is nothing to check against. The common case
 * costs no verify: the writer's keyring row here holds a key the chain gives them there.
 */
async function heldAuthorVerifies(
  db: KatDatabase,
  chain: ChainState | undefined,
  record: AnyRecord,
  held: HeldAuthor,
  rowKeys = new Map<string, string | undefined>(),
) {
  if (!chain) return true;
  const keys = authorKeys(chain, held.by, held.chain).map((p) => p.keys.signingKey);
  if (!rowKeys.has(held.by))
    rowKeys.set(
      held.by,
      memberKeysOf(((await db.keyring.get(held.by)) as UserKeys | undefined)?.identity)?.signingKey,
    );
  const rowKey = rowKeys.get(held.by);
  if (rowKey && keys.includes(rowKey)) return true;
  for (const key of keys) if (await changeAuthorHolds(record, held, key, held.digest)) return true;
  return false;
}

/** What a push leaves in the outbox for want of its writer's signature (authorForPush). */
export type Waiting = { recordId: string; kind: string; writer?: string; why?: WaitReason };
const WAITING_KEY = 'sync-waiting-for-writer';

/** Written after each push: the changes it left waiting, so the screen can name them. */
export async function noteWaitingForWriter(db: KatDatabase, waiting: Waiting[]) {
  if (waiting.length) await db.meta.put({ key: WAITING_KEY, value: waiting });
  else await db.meta.delete(WAITING_KEY);
}

/** The changes the last push left waiting for their writer's signature (none: []). */
export async function waitingForWriter(db: KatDatabase): Promise<Waiting[]> {
  const value = (await db.meta.get(WAITING_KEY))?.value as Waiting[] | undefined;
  return value ?? [];
}

/** Audit actions that write a record version (the rest read, print, sign in, …). */
const WRITES = new Set([
  'create',
  'update',
  'sign',
  'addendum',
  'entered-in-error',
  'override',
  'co-signature-requested',
  'co-signed',
  'co-signature-returned',
]);

/**
 * The member who wrote this version on this computer: the version's clock stamp is this
 * computer's, and the newest write of the record in this computer's own audit trail names them.
 * Undefined for a version made elsewhere, or with no such write here.
 */
async function localWriterOf(db: KatDatabase, record: AnyRecord, deviceId: string | undefined) {
  if (!deviceId || parseHlc(record.updatedAt).node !== deviceId) return undefined;
  const events = await db.audit.where('recordId').equals(record.id).toArray();
  const writes = events
    .filter((e) => e.deviceId === deviceId && WRITES.has(e.action))
    .sort((a, b) => a.id.localeCompare(b.id));
  return writes.at(-1)?.userId;
}

async function isConflictCopy(record: AnyRecord): Promise<boolean> {
  const of = (record as { conflictWith?: unknown }).conflictWith;
  return (
    record.kind === 'note' &&
    typeof of === 'string' &&
    record.id === (await copyId(of, record.updatedAt))
  );
}

async function someHolds(chain: ChainState | undefined, record: AnyRecord, pending: OutboxRow[]) {
  for (const r of pending) {
    const a = r.author;
    if (!a || r.recordId !== record.id) continue;
    const keys = chain ? authorKeys(chain, a.by, a.chain).map((p) => p.keys.signingKey) : [];
    for (const key of keys) if (await changeAuthorHolds(record, a, key, a.digest)) return true;
  }
  return false;
}

/**
 * Turns author signatures on for the clinic (see top), once, from an administrator's computer.
 * `upTo`: the server's newest bundle now (bundles up to it were sealed before, and stand).
 * Returns whether it was signed here.
 */
export async function requireAuthors(db: KatDatabase, session: Session): Promise<boolean> {
  const state = await chainStateOf(db);
  if (!state || state.authorsRequired || !session.identity?.signing) return false;
  if (!isActiveAdmin(currentMember(state, session.user.id))) return false;
  // Connected but without its sync key: not here (a copy of its own would fork the server's).
  const client = await serverClientFor(db).catch(() => null);
  if (client === null) return false;
  const upTo = client ? (await client.pull(0, 1)).head : 0;
  const after = await appendStatements(
    db,
    signerOf(session),
    (s) => (s && !s.authorsRequired ? [{ kind: 'require-authors', upTo }] : []),
    { client: client ?? null },
  );
  return !!after.authorsRequired && after.authorsRequired.seq >= state.length;
}
