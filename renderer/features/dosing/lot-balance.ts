import type { DoseRecord } from '../../../shared/model';

const UNIT_WORDS = { mg: 'mg', ml: 'ml', device: 'devices' } as const;

/**
 * What a signed dose says about its lot's balance: as it was when the dose was signed, never the
 * lot's balance today (issue 15, finding 7). A dose signed before the balance was kept says so
 * rather than show a number that was not true then. Undefined for a draft or a dose with no lot.
 */
export function lotAtSigningLine(
  dose: Pick<DoseRecord, 'status' | 'lotId' | 'lotNumber' | 'lotAtSigning'>,
): string | undefined {
  if (dose.status !== 'signed' || !dose.lotId) return undefined;
  const lot = dose.lotNumber ? `Lot ${dose.lotNumber}` : 'The lot';
  const s = dose.lotAtSigning;
  if (!s)
    return (
      `${lot}: the balance at signing was not recorded (this dose was signed before it was ` +
      'kept) — the controlled-substance log shows the running balance'
    );
  const unit = UNIT_WORDS[s.unit];
  return `${lot} at signing: ${s.before} ${unit} on hand, ${s.after} ${unit} after this dose`;
}
