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
import { unpackBundle } from '../../shared/sync/bundle';
import type { KatDatabase } from '../db/database';
import type { RecordStore } from '../db/record-store';
import { readPosition, syncTables, writePosition } from '../db/sync-state';
import { type UserKeys, grantMissingVersions } from './clinic-keys';
import { downloadKeyBlobs, uploadKeyBlobs } from './key-blobs';
import type { ServerClient } from './server-client';

/** The engine's key inputs from a keyring: read any version held, seal under the active one. */
export function keyringInputs(keyring: ClinicKeyring | undefined) {
  if (!keyring) return {};
  return {
    dataKeyFor: (v: number) => keyring.keyFor(v),
    sealWith: () => ({ keyVersion: keyring.activeVersion, dataKey: keyring.activeKey }),
  };
}

/** Open grants on the signed-in user's row that their keyring lacks; returns the new versions. */
export async function openNewGrants(store: RecordStore): Promise<number[]> {
  const { session, db } = store;
  if (!session.keyring || !session.identity) return [];
  const row = (await db.keyring.get(session.user.id)) as UserKeys | undefined;
  const gained: number[] = [];
  for (const g of row?.grants ?? []) {
    if (session.keyring.has(g.version)) continue;
    try {
      session.keyring.add(await openGrant(g, session.identity, session.user.id), g);
      gained.push(g.version);
    } catch (e) {
      // A grant for an identity this session no longer has (passphrase reset elsewhere).
      if (!(e instanceof KeyGrantError)) throw e;
    }
  }
  return gained;
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
  const admin = session.user.roles.includes('administrator');
  if (admin) await grantMissingVersions(store);
  const blobs = await uploadKeyBlobs(db, client, session.clinicId);
  const gained = await openNewGrants(store);
  await retryQuarantined(db, gained);
  // Administrators: blobs of users who left are removed from the server (and keyring rows here).
  if (admin)
    await downloadKeyBlobs(db, client, session.clinicId, session.dataKey, {
      admin,
      listing: blobs,
    });
}
