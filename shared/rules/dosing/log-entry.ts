/**
 * The controlled-substance log's administration entry, made from the signed dose record so the
 * amount is never typed twice (issue 4; 21 CFR 1304.22(c): date, patient, amount, who gave it).
 */
import type { DoseRecord } from '../../model/dose';
import type { InventoryLot, InventoryTransactionBody } from '../../model/inventory';
import { RuleError } from '../errors';
import { roundHalfAwayFromZero } from './mg-per-kg';
import { doseGivenAt } from './vitals';

/** Spravato PI: each nasal spray device delivers 28 mg. */
export const ESKETAMINE_MG_PER_DEVICE = 28;

/** How much of the lot the dose used, in the lot's unit (mg, ml or devices), to 0.001. */
export function amountFromLot(
  dose: Pick<DoseRecord, 'medication' | 'doseMg' | 'totalGivenMg'>,
  lot: Pick<InventoryLot, 'unit' | 'concentrationMgPerMl' | 'lotNumber'>,
): number {
  // An infusion stopped early used only what went in; the rest of the vial is logged as waste.
  const mg = dose.totalGivenMg ?? dose.doseMg;
  switch (lot.unit) {
    case 'mg':
      return roundHalfAwayFromZero(mg, 3);
    case 'ml':
      if (!lot.concentrationMgPerMl)
        throw new RuleError(
          'inventory.concentration',
          `Lot ${lot.lotNumber} is counted in ml but has no concentration — add it to the lot`,
        );
      return roundHalfAwayFromZero(mg / lot.concentrationMgPerMl, 3);
    case 'device':
      if (dose.medication !== 'esketamine-nasal')
        throw new RuleError(
          'inventory.unit',
          `Lot ${lot.lotNumber} is counted in devices, but this dose is not esketamine`,
        );
      return Math.ceil(dose.doseMg / ESKETAMINE_MG_PER_DEVICE);
  }
}

/** The log entry for a signed dose. Throws RuleError for an unsigned dose or the wrong lot. */
export function administrationFromDose(
  dose: DoseRecord,
  lot: InventoryLot,
): InventoryTransactionBody {
  if (dose.status !== 'signed')
    throw new RuleError(
      'inventory.dose-unsigned',
      'Sign the dose record first: the log takes administrations from signed doses',
    );
  if (dose.lotId !== lot.id)
    throw new RuleError(
      'inventory.wrong-lot',
      `The dose record names a different lot than ${lot.lotNumber}`,
    );
  if (dose.medication !== lot.medication)
    throw new RuleError(
      'inventory.wrong-medication',
      `Lot ${lot.lotNumber} holds a different medication`,
    );
  return {
    lotId: lot.id,
    type: 'administration',
    quantity: -amountFromLot(dose, lot),
    occurredAt: doseGivenAt(dose) ?? dose.createdAt,
    doseId: dose.id,
    patientId: dose.patientId,
    performedBy: dose.administeredBy,
  };
}
