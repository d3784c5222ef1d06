import { afterEach, describe, expect, it } from 'vitest';
import { signaturePngDataUrl } from '../../shared/print/test-support';
import { addUser, signIn } from './auth';
import {
  addAppointment,
  appointmentsOnDay,
  cancelAppointment,
  formsNeededOn,
  localInstant,
} from './appointments-repository';
import {
  ensureDefaultTemplates,
  placeholderValues,
  signConsentForms,
  templateVersions,
} from './consent-repository';
import type { KatDatabase } from './database';
import { RecordStore } from './record-store';
import { freshClinic } from './test-support';

let opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened) await db.delete();
  opened = [];
});

async function clinic() {
  const c = await freshClinic();
  opened.push(c.db);
  await addUser(c.store, {
    displayName: 'Jordan Lee',
    username: 'jordan',
    roles: ['practice-manager'],
    passphrase: 'paper lanterns float',
  });
  const store = new RecordStore(c.db, await signIn(c.db, 'jordan', 'paper lanterns float'));
  await ensureDefaultTemplates(store);
  const person = (firstName: string, lastName: string) =>
    c.store.create('patient', {
      firstName,
      lastName,
      dateOfBirth: '1980-01-02',
      sexAtBirth: 'unknown',
      active: true,
    });
  return { store, clinicianId: c.session.user.id, person };
}

describe('appointments repository', () => {
  it('books a visit on the local day and time typed', async () => {
    const { store, clinicianId, person } = await clinic();
    const maya = await person('Maya', 'Okafor');
    const a = await addAppointment(store, {
      patientId: maya.id,
      clinicianId,
      day: '2026-05-04',
      time: '19:30',
      durationMinutes: 120,
      visitKind: 'dosing',
      program: 'in-office-iv',
    });
    expect(new Date(a.start).getHours()).toBe(19);
    expect(appointmentsOnDay([a], '2026-05-04')).toHaveLength(1);
    expect(appointmentsOnDay([a], '2026-05-05')).toHaveLength(0);
  });

  it('refuses a booking without a patient or with a nonsense time', async () => {
    const { store, clinicianId } = await clinic();
    const base = { clinicianId, day: '2026-05-04', durationMinutes: 60 };
    await expect(
      addAppointment(store, {
        ...base,
        patientId: '0190a1b2-0000-7000-8000-000000000000',
        time: '09:00',
        visitKind: 'dosing',
      }),
    ).rejects.toThrow('Choose the patient');
    expect(() => localInstant('2026-05-04', 'nine')).toThrow('a time such as 09:30');
  });

  it("lists who needs what for the day; a fully signed patient needs nothing; cancelled visits don't count", async () => {
    const { store, clinicianId, person } = await clinic();
    const maya = await person('Maya', 'Okafor');
    const lee = await person('Lee', 'Park');
    const kim = await person('Kim', 'Ito');
    const book = (patientId: string, time: string, program: string) =>
      addAppointment(store, {
        patientId,
        clinicianId,
        day: '2026-05-04',
        time,
        durationMinutes: 60,
        visitKind: 'dosing',
        program,
      });
    await book(maya.id, '09:00', 'telehealth-integration');
    await book(lee.id, '10:00', 'telehealth-integration');
    const cancelled = await book(kim.id, '11:00', 'esketamine');
    await cancelAppointment(store, cancelled.id);

    const keys = ['telehealth-consent', 'npp-acknowledgement', 'financial-policy'];
    await signConsentForms(store, {
      patient: lee,
      program: 'telehealth-integration',
      forms: await Promise.all(
        keys.map(async (k) => {
          const template = (await templateVersions(store, k))[0]!;
          return {
            template,
            signatures: template.signers.map((role) => ({
              role,
              name: 'Lee Park',
              signedAt: '2026-05-01T10:00:00.000Z',
              image: signaturePngDataUrl(1, 40, 16),
            })),
          };
        }),
      ),
      values: placeholderValues({ clinicName: 'Harbor', address: 'x', phone: 'y' }, lee),
      signedAt: '2026-05-01T10:00:00.000Z',
    });

    const needs = await formsNeededOn(store, '2026-05-04', new Date('2026-05-03T12:00:00Z'));
    expect(needs.map((n) => n.displayName)).toEqual(['Okafor, Maya', 'Park, Lee']);
    expect(needs[0]!.forms.map((f) => f.template.templateKey)).toEqual(keys);
    expect(needs[1]!.forms).toEqual([]);
  });
});
