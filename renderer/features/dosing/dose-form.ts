/** Small helpers for the dose screens: local date-time inputs and labels in the clinic's words. */
import type { DoseBody, Medication, Route } from '../../../shared/model';
import {
  assertWeightCurrent,
  clinicDay,
  doseGivenAt,
  judgedMg,
  mgPerKgRange,
  mgPerKgShown,
  roundHalfAwayFromZero,
} from '../../../shared/rules/dosing';
import { errorMessage } from '../../app/format';

/** ISO instant → the value of an <input type="datetime-local"> in the device's zone. */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The value of a datetime-local input → ISO instant (undefined when empty or invalid). */
export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** A number input's value → number or undefined. */
export const num = (v: string | number): number | undefined =>
  v === '' || v === undefined || Number.isNaN(Number(v)) ? undefined : Number(v);

export const MEDICATION_LABELS: Record<Medication, string> = {
  'ketamine-hcl': 'Ketamine HCl (racemic)',
  'esketamine-nasal': 'Esketamine nasal spray',
};

export const ROUTE_LABELS: Record<Route, string> = {
  'iv-infusion': 'IV infusion',
  im: 'IM injection',
  intranasal: 'Intranasal',
  'sublingual-troche': 'Sublingual troche',
  'oral-tablet': 'Oral tablet',
};

export const medicationOptions = Object.entries(MEDICATION_LABELS).map(([value, label]) => ({
  value,
  label,
}));
export const routeOptions = Object.entries(ROUTE_LABELS).map(([value, label]) => ({
  value,
  label,
}));

export type MgPerKgLine = { text: string; ok: boolean };

/**
 * The live mg/kg line for ketamine: the larger of planned and what has gone in by now (rate ×
 * time, boluses), as the safety check judges it (issue 15), against the clinic's range; the
 * weight problem in words when it cannot be worked out. Undefined for esketamine (a fixed dose).
 * The dose card shows it for what is typed, the session header for what is saved.
 */
export function mgPerKgLine(
  dose: Parameters<typeof judgedMg>[0] &
    Pick<DoseBody, 'medication' | 'weightKg' | 'weightMeasuredOn'>,
  now: Date,
  settings: Parameters<typeof mgPerKgRange>[1] & { weightMaxAgeDays: number },
): MgPerKgLine | undefined {
  if (dose.medication !== 'ketamine-hcl' || !dose.doseMg) return undefined;
  const mg = judgedMg(dose, now);
  const today = clinicDay(doseGivenAt(dose) ?? new Date().toISOString());
  try {
    assertWeightCurrent(dose, today, settings.weightMaxAgeDays);
    const exact = mg / dose.weightKg;
    const range = mgPerKgRange(dose.route, settings);
    const inRange = !range || (exact >= range.min && exact <= range.max);
    const shown = range ? mgPerKgShown(exact, range) : roundHalfAwayFromZero(exact);
    const given = mg > dose.doseMg ? ` — ${mg} mg given, ${dose.doseMg} mg planned` : '';
    return {
      text: `${shown} mg/kg${given}${range ? ` (clinic range ${range.min}–${range.max})` : ''}`,
      ok: inRange,
    };
  } catch (e) {
    return { text: errorMessage(e), ok: false };
  }
}
