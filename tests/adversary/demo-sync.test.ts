/**
 * A demo clinic connected to a clinic server (issue 13, remaining hole 1): its signed records
 * must reach a second computer as signed records. Every computer checks an incoming signature
 * against the identity key the membership chain gives its signer (renderer/trust/incoming.ts),
 * so demo signatures must be made with the demo staff's own identity keys — a content hash
 * under a name is refused like a forgery.
 */
import { expect, it } from 'vitest';
import { DEMO_PASSPHRASE } from '../../shared/demo/generate';
import { KatDatabase } from '../../renderer/db/database';
import { buildDemoClinic } from '../../renderer/db/demo-clinic';
import { RecordStore } from '../../renderer/db/record-store';
import { syncTables } from '../../renderer/db/sync-state';
import { connectFirstDevice } from '../../renderer/sync/connect';
import { memoryKeychain } from '../../renderer/sync/device-credentials';

import { type Computer, joinComputer, round, hostileWorld } from './world';

const world = hostileWorld();

it('a demo clinic’s signed records reach a second computer signed, none refused', async () => {
  const db = new KatDatabase(`demo-sync-${Date.now()}`);
  const session = await buildDemoClinic(db, { patients: 2 }, () => undefined);
  const keychain = memoryKeychain();
  await connectFirstDevice(db, keychain, session, {
    serverUrl: world.server.url,
    setupToken: world.server.setupToken,
  });
  const a: Computer = { name: 'A', db, store: new RecordStore(db, session), keychain };
  world.computers.push(a);
  await round(a);
  const signedOnA = (await a.store.db.records.toArray()).filter((r) => r.status === 'signed');
  expect(signedOnA.length).toBeGreaterThan(10);

  const b = await joinComputer(a, world.server, { username: 'sam', passphrase: DEMO_PASSPHRASE });
  world.computers.push(b);
  await round(b);
  await round(b);

  const refused = (await syncTables(b.db).issues.toArray()).map((i) => i.message);
  expect(refused).toEqual([]);
  const signedOnB = (await b.db.records.toArray()).filter((r) => r.status === 'signed');
  expect(signedOnB.map((r) => r.id).sort()).toEqual(signedOnA.map((r) => r.id).sort());
}, 240_000);
