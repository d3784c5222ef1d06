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
});
