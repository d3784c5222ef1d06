/**
 * Clinics created before the membership chain (issue 13, "existing clinics upgrade in place"):
 * the first administrator to sign in with this version signs the chain's first links — the root
 * (themselves, `legacyBefore` = now, so unsigned records written before are taken as they were),
 * every clinic key version this computer holds (dense from 1, with its commitment), and every
 * other active member whose keyring row already names identity keys that their own sign-in
 * signed and attested under a clinic key (`keysMac`: a row the server made cannot carry one; a
 * colleague's keys made before the chain get their signing key and attestation at that
 * colleague's next sign-in; an administrator adds them afterwards). A connected computer appends through the server, so a clinic whose chain
 * another computer already began keeps that one (nothing is made twice). Computers are not
 * enrolled from the server's list: each waits for an administrator to compare its fingerprint
 * (Settings → Clinic server), this one included; until then others hold back what it sends.
 * Until all this is done, Settings → Clinic server says what is pending (status.ts).
 */
import { User } from '../../shared/model';
import { memberKeysOf } from '../../shared/crypto/keyring';
import { keyCommitment, memberKeysMacHolds } from '../../shared/trust/commitment';
import type { ChainState } from '../../shared/trust/chain-state';
import { rowSignatureHolds } from '../../shared/trust/rows';
import type { StatementBody } from '../../shared/trust/statement';
import type { RecordStore } from '../db/record-store';
import { decryptRecord } from '../db/record-crypto';
import type { UserKeys } from '../sync/clinic-keys';
import { appendStatements, serverClientFor } from './chain-client';
import { loadTrust } from './chain-store';
import { signerOf } from './signer';

export type MigrationResult = { made: boolean; members: number; pendingMembers: number };

/**
 * Signs the first chain links of a clinic that has none, and adds colleagues from before the
 * chain whose keys are ready; does nothing for a clinic created with its chain.
 */
export async function migrateToChain(
  store: RecordStore,
  now = new Date(),
): Promise<MigrationResult> {
  const { db, session } = store;
  const none = { made: false, members: 0, pendingMembers: 0 };
  const held = (await loadTrust(db)).state;
  if ((held && !held.legacyBefore) || !session.user.roles.includes('administrator')) return none;
  const mine = memberKeysOf(
    ((await db.keyring.get(session.user.id)) as UserKeys | undefined)?.identity,
  );
  if (!mine || !session.keyring || !session.identity?.signing) return none;
  const client = await serverClientFor(db).catch(() => undefined);
  let members = 0;
  let pendingMembers = 0;
  const build = async (state: ChainState | undefined): Promise<StatementBody[]> => {
    if (state && !state.legacyBefore) return [];
    const body: StatementBody[] = [];
    if (!state) {
      // Another computer may have begun the chain first: appendStatements pulls it, and then
      // only the colleagues below are added.
      body.push({
        kind: 'root',
        userId: session.user.id,
        roles: session.user.roles,
        keys: mine,
        legacyBefore: now.toISOString(),
      });
      for (const { key, info } of session.keyring!.entries()) {
        if (info.version !== body.length) break; // versions are dense from 1 in the chain
        const commitment = await keyCommitment(key, session.clinicId, info.version);
        const { version, reason, createdAt } = info;
        body.push({ kind: 'new-key-version', version, reason, createdAt, commitment });
      }
    }
    const legacyBefore = state?.legacyBefore ?? now.toISOString();
    const used = new Set([
      mine.signingKey,
      ...[...(state?.members.values() ?? [])].flatMap((m) =>
        m.periods.map((p) => p.keys.signingKey),
      ),
    ]);
    members = 0;
    pendingMembers = 0;
    for (const row of (await db.keyring.toArray()) as UserKeys[]) {
      if (row.userId === session.user.id || state?.members.has(row.userId)) continue;
      const user = await userOf(store, row.userId);
      // Only colleagues from before the chain: anyone added since is added with their keys.
      if (!user?.active || user.createdAt >= legacyBefore) continue;
      const keys = memberKeysOf(row.identity);
      // Their keys count once their own sign-in signed their row with them and attested them
      // under a clinic key (keysMac): a row the server made (its own identity, self-signed)
      // carries no attestation that opens under our key, so the server cannot add anyone.
      if (
        !keys ||
        used.has(keys.signingKey) ||
        !(await rowSignatureHolds(row, row.rowSig, keys.signingKey)) ||
        !(await memberKeysMacHolds(
          row.keysMac && session.keyring!.keyFor(row.keysMac.version),
          session.clinicId,
          row.userId,
          keys,
          row.keysMac,
        ))
      ) {
        pendingMembers++;
        continue;
      }
      used.add(keys.signingKey);
      body.push({ kind: 'add-user', userId: row.userId, roles: user.roles, keys });
      members++;
    }
    return body;
  };
  await appendStatements(db, signerOf(session), build, { client: client ?? null, now });
  const state = (await loadTrust(db)).state;
  return { made: !held && !!state, members, pendingMembers };
}

async function userOf(store: RecordStore, userId: string) {
  const row = await store.db.records.get(userId);
  const key = row && store.session.keyring?.keyFor(row.keyVersion);
  if (!row || !key) return undefined;
  const parsed = User.safeParse(await decryptRecord(row, key, store.session.clinicId));
  return parsed.success ? parsed.data : undefined;
}
