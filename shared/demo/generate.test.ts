import { describe, expect, it } from 'vitest';
import { AnyRecord } from '../model';
import { assertLifecycleWrite } from '../rules/lifecycle';
import { generateDemoClinic } from './generate';

const staff = {
  therapist: { id: '0190a000-0000-7000-8000-000000000001', name: 'Dana Reyes, LCSW' },
  prescriber: { id: '0190a000-0000-7000-8000-000000000002', name: 'Sam Patel, MD' },
  manager: { id: '0190a000-0000-7000-8000-000000000003', name: 'Jordan Lee' },
};
const opts = {
  clinicId: '0190a000-0000-7000-8000-0000000000aa',
  node: 'demo',
  staff,
  patients: 12,
  now: new Date('2026-11-21T12:00:00Z'),
  chunk: 5,
};

async function all(o = opts) {
  const out = [];
  for await (const c of generateDemoClinic(o)) out.push(c);
  return out;
}

describe('demo clinic generator', () => {
  it('is deterministic for a seed and reports progress per chunk', async () => {
    const a = await all();
    const b = await all();
    expect(a.map((c) => c.patientsDone)).toEqual([5, 10, 12]);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('produces only valid records whose signatures match their content', async () => {
    const records = (await all()).flatMap((c) => c.records);
    const kinds = new Set(records.map((r) => r.kind));
    for (const k of [
      'patient',
      'encounter',
      'note',
      'dose',
      'measure',
      'integration-summary',
      'eligibility',
    ])
      expect(kinds).toContain(k);
    for (const r of records) {
      expect(() => AnyRecord.parse(r)).not.toThrow();
      await assertLifecycleWrite(undefined, r as never);
    }
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
  });

  it('gives patients a course whose history lies in the past', async () => {
    const records = (await all()).flatMap((c) => c.records);
    const doses = records.filter((r) => r.kind === 'dose');
    expect(doses.length).toBeGreaterThan(12);
    for (const d of doses)
      expect(Date.parse((d as { vitals: { at: string }[] }).vitals[0]!.at)).toBeLessThan(
        opts.now.getTime(),
      );
  });
});
