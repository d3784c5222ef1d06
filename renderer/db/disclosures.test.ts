import { afterEach, describe, expect, it } from 'vitest';
import { accountingOf } from '../../shared/rules/disclosures';
import { clinicWithManager } from './break-glass.fixtures';
import type { KatDatabase } from './database';
import { patientReportSaved, reportWords } from './access-report';
import { listDisclosures } from './disclosures';
import { disclosureDetail } from '../../shared/rules/disclosures';

let opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened) await db.delete();
  opened = [];
});

describe('accounting of disclosures (HIPAA 164.528)', () => {
  it('lists each print and export of one patient with its recipient and purpose, administrators only', async () => {
    const c = await clinicWithManager(opened);
    const { maya, other: ada, manager } = c;
    await manager.audit('print', {
      patientId: maya.id,
      detail: disclosureDetail('Signed consent packet', {
        to: 'legal',
        name: 'County Court, case 24-117',
        purpose: 'law',
        note: 'subpoena of 1 Dec',
      }),
    });
    await manager.audit('export', {
      patientId: maya.id,
      detail: disclosureDetail('Patient handout', {
        to: 'patient',
        name: '',
        purpose: 'authorized',
        note: '',
      }),
    });
    // Before recipients were asked: kept apart, counted, never dropped.
    await manager.audit('print', { patientId: maya.id, detail: 'Signed consent packet' });
    await manager.audit('print', {
      patientId: ada.id,
      detail: disclosureDetail('Signed consent packet', {
        to: 'payer',
        name: 'Acme Health',
        purpose: 'payment',
        note: '',
      }),
    });

    const { lines, unrecorded } = await listDisclosures(c.store, maya.id);
    expect(unrecorded.map((e) => e.detail)).toEqual(['Signed consent packet']);
    const { owed, exempt } = accountingOf(lines);
    expect(owed).toMatchObject([
      { by: 'Jordan Lee', what: 'Signed consent packet', name: 'County Court, case 24-117' },
    ]);
    expect(exempt.map((l) => [l.what, l.to])).toEqual([['Patient handout', 'patient']]);
    await expect(listDisclosures(manager, maya.id)).rejects.toThrow(/Only an administrator/);

    const what = reportWords(
      'Accounting of disclosures',
      1,
      'disclosure',
      '2020-12-07 to 2026-12-07',
    );
    await patientReportSaved(c.store, maya.id, what, {
      to: 'patient',
      name: '',
      purpose: 'authorized',
      note: '',
    });
    const after = await listDisclosures(c.store, maya.id);
    expect(after.lines.find((l) => l.what.startsWith('Accounting'))).toMatchObject({
      what: 'Accounting of disclosures PDF, 1 disclosure, 2020-12-07 to 2026-12-07',
      to: 'patient',
    });
  });

  it('lists a clinic-wide printout that left the clinic in the accounting of every patient it names', async () => {
    const c = await clinicWithManager(opened);
    const { maya, other: ada } = c;
    // The controlled-substance log for a DEA inspection names both patients' administrations.
    await c.store.audit('print', {
      recordKind: 'inventory-transaction',
      detail: disclosureDetail(
        'Controlled-substance log 2026-11-01 to 2026-11-30',
        { to: 'agency', name: 'DEA Diversion, Denver', purpose: 'oversight', note: '' },
        [maya.id, ada.id, maya.id],
      ),
    });
    // The same log kept in the clinic is no disclosure, and names nobody.
    await c.store.audit('print', {
      recordKind: 'inventory-transaction',
      detail: disclosureDetail(
        'Controlled-substance log 2026-12-01 to 2026-12-07',
        { to: 'clinic', name: '', purpose: 'operations', note: '' },
        [maya.id],
      ),
    });
    for (const patient of [maya, ada]) {
      const { owed, exempt } = accountingOf((await listDisclosures(c.store, patient.id)).lines);
      expect(owed).toMatchObject([
        {
          what: 'Controlled-substance log 2026-11-01 to 2026-11-30 (a clinic-wide record that names this patient)',
          name: 'DEA Diversion, Denver',
          purpose: 'oversight',
        },
      ]);
      expect(exempt).toEqual([]);
    }
    const third = await c.store.create('patient', {
      firstName: 'Rosa',
      lastName: 'Ávila',
      dateOfBirth: '1990-01-01',
      sexAtBirth: 'female',
      active: true,
    });
    expect((await listDisclosures(c.store, third.id)).lines).toEqual([]);
  });
});
