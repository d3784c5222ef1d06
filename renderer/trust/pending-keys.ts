/**
 * New identity keys a colleague made on another computer (a passphrase reset with the recovery
 * key), as the server's copy of their keyring row carries them, signed with those keys: the
 * administrator's computer does not take that row (the membership record does not name its keys),
 * but keeps the keys here so that Settings → Clinic server can show their digits and the
 * administrator can confirm them when the colleague's own screen shows the same
 * (member-keys.ts). The server could put keys of its own here; the digits are what decides.
 */
import type { MemberKeys } from '../../shared/trust/statement';
import type { KatDatabase } from '../db/database';
import type { UserKeys } from '../sync/clinic-keys';
import { memberKeysOf } from '../../shared/crypto/keyring';

const PENDING = 'trust-pending-keys';

type Pending = Record<string, MemberKeys>;

async function read(db: KatDatabase): Promise<Pending> {
  return ((await db.meta.get(PENDING))?.value as Pending | undefined) ?? {};
}

/** Notes (or, with none, forgets) the keys the server's pending row for `userId` carries. */
export async function notePendingKeys(db: KatDatabase, userId: string, keys?: MemberKeys) {
  const all = await read(db);
  const held = all[userId];
  if (held?.signingKey === keys?.signingKey && held?.agreementKey === keys?.agreementKey) return;
  if (keys) all[userId] = keys;
  else delete all[userId];
  await db.meta.put({ key: PENDING, value: all });
}

/**
 * The keys of `userId` waiting to be confirmed: their keyring row here when it holds keys other
 * than the record's (they reset their passphrase on this computer), else the ones seen on the
 * server; none when both are the record's own.
 */
export async function proposedKeys(
  db: KatDatabase,
  userId: string,
  named: MemberKeys,
): Promise<MemberKeys | undefined> {
  const own = memberKeysOf(((await db.keyring.get(userId)) as UserKeys | undefined)?.identity);
  if (own && own.signingKey !== named.signingKey) return own;
  const seen = (await read(db))[userId];
  return seen && seen.signingKey !== named.signingKey ? seen : undefined;
}
