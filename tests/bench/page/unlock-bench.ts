/**
 * Sign-in/unlock (Argon2id key derivation, unwrap, profile decrypt, audit, then the in-memory
 * patient index built by decrypting every patient) and patient search keystrokes against that
 * index. The clinic is created through the app's own first-run code, then seeded with patients.
 */
import { Dexie } from 'dexie';
import { createClinic, signIn } from '../../../renderer/db/auth';
import { KatDatabase } from '../../../renderer/db/database';
import { buildTimeline } from '../../../renderer/features/chart/timeline';
import type { AnyRecord } from '../../../shared/model';
import { saveNoteDraft, startNote } from '../../../renderer/db/notes-repository';
import { PatientIndex } from '../../../renderer/db/patient-index';
import { encryptRecord, indexFields } from '../../../renderer/db/record-crypto';
import { RecordStore } from '../../../renderer/db/record-store';
import { deriveKek } from '../../../shared/crypto/passphrase';
import { uuidv7 } from '../../../shared/util/ids';
import { benchRecords } from '../data';

const USER = 'bench.admin';
const PASSPHRASE = 'a long bench passphrase';

/** The last sign-in's patient index: what a signed-in renderer keeps in memory. */
const held: { index?: PatientIndex } = {};
export const releaseSignedIn = () => {
  held.index = undefined;
};

const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

/** A fresh clinic in its own database: an administrator-therapist, `patients` patients and one long chart. */
async function benchClinic(patients: number) {
  const name = `bench-unlock-${uuidv7()}`;
  const db = new KatDatabase(name);
  const first = await createClinic(db, {
    clinicName: 'Bench clinic',
    // A therapist too: the autosave step writes a note as its author.
    admin: {
      displayName: 'Bench Admin',
      username: USER,
      passphrase: PASSPHRASE,
      roles: ['administrator', 'therapist'],
    },
  });
  const all = await benchRecords(patients, Infinity, first.clinicId);
  const people = all.filter((r) => r.kind === 'patient');
  const chart = chartOf200Entries(all, people[0]!.id);
  await db.records.bulkPut(
    await Promise.all(
      [...people, ...chart].map((p) =>
        encryptRecord(p, first.dataKey, first.keyVersion, indexFields(p)),
      ),
    ),
  );
  return {
    db,
    people,
    close: async () => {
      db.close();
      await Dexie.delete(name);
    },
  };
}

export async function unlockAndSearch(patients: number) {
  held.index = undefined;
  const { db, people, close } = await benchClinic(patients);
  const ring = (await db.keyring.toArray())[0]!;
  const k0 = performance.now();
  await deriveKek(PASSPHRASE, ring.kdf);
  const kdfMs = performance.now() - k0;
  const t0 = performance.now();
  const session = await signIn(db, USER, PASSPHRASE);
  const index = await PatientIndex.build(new RecordStore(db, session));
  held.index = index; // kept until the next run, so the heap can be read as a signed-in app holds it
  const unlockMs = performance.now() - t0;
  if (index.size !== people.length)
    throw new Error(`The patient index holds ${index.size} of ${people.length} patients.`);
  // Typing each patient's last name letter by letter, as at the front desk.
  const keystrokes: number[] = [];
  let hits = 0;
  for (const p of people.slice(0, 40)) {
    const last = p.kind === 'patient' ? p.lastName : '';
    for (let i = 1; i <= last.length; i++) {
      const s = performance.now();
      hits += index.search(last.slice(0, i)).length;
      keystrokes.push(performance.now() - s);
    }
  }
  const open = await openChart(new RecordStore(db, session), people[0]!.id);
  const autosave = await autosaveTimes(new RecordStore(db, session), people[0]!.id);
  await close();
  return {
    patients: people.length,
    unlockMs,
    kdfMs,
    keystrokes: keystrokes.length,
    hits,
    searchP95Ms: quantile(keystrokes, 0.95),
    searchMedianMs: quantile(keystrokes, 0.5),
    autosaveP95Ms: quantile(autosave, 0.95),
    autosaveMedianMs: quantile(autosave, 0.5),
    autosaves: autosave.length,
    ...open,
  };
}

/** Chart opens and autosaves alone (signed in beforehand), for a CPU profile of just those. */
export async function chartAndAutosave(patients: number) {
  const { db, people, close } = await benchClinic(patients);
  const session = await signIn(db, USER, PASSPHRASE);
  return {
    ready: async () => {
      const open = await openChart(new RecordStore(db, session), people[0]!.id);
      const autosave = await autosaveTimes(new RecordStore(db, session), people[0]!.id);
      await close();
      return {
        ...open,
        autosaveP95Ms: quantile(autosave, 0.95),
        autosaveMedianMs: quantile(autosave, 0.5),
      };
    },
  };
}

/** A therapist typing into a draft note: each change saved as the editor does (encrypt, write, outbox). */
async function autosaveTimes(store: RecordStore, patientId: string) {
  let note = await startNote(store, {
    patientId,
    template: {
      templateKey: 'bench-note',
      name: 'Bench note',
      sections: [{ key: 'narrative', label: 'Narrative', hint: '' }],
    },
    visitKind: 'consultation',
  });
  const words = 'Patient reports improved mood and sleep since the last session. '.repeat(4);
  const out: number[] = [];
  for (let i = 1; i <= 120; i++) {
    const t0 = performance.now();
    note = await saveNoteDraft(store, note.id, note.updatedAt, {
      sections: { narrative: words.slice(0, i * 2) },
    });
    out.push(performance.now() - t0);
  }
  return out;
}

/**
 * Other patients' records moved onto one chart until its timeline holds 200 entries (visits, and
 * records outside a visit such as signed consents): a long maintenance course.
 */
function chartOf200Entries(all: AnyRecord[], patientId: string): AnyRecord[] {
  const out: AnyRecord[] = [];
  let entries = 0;
  for (const r of all) {
    // Only what belongs on a chart (not the clinic's inventory lots, receipts or forms).
    if (!('patientId' in r) || r.kind === 'appointment' || r.kind === 'eligibility') continue;
    if (r.kind === 'inventory-transaction') continue;
    const ownEntry = r.kind === 'encounter' || !('encounterId' in r);
    if (ownEntry && ++entries > 200) break;
    out.push({ ...r, patientId } as AnyRecord);
  }
  return out;
}

/** What the chart screen does before it renders: read and decrypt the patient's records, group them. */
async function openChart(store: RecordStore, patientId: string) {
  const times: number[] = [];
  let entries = 0;
  let records = 0;
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    const list = await store.patientRecords(patientId);
    entries = buildTimeline(list).length;
    times.push(performance.now() - t0);
    records = list.length;
  }
  return { chartEntries: entries, chartRecords: records, chartOpenMs: quantile(times, 0.5) };
}
