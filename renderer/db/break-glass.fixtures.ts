/**
 * A clinic for the emergency-access tests: Maya with a note, Ada with another, and Jordan, a
 * practice manager (who may not read notes), on a clock the test moves with `later(minutes)`.
 */
import { addUser } from './auth';
import type { KatDatabase } from './database';
import { RecordStore } from './record-store';
import { freshClinic } from './test-support';

const person = (firstName: string) => ({
  firstName,
  lastName: 'Okafor',
  dateOfBirth: '1987-04-12',
  sexAtBirth: 'female' as const,
  active: true,
});

/** `opened` collects the database for the test file's afterEach to delete. */
export async function clinicWithManager(opened: KatDatabase[]) {
  const c = await freshClinic();
  opened.push(c.db);
  const maya = await c.store.create('patient', person('Maya'));
  const other = await c.store.create('patient', person('Ada'));
  const note = await c.store.create('note', {
    patientId: maya.id,
    templateId: 'soap',
    title: 'Dosing session',
    sections: { subjective: 'Reported chest tightness at 14:05' },
    timeline: [],
  });
  const otherNote = await c.store.create('note', {
    patientId: other.id,
    templateId: 'soap',
    title: 'Prep',
    sections: {},
    timeline: [],
  });
  const jordan = await addUser(c.store, {
    displayName: 'Jordan Lee',
    username: 'jordan',
    roles: ['practice-manager'],
    passphrase: 'a long enough passphrase',
  });
  let clock = new Date();
  const manager = new RecordStore(c.db, { ...c.session, user: jordan }, () => clock);
  const later = (minutes: number) => (clock = new Date(clock.getTime() + minutes * 60_000));
  return { ...c, maya, other, note, otherNote, manager, later };
}
