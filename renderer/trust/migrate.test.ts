/**
 * Clinics created before the membership chain upgrade in place (issue 13, "Done means"): data as
 * the code before the chain wrote it — no chain, identities without signing keys, rows unsigned —
 * and the administrator's next sign-in signs the first links; a colleague is added once her own
 * sign-in gave her a signing key; until then Settings → Clinic server says what is pending.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../shared/crypto/hash';
import { addUser, keyringFor, signIn } from '../db/auth';
import type { KatDatabase } from '../db/database';
import { RecordStore } from '../db/record-store';
import { addMaya, freshClinic } from '../db/test-support';
import { downloadKeyBlobs, legacyBlobName } from '../sync/key-blobs';
import type { ServerClient } from '../sync/server-client';
import { chainStateOf } from './chain-store';
import { readTrustStatus } from './status';

const DANA = {
  displayName: 'Dana Reyes',
  username: 'dana',
  roles: ['therapist' as const],
  passphrase: 'dana walks the pier at dawn',
};

const opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.delete();
});

/** What the code before the chain left on disk: no chain, identities without signing keys. */
async function asBeforeTheChain(db: KatDatabase) {
  await db.meta.delete('trust-chain');
  await db.meta.delete('trust-issues');
  for (const row of await db.keyring.toArray()) {
    const { rowSig: _s, ...rest } = row as typeof row & { rowSig?: string };
    const identity = (rest as { identity?: { signing?: unknown } }).identity;
    if (identity) delete identity.signing;
    await db.keyring.put(rest);
  }
}

describe('a clinic from before the membership chain', () => {
  it('its administrator’s next sign-in signs the first links; colleagues join the chain as they sign in; what waits is said', async () => {
    const c = await freshClinic();
    opened.push(c.db);
    const dana = await addUser(c.store, DANA);
    const maya = await addMaya(c.store);
    await asBeforeTheChain(c.db);
    expect(await chainStateOf(c.db)).toBeUndefined();
    expect((await readTrustStatus(c.store)).pending).toContainEqual(
      expect.stringMatching(/membership record is not set up yet/),
    );

    // Dana signs in first: still possible, and she gets her signing key now.
    await signIn(c.db, 'dana', DANA.passphrase);
    expect(await chainStateOf(c.db)).toBeUndefined(); // only an administrator begins the chain

    const alex = new RecordStore(c.db, await signIn(c.db, 'alex', c.passphrase));
    const chain = (await chainStateOf(c.db))!;
    expect(chain.members.get(alex.session.user.id)?.periods[0]?.roles).toContain('administrator');
    expect(chain.legacyBefore).toBeDefined();
    expect([...chain.keys.keys()]).toEqual([1]);
    // The same sign-in turns author signatures on (renderer/trust/authors.ts): from here on a
    // change that names no writer is refused from later bundles; this computer is not connected,
    // so every bundle a server holds comes after it.
    expect(chain.authorsRequired).toMatchObject({ upTo: 0 });
    // Dana already had her signing key: she is in, with the role her user record gives her.
    expect(chain.members.get(dana.id)?.periods.at(-1)).toMatchObject({
      roles: ['therapist'],
      active: true,
    });
    // The chain's key commitment is the clinic's real key: signing in again opens everything.
    const again = new RecordStore(c.db, await signIn(c.db, 'alex', c.passphrase));
    expect((await again.get('patient', maya.id))?.lastName).toBe('Okafor');
    expect((await readTrustStatus(again)).pending).not.toContainEqual(
      expect.stringMatching(/not set up yet/),
    );
  }, 60_000);

  it('a colleague whose keys came before the chain waits, is told so, and is added at the administrator’s next sign-in after hers', async () => {
    const c = await freshClinic();
    opened.push(c.db);
    const dana = await addUser(c.store, DANA);
    await asBeforeTheChain(c.db);
    await signIn(c.db, 'alex', c.passphrase);
    expect((await chainStateOf(c.db))!.members.has(dana.id)).toBe(false);

    const danaStore = new RecordStore(c.db, await signIn(c.db, 'dana', DANA.passphrase));
    expect((await readTrustStatus(danaStore)).pending).toContainEqual(
      expect.stringMatching(/Your account is not in the clinic’s membership record yet/),
    );
    await signIn(c.db, 'alex', c.passphrase);
    expect((await chainStateOf(c.db))!.members.get(dana.id)?.periods.at(-1)?.roles).toEqual([
      'therapist',
    ]);
  }, 60_000);

  it('a colleague’s keyring row a hostile server made (its own identity, self-signed) is never added to the chain', async () => {
    const c = await freshClinic();
    opened.push(c.db);
    const dana = await addUser(c.store, DANA);
    await asBeforeTheChain(c.db);
    // Dana works on another computer: the administrator's computer has no row of hers.
    await c.db.keyring.delete(dana.id);
    // The server makes a row for her with an identity of its own, signed by that identity (all a
    // server can do: it holds no clinic key, so it wraps a key of its own making).
    const server = await freshClinic('the server picks its own passphrase');
    opened.push(server.db);
    const forged = await keyringFor(
      { id: dana.id, username: 'dana' },
      'the server picks its own passphrase',
      server.session.keyring!,
    );
    const { username: _u, ...body } = forged;
    const hostile = {
      listKeyBlobs: async () => ({
        blobs: [
          {
            userKey: await legacyBlobName(c.session.clinicId, 'dana'),
            blob: canonicalJson({ v: 1, ...body }),
            revision: 1,
          },
        ],
      }),
    } as unknown as ServerClient;
    // The administrator's computer syncs from it before the chain exists (the real download code).
    await downloadKeyBlobs(c.db, hostile, c.session.clinicId, c.session);
    expect(
      ((await c.db.keyring.get(dana.id)) as typeof forged | undefined)?.identity?.publicKey,
    ).toBe(forged.identity!.publicKey);

    await signIn(c.db, 'alex', c.passphrase);
    const chain = (await chainStateOf(c.db))!;
    expect(chain.members.has(dana.id)).toBe(false);
  }, 60_000);
});
