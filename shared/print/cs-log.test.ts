import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InventoryLot, InventoryTransaction } from '../model/inventory';
import {
  esketamineDose,
  meta,
  nurseId,
  patientId,
  prescriberId,
} from '../rules/dosing/test-fixtures';
import { buildControlledSubstanceLogPdf } from './cs-log';
import { PDF_FONT_FILES } from './fonts';
import { buildRemsSummaryPdf } from './rems-summary';

const fonts = {
  regular: new Uint8Array(readFileSync(PDF_FONT_FILES.regular)),
  bold: new Uint8Array(readFileSync(PDF_FONT_FILES.bold)),
};
const text = (pdf: Uint8Array) =>
  execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString();
/** In reading order, so a cell's wrapped lines follow one another. */
const rawText = (pdf: Uint8Array) =>
  execFileSync('pdftotext', ['-', '-'], { input: pdf }).toString();

const lot = InventoryLot.parse({
  kind: 'inventory-lot',
  ...meta(),
  medication: 'ketamine-hcl',
  productName: 'Ketamine HCl 50 mg/ml',
  lotNumber: 'KX2291',
  expiry: '2027-06-30',
  unit: 'mg',
});
const tx = (over: Record<string, unknown>) =>
  InventoryTransaction.parse({
    kind: 'inventory-transaction',
    ...meta('signed'),
    lotId: lot.id,
    performedBy: prescriberId,
    ...over,
  });
const entries = [
  tx({
    type: 'receipt',
    quantity: 1000,
    occurredAt: '2026-11-01T15:00:00.000Z',
    supplierName: 'Midwest Medical Supply',
    supplierAddress: '12 Depot Rd, Omaha NE',
    supplierDea: 'RM1234563',
    containers: 2,
    invoice: 'INV-881',
  }),
  tx({
    type: 'administration',
    quantity: -35,
    occurredAt: '2026-11-20T15:00:00.000Z',
    patientId,
    doseId: meta().id,
  }),
  tx({
    type: 'waste',
    quantity: -15,
    occurredAt: '2026-11-20T15:40:00.000Z',
    wasteMethod: 'Rx Destroyer',
    witnessId: nurseId,
  }),
  tx({ type: 'count', quantity: 0, countedQuantity: 940, occurredAt: '2026-11-21T23:00:00.000Z' }),
];
const names = { [prescriberId]: 'Sam Patel', [nurseId]: 'Dana Reyes', [patientId]: 'Okafor, Maya' };

describe('controlled-substance log PDF', () => {
  it('lists the range with running balances, who, the witness, and flags a count that does not match', async () => {
    const pdf = await buildControlledSubstanceLogPdf({
      letterhead: { clinicName: 'Harbor Ketamine Clinic' },
      from: '2026-11-15',
      to: '2026-11-21',
      lots: [lot],
      entries,
      names,
      generatedAt: '2026-11-22T10:00:00.000Z',
      printedBy: 'Sam Patel',
      fonts,
    });
    const t = text(pdf);
    expect(t).toContain('Controlled-substance log, Nov 15, 2026 – Nov 21, 2026');
    expect(t).not.toContain('INV-881'); // the receipt is before the range: only in the opening balance
    expect(t).toMatch(/KX2291.*1000\s+950/); // opening 1000, closing 950: a count moves nothing
    expect(t).toMatch(/Administration\s+-35\s+965/);
    expect(t).toMatch(/Waste\s+-15\s+950/);
    expect(t).toContain('Patient: Okafor, Maya');
    expect(t).toContain('witness: Dana Reyes');
    expect(t).toMatch(/counted 940, book 950 \(difference -10\) — NOT\s+YET RESOLVED/);
  });

  it('says "1 container", and prints a long lot number whole in the entries table (issue 15, finding 7)', async () => {
    const long = InventoryLot.parse({ ...lot, id: meta().id, lotNumber: 'KX2291-0457B' });
    const pdf = await buildControlledSubstanceLogPdf({
      letterhead: { clinicName: 'Harbor Ketamine Clinic' },
      from: '2026-11-01',
      to: '2026-11-21',
      lots: [long],
      entries: [
        tx({
          lotId: long.id,
          type: 'receipt',
          quantity: 500,
          occurredAt: '2026-11-02T15:00:00.000Z',
          supplierName: 'Midwest Medical Supply',
          containers: 1,
        }),
        tx({
          lotId: long.id,
          type: 'administration',
          quantity: -35,
          occurredAt: '2026-11-20T15:00:00.000Z',
          patientId,
          doseId: meta().id,
        }),
      ],
      names,
      generatedAt: '2026-11-22T10:00:00.000Z',
      printedBy: 'Sam Patel',
      fonts,
    });
    const t = text(pdf);
    // The receipt's details wrap inside their cell, so the words are checked one by one.
    expect(t).toMatch(/Midwest Medical Supply, 1\s/);
    expect(t).toMatch(/\bcontainer\b/);
    expect(t).not.toContain('containers');
    // Every mention of the lot is whole: the balances table, and both entries rows.
    expect(t.match(/KX2291-0457B/g)).toHaveLength(3);
  });
});

describe('controlled-substance log PDF: patient address and containers (issue 15, finding 7)', () => {
  const build = (over: Partial<Parameters<typeof buildControlledSubstanceLogPdf>[0]>) =>
    buildControlledSubstanceLogPdf({
      letterhead: { clinicName: 'Harbor Ketamine Clinic' },
      from: '2026-11-01',
      to: '2026-11-21',
      lots: [lot],
      entries: [],
      names,
      generatedAt: '2026-11-22T10:00:00.000Z',
      printedBy: 'Sam Patel',
      fonts,
      ...over,
    }).then(rawText);
  const receipt = (lotId: string) =>
    tx({
      lotId,
      type: 'receipt',
      quantity: 1000,
      occurredAt: '2026-11-02T15:00:00.000Z',
      supplierName: 'Midwest Medical Supply',
      containers: 2,
    });

  it('names the patient of each administration with their address, and says when it was not kept', async () => {
    const otherPatient = meta().id;
    const t = await build({
      entries: [
        receipt(lot.id),
        tx({
          type: 'administration',
          quantity: -35,
          occurredAt: '2026-11-20T15:00:00.000Z',
          patientId,
          patientAddress: '18 Elm Street, Portland, ME 04101',
          doseId: meta().id,
        }),
        tx({
          type: 'administration',
          quantity: -40,
          occurredAt: '2026-11-20T17:00:00.000Z',
          patientId: otherPatient,
          doseId: meta().id,
        }),
      ],
      names: { ...names, [otherPatient]: 'Reyes, Ana' },
      addresses: { [otherPatient]: '9 Pier Road, Bath, ME 04530' },
    });
    const flat = t.replace(/\s+/g, ' ');
    expect(flat).toContain('Patient: Okafor, Maya, 18 Elm Street, Portland, ME 04101');
    // An entry made before the address was kept: today's address, said as such.
    expect(flat).toMatch(
      /Patient: Reyes, Ana; address not kept with this entry — on file now: 9 Pier Road, Bath, ME 04530/,
    );
  });

  it("prints what each container holds: recorded at receipt, or read from an older lot's product name", async () => {
    const recorded = InventoryLot.parse({
      ...lot,
      id: meta().id,
      lotNumber: 'KX3001',
      unitsPerContainer: 500,
    });
    const older = InventoryLot.parse({
      ...lot,
      id: meta().id,
      lotNumber: 'KX1001',
      productName: 'Ketamine HCl 50 mg/ml, 10 ml vial',
    });
    const t = await build({
      lots: [recorded, older, lot],
      entries: [receipt(recorded.id), receipt(older.id), receipt(lot.id)],
    });
    const flat = t.replace(/\s+/g, ' ');
    expect(flat).toMatch(/KX3001 Receipt .*2 containers of 500 mg Sam Patel/);
    expect(flat).toContain('2 containers of 500 mg (per container read from the product name)');
    expect(flat).toContain('2 containers (amount per container not recorded)');
    // The balances table: recorded, read from the name (said so), or not recorded.
    expect(flat).toContain('KX3001 Ketamine HCl 50 mg/ml 500 mg');
    expect(flat).toContain('500 mg (read from name)');
    expect(flat).toContain('not recorded Jun 30, 2027');
  });
});

describe('esketamine monitoring summary PDF', () => {
  it('gives the BP before, at ~40 min and before the end, monitoring minutes and ready-to-leave time', async () => {
    const dose = esketamineDose({
      lotNumber: 'ESK118',
      vitals: [
        {
          at: '2026-11-21T09:50:00.000Z',
          systolic: 124,
          diastolic: 78,
          heartRate: 70,
          label: 'baseline',
        },
        {
          at: '2026-11-21T10:41:00.000Z',
          systolic: 146,
          diastolic: 88,
          heartRate: 84,
          label: 'post-dose-40',
        },
        {
          at: '2026-11-21T11:55:00.000Z',
          systolic: 128,
          diastolic: 80,
          heartRate: 72,
          label: 'pre-discharge',
        },
      ],
      observations: [{ at: '2026-11-21T10:30:00.000Z', moaas: 4, cadss: 12 }],
      discharge: {
        at: '2026-11-21T12:05:00.000Z',
        vitalsNearBaseline: true,
        sedationResolved: true,
        dissociationResolved: true,
        alertAndOriented: true,
        escortName: 'Daniel Okafor',
        noDrivingInstructionGiven: true,
      },
    });
    const pdf = await buildRemsSummaryPdf({
      letterhead: { clinicName: 'Harbor Ketamine Clinic' },
      patient: { firstName: 'Maya', lastName: 'Okafor', dateOfBirth: '1987-04-12' },
      dose,
      names,
      generatedAt: '2026-11-21T12:10:00.000Z',
      fonts,
    });
    const t = text(pdf);
    expect(t).toContain('56 mg esketamine nasal spray (2 devices)');
    expect(t).toMatch(/BP before dose\s+124\/78/);
    expect(t).toMatch(/BP ~40 min after\s+146\/88/);
    expect(t).toMatch(/BP before end\s+128\/80/);
    expect(t).toMatch(/Monitoring time\s+125 minutes/);
    expect(t).toMatch(/Ready to leave\s+Nov 21, 2026, 12:05 PM UTC/);
    expect(t).toMatch(/Serious adverse events\s+None/);
    expect(t).toContain('DRAFT — not signed');
  });
});
