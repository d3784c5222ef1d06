import { describe, expect, it } from 'vitest';
import { defaultConsentPackets } from '../consent-defaults';
import { AnyRecord } from '../model';
import type { DoseRecord } from '../model/dose';
import type { InventoryLot, InventoryTransaction } from '../model/inventory';
import { SignedConsentBody, type SignedConsent } from '../model/consent';
import { consentContentHash } from '../rules/consent';
import { biennialInventoryDue, countDiscrepancies, transactionProblems } from '../rules/inventory';
import { assertLifecycleWrite } from '../rules/lifecycle';
import { AuditEvent } from '../model/audit';
import { demoAuditTrail } from './audit';
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

  it('has every patient sign their program packet at intake, and doses only under current consent', async () => {
    const records = (await all()).flatMap((c) => c.records);
    const templates = records.filter((r) => r.kind === 'consent-template');
    expect(templates.map((t) => t.templateKey).sort()).toContain('kat-informed-consent');
    const consents = records.filter((r): r is SignedConsent => r.kind === 'signed-consent');
    const patients = records.filter((r) => r.kind === 'patient');
    expect(consents.length).toBeGreaterThanOrEqual(patients.length * 4);
    for (const c of consents) {
      expect(await consentContentHash(SignedConsentBody.parse(c))).toBe(c.contentHash);
      expect(templates.some((t) => t.id === c.templateId)).toBe(true);
      expect(c.renderedText).not.toContain('{{');
      expect(c.signatures.every((s) => s.image.length < 3_000)).toBe(true);
    }
    const packets = defaultConsentPackets();
    for (const d of records.filter((r): r is DoseRecord => r.kind === 'dose')) {
      const program = d.medication === 'esketamine-nasal' ? 'esketamine' : 'in-office-iv';
      const mine = consents.filter((c) => c.patientId === d.patientId);
      for (const key of packets.find((p) => p.program === program)!.templateKeys)
        expect(
          mine.some(
            (c) =>
              c.templateKey === key &&
              c.signedAt < d.createdAt &&
              (!c.expiresAt || c.expiresAt > d.createdAt),
          ),
          `${key} current at the dose of ${d.createdAt}`,
        ).toBe(true);
    }
  });

  it('keeps a controlled-substance log that balances, every entry valid when it was made', async () => {
    const records = (await all()).flatMap((c) => c.records);
    const lots = new Map(
      records.filter((r): r is InventoryLot => r.kind === 'inventory-lot').map((l) => [l.id, l]),
    );
    const doses = records.filter((r): r is DoseRecord => r.kind === 'dose');
    const entries = records
      .filter((r): r is InventoryTransaction => r.kind === 'inventory-transaction')
      .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.id.localeCompare(b.id));
    expect(entries.filter((e) => e.type === 'administration')).toHaveLength(doses.length);
    const ledger: InventoryTransaction[] = [];
    for (const e of entries) {
      const lot = lots.get(e.lotId)!;
      expect(lot).toBeDefined();
      const dose = doses.find((d) => d.id === e.doseId);
      expect(transactionProblems(e, { lot, ledger, dose })).toEqual([]);
      ledger.push(e);
    }
    for (const d of doses) expect(lots.get(d.lotId!)?.lotNumber).toBe(d.lotNumber);
    // 21 CFR 1304.22: what each container holds, and each patient's address on their entries.
    for (const lot of lots.values()) expect(lot.unitsPerContainer).toBeGreaterThan(0);
    const addresses = new Map(
      records.flatMap((r) => (r.kind === 'patient' ? [[r.id, r.address] as const] : [])),
    );
    for (const e of entries.filter((x) => x.type === 'administration'))
      expect(e.patientAddress).toBe(addresses.get(e.patientId!));
    expect([...addresses.values()].every((a) => a && /, ME 04\d{3}$/.test(a))).toBe(true);
    // Every inventory counted what the book said, and the next biennial one is not overdue.
    expect(countDiscrepancies(entries)).toEqual([]);
    expect(entries.filter((e) => e.type === 'initial-inventory').length).toBeGreaterThan(0);
    expect(biennialInventoryDue(entries, opts.now.toISOString().slice(0, 10)).overdue).toBe(false);
  });

  it('gives the benchmarks an audit trail of signatures, sign-ins and prints, in time order', async () => {
    const records = (await all()).flatMap((c) => c.records);
    const trail = demoAuditTrail(records, { clinicId: opts.clinicId, deviceId: 'demo', staff });
    const ids = new Set(records.map((r) => r.id));
    const signedDocs = records.filter(
      (r) => r.signature && !['measure', 'inventory-transaction'].includes(r.kind),
    );
    expect(trail.filter((e) => e.action === 'sign')).toHaveLength(signedDocs.length);
    expect(trail.some((e) => e.action === 'sign-in')).toBe(true);
    for (const [i, e] of trail.entries()) {
      expect(() => AuditEvent.parse(e)).not.toThrow();
      if (e.recordId) expect(ids.has(e.recordId)).toBe(true);
      if (i > 0) expect(e.at >= trail[i - 1]!.at).toBe(true);
    }
    expect(JSON.stringify(trail)).toBe(
      JSON.stringify(demoAuditTrail(records, { clinicId: opts.clinicId, deviceId: 'demo', staff })),
    );
  });
});

describe('the demo dose with a long vitals series (issue 20: the render benchmark opens it)', () => {
  it('is the first patient’s first dose: 20 readings 5 minutes apart, within the visit, and the rest of the clinic unchanged', async () => {
    const records = (await all()).flatMap((c) => c.records);
    const doses = records.filter((r): r is DoseRecord => r.kind === 'dose');
    const first = records.find((r) => r.kind === 'patient' && r.chartNumber === 'KC-10000')!;
    const watched = doses.filter((d) => d.vitals.length === 20);
    expect(watched).toHaveLength(1);
    const [d] = watched as [DoseRecord];
    expect(d.patientId).toBe(first.id);
    expect(d.id).toBe(doses.find((x) => x.patientId === first.id)!.id);
    const at = d.vitals.map((v) => Date.parse(v.at));
    for (let k = 1; k < at.length; k++) expect(at[k]! - at[k - 1]!).toBe(5 * 60_000);
    expect(Date.parse(d.discharge!.at)).toBeGreaterThan(at.at(-1)!);
    expect(d.vitals.at(-1)!.label).toBe('pre-discharge');
    // Every other dose keeps the routine series (5 readings IV, 3 intranasal).
    for (const x of doses) if (x !== d) expect([3, 5]).toContain(x.vitals.length);
  });
});
