/** Helpers for repository tests: a fresh database and a signed-in clinic. Not used by the app. */
import { KatDatabase } from './database';
import { createClinic } from './auth';
import { RecordStore } from './record-store';

let n = 0;
export async function freshClinic(passphrase = 'correct horse battery staple') {
  const db = new KatDatabase(`test-${Date.now()}-${n++}`);
  const session = await createClinic(db, {
    clinicName: 'Harbor Ketamine Clinic',
    admin: {
      displayName: 'Alex Admin',
      username: 'alex',
      passphrase,
      roles: ['administrator', 'prescriber', 'therapist'],
    },
  });
  return { db, session, store: new RecordStore(db, session), passphrase };
}
