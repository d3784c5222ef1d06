/**
 * Before each sync round: bring keyring rows and key blobs to one merged state, open any clinic key
 * version newly granted to the signed-in user (so this computer reads and writes under a rotation
 * made elsewhere without signing in again), and — on an administrator's computer — hand versions
 * to colleagues who lack them and remove the blobs of people who left.
 *
 * A bundle that arrived under a version we did not hold yet was quarantined (unknown key
 * version). Once that version is open, the cursor is moved back to just before the earliest such
 * bundle and its quarantine entry resolved, so the round pulls it again and applies it; versions
 * already taken in are recognised and ignored (merge keeps syncSeen).
 */
import { type ClinicKeyring, KeyGrantError, openGrant } from '../../shared/crypto/keyring';
import { newestKeyVersion } from '../../shared/trust/chain-state';
import { matchesCommitment } from '../../shared/trust/commitment';
import { unpackBundle } from '../../shared/sync/bundle';
import type { KatDatabase } from '../db/database';
import type { RecordStore } from '../db/record-store';
import { readPosition, syncTables, writePosition } from '../db/sync-state';
import { type UserKeys, grantMissingVersions } from './clinic-keys';
import { reviseServerRevocations } from './device-revocation';
import { downloadKeyBlobs, uploadKeyBlobs } from './key-blobs';
import type { ServerClient } from './server-client';
import { pullChain } from '../trust/chain-client';
import { chainStateOf } from '../trust/chain-store';

/** The engine's key inputs from a keyring: read any version held, seal under the active one. */
export function keyringInputs(keyring: ClinicKeyring | undefined) {
  if (!keyring) return {};
  return {
    dataKeyFor: (v: number) => keyring.keyFor(v),
    sealWith: () => ({ keyVersion: keyring.activeVersion, dataKey: keyring.activeKey }),
  };
}

/**
 * Open grants on the signed-in user's row that their keyring lacks; returns the new versions.
 * Under the chain a version is taken only if the chain announced it and the opened key matches
 * its commitment: a grant someone slipped in ("version 99", a key they chose) opens nothing.
 */
export async function openNewGrants(store: RecordStore): Promise<number[]> {
  const { session, db } = store;
  if (!session.keyring || !session.identity) return [];
  const chain = await chainStateOf(db);
  const row = (await db.keyring.get(session.user.id)) as UserKeys | undefined;
  const gained: number[] = [];
  for (const g of row?.grants ?? []) {
    if (session.keyring.has(g.version)) continue;
    const announced = chain?.keys.get(g.version);
    if (chain && !announced) continue;
    try {
      const key = await openGrant(g, session.identity, session.user.id);
      if (
        chain &&
        !(await matchesCommitment(key, chain.clinicId, g.version, announced?.commitment))
      )
        continue;
      session.keyring.add(key, g);
      gained.push(g.version);
    } catch (e) {
      // A grant for an identity this session no longer has (passphrase reset elsewhere).
      if (!(e instanceof KeyGrantError)) throw e;
    }
  }
  return gained;
}

/**
 * A version the chain announced that this computer does not hold yet: new bundles wait for it
 * rather than go out under an older version a removed person knew (THREATS.md principle 5).
 */
export async function newerVersionAnnounced(
  db: KatDatabase,
  keyring: ClinicKeyring | undefined,
): Promise<number | undefined> {
  const chain = await chainStateOf(db);
  if (!chain || !keyring) return undefined;
  const newest = newestKeyVersion(chain);
  return newest > keyring.activeVersion ? newest : undefined;
}

/** Pull again the quarantined bundles sealed under versions that are now open. */
export async function retryQuarantined(db: KatDatabase, versions: number[]): Promise<number> {
  if (!versions.length) return 0;
  const t = syncTables(db);
  const retry = (await t.issues.toArray()).filter((i) => {
    if (i.resolved || i.kind !== 'quarantined-bundle' || !i.bytes || i.seq === undefined)
      return false;
    try {
      return versions.includes(unpackBundle(i.bytes).header.keyVersion);
    } catch {
      return false;
    }
  });
  if (!retry.length) return 0;
  const from = Math.min(...retry.map((i) => i.seq!)) - 1;
  await db.transaction('rw', [db.meta, t.issues], async () => {
    const position = await readPosition(db);
    if (position && position.cursor > from) await writePosition(db, { ...position, cursor: from });
    await t.issues.bulkPut(retry.map((i) => ({ ...i, resolved: true })));
  });
  return retry.length;
}

export async function refreshKeys(store: RecordStore, client: ServerClient) {
  const { db, session } = store;
  // The chain first: everything below is decided by it.
  await pullChain(db, client);
  const admin = session.user.roles.includes('administrator');
  if (admin) await grantMissingVersions(store);
  // Computers the chain removed are refused by the server too, even if telling it failed once.
  if (admin) await reviseServerRevocations(store, client);
  const blobs = await uploadKeyBlobs(db, client, session.clinicId);
  const gained = await openNewGrants(store);
  await retryQuarantined(db, gained);
  // Administrators: blobs of users who left are removed from the server (and keyring rows here).
  if (admin)
    await downloadKeyBlobs(db, client, session.clinicId, session, {
      admin,
      listing: blobs,
    });
}
