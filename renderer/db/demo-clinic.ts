/**
 * A demo clinic: four staff with one shown passphrase, then the synthetic records in chunks.
 * Written into any database (the app's, or a test's); the setup screen signs in afterwards.
 */
import {
  DEMO_PASSPHRASE,
  DEMO_SIZES,
  type DemoSize,
  generateDemoClinic,
} from '../../shared/demo/generate';
import { openIdentity } from '../../shared/crypto/keyring';
import { deriveKek } from '../../shared/crypto/passphrase';
import type { User } from '../../shared/model';
import { chainStateOf } from '../trust/chain-store';
import type { UserKeys } from '../sync/clinic-keys';
import { addUser, createClinic } from './auth';
import type { KatDatabase } from './database';
import { RecordStore } from './record-store';
import type { Session } from './session';

export const DEMO_USERS = [
  {
    username: 'sam',
    displayName: 'Sam Patel',
    credentials: 'MD',
    roles: ['prescriber' as const],
    what: 'Prescriber',
  },
  {
    username: 'dana',
    displayName: 'Dana Reyes',
    credentials: 'LCSW',
    roles: ['therapist' as const],
    what: 'Therapist',
  },
  {
    username: 'jordan',
    displayName: 'Jordan Lee',
    roles: ['practice-manager' as const],
    what: 'Practice manager',
  },
  {
    username: 'avery',
    displayName: 'Avery Brooks',
    roles: ['administrator' as const],
    what: 'Administrator',
  },
];

export type DemoProgress = { step: string; done: number; total: number };

/** Writes the demo clinic into `db`; returns the administrator's (Avery's) session. */
export async function buildDemoClinic(
  db: KatDatabase,
  size: DemoSize | { patients: number },
  onProgress: (p: DemoProgress) => void,
): Promise<Session> {
  const total = typeof size === 'string' ? DEMO_SIZES[size] : size.patients;
  onProgress({ step: 'Creating the clinic and its staff', done: 0, total });
  const [admin, ...staff] = [DEMO_USERS[3]!, ...DEMO_USERS.slice(0, 3)];
  const session = await createClinic(db, {
    clinicName: 'Harbor Light Ketamine Clinic',
    admin: { ...admin, passphrase: DEMO_PASSPHRASE },
    demo: true,
  });
  const store = new RecordStore(db, session);
  const users = [];
  for (const u of staff) users.push(await addUser(store, { ...u, passphrase: DEMO_PASSPHRASE }));
  const [sam, dana, jordan] = users as [
    NonNullable<(typeof users)[0]>,
    NonNullable<(typeof users)[0]>,
    NonNullable<(typeof users)[0]>,
  ];
  // Each signature is made with its signer's own identity key, as the app makes it, so a second
  // computer verifies it against the membership chain (issue 13: a content hash under a name,
  // without the key, is refused like a forgery).
  const chain = (await chainStateOf(db))?.length ?? 0;
  const writers = new Map<string, CryptoKey>();
  const signer = async (u: User) => {
    const row = (await db.keyring.get(u.id)) as UserKeys;
    const identity = await openIdentity(
      row.identity!,
      await deriveKek(DEMO_PASSPHRASE, row.kdf),
      u.id,
    );
    const name = u.credentials ? `${u.displayName}, ${u.credentials}` : u.displayName;
    writers.set(u.id, identity.signing!.privateKey);
    return { id: u.id, name, signingKey: identity.signing!.privateKey, chain };
  };
  for await (const chunk of generateDemoClinic({
    clinicId: session.clinicId,
    node: session.deviceId,
    staff: {
      prescriber: await signer(sam),
      therapist: await signer(dana),
      manager: await signer(jordan),
    },
    patients: total,
    now: new Date(),
    consentTemplates: await store.listKind('consent-template'), // seeded by createClinic
    chunk: size === 'large' ? 50 : 10,
  })) {
    // Each record is signed as written by its creator (renderer/trust/authors.ts).
    await store.importRecords(
      chunk.records,
      `Demo clinic: patients ${chunk.patientsDone} of ${total}`,
      writers,
    );
    onProgress({ step: 'Writing synthetic charts', done: chunk.patientsDone, total });
  }
  return session;
}
