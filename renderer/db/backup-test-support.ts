/** Fixtures shared by the backup tests (manual and scheduled). Not used by the app. */
import { afterEach } from 'vitest';
import { KatDatabase } from './database';
import { addMaya, freshClinic } from './test-support';

let opened: KatDatabase[] = [];
let n = 0;
/** Call once per test file: the databases made below are deleted after each test. */
export function deleteDatabasesAfterEach() {
  afterEach(async () => {
    for (const db of opened) await db.delete();
    opened = [];
  });
}

/** An empty store on this "computer", as a fresh install would have. */
export function emptyDb() {
  const db = new KatDatabase(`restore-${Date.now()}-${n++}`);
  opened.push(db);
  return db;
}

/** Every table's rows, to compare a restore with what was backed up. */
export const allTables = (db: KatDatabase) =>
  Promise.all([
    db.records.toArray(),
    db.outbox.toArray(),
    db.audit.toArray(),
    db.keyring.toArray(),
    db.drafts.toArray(),
    db.meta.toArray(),
  ]);

/**
 * The tables of a restored computer with its local id put back to the original's: a restore makes
 * a new one (backup.ts asRestoredCopy), every other byte is as backed up.
 */
export async function restoredTablesAs(db: KatDatabase, originalDeviceId: string) {
  const tables = await allTables(db);
  const meta = tables[5].map((m) =>
    m.key === 'clinic'
      ? { ...m, value: { ...(m.value as object), deviceId: originalDeviceId } }
      : m,
  );
  return [...tables.slice(0, 5), meta];
}

/** A clinic with one patient and her signed note. */
export async function clinicWithChart() {
  const c = await freshClinic();
  opened.push(c.db);
  const maya = await addMaya(c.store);
  const note = await c.store.create('note', {
    patientId: maya.id,
    templateId: 'soap',
    title: 'Integration session',
    sections: { subjective: 'Felt held by the music' },
    timeline: [],
  });
  await c.store.sign('note', note.id);
  return { ...c, maya, note };
}
