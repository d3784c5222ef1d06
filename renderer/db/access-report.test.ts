import { afterEach, describe, expect, it, vi } from 'vitest';
import { listChartAccess, patientReportSaved, reportWords } from './access-report';
import { breakTheGlass } from './break-glass';
import type { KatDatabase } from './database';
import { clinicWithManager } from './break-glass.fixtures';

let opened: KatDatabase[] = [];
afterEach(async () => {
  for (const db of opened) await db.delete();
  opened = [];
});

describe('access report: who opened this chart', () => {
  it('lists reads, refusals and emergency access of one patient in the range, administrators only', async () => {
    const c = await clinicWithManager(opened);
    const { maya, other: ada, note, manager, later } = c;
    await expect(manager.get('note', note.id)).rejects.toThrow(/does not allow/);
    // The refusal is logged just after the refused read (access-refused.ts, writeOutside), on the
    // store's clock: let it land before the clock moves on.
    await vi.waitFor(async () => expect(await listChartAccess(c.store, maya.id)).toHaveLength(1));
    later(1);
    await breakTheGlass(manager, maya.id, 'Crisis call from the patient’s partner');
    later(1);
    await manager.audit('view', { recordKind: 'note', recordId: note.id, patientId: maya.id });
    await c.store.audit('view', { recordKind: 'patient', recordId: ada.id, patientId: ada.id });

    const lines = await listChartAccess(c.store, maya.id);
    expect(lines.map((l) => [l.userName, l.action])).toEqual([
      ['Jordan Lee', 'view'],
      ['Jordan Lee', 'break-glass'],
      ['Jordan Lee', 'access-refused'],
    ]);
    expect(await listChartAccess(c.store, maya.id, { to: '2000-01-01T00:00:00.000Z' })).toEqual([]);
    await expect(listChartAccess(manager, maya.id)).rejects.toThrow(/Only an administrator/);

    const what = reportWords('Access report', 3, 'event', '2026-12-01 to 2026-12-07');
    await patientReportSaved(c.store, maya.id, what, {
      to: 'patient',
      name: '',
      purpose: 'authorized',
      note: 'asked at reception',
    });
    expect(
      (await listChartAccess(c.store, maya.id)).find((l) => l.action === 'export'),
    ).toMatchObject({
      action: 'export',
      detail:
        'Access report PDF, 3 events, 2026-12-01 to 2026-12-07, to The patient or their personal representative, for The patient’s request or written authorization: asked at reception',
    });
  });
});
