/**
 * Shared test records for the dosing, eligibility, home-program and inventory rules. Built through
 * the real schemas, so a fixture that drifts from the model fails loudly instead of testing air.
 */
import { DoseRecord, type DoseBody } from '../../model/dose';
import { EligibilityEvaluation, HomePrescription } from '../../model/eligibility';
import { InventoryLot, InventoryTransaction } from '../../model/inventory';
import { ClinicSettingsBody } from '../../model/settings';
import { formatHlc } from '../../sync/hlc';
import { uuidv7 } from '../../util/ids';

export const settings = ClinicSettingsBody.parse({ clinicName: 'Harbor Ketamine Clinic' });

export const patientId = uuidv7();
export const prescriberId = uuidv7();
export const nurseId = uuidv7();
export const lotId = uuidv7();

export const meta = (status: 'draft' | 'signed' | 'entered-in-error' = 'draft') => ({
  id: uuidv7(),
  clinicId: '0190a000-0000-7000-8000-000000000001',
  createdBy: prescriberId,
  createdAt: '2026-11-21T09:00:00.000Z',
  updatedAt: formatHlc({ wallMs: 1_763_715_600_000, counter: 0, node: 'dev1' }),
  status,
  schemaVersion: 1,
});

/** A valid IV ketamine dose on 2026-11-21: 35 mg for 70 kg = 0.5 mg/kg, baseline 120/80. */
export function ivDose(
  over: Partial<DoseBody> & { status?: 'draft' | 'signed' | 'entered-in-error' } = {},
): DoseRecord {
  const { status, ...body } = over;
  return DoseRecord.parse({
    kind: 'dose',
    ...meta(status),
    patientId,
    encounterId: uuidv7(),
    medication: 'ketamine-hcl',
    route: 'iv-infusion',
    doseMg: 35,
    weightKg: 70,
    weightMeasuredOn: '2026-11-14',
    lotId,
    lotNumber: 'KX2291',
    lotExpiry: '2027-06-30',
    prescriberId,
    administeredBy: nurseId,
    infusionStart: '2026-11-21T10:00:00.000Z',
    // 35 mg over 40 minutes
    initialRateMgPerHour: 52.5,
    infusionEnd: '2026-11-21T10:40:00.000Z',
    totalGivenMg: 35,
    vitals: [
      {
        at: '2026-11-21T09:55:00.000Z',
        systolic: 120,
        diastolic: 80,
        heartRate: 72,
        label: 'baseline',
      },
    ],
    ...body,
  });
}

/** An in-office esketamine 56 mg dose given at 10:00 with a baseline at 09:50. */
export function esketamineDose(over: Partial<DoseBody> = {}): DoseRecord {
  return ivDose({
    medication: 'esketamine-nasal',
    route: 'intranasal',
    doseMg: 56,
    weightKg: undefined,
    weightMeasuredOn: undefined,
    infusionStart: undefined,
    initialRateMgPerHour: undefined,
    infusionEnd: undefined,
    totalGivenMg: undefined,
    administeredAt: '2026-11-21T10:00:00.000Z',
    vitals: [
      {
        at: '2026-11-21T09:50:00.000Z',
        systolic: 124,
        diastolic: 78,
        heartRate: 70,
        label: 'baseline',
      },
    ],
    ...over,
  });
}

export function evaluation(
  decision: 'eligible' | 'not-eligible' | 'eligible-with-conditions' | undefined,
  evaluatedAt = '2026-10-01T15:00:00.000Z',
  status: 'draft' | 'signed' | 'entered-in-error' = 'signed',
): EligibilityEvaluation {
  return EligibilityEvaluation.parse({
    kind: 'eligibility',
    ...meta(status),
    patientId,
    indication: 'trd',
    psychiatricHistory: 'MDD since 2015; failed sertraline and bupropion trials.',
    medicalHistory: 'No cardiac history.',
    contraindications: {},
    ...(decision ? { decision } : {}),
    ...(decision === 'eligible-with-conditions' ? { conditions: 'BP log for 2 weeks' } : {}),
    evaluatedAt,
  });
}

export function prescription(over: Partial<HomePrescription> = {}): HomePrescription {
  return HomePrescription.parse({
    kind: 'home-prescription',
    ...meta('signed'),
    patientId,
    medication: 'ketamine-hcl',
    form: 'sublingual-troche',
    strengthMg: 200,
    quantity: 6,
    sessionsAllowed: 6,
    instructions: 'One troche under the tongue, hold 15 minutes, then spit.',
    monitorName: 'Sam Rivera (partner)',
    refillsAllowed: 1,
    writtenAt: '2026-11-01T15:00:00.000Z',
    ...over,
  });
}

export function lot(over: Partial<InventoryLot> = {}): InventoryLot {
  return InventoryLot.parse({
    kind: 'inventory-lot',
    ...meta('draft'),
    id: lotId,
    medication: 'ketamine-hcl',
    productName: 'Ketamine HCl injection 50 mg/ml, 10 ml vial',
    lotNumber: 'KX2291',
    expiry: '2027-06-30',
    concentrationMgPerMl: 50,
    unit: 'ml',
    ...over,
  });
}

export function tx(over: Partial<InventoryTransaction> = {}): InventoryTransaction {
  return InventoryTransaction.parse({
    kind: 'inventory-transaction',
    ...meta('signed'),
    lotId,
    type: 'receipt',
    quantity: 100,
    occurredAt: '2026-11-01T09:00:00.000Z',
    supplierName: 'Midwest Medical Supply',
    supplierAddress: '12 Dock St, Peoria IL',
    supplierDea: 'RM1234563',
    containers: 10,
    performedBy: prescriberId,
    ...over,
  });
}
