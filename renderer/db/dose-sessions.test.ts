import { describe, expect, it } from 'vitest';
import { updateDose } from './dose-repository';
import { NOW, at, DISCHARGE, preparedIvDose } from './dose-repository.fixtures';
import { openDoseSessions } from './dose-sessions';

describe('sessions in progress, for the app-wide vitals reminder', () => {
  it('lists a dose from its start until its discharge, with the patient name', async () => {
    const c = await preparedIvDose();
    const { dose } = c;
    // prepared, not started: nobody is in the chair yet
    expect(await openDoseSessions(c.store)).toEqual([]);

    await updateDose(c.store, dose.id, { infusionStart: at(0), initialRateMgPerHour: 52.5 }, NOW);
    const open = await openDoseSessions(c.store);
    expect(open.map((s) => [s.dose.id, s.patientName])).toEqual([[dose.id, 'Okafor, Maya']]);

    await updateDose(c.store, dose.id, {
      infusionEnd: at(40),
      discharge: DISCHARGE,
    });
    expect(await openDoseSessions(c.store)).toEqual([]);
  });
});
