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

/** The patient most repository tests chart for. */
export const MAYA = {
  firstName: 'Maya',
  lastName: 'Okafor',
  dateOfBirth: '1987-04-12',
  sexAtBirth: 'female' as const,
  active: true,
};

export const addMaya = (store: RecordStore) => store.create('patient', MAYA);
