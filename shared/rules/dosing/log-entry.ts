/**
 * The controlled-substance log's administration entry, made from the signed dose record so the
 * amount is never typed twice (issue 4; 21 CFR 1304.22(c): date, patient's name and address,
 * amount, who gave it).
 */
import type { DoseRecord } from '../../model/dose';
import type { InventoryLot, InventoryTransactionBody } from '../../model/inventory';
import { RuleError } from '../errors';
import { roundHalfAwayFromZero } from './mg-per-kg';
import { doseGivenAt } from './vitals';

/** Spravato PI: each nasal spray device delivers 28 mg. */
export const ESKETAMINE_MG_PER_DEVICE = 28;

/**
 * What the record says was given, in mg: an infusion's total (rate × time plus boluses, which the
 * repository computes and re-checks at signing), otherwise the dose. An infusion without its
 * total has no amount yet: refused rather than guessed from the plan.
 */
export function givenMg(
  dose: Pick<DoseRecord, 'doseMg' | 'totalGivenMg'> & Partial<Pick<DoseRecord, 'route'>>,
): number {
  if (dose.route === 'iv-infusion' && dose.totalGivenMg === undefined)
    throw new RuleError(
      'dosing.infusion-total',
      'Record the infusion start, rate and end so the amount given is known',
    );
  return dose.totalGivenMg ?? dose.doseMg;
}

/** How much of the lot the dose used, in the lot's unit (mg, ml or devices), to 0.001. */
export function amountFromLot(
  dose: Pick<DoseRecord, 'medication' | 'doseMg' | 'totalGivenMg'> &
    Partial<Pick<DoseRecord, 'route'>>,
  lot: Pick<InventoryLot, 'unit' | 'concentrationMgPerMl' | 'lotNumber'>,
): number {
  // An infusion used what went in (less when stopped early: the rest is logged as waste; more
  // with a faster rate or a bolus).
  const mg = givenMg(dose);
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
  /** The patient's address as the patient record has it now, kept with the entry. */
  patientAddress?: string,
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
    ...(patientAddress?.trim() ? { patientAddress: patientAddress.trim() } : {}),
    performedBy: dose.administeredBy,
  };
}
