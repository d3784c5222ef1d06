/**
 * Each user's clinic data key, wrapped under their passphrase-derived key, kept on the server as an
 * opaque blob so the user can sign in on a newly enrolled device (SYNC.md rule 2). The server
 * cannot open a blob; its name is a hash of clinic and user name, so the server learns no names.
 */
import { KdfParams, WrappedKey, deriveKek, unwrapDataKey } from '../../shared/crypto/passphrase';
import { sha256Hex } from '../../shared/crypto/hash';
import { z } from 'zod';
import type { KatDatabase, KeyringRow } from '../db/database';
import { decryptRecord } from '../db/record-crypto';
import { type ServerClient, SyncHttpError } from './server-client';

const KeyBlobBody = z.object({
  v: z.literal(1),
  userId: z.string(),
  kdf: KdfParams,
  wrapped: z.array(WrappedKey).min(1),
});

export async function keyBlobName(clinicId: string, username: string): Promise<string> {
  return `login-${(await sha256Hex(`kat:login|${clinicId}|${username.toLowerCase()}`)).slice(0, 40)}`;
}

/** Upload keyring rows whose blob changed since the last upload. */
export async function uploadKeyBlobs(db: KatDatabase, client: ServerClient, clinicId: string) {
  const uploaded = ((await db.meta.get('sync-keyblobs'))?.value ?? {}) as Record<string, string>;
  let changed = false;
  for (const row of await db.keyring.toArray()) {
    const name = await keyBlobName(clinicId, row.username);
    const blob = JSON.stringify({ v: 1, userId: row.userId, kdf: row.kdf, wrapped: row.wrapped });
    if (uploaded[name] === blob) continue;
    await client.putKeyBlob(name, blob);
    uploaded[name] = blob;
    changed = true;
  }
  if (changed) await db.meta.put({ key: 'sync-keyblobs', value: uploaded });
}

/** Fetch this user's blob and open it with their passphrase: the keyring row and the data key. */
export async function fetchKeyring(
  client: ServerClient,
  clinicId: string,
  username: string,
  passphrase: string,
): Promise<{ keyring: KeyringRow; dataKey: CryptoKey; keyVersion: number }> {
  let blob: string;
  try {
    blob = (await client.getKeyBlob(await keyBlobName(clinicId, username))).blob;
  } catch (e) {
    if (e instanceof SyncHttpError && e.status === 404)
      throw new SyncHttpError(
        `The clinic server has no sign-in for “${username}”. Check the user name, or sign in ` +
          'once on a device that already syncs so your key is uploaded.',
        404,
      );
    throw e;
  }
  const body = KeyBlobBody.parse(JSON.parse(blob));
  const wrapped = body.wrapped.reduce((a, b) => (b.keyVersion > a.keyVersion ? b : a));
  // deriveKek refuses weak parameters even though the server handed them over (SYNC.md rule 2).
  const kek = await deriveKek(passphrase, body.kdf);
  const dataKey = await unwrapDataKey(wrapped, kek, body.userId);
  return {
    keyring: { userId: body.userId, username, kdf: body.kdf, wrapped: body.wrapped },
    dataKey,
    keyVersion: wrapped.keyVersion,
  };
}

/**
 * Fetch the wrapped keys of colleagues added on other devices, so they can sign in here too.
 * A blob is accepted only for a user record we hold, under that user's id: the wrap is bound to
 * the id as well, so a swapped blob could not open anyway.
 */
export async function downloadKeyBlobs(
  db: KatDatabase,
  client: ServerClient,
  clinicId: string,
  dataKey: CryptoKey,
) {
  const have = new Set((await db.keyring.toArray()).map((k) => k.userId));
  const rows = (await db.records.where('kind').equals('user').toArray()).filter(
    (r) => !have.has(r.id),
  );
  for (const row of rows) {
    const user = await decryptRecord(row, dataKey, clinicId);
    if (user.kind !== 'user' || !user.active) continue;
    let blob: string;
    try {
      blob = (await client.getKeyBlob(await keyBlobName(clinicId, user.username))).blob;
    } catch (e) {
      if (e instanceof SyncHttpError && e.status === 404) continue;
      throw e;
    }
    const body = KeyBlobBody.safeParse(JSON.parse(blob));
    if (!body.success || body.data.userId !== user.id) continue;
    const { kdf, wrapped } = body.data;
    await db.keyring.put({ userId: user.id, username: user.username, kdf, wrapped });
  }
}
