import { afterEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../shared/model';
import { uuidv7 } from '../../shared/util/ids';
import type { KatDatabase } from './database';
import { startNote, visitForAppointment } from './notes-repository';
import { encryptRecord, indexFields } from './record-crypto';
import { addMaya, freshClinic } from './test-support';

const soap = {
  templateKey: 'soap',
  name: 'SOAP note',
  sections: [{ key: 'subjective', label: 'Subjective', hint: '' }],
};
let opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened) await db.delete();
  opened = [];
});

async function setup() {
  const c = await freshClinic();
  opened.push(c.db);
  const patient = await addMaya(c.store);
  const appointment = await c.store.create('appointment', {
    patientId: patient.id,
    clinicianId: c.session.user.id,
    start: '2026-11-20T15:00:00.000Z',
    durationMinutes: 90,
    visitKind: 'dosing',
    program: 'in-office-iv',
    cancelled: false,
  });
  return { ...c, patient, appointment };
}

describe('visits and dates of service', () => {
  it('a note started from a booked appointment documents that visit: its time, length and link', async () => {
    const { store, patient, appointment } = await setup();
    const note = await startNote(store, {
      patientId: patient.id,
      template: soap,
      visit: { appointment },
      now: new Date('2026-11-20T14:50:00.000Z'),
    });
    const visit = (await store.get('encounter', note.encounterId!))!;
    expect(visit).toMatchObject({
      visitKind: 'dosing',
      start: '2026-11-20T15:00:00.000Z',
      durationMinutes: 90,
      appointmentId: appointment.id,
      setting: 'in-office',
    });
    // A second note (or anything else charted for the booking) joins the same visit.
    const again = await startNote(store, {
      patientId: patient.id,
      template: soap,
      visit: { appointment },
    });
    expect(again.encounterId).toBe(visit.id);
    expect((await visitForAppointment(store, appointment)).id).toBe(visit.id);
  });

  it('a new visit keeps the date and time of service given, not when the note is written', async () => {
    const { store, patient } = await setup();
    const note = await startNote(store, {
      patientId: patient.id,
      template: soap,
      visit: {
        visitKind: 'integration',
        start: new Date('2026-11-18T16:00:00.000Z'),
        durationMinutes: 50,
        setting: 'telehealth',
      },
    });
    expect(await store.get('encounter', note.encounterId!)).toMatchObject({
      start: '2026-11-18T16:00:00.000Z',
      durationMinutes: 50,
      setting: 'telehealth',
    });
    expect(Date.parse(note.createdAt)).toBeGreaterThan(Date.parse('2026-11-18T16:00:00.000Z'));
  });

  it('refuses a visit of another patient, and a cancelled booking', async () => {
    const { store, patient, appointment } = await setup();
    const other = await store.create('patient', {
      firstName: 'Jonas',
      lastName: 'Berg',
      dateOfBirth: '1979-02-01',
      sexAtBirth: 'male',
      active: true,
    });
    const note = await startNote(store, {
      patientId: patient.id,
      template: soap,
      visitKind: 'dosing',
    });
    await expect(
      startNote(store, {
        patientId: other.id,
        template: soap,
        visit: { encounterId: note.encounterId! },
      }),
    ).rejects.toThrow('not on this patient’s chart');
    await expect(
      startNote(store, {
        patientId: patient.id,
        template: soap,
        visit: { appointment: { ...appointment, cancelled: true } },
      }),
    ).rejects.toThrow('cancelled');
  });

  it('records stored before visits had durations, and notes without a visit, still read', async () => {
    const { db, store, session, patient } = await setup();
    // Written exactly as an earlier version stored them: no durationMinutes, no appointment.
    const base = {
      clinicId: session.clinicId,
      createdBy: session.user.id,
      createdAt: '2026-03-04T14:00:00.000Z',
      updatedAt: session.clock.now(),
      status: 'draft' as const,
      schemaVersion: SCHEMA_VERSION,
    };
    const oldVisit = {
      kind: 'encounter' as const,
      id: uuidv7(),
      ...base,
      patientId: patient.id,
      visitKind: 'dosing' as const,
      start: '2026-03-04T14:00:00.000Z',
      clinicianId: session.user.id,
      setting: 'in-office' as const,
    };
    const looseNote = {
      kind: 'note' as const,
      id: uuidv7(),
      ...base,
      patientId: patient.id,
      templateId: 'soap',
      title: 'SOAP note',
      sections: { subjective: 'Written before visits were recorded.' },
      timeline: [],
    };
    for (const r of [oldVisit, looseNote])
      await db.records.put(
        await encryptRecord(
          r as never,
          session.dataKey,
          session.keyVersion,
          indexFields(r as never),
        ),
      );
    const visit = (await store.get('encounter', oldVisit.id))!;
    expect(visit.durationMinutes).toBeUndefined();
    expect(visit.appointmentId).toBeUndefined();
    const note = (await store.get('note', looseNote.id))!;
    expect(note.encounterId).toBeUndefined();
    // A note can still be added to the old visit, and the loose note can still be edited.
    const added = await startNote(store, {
      patientId: patient.id,
      template: soap,
      visit: { encounterId: oldVisit.id },
    });
    expect(added.encounterId).toBe(oldVisit.id);
    await store.update('note', looseNote.id, () => ({ title: 'SOAP note (edited)' }));
    expect((await store.get('note', looseNote.id))!.title).toBe('SOAP note (edited)');
  });
});
